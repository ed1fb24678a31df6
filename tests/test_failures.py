"""A broken page fails the build loudly, naming the page and the cell.

Each fixture under tests/fixtures is a one-page book built with the book's own conf.py and
the flags of the real build (warnings are errors, nitpicky, full tracebacks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.book import FIXTURES, build_fixture

pytestmark = pytest.mark.build


def test_a_cell_that_raises_fails_the_build_naming_page_and_cell(tmp_path: Path):
    result = build_fixture("failing-cell", tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert str(FIXTURES / "failing-cell" / "index.md") in log
    assert "An error occurred while executing the following cell:" in log
    assert "numbers[10]" in log and "IndexError" in log


def test_a_cell_that_exceeds_the_timeout_fails_the_build_naming_page_and_cell(tmp_path: Path):
    result = build_fixture("slow-cell", tmp_path, "-D", "nb_execution_timeout=3")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert str(FIXTURES / "slow-cell" / "index.md") in log
    assert "A cell timed out while it was being executed, after 3 seconds." in log
    assert "time.sleep(60)" in log


def test_a_broken_cross_reference_fails_the_build(tmp_path: Path):
    result = build_fixture("broken-reference", tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "index.md:3: WARNING: undefined label: 'a-section-nobody-wrote'" in log
