"""pytest configuration for the whole repository (not part of the dlguide package).

:mod:`dlguide.side_by_side_torch` needs PyTorch, which only the "test" extra installs.
Without it, pytest skips that module and its test instead of failing to import them
(``--doctest-modules`` imports every module of the package).
"""

import importlib.util
import sys

import pytest

collect_ignore = (
    []
    if importlib.util.find_spec("torch")
    else ["src/dlguide/side_by_side_torch.py", "tests/unit/test_side_by_side.py"]
)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test or docstring example drew (dlguide.plotting leaves them open)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
