"""The project's own promises: README quick start, CI script, lint and formatting."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.the_book import ROOT


def readme_commands() -> list[str]:
    """The commands in the README's Quick start, in order."""
    quick_start = (
        (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    )
    return re.findall(r"^\$ (.+)$", quick_start, flags=re.MULTILINE)


def test_readme_quick_start_has_exactly_a_build_and_a_test_command():
    build, test = readme_commands()
    assert "pip install" in build and "-m sphinx -b html -c . docs _build/html" in build
    assert "pip install" in test and test.endswith("-m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = readme_commands()
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test in script
    assert "set -euo pipefail" in script


def test_ruff_finds_nothing_to_fix():
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "."],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
