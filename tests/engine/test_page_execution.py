"""Which pages a rebuild executes: exactly those whose code or package code changed.

The fixture book ``tests/fixtures/package-book`` has three pages and a package,
``fixturepkg``: ``alpha-page`` imports ``fixturepkg.alpha``, which imports
``fixturepkg.base`` (relatively); ``beta-page`` imports ``fixturepkg.beta`` with
``from fixturepkg import beta``; ``plain-page`` imports nothing of the package.
Each build below runs on a copy of it with the book's conf.py and ``-j 2``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.the_book import FIXTURES, ROOT, BuiltBook, executed_pages

sys.path.insert(0, str(ROOT / "_ext"))

from package_imports import closure, imported_modules, module_files

EXECUTED = re.compile(r"^executed (\S+) in [\d.]+ s", re.MULTILINE)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A fresh copy of the fixture book, importable as ``fixturepkg``."""
    shutil.copytree(FIXTURES / "package-book", tmp_path / "book")
    return tmp_path / "book"


def build(book: Path, *options: str) -> set[str]:
    """Build the copied book in cache mode; return the pages it executed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(book), str(ROOT / "src")])}
    result = subprocess.run(
        [
            *[sys.executable, "-m", "sphinx", "-b", "html", "-c", str(ROOT), str(book)],
            *[str(book / "_build" / "html"), "-W", "--keep-going", "-n", "-T", "-j", "2"],
            *["-D", "execution_packages=fixturepkg", "-D", "execution_kernels=ordinary"],
            *options,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    return set(EXECUTED.findall(log))


def printed(book: Path, docname: str) -> str:
    """What the page's code printed, as the built page's notebook holds it."""
    notebook = json.loads((book / "_build" / "jupyter_execute" / f"{docname}.ipynb").read_text())
    return "".join(
        "".join(output["text"])
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_import_graph_follows_relative_and_from_package_imports():
    sys.path.insert(0, str(FIXTURES / "package-book"))
    try:
        files = module_files("fixturepkg")
        alpha = closure("from fixturepkg.alpha import alpha", "fixturepkg", files)
        beta = closure("from fixturepkg import beta", "fixturepkg", files)
        plain = closure("import numpy as np\nprint(3)", "fixturepkg", files)
    finally:
        sys.path.remove(str(FIXTURES / "package-book"))
    assert list(alpha) == ["fixturepkg", "fixturepkg.alpha", "fixturepkg.base"]
    assert list(beta) == ["fixturepkg", "fixturepkg.beta"]
    assert plain == {}


def test_upgrading_tensorflow_keras_numpy_or_python_makes_every_page_stale(monkeypatch):
    import nbformat
    import page_execution

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    key = page_execution.page_key(notebook, ["dlguide"])
    assert page_execution.page_key(notebook, ["dlguide"]) == key
    for name in ["python", "tensorflow", "keras", "numpy"]:
        upgraded = {**page_execution.ENVIRONMENT, name: "99.0"}
        monkeypatch.setattr(page_execution, "ENVIRONMENT", upgraded)
        assert page_execution.page_key(notebook, ["dlguide"]) != key, name
        monkeypatch.undo()


def test_cell_magics_do_not_hide_imports():
    code = "%matplotlib inline\n!echo hi\nimport dlguide.data as d\nfrom dlguide import mlp"
    assert imported_modules(code, "dlguide") == {
        "dlguide",
        "dlguide.data",
        "dlguide.mlp",
    }


@pytest.mark.build
def test_rebuilds_execute_exactly_the_pages_whose_code_or_package_code_changed(book: Path):
    assert build(book) == {"alpha-page", "beta-page", "plain-page"}
    assert build(book) == set()

    # Each build below makes two edits that touch different pages, to check both rules at once.
    edit(book / "fixturepkg" / "base.py", "VALUE = 1", "VALUE = 41")
    edit(book / "plain-page.md", "Some prose.", "Some edited prose.")
    assert build(book) == {"alpha-page"}  # through alpha's relative import; prose runs nothing
    assert printed(book, "alpha-page") == "alpha 42\n"

    edit(book / "fixturepkg" / "beta.py", "return 2", "return 3")
    edit(book / "plain-page.md", 'print("plain", 3)', 'print("plain", 4)')
    assert build(book) == {"beta-page", "plain-page"}
    assert printed(book, "beta-page") == "beta 3\n"
    assert printed(book, "plain-page") == "plain 4\n"

    edit(book / "fixturepkg" / "__init__.py", '"""A package', '"""The package')
    assert build(book) == {"alpha-page", "beta-page"}


@pytest.mark.build
def test_the_build_console_shows_progress_and_one_line_per_page_but_no_runtime_noise(
    built_book: BuiltBook,
):
    noise = ["absl::", "cuInit", "CUDA", "cuda_", "oneDNN", "cpu_feature", "without encryption"]
    for word in noise:
        assert word not in built_book.log, f"{word!r} in the build's console"
    assert set(EXECUTED.findall(built_book.log)) == set(executed_pages())
    assert "reading sources..." in built_book.log
