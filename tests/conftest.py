"""Shared fixtures: the executed book, built once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.book import (
    ROOT,
    BuiltBook,
    readthedocs_html_command,
    require_debian_packages,
    run_readthedocs_build,
    without_network,
)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """Run Read the Docs' build command, with forced execution, into a fresh folder.

    Where the machine allows it, the build runs with no network but loopback, which
    proves that no page, extension or theme needs the network.
    """
    output = tmp_path_factory.mktemp("readthedocs_output")
    command = [
        arg.replace("$READTHEDOCS_OUTPUT", str(output)) for arg in readthedocs_html_command()
    ]
    assert command[:3] == ["python", "-m", "sphinx"], command
    command = [sys.executable, *command[1:], "-D", "nb_execution_mode=force"]
    offline_command = without_network(command)
    result = subprocess.run(
        offline_command or command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    return BuiltBook(
        returncode=result.returncode,
        log=result.stdout + result.stderr,
        html=output / "html",
        notebooks=output / "jupyter_execute",
        offline=offline_command is not None,
    )


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read the Docs' EPUB build, into a fresh folder: a second, independent execution.

    It runs the pages in ordinary kernels, where the HTML build uses warm (forked)
    ones, so comparing the two also proves that warm kernels print the same outputs.
    """
    output = tmp_path_factory.mktemp("readthedocs_epub_output")
    run_readthedocs_build("epub", output, DLGUIDE_KERNELS="ordinary")
    return output


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read the Docs' PDF build (LaTeX, then XeLaTeX), into a fresh folder."""
    require_debian_packages(
        "latexmk",
        "texlive-latex-recommended",
        "texlive-latex-extra",
        "texlive-fonts-recommended",
        "texlive-xetex",
        "fonts-dejavu-core",
        "poppler-utils",  # pdfinfo and pdftotext, to read the PDF back
    )
    output = tmp_path_factory.mktemp("readthedocs_pdf_output")
    run_readthedocs_build("pdf", output)
    return output
