"""The book as the tests see it: its root, its Read the Docs build command, its build output."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def readthedocs_html_command() -> list[str]:
    """The HTML build command from .readthedocs.yaml, split into arguments."""
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    (command,) = config["build"]["jobs"]["build"]["html"]
    return shlex.split(command)


@dataclass
class BuiltBook:
    """The result of one executed build of the whole book."""

    returncode: int
    log: str
    html: Path
    notebooks: Path

    def glued(self, docname: str) -> dict[str, object]:
        """Values a page stored with ``myst_nb.glue``, as MyST-NB saved them."""
        saved = json.loads((self.notebooks / f"{docname}.glue.json").read_text())
        return {key: eval(output["data"]["text/plain"], {}) for key, output in saved.items()}


def executed_pages() -> list[str]:
    """Docnames of the pages MyST-NB executes (those declaring ``file_format: mystnb``)."""
    return sorted(
        path.relative_to(ROOT / "docs").with_suffix("").as_posix()
        for path in (ROOT / "docs").rglob("*.md")
        if "\nfile_format: mystnb\n" in path.read_text()[:200]
    )
