"""Serve MathJax from the book's own ``_static`` folder, so math renders without the network.

Sphinx loads MathJax from a CDN by default. The ``sphinx-mathjax-offline`` wheel ships
MathJax 3; this copies its files into the HTML build and points ``mathjax_path`` at them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sphinx.application import Sphinx

MATHJAX_STATIC = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent / "static"


def add_mathjax_files(app: Sphinx) -> None:
    """Copy MathJax into ``_static/mathjax`` of HTML builds (not EPUB, which has no scripts)."""
    if app.builder.name == "html":
        app.config.html_static_path.append(str(MATHJAX_STATIC))


def setup(app: Sphinx) -> dict[str, object]:
    """Point MathJax at the local copy and register the copy step."""
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("builder-inited", add_mathjax_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
