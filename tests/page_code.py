"""The code cells of a page, read from its MyST source, to run them outside the build."""

from __future__ import annotations

import linecache
import re

from tests.the_book import ROOT

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)*)(.*?)^```$", re.MULTILINE | re.DOTALL)


def visible_cells(docname: str) -> list[str]:
    """The source of each code cell a reader sees (cells tagged remove-cell are left out)."""
    source = (ROOT / "docs" / f"{docname}.md").read_text()
    return [code for options, code in CELL.findall(source) if "remove-cell" not in options]


def run_until(docname: str, name: str) -> dict[str, object]:
    """Run the page's visible cells in order until one defines ``name``; return the namespace."""
    namespace: dict[str, object] = {"__name__": "__main__"}
    for number, code in enumerate(visible_cells(docname), start=1):
        filename = f"<{docname} cell {number}>"
        # AutoGraph reads a tf.function's source with inspect, as IPython allows.
        linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
        exec(compile(code, filename, "exec"), namespace)
        if name in namespace:
            return namespace
    raise LookupError(f"no cell of {docname} defines {name!r}")
