"""The lower bounds in pyproject.toml are tested, not guessed.

A second virtual environment gets exactly the oldest versions the package claims to
support (each ``name>=X`` runtime dependency pinned to ``name==X``) with the "unit"
extra only (no Sphinx, PyTorch or browser) and runs the unit tier, docstring examples
and page examples in it. ``.ci/run`` runs this as its own step: ``pytest tests/oldest``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.the_book import ROOT

pytestmark = pytest.mark.build


def oldest_supported() -> dict[str, str]:
    """Runtime dependencies and their lower bounds, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = dict(
        re.fullmatch(r"([\w-]+)>=([\d.]+)", dep).groups() for dep in project["dependencies"]
    )
    assert {"tensorflow", "keras", "numpy"} <= set(bounds)
    return bounds


def test_unit_tests_and_examples_pass_with_the_oldest_supported_versions(tmp_path: Path):
    venv = tmp_path / "oldest"
    python = venv / "bin" / "python"
    pins = [f"{name}=={version}" for name, version in oldest_supported().items()]

    def run(*command: str, timeout: int) -> str:
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert result.returncode == 0, (
            f"{' '.join(command)}\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
        )
        return result.stdout

    run(sys.executable, "-m", "venv", str(venv), timeout=120)
    run(str(python), "-m", "pip", "install", "-q", "-e", f"{ROOT}[unit]", *pins, timeout=1200)
    installed = run(str(python), "-m", "pip", "list", "--format=freeze", timeout=120)
    for pin in pins:
        name, version = pin.split("==")
        assert re.search(rf"^{name}=={re.escape(version)}(\.0)*$", installed, re.M | re.I), pin
    run(str(python), "-m", "pytest", "-q", "tests/unit", "src/dlguide", "docs", timeout=1200)
