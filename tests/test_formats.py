"""The EPUB and PDF editions, built with the commands Read the Docs runs."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.book import executed_pages, require_debian_packages, run_readthedocs_build

pytestmark = pytest.mark.build


def test_epub_builds_with_zero_warnings_and_holds_every_page(epub_build: Path):
    with zipfile.ZipFile(epub_build / "epub" / "dlguide.epub") as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
        names = set(epub.namelist())
    for docname in executed_pages():
        assert f"EPUB/{docname}.xhtml" in names or f"{docname}.xhtml" in names, docname


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
