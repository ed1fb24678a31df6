"""Text a cell prints reaches the page and the downloadable notebook once, in order.

A kernel sends printed text in chunks, split wherever it flushed. The page shows one
merged block (``nb_merge_streams``); the executed notebook keeps the chunks, and joined
they must be exactly what the cell printed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.the_book import build_fixture

pytestmark = pytest.mark.build

PRINTED = "first line\nsecond line\n"


@pytest.fixture(scope="module")
def chunked_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("printed-in-chunks")
    result = build_fixture("printed-in-chunks", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def printing_cell(book: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(book / "_sources" / "index.ipynb", as_version=4)
    return next(cell for cell in notebook.cells if cell.cell_type == "code")


def test_the_kernel_sent_the_text_in_more_than_one_chunk(chunked_page: Path):
    cell = printing_cell(chunked_page)
    assert len(cell.outputs) == 2, "the fixture no longer exercises split output"


def test_the_downloadable_notebook_holds_each_printed_line_once(chunked_page: Path):
    cell = printing_cell(chunked_page)
    assert "".join(output["text"] for output in cell.outputs) == PRINTED


def test_the_page_shows_the_printed_lines_in_one_block(chunked_page: Path):
    page = BeautifulSoup((chunked_page / "index.html").read_text(), "html.parser")
    blocks = [block.get_text() for block in page.select(".cell_output .output.stream pre")]
    assert blocks == [PRINTED]
