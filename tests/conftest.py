"""Shared fixtures: the executed book, built once per test session."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """Run Read the Docs' build command, with forced execution, into a fresh folder."""
    output = tmp_path_factory.mktemp("readthedocs_output")
    command = [
        arg.replace("$READTHEDOCS_OUTPUT", str(output)) for arg in readthedocs_html_command()
    ]
    assert command[:3] == ["python", "-m", "sphinx"], command
    command = [sys.executable, *command[1:], "-D", "nb_execution_mode=force"]
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    return BuiltBook(
        returncode=result.returncode,
        log=result.stdout + result.stderr,
        html=output / "html",
        notebooks=output / "jupyter_execute",
    )
