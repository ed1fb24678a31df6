"""The book as the tests see it: its root, its Read the Docs build command, its build output."""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def readthedocs_commands(output_format: str) -> list[str]:
    """The commands .readthedocs.yaml runs to build ``html``, ``epub`` or ``pdf``."""
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    return config["build"]["jobs"]["build"][output_format]


def readthedocs_html_command() -> list[str]:
    """The HTML build command from .readthedocs.yaml, split into arguments."""
    (command,) = readthedocs_commands("html")
    return shlex.split(command)


@dataclass
class BuiltBook:
    """The HTML build of the whole book, as Read the Docs runs it, in ``output``."""

    returncode: int
    log: str
    output: Path
    offline: bool

    @property
    def html(self) -> Path:
        """The HTML edition."""
        return self.output / "html"

    @property
    def notebooks(self) -> Path:
        """The executed notebooks MyST-NB wrote, one per executed page."""
        return self.output / "jupyter_execute"

    def page(self, docname: str) -> BeautifulSoup:
        """The built HTML page, parsed once per test session: read it, do not change it."""
        return parsed_html(self.html / f"{docname}.html")

    def run_seconds(self, docname: str) -> float:
        """How long the page took to execute, as the build's execution store recorded it."""
        record = self.output / ".execution_cache" / f"{docname}.json"
        return json.loads(record.read_text())["seconds"]

    def glued(self, docname: str) -> dict[str, object]:
        """Values a page stored with ``myst_nb.glue``, as MyST-NB saved them."""
        saved = json.loads((self.notebooks / f"{docname}.glue.json").read_text())
        return {key: eval(output["data"]["text/plain"], {}) for key, output in saved.items()}


@functools.cache
def parsed_html(path: Path) -> BeautifulSoup:
    """The HTML file at ``path``, parsed (about 0.15 s of CPU for one of the book's pages)."""
    from bs4 import BeautifulSoup  # not installed for the oldest-versions run

    return BeautifulSoup(path.read_text(), "html.parser")


def all_pages() -> list[str]:
    """Docnames of every page of the book."""
    return sorted(
        path.relative_to(ROOT / "docs").with_suffix("").as_posix()
        for path in (ROOT / "docs").rglob("*.md")
    )


def executed_pages() -> list[str]:
    """Docnames of the pages MyST-NB executes (those declaring ``file_format: mystnb``)."""
    return [
        docname
        for docname in all_pages()
        if "\nfile_format: mystnb\n" in (ROOT / "docs" / f"{docname}.md").read_text()[:200]
    ]


def page_title(docname: str) -> str:
    """A page's title as plain text: its level-1 heading without code markup."""
    for line in (ROOT / "docs" / f"{docname}.md").read_text().splitlines():
        if line.startswith("# "):
            return line.removeprefix("# ").replace("`", "").strip()
    raise ValueError(f"docs/{docname}.md has no level-1 heading")


