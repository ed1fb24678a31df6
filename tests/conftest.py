"""Shared fixtures: the book built once as Read the Docs builds it, and its code pasted.

The suite executes the book twice. ``built_book`` runs Read the Docs' HTML command into
a fresh folder (so every page executes, in warm kernels); ``epub_build`` and
``pdf_build`` then run Read the Docs' EPUB and PDF commands into the same folder, which
share its execution store and execute nothing. ``pasted_run`` is the second execution:
the code of each page, as its copy buttons copy it, run as a notebook in a fresh
ordinary kernel. Every build runs without network where the machine allows it.
``browser_audit`` loads every page of the HTML build in Chromium (tests/browser/audit.py).

These run in the background, in this order, from the moment the tests are collected:
the HTML build while the tiers that need no build run, then the pasted code (two
kernels), the browser audit, and the EPUB and PDF builds while the tests of the HTML
edition run. A fixture waits only for its own build, and the tests using ``pasted_run``
run last.

Each test is also marked with its tier, the folder it lives in (``-m unit``, ...).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.the_book import (
    ROOT,
    Build,
    BuiltBook,
    all_pages,
    executed_pages,
    require_tools,
    run_readthedocs_build,
    without_network,
)

if TYPE_CHECKING:
    import nbformat

TIERS = ("unit", "book", "formats", "browser", "engine", "project", "oldest")


@pytest.hookimpl(tryfirst=True)  # before -m selects tests by their tier
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test under tests/<tier>/ with its tier, and ``build`` if it needs the built
    book (so ``-m "not build"`` never starts the book's build); run those using
    ``pasted_run`` last.
    """
    items.sort(key=lambda item: "pasted_run" in getattr(item, "fixturenames", ()))
    for item in items:
        parts = item.path.relative_to(ROOT).parts
        if parts[0] == "tests" and parts[1] in TIERS:
            item.add_marker(parts[1])
        if "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker("build")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the builds the selected tests need (after -m, -k and --deselect), in the background."""
    config = session.config
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if "built_book" in used and not config.option.collectonly:
        formats_tier = any(item.get_closest_marker("formats") for item in session.items)
        formats = ["epub", "pdf"] if formats_tier else []
        output = config._tmp_path_factory.mktemp("readthedocs_output")
        threading.Thread(
            target=build_in_background,
            args=(output, "pasted_run" in used, "browser_audit" in used, formats),
            daemon=True,
        ).start()


BUILDS: dict[str, Future] = {name: Future() for name in ("html", "pasted", "audit", "epub", "pdf")}


def build_in_background(output: Path, pasted: bool, audit: bool, formats: list[str]) -> None:
    """Build the HTML; if it succeeded, start the pasted run and the browser audit;
    then build ``formats``.

    Each outcome goes to its future in ``BUILDS``, where a fixture waits for it.
    """
    settle("html", html_build, output)
    book = None if BUILDS["html"].exception() else BUILDS["html"].result()
    if pasted and book is not None and book.returncode == 0:
        (output / "pasted").mkdir()
        settle("pasted", start_pasted_run, book, output / "pasted")
    if audit and book is not None and book.returncode == 0:
        settle("audit", start_browser_audit, book, output / "audit")
    for output_format in formats:
        settle(output_format, formats_build, book, output_format)


def settle(name: str, function: Callable, *args: object) -> None:
    """Put what ``function(*args)`` returns, or the exception it raises, in ``BUILDS[name]``."""
    try:
        BUILDS[name].set_result(function(*args))
    except BaseException as error:  # pytest.fail raises a BaseException
        BUILDS[name].set_exception(error)


def html_build(output: Path) -> BuiltBook:
    """Read the Docs' HTML command into ``output``, in warm kernels: every page executes."""
    build = run_readthedocs_build("html", output, DLGUIDE_KERNELS="warm", PYTHONHASHSEED="0")
    return BuiltBook(build.returncode, build.log, output, build.offline)


@pytest.fixture(scope="session")
def built_book() -> Iterator[BuiltBook]:
    """The HTML build of the whole book (started when the tests were collected)."""
    book = BUILDS["html"].result(timeout=3600)
    yield book
    for name in ("pasted", "audit"):
        if BUILDS[name].done() and not BUILDS[name].exception():
            process = BUILDS[name].result()[0]
            if process.poll() is None:
                process.kill()


