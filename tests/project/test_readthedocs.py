"""Read the Docs' configuration: valid, and the same warnings-as-errors build as a reader's."""

from __future__ import annotations

import subprocess
import sys

from tests.the_book import ROOT, readthedocs_commands, readthedocs_html_command


def test_readthedocs_config_matches_the_published_schema():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.readthedocs",
            str(ROOT / ".readthedocs.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readthedocs_builds_like_a_reader_with_warnings_as_errors():
    command = readthedocs_html_command()
    assert command[:6] == ["python", "-m", "sphinx", "-b", "html", "-c"]
    assert command[6:8] == [".", "docs"]
    assert {"-W", "--keep-going", "-n", "-T"} <= set(command)


def test_readthedocs_epub_and_pdf_builds_share_the_html_builds_execution_store():
    # The execution store is <output folder>/../.execution_cache: each build's output
    # folder must sit directly in $READTHEDOCS_OUTPUT, as html/ does.
    outputs = [readthedocs_html_command()[8]]
    for output_format in ("epub", "pdf"):
        sphinx = next(c for c in readthedocs_commands(output_format) if "-m sphinx" in c)
        outputs.append(sphinx.split(" docs ")[1].split()[0])
    assert outputs == [
        "$READTHEDOCS_OUTPUT/html",
        "$READTHEDOCS_OUTPUT/epub-build",
        "$READTHEDOCS_OUTPUT/latex",
    ]