def toctrees(docname: str) -> list[tuple[dict[str, str], list[str]]]:
    """The toctrees of a page, in order: each one's options and its entries as docnames."""
    text = (ROOT / "docs" / f"{docname}.md").read_text()
    folder = posixpath.dirname(docname)
    result = []
    for block in re.findall(r"^```\{toctree\}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        options = dict(line[1:].split(":", 1) for line in lines if line.startswith(":"))
        entries = [posixpath.join(folder, line) for line in lines if not line.startswith(":")]
        result.append(({key: value.strip() for key, value in options.items()}, entries))
    return result


@dataclass
class Contents:
    """The book's table of contents, read from the toctrees of its sources.

    ``parts`` holds each part of the numbered toctree as (number, title, chapters), each
    chapter as (number, title), numbered as Sphinx numbers them in the HTML: part 2 is
    "2" and its third page "2.3". ``back`` holds each other toctree as (caption, titles).
    """

    front: list[str]
    parts: list[tuple[str, str, list[tuple[str, str]]]]
    back: list[tuple[str, list[str]]]


def book_contents() -> Contents:
    """The table of contents the HTML shows, from ``docs/index.md`` and the part pages."""
    home = (ROOT / "docs" / "index.md").read_text()
    front = [line.removeprefix("## ").strip() for line in home.splitlines() if line[:3] == "## "]
    parts, back = [], []
    for options, entries in toctrees("index"):
        if "numbered" not in options:
            back.append((options["caption"], [page_title(docname) for docname in entries]))
            continue
        for part_number, part in enumerate(entries, start=1):
            (_, chapters), *_ = toctrees(part)
            numbered = [
                (f"{part_number}.{number}", page_title(chapter))
                for number, chapter in enumerate(chapters, start=1)
            ]
            parts.append((str(part_number), page_title(part), numbered))
    return Contents(front, parts, back)


PROVISION = ".ci/provision"  # installs the system tools the tests use (run it as root)


def require_tools(*commands: str) -> None:
    """Fail, naming the script that installs them, unless every command in ``commands`` exists."""
    missing = [command for command in commands if shutil.which(command) is None]
    if missing:
        pytest.fail(f"{' '.join(missing)} not found: install them with `sudo {PROVISION}`")


def run_readthedocs_build(output_format: str, output: Path, **variables: str) -> Build:
    """Run Read the Docs' commands for one format with this Python, offline where allowed.

    The commands run one after the other and stop at the first that fails. ``variables``
    are added to their environment.
    """
    env = {
        **os.environ,
        **variables,
        "READTHEDOCS_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    log, returncode, offline = [], 0, True
    for command in readthedocs_commands(output_format):
        shell = ["sh", "-c", command]
        wrapped = without_network(shell)
        offline = offline and wrapped is not None
        result = subprocess.run(
            wrapped or shell, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        log.append(f"$ {command}\n{result.stdout}{result.stderr}")
        returncode = result.returncode
        if returncode != 0:
            break
    return Build(returncode, "\n".join(log), offline)


@dataclass
class Build:
    """What running a build's commands gave: exit status, console, and whether offline."""

    returncode: int
    log: str
    offline: bool


def without_network(command: list[str]) -> list[str] | None:
    """``command`` wrapped to run with loopback as its only network, or None if not allowed.

    ``unshare --net`` (root only) gives the command a network namespace of its own, whose
    loopback interface starts down; kernels started by hand may talk over 127.0.0.1,
    so the wrapper brings ``lo`` up first.
    """
    require_tools("unshare", "ip")
    wrapper = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "offline"]
    probe = subprocess.run([*wrapper, "true"], capture_output=True, check=False)
    return [*wrapper, *command] if probe.returncode == 0 else None


def require_offline(offline: bool, what: str) -> None:
    """Fail under ``CI=true``, else skip, if ``what`` could not run without network."""
    if not offline:
        message = f"unshare --net is not allowed here, so {what} ran with the network on"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def processes_of_build(build: Path) -> list[str]:
    """Command lines of the processes started for the build in ``build`` still running.

    The build marks its kernels (and the warm kernel server) with ``DLGUIDE_BUILD``.
    """
    mark = f"DLGUIDE_BUILD={build.resolve()}".encode()
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if mark in (process / "environ").read_bytes().split(b"\0"):
                found.append((process / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue  # ended meanwhile, or not ours to read
    return found


def build_fixture(
    name: str, output: Path, *options: str, kernels: str = "warm"
) -> subprocess.CompletedProcess:
    """Build the one-page book ``tests/fixtures/<name>`` with the real build's flags.

    ``kernels`` is ``"warm"`` (forked from a server that imported NumPy only, to keep
    the fixtures fast) or ``"ordinary"``.
    """
    flags = ["-W", "--keep-going", "-n", "-T"]  # the real build's, less -j for one page
    assert set(flags) <= set(readthedocs_html_command())
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-c",
            str(ROOT),
            str(FIXTURES / name),
            str(output),
            *flags,
            "-D",
            "nb_execution_mode=force",
            *["-D", f"execution_kernels={kernels}", "-D", "execution_warm_modules=numpy"],
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
