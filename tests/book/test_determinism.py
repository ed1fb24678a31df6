"""Two independent executions of the book's code print the same thing.

The HTML build runs every page in warm kernels (forked from a server that imported
TensorFlow); ``pasted_run`` runs each page's code as a reader copies it from the
built page, in a fresh kernel started the ordinary way, in an empty folder, offline.
So each page's visible code runs on its own (nothing it needs hides in a removed
cell), without network, and prints output for output what the build printed: a
number on a page is the same number every time the book is built.

Ignored, and why:
- stderr streams: TensorFlow's C++ start-up lines carry timestamps and process ids.
- cells tagged ``timing``: they print measured speeds, which vary from run to run by
  nature; the ratios they show are claims about speed, not results to reproduce.
- cells the page hides (``remove-cell``, ``remove-input``): they have no copy button,
  so the pasted run does not have them.
"""

from __future__ import annotations

import hashlib

import nbformat
import pytest

from tests.conftest import PastedRun
from tests.copied_code import built_cells, code_as_copied
from tests.the_book import BuiltBook, executed_pages, require_offline

pytestmark = pytest.mark.build


def reproducible_outputs(cells: list[nbformat.NotebookNode]) -> list[tuple[int, str, str]]:
    """(cell number, kind, content) of every output that must repeat exactly.

    A cell's stdout is compared as one text: how it is split into stream outputs
    depends on when the kernel flushed, not on what the code printed.
    """
    outputs = []
    for number, cell in enumerate(cells, start=1):
        stdout = "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")
        if stdout:
            outputs.append((number, "stdout", stdout))
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                content = data if isinstance(data, str) else str(data)
                if mime.startswith("image/"):
                    content = hashlib.sha256(content.encode()).hexdigest()
                outputs.append((number, mime, content))
    return outputs


def test_the_pasted_code_ran_without_network(pasted_run: PastedRun):
    require_offline(pasted_run.offline, "the pasted code")
    assert "failed in" not in pasted_run.log, pasted_run.log[-4000:]


@pytest.mark.parametrize("docname", executed_pages())
def test_code_pasted_from_the_page_runs_alone_and_prints_what_the_build_printed(
    built_book: BuiltBook, pasted_run: PastedRun, docname: str
):
    copied = code_as_copied(built_book, docname)
    assert copied, f"{docname} shows no code"
    pasted = [cell for cell in pasted_run.executed(docname).cells if cell.cell_type == "code"]
    built = built_cells(built_book, docname, copied)
    assert [cell.source for cell in pasted] == copied
    compared = [
        (ours, theirs)
        for ours, theirs in zip(built, pasted, strict=True)
        if "timing" not in ours.metadata.get("tags", [])
    ]
    first = reproducible_outputs([ours for ours, _ in compared])
    second = reproducible_outputs([theirs for _, theirs in compared])
    assert first, f"{docname}: no outputs to compare"
    assert first == second
