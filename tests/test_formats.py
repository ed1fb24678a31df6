"""The EPUB and PDF editions, built with the commands Read the Docs runs."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from latex_book import FRONT_MATTER_TITLE
from pypdf import PdfReader

from tests.book import (
    BuiltBook,
    Contents,
    book_contents,
    executed_pages,
    page_title,
    require_debian_packages,
    run_readthedocs_build,
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
    html = (built_book.html / "index.html").read_text()
    links = BeautifulSoup(html, "html.parser").select("nav.bd-docs-nav a")
    shown = [" ".join(link.get_text(" ", strip=True).split()) for link in links]
    for number, title, chapters in book_contents().parts:
        assert f"{number}. {title}" in shown
        for chapter_number, chapter_title in chapters:
            assert f"{chapter_number}. {chapter_title}" in shown


def test_epub_builds_with_zero_warnings_and_holds_every_page(epub_build: Path):
    with zipfile.ZipFile(epub_build / "epub" / "dlguide.epub") as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
        names = set(epub.namelist())
    for docname in executed_pages():
        assert f"EPUB/{docname}.xhtml" in names or f"{docname}.xhtml" in names, docname


def test_epub_navigation_has_the_parts_at_the_top_and_the_reference_after(epub_build: Path):
    nav, ncx = epub_outline(epub_build / "epub" / "dlguide.epub")
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


def test_pdf_builds_from_latex(tmp_path: Path):
    require_debian_packages(
        "latexmk",
        "texlive-latex-recommended",
        "texlive-latex-extra",
        "texlive-fonts-recommended",
        "texlive-xetex",
        "fonts-dejavu-core",
        "poppler-utils",  # pdfinfo and pdftotext, to read the PDF back
    )
    run_readthedocs_build("pdf", tmp_path)
    log = (tmp_path / "latex" / "dlguide.log").read_text(errors="replace")
    missing = sorted({line for line in log.splitlines() if line.startswith("Missing character")})
    assert not missing, "characters the PDF's fonts cannot show:\n" + "\n".join(missing)
    pdf = tmp_path / "pdf" / "dlguide.pdf"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) > 10
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", errors="replace")
    for title in ["What is deep learning?", "Activation functions", "Installing TensorFlow"]:
        assert title in text

    contents = book_contents()
    outline = pdf_outline(pdf)
    parts = parts_outline(contents, numbered=True)
    captions = [caption for caption, _ in contents.back]
    assert titles(outline) == [FRONT_MATTER_TITLE, *contents.front, *titles(parts), *captions]
    front = outline[: 1 + len(contents.front)]
    assert all(children == [] for _, children in front)
    for (part, chapters), (_, expected) in zip(outline[len(front) :], parts, strict=False):
        assert titles(chapters) == titles(expected), part
    for (caption, pages), (_, expected) in zip(
        outline[-len(captions) :], contents.back, strict=True
    ):
        assert titles(pages) == expected, caption
