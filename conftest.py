"""pytest configuration for the whole repository (not part of the dlguide package).

:mod:`dlguide.side_by_side_torch` needs PyTorch, which only the "test" extra installs.
Without it, pytest skips that module and its test instead of failing to import them
(``--doctest-modules`` imports every module of the package).

Examples that train a model for seconds are marked ``build``, like the executed builds,
so that ``pytest -m "not build"`` stays quick for authors.
"""

import importlib.util
import re
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


# Docstring and page examples that train a model for seconds; with the executed builds,
# the authors' quick run (-m "not build") leaves them out.
SLOW_DOCTESTS = {
    "src/dlguide/transformer.py::dlguide.transformer.sample",
    "src/dlguide/transformer.py::dlguide.transformer.greedy_decode",
}
TRAINS = re.compile(r"\.fit\(|\bfit_custom\(|\btrain\w*\(")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as ``build`` the examples that train: those above and page examples calling fit.

    A ``% skip: next`` just before such an example is marked with it: left alone in a run
    without its example, it would wait for it and meet the page's next skip instead.
    """
    previous = None
    for item in items:
        example = getattr(item, "example", None)  # a Sybil example from a page
        parsed = example.region.parsed if example is not None else ""
        if item.nodeid in SLOW_DOCTESTS or TRAINS.search(str(getattr(parsed, "source", parsed))):
            item.add_marker(pytest.mark.build)
            if (
                previous is not None
                and previous.path == item.path
                and previous.example.region.parsed == ("next", None)
            ):
                previous.add_marker(pytest.mark.build)
        previous = item if example is not None else None
