"""The project's own promises: README quick start, CI script, lint and formatting."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


def test_ci_provisions_first_and_runs_the_oldest_versions_as_its_own_step():
    _, test = readme_commands()
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    oldest = ".venv/bin/python -m pytest tests/oldest"
    assert script.index(".ci/provision") < script.index(test) < script.index(oldest)


def test_system_packages_are_installed_by_the_provisioning_script_only():
    installing = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "apt-get" in path.read_text() and path != Path(__file__)
    ]
    assert installing == []
    assert "apt-get -q install" in (ROOT / ".ci" / "provision").read_text()


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
