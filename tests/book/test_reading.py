"""What a reader gets from the built book: run times, downloads, headings, links.

That the code pasted from each page runs is tests/book/test_determinism.py's job.
"""

from __future__ import annotations

import itertools
import json

import nbformat
import numpy
import pytest
from nbclient import NotebookClient

from tests.the_book import ROOT, BuiltBook, all_pages, executed_pages

EXECUTED = executed_pages()
pytestmark = pytest.mark.build


def test_every_executed_page_is_found():
    assert "foundations/activation-functions" in EXECUTED
    assert "api" not in EXECUTED


@pytest.mark.parametrize("docname", EXECUTED)
def test_header_states_the_measured_run_time(built_book: BuiltBook, docname: str):
    header = built_book.page(docname).select_one("div.admonition.tip")
    assert header.select_one("p.admonition-title").get_text() == "On this page"
    run_time = header.find("strong", string="Run time:")
    assert run_time is not None, f"{docname}: no run time in the header"
    seconds = float(run_time.parent.get_text().split(" ran in ")[1].split(" s ")[0])
    assert seconds == pytest.approx(built_book.run_seconds(docname), abs=0.05)


@pytest.mark.parametrize("docname", EXECUTED)
def test_header_states_the_versions_the_page_ran_with(built_book: BuiltBook, docname: str):
    header = built_book.page(docname).select_one("div.admonition.tip")
    built_with = header.find("strong", string="Built with:")
    assert built_with is not None, f"{docname}: no versions in the header"
    versions = built_with.parent.get_text().removeprefix("Built with: ").removesuffix(".")
    names = [version.rsplit(" ", 1)[0] for version in versions.split(", ")]
    assert names == ["Python", "TensorFlow", "Keras", "NumPy"], versions
    assert f"NumPy {numpy.__version__}" in versions


@pytest.mark.parametrize("docname", EXECUTED)
def test_download_menu_offers_the_executed_notebook(built_book: BuiltBook, docname: str):
    link = built_book.page(docname).select_one("a.btn-download-notebook-button")
    notebook_path = (built_book.html / docname).parent / link["href"]
    notebook = nbformat.read(notebook_path, as_version=4)
    nbformat.validate(notebook)
    assert any(cell.get("outputs") for cell in notebook.cells), f"{docname}: no outputs"
    source = built_book.page(docname).select_one("a.btn-download-source-button")
    assert ((built_book.html / docname).parent / source["href"]).read_text() == (
        ROOT / "docs" / f"{docname}.md"
    ).read_text()


def printed(notebook: nbformat.NotebookNode) -> list[str]:
    """What each code cell printed to stdout, joined (a kernel may send it in chunks).

    stderr holds TensorFlow's start-up logs, so it is not compared.
    """
    return [
        "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def test_a_downloaded_notebook_runs_again_and_prints_the_same(built_book: BuiltBook, tmp_path):
    downloaded = built_book.html / "_sources" / "foundations" / "activation-functions.ipynb"
    notebook = nbformat.read(downloaded, as_version=4)
    rerun = nbformat.from_dict(json.loads(json.dumps(notebook)))
    NotebookClient(rerun, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert any(printed(notebook))
    assert printed(rerun) == printed(notebook)


def test_execution_statistics_list_every_executed_page(built_book: BuiltBook):
    table = built_book.page("execution-statistics").select_one("table")
    header = [cell.get_text().strip() for cell in table.select("thead th")]
    status, versions = header.index("Status"), header.index("Versions")
    rows = [[cell.get_text() for cell in row.select("td")] for row in table.select("tbody tr")]
    assert {row[0]: row[status] for row in rows} == dict.fromkeys(EXECUTED, "✅")
    for row in rows:
        assert f"NumPy {numpy.__version__}" in row[versions], row


ALL_PAGES = all_pages()


@pytest.mark.parametrize("docname", ALL_PAGES)
def test_headings_go_down_one_level_at_a_time(built_book: BuiltBook, docname: str):
    article = built_book.page(docname).select_one("article")
    levels = [int(h.name[1]) for h in article.select("h1, h2, h3, h4, h5, h6")]
    assert levels[0] == 1 and levels.count(1) == 1, f"{docname}: {levels}"
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, f"{docname}: h{previous} followed by h{current}"


@pytest.mark.parametrize("docname", EXECUTED)
def test_page_ends_with_summary_exercises_and_references(built_book: BuiltBook, docname: str):
    article = built_book.page(docname).select_one("article")
    sections = [h.get_text().rstrip("#").strip() for h in article.select("h2")]
    assert sections[-3:] == ["Summary", "Exercises", "References"], f"{docname}: {sections}"


@pytest.mark.parametrize("docname", EXECUTED)
def test_exercises_are_numbered_within_their_chapter(built_book: BuiltBook, docname: str):
    soup = built_book.page(docname)
    chapter = soup.select_one("article h1 .section-number").get_text().strip().rstrip(".")
    numbers = [
        span.get_text().split()[1]
        for span in soup.select("p.admonition-title > span.caption-number")
        if span.get_text().startswith("Exercise")
    ]
    assert numbers, f"{docname} has no exercises"
    assert numbers == [f"{chapter}.{i}" for i in range(1, len(numbers) + 1)]


@pytest.mark.parametrize("docname", EXECUTED)
def test_page_links_each_dlguide_function_it_uses_to_the_api_reference(
    built_book: BuiltBook, docname: str
):
    # Imported here: the extension needs Sphinx, which the oldest-versions run
    # (test_supported_versions, `pytest -m "not build"` without the docs extra) lacks.
    from package_links import imported_names

    links = {
        a["href"].split("#")[-1] for a in built_book.page(docname).select("a[href*='api.html#']")
    }
    source = (ROOT / "docs" / f"{docname}.md").read_text()
    assert set(imported_names(source)) - links == set()
