"""The book as the tests see it: its root, its Read the Docs build command, its build output."""

from __future__ import annotations

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

import pytest
import yaml

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
    """The result of one executed build of the whole book."""

    returncode: int
    log: str
    html: Path
    notebooks: Path
    offline: bool

    def glued(self, docname: str) -> dict[str, object]:
        """Values a page stored with ``myst_nb.glue``, as MyST-NB saved them."""
        saved = json.loads((self.notebooks / f"{docname}.glue.json").read_text())
        return {key: eval(output["data"]["text/plain"], {}) for key, output in saved.items()}


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


def run_readthedocs_build(output_format: str, output: Path, **variables: str) -> str:
    """Run Read the Docs' commands for one format with this Python; return their log.

    ``variables`` are added to the commands' environment.
    """
    env = {
        **os.environ,
        **variables,
        "READTHEDOCS_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    log = []
    for command in readthedocs_commands(output_format):
        result = subprocess.run(
            command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        log.append(result.stdout + result.stderr)
        assert result.returncode == 0, f"{command}\n{log[-1][-6000:]}"
    return "\n".join(log)


def without_network(command: list[str]) -> list[str] | None:
    """``command`` wrapped to run with loopback as its only network, or None if not allowed.

    ``unshare --net`` (root only) gives the command a network namespace of its own, whose
    loopback interface starts down; Jupyter kernels talk to the builder over 127.0.0.1,
    so the wrapper brings ``lo`` up first.
    """
    wrapper = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "offline"]
    if shutil.which("ip") is None:
        install_debian_packages("iproute2")  # a machine without it may still allow the rest
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return None
    probe = subprocess.run([*wrapper, "true"], capture_output=True, check=False)
    return [*wrapper, *command] if probe.returncode == 0 else None


def install_debian_packages(*packages: str) -> tuple[list[str], str]:
    """Install those of ``packages`` that are missing, if running as root with apt-get.

    Returns the packages still missing afterwards and the tail of apt-get's output.
    """

    def missing() -> list[str]:
        if shutil.which("dpkg-query") is None:
            return list(packages)
        return [
            package
            for package in packages
            if subprocess.run(
                ["dpkg-query", "-W", "-f=${Status}", package],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            != "install ok installed"
        ]

    apt_log = ""
    if missing() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["update"], ["install", "-y", "--no-install-recommends", *missing()]):
            result = subprocess.run(
                ["apt-get", "-q", *command], capture_output=True, text=True, env=env, check=False
            )
            apt_log += result.stdout[-1000:] + result.stderr[-2000:]
    return missing(), apt_log


def require_debian_packages(*packages: str) -> None:
    """Install missing Debian packages (as root, with apt-get); skip or fail if impossible.

    On a reader's machine a test that needs them is skipped with a message saying what
    to install; under ``CI=true`` a package that cannot be installed fails the test.
    """
    absent, apt_log = install_debian_packages(*packages)
    if absent:
        message = f"needs the Debian packages {' '.join(absent)} (apt-get install them as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}\n{apt_log}")
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
