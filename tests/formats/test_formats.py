"""The EPUB and PDF editions, built with the commands Read the Docs runs."""

from __future__ import annotations

import re
import subprocess
import zipfile
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree

import pytest
from latex_book import FRONT_MATTER_TITLE
from pypdf import PdfReader

from tests.the_book import (
    Build,
    BuiltBook,
    Contents,
    book_contents,
    executed_pages,
    page_title,
)

pytestmark = pytest.mark.build

Outline = list[tuple[str, "Outline"]]


def titles(outline: Outline) -> list[str]:
    """The titles of the top level of ``outline``."""
    return [title for title, _ in outline]


def parts_outline(contents: Contents, numbered: bool) -> Outline:
    """The parts with their chapters, numbered as the PDF shows them ("1.2 Activation
    functions") or, without ``numbered``, with the bare titles the EPUB shows.
    """

    def label(number: str, title: str) -> str:
        return f"{number} {title}" if numbered else title

    return [
        (label(number, title), [(label(*chapter), []) for chapter in chapters])
        for number, title, chapters in contents.parts
    ]


def pdf_outline(pdf: Path) -> Outline:
    """The PDF's bookmarks as (title, children) trees, as pypdf reads them."""

    def tree(items: list) -> Outline:
        result: Outline = []
        for item in items:
            if isinstance(item, list):  # the children of the item before it
                result[-1][1].extend(tree(item))
            else:
                result.append((item.title, []))
        return result

    return tree(PdfReader(pdf).outline)


def pdf_bookmark_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) each bookmark of the PDF leads to, by the bookmark's title."""
    reader = PdfReader(pdf)

    def pages(items: list) -> dict[str, int]:
        found = {}
        for item in items:
            if isinstance(item, list):
                found |= pages(item)
            else:
                found[item.title] = reader.get_destination_page_number(item) + 1
        return found

    return pages(reader.outline)


def epub_outline(epub: Path) -> tuple[Outline, Outline]:
    """The EPUB's navigation: from the EPUB 3 ``nav.xhtml`` and the EPUB 2 ``toc.ncx``."""
    xhtml, ncx = "{http://www.w3.org/1999/xhtml}", "{http://www.daisy.org/z3986/2005/ncx/}"

    def text(element: ElementTree.Element) -> str:
        return " ".join("".join(element.itertext()).split())

    def nav_tree(ol: ElementTree.Element | None) -> Outline:
        items = [] if ol is None else ol.findall(f"{xhtml}li")
        return [(text(li.find(f"{xhtml}a")), nav_tree(li.find(f"{xhtml}ol"))) for li in items]

    def ncx_tree(parent: ElementTree.Element) -> Outline:
        points = parent.findall(f"{ncx}navPoint")
        return [(text(point.find(f"{ncx}navLabel")), ncx_tree(point)) for point in points]

    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        nav = ElementTree.fromstring(archive.read(next(n for n in names if "nav.x" in n)))
        toc = ElementTree.fromstring(archive.read(next(n for n in names if "toc.ncx" in n)))
    return nav_tree(nav.find(f".//{xhtml}nav/{xhtml}ol")), ncx_tree(toc.find(f"{ncx}navMap"))


def test_html_numbers_parts_and_chapters_as_the_contents_say(built_book: BuiltBook):
    links = built_book.page("index").select("nav.bd-docs-nav a")
    shown = [" ".join(link.get_text(" ", strip=True).split()) for link in links]
    for number, title, chapters in book_contents().parts:
        assert f"{number}. {title}" in shown
        for chapter_number, chapter_title in chapters:
            assert f"{chapter_number}. {chapter_title}" in shown


@pytest.mark.parametrize("output_format", ["epub", "pdf"])
def test_epub_and_pdf_builds_reuse_the_html_builds_executions(
    request: pytest.FixtureRequest, output_format: str
):
    build: Build = request.getfixturevalue(f"{output_format}_build")
    assert "reading sources..." in build.log
    assert not re.search(r"^(executing|executed|failed) ", build.log, re.MULTILINE), build.log


