"""Each executed page states the versions its kernel ran, in its header and the statistics.

The fixture ``tests/fixtures/versions`` is one page with an "On this page" header, a
cell that imports NumPy, and an execution statistics table.
"""

from __future__ import annotations

import platform
from pathlib import Path

import keras
import nbformat
import numpy
import pytest
import tensorflow
from bs4 import BeautifulSoup

from tests.the_book import build_fixture

pytestmark = pytest.mark.build

# What the build's kernels run: the interpreter and libraries of this very environment.
VERSIONS = (
    f"Python {platform.python_version()}, TensorFlow {tensorflow.__version__}, "
    f"Keras {keras.__version__}, NumPy {numpy.__version__}"
)


@pytest.fixture(scope="module", params=["warm", "ordinary"])
def built_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp(f"versions-{request.param}")
    result = build_fixture("versions", output, kernels=request.param)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def soup(book: Path) -> BeautifulSoup:
    return BeautifulSoup((book / "index.html").read_text(), "html.parser")


def test_the_header_states_the_kernels_versions(built_page: Path):
    header = soup(built_page).select_one("div.admonition.tip")
    built_with = header.find("strong", string="Built with:")
    assert built_with is not None, header.get_text()
    assert built_with.parent.get_text() == f"Built with: {VERSIONS}."


def test_the_statistics_table_lists_the_versions(built_page: Path):
    rows = [
        [cell.get_text().strip() for cell in row.find_all(["th", "td"])]
        for row in soup(built_page).select("table tr")
    ]
    assert rows[0][-1] == "Versions"
    assert [row[0] for row in rows[1:]] == ["index"]
    assert rows[1][-1] == VERSIONS


def test_asking_for_versions_adds_no_cell_and_no_output(built_page: Path):
    notebook = nbformat.read(built_page / "_sources" / "index.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1]
    assert code[0].outputs == [nbformat.v4.new_output("stream", name="stdout", text="3\n")]
    assert notebook.metadata["dlguide"]["versions"]["NumPy"] == numpy.__version__