def formats_build(book: BuiltBook | None, output_format: str) -> Build:
    """Read the Docs' commands for ``output_format``, in the HTML build's folder."""
    assert book is not None and book.returncode == 0, (
        "the HTML build failed; see test_book_builds_with_zero_warnings"
    )
    build = run_readthedocs_build(output_format, book.output, PYTHONHASHSEED="0")
    assert build.returncode == 0, build.log[-6000:]
    return build


@pytest.fixture(scope="session")
def epub_build(built_book: BuiltBook) -> Build:
    """Read the Docs' EPUB build, after the HTML one and sharing its execution store."""
    return BUILDS["epub"].result(timeout=3600)


@pytest.fixture(scope="session")
def pdf_build(built_book: BuiltBook) -> Build:
    """Read the Docs' PDF build (LaTeX, then XeLaTeX), sharing the HTML's execution store."""
    require_tools("latexmk", "xelatex", "pdfinfo", "pdftotext")
    return BUILDS["pdf"].result(timeout=3600)


@dataclass
class PastedRun:
    """Each executed page's copied code, run as a notebook: ``<folder>/<page>/``."""

    folder: Path
    log: str
    offline: bool

    def executed(self, docname: str) -> nbformat.NotebookNode:
        """The page's pasted code with its outputs (the test fails with the error if any)."""
        import nbformat

        error = self.folder / docname / "error.txt"
        if error.is_file():
            pytest.fail(f"{docname}: the pasted code failed:\n{error.read_text()[-4000:]}")
        return nbformat.read(self.folder / docname / "executed.ipynb", as_version=4)


def start_pasted_run(book: BuiltBook, folder: Path) -> tuple[subprocess.Popen, bool]:
    """Start running every executed page's code as its copy buttons give it; return at once.

    The code comes from the built HTML; each page becomes a notebook of its copied cells
    only, run in a kernel started the ordinary way (the build used warm ones) in an
    empty folder, offline where allowed, the longest pages first, one per core.
    """
    import nbformat

    from tests.copied_code import code_as_copied

    pages = sorted(executed_pages(), key=book.run_seconds, reverse=True)
    for docname in pages:
        built = nbformat.read(book.notebooks / f"{docname}.ipynb", as_version=4)
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(code) for code in code_as_copied(book, docname)]
        )
        notebook.metadata["kernelspec"] = built.metadata["kernelspec"]
        (folder / docname).mkdir(parents=True)
        nbformat.write(notebook, folder / docname / "pasted.ipynb")
    command = [sys.executable, str(ROOT / "tests" / "run_pasted.py"), str(folder), *pages]
    wrapped = without_network(command)
    with (folder / "run.log").open("w") as log:
        process = subprocess.Popen(
            wrapped or command,
            cwd=folder,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, wrapped is not None


def start_browser_audit(book: BuiltBook, folder: Path) -> tuple[subprocess.Popen, Path]:
    """Start visiting every page of the HTML build in Chromium (tests/browser/audit.py).

    Returns at once: the process, which writes ``<folder>/<page>.json``, and ``folder``.
    """
    require_tools("chromium")
    folder.mkdir()
    command = [sys.executable, str(ROOT / "tests" / "browser" / "audit.py"), str(book.html)]
    with (folder / "audit.log").open("w") as log:
        process = subprocess.Popen(
            [*command, str(folder), *all_pages()], stdout=log, stderr=subprocess.STDOUT
        )
    return process, folder


@pytest.fixture(scope="session")
def browser_audit(built_book: BuiltBook) -> Path:
    """The folder of the browser audit's findings, one JSON file per page."""
    process, folder = BUILDS["audit"].result(timeout=60)
    returncode = process.wait(timeout=1800)
    assert returncode == 0, (folder / "audit.log").read_text()[-6000:]
    return folder


@pytest.fixture(scope="session")
def pasted_run(built_book: BuiltBook) -> PastedRun:
    """The pasted code's run, started in the background once the HTML was built."""
    assert built_book.returncode == 0, "the HTML build failed"
    process, offline = BUILDS["pasted"].result(timeout=60)
    returncode = process.wait(timeout=1800)
    log = (built_book.output / "pasted" / "run.log").read_text()
    assert returncode == 0, log[-6000:]
    return PastedRun(built_book.output / "pasted", log, offline)
