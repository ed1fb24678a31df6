"""Run the examples written on the book's pages as tests.

Sybil reads the MyST sources: a ```` ```python ```` block with ``>>>`` prompts is
checked as a doctest, any other ```` ```python ```` block must run without error.
Executed ``{code-cell}`` cells are not collected here; the Sphinx build runs them.
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
).pytest()
