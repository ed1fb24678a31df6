"""Two independent executions of the book print the same thing.

The HTML build (forced execution, warm kernels forked from a server that imported
TensorFlow) and the EPUB build (its own, cold execution cache, ordinary kernels) each run
every page in fresh kernels. Their executed notebooks must agree output for output,
so a number on a page is the same number every time the book is built.

Ignored, and why:
- stderr streams: TensorFlow's C++ start-up lines carry timestamps and process ids.
- cells tagged ``timing``: they print measured speeds, which vary from run to run by
  nature; the ratios they show are claims about speed, not results to reproduce.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from tests.book import BuiltBook, executed_pages

pytestmark = pytest.mark.build


def reproducible_outputs(notebook_path: Path) -> list[tuple[int, str, str]]:
    """(cell index, kind, content) of every output that must repeat exactly.

    A cell's stdout is compared as one text: how it is split into stream outputs
    depends on when the kernel flushed, not on what the code printed.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    outputs = []
    for index, cell in enumerate(notebook.cells):
        if "timing" in cell.metadata.get("tags", []):
            continue
        stdout = "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")
        if stdout:
            outputs.append((index, "stdout", stdout))
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                content = data if isinstance(data, str) else str(data)
                if mime.startswith("image/"):
                    content = hashlib.sha256(content.encode()).hexdigest()
                outputs.append((index, mime, content))
    return outputs


@pytest.mark.parametrize("docname", executed_pages())
def test_two_builds_print_the_same_outputs(built_book: BuiltBook, epub_build: Path, docname):
    first = reproducible_outputs(built_book.notebooks / f"{docname}.ipynb")
    second = reproducible_outputs(epub_build / "jupyter_execute" / f"{docname}.ipynb")
    assert first, f"{docname}: no outputs to compare"
    assert first == second
