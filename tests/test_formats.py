"""The EPUB and PDF editions, built with the commands Read the Docs runs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.book import ROOT, executed_pages, readthedocs_commands, require_debian_packages

pytestmark = pytest.mark.build


def run_readthedocs_build(output_format: str, output: Path) -> str:
    """Run Read the Docs' commands for one format with this Python; return their log."""
    env = {
        **os.environ,
        "READTHEDOCS_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    log = []
    for command in readthedocs_commands(output_format):
        result = subprocess.run(
            command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        log.append(result.stdout + result.stderr)
        assert result.returncode == 0, f"{command}\n{log[-1][-6000:]}"
    return "\n".join(log)


def test_epub_builds_with_zero_warnings_and_holds_every_page(tmp_path: Path):
    log = run_readthedocs_build("epub", tmp_path)
    assert "build succeeded" in log
    with zipfile.ZipFile(tmp_path / "epub" / "dlguide.epub") as epub:
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
        "tex-gyre",
    )
    run_readthedocs_build("pdf", tmp_path)
    pdf = tmp_path / "pdf" / "dlguide.pdf"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) > 10
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    for title in ["What is deep learning?", "Activation functions", "Installing TensorFlow"]:
        assert title in text.stdout