def test_epub_builds_with_zero_warnings_and_holds_every_page(
    built_book: BuiltBook, epub_build: Build
):
    with zipfile.ZipFile(built_book.output / "epub" / "dlguide.epub") as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
        names = set(epub.namelist())
    for docname in executed_pages():
        assert f"EPUB/{docname}.xhtml" in names or f"{docname}.xhtml" in names, docname


def test_epub_navigation_has_the_parts_at_the_top_and_the_reference_after(
    built_book: BuiltBook, epub_build: Build
):
    nav, ncx = epub_outline(built_book.output / "epub" / "dlguide.epub")
    contents = book_contents()
    parts = parts_outline(contents, numbered=False)
    reference = [title for _, pages in contents.back for title in pages]
    # toc.ncx repeats each entry that has children as its first child (epub_tocdup).
    for outline, repeats_parent in [(nav, False), (ncx, True)]:
        assert titles(outline) == [page_title("index"), *titles(parts), *reference]
        for (part, chapters), (_, expected) in zip(outline[1:], parts, strict=False):
            shown = titles(chapters)[1:] if repeats_parent else titles(chapters)
            assert shown == titles(expected), part
        if repeats_parent:
            assert all(titles(children)[:1] == [title] for title, children in outline if children)


def pdf_page_text(pdf: Path, number: int) -> str:
    """The text of page ``number`` (from 1) as pdftotext reads it, spaces collapsed."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), pdf, "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", errors="replace")
    return " ".join(text.split())


def test_pdf_builds_from_latex(built_book: BuiltBook, pdf_build: Build):
    log = (built_book.output / "latex" / "dlguide.log").read_text(errors="replace")
    missing = sorted({line for line in log.splitlines() if line.startswith("Missing character")})
    assert not missing, "characters the PDF's fonts cannot show:\n" + "\n".join(missing)
    pdf = built_book.output / "pdf" / "dlguide.pdf"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) > 10
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", errors="replace")
    for title in ["What is deep learning?", "Activation functions", "Installing TensorFlow"]:
        assert title in text


def test_pdf_outline_has_front_matter_numbered_parts_and_the_reference(
    built_book: BuiltBook, pdf_build: Build
):
    contents = book_contents()
    outline = pdf_outline(built_book.output / "pdf" / "dlguide.pdf")
    parts = parts_outline(contents, numbered=True)
    captions = [caption for caption, _ in contents.back]
    assert titles(outline) == [FRONT_MATTER_TITLE, *contents.front, *titles(parts), *captions]
    front = outline[: 1 + len(contents.front)]
    assert all(children == [] for _, children in front)
    for (part, chapters), (_, expected) in zip(outline[len(front) :], parts, strict=False):
        assert titles(chapters) == titles(expected), part
    back = [title for _, pages in outline[-len(captions) :] for title in titles(pages)]
    # The bibliography sits in its page (latex_book moves it there); LaTeX's index ends the book.
    assert back == [*(title for _, pages in contents.back for title in pages), "Index"]


def test_pdf_has_a_title_page_and_running_headers_naming_the_chapter(
    built_book: BuiltBook, pdf_build: Build
):
    pdf = built_book.output / "pdf" / "dlguide.pdf"
    title_page = pdf_page_text(pdf, 1)
    assert "dlguide: deep learning, TensorFlow and Transformers" in title_page
    assert f"Version {version('dlguide')}" in title_page and "Release" not in title_page
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", title_page)  # the date of the build
    pages = pdf_bookmark_pages(pdf)
    for _, _, chapters in book_contents().parts:
        for number, title in chapters:
            second_page = pages[f"{number} {title}"] + 1
            assert pdf_page_text(pdf, second_page).startswith(f"Chapter {number}. {title}")
