"""Each page's header lists the ``dlguide`` functions and classes its code imports.

The list is read from the page's ``from dlguide.<module> import ...`` lines, so it
cannot drift from the code, and each name links to its entry in the API reference
(an unknown name fails the nitpicky build).
"""

from __future__ import annotations

import re

from docutils import nodes
from executed_pages import page_header
from sphinx import addnodes
from sphinx.application import Sphinx

IMPORT = re.compile(r"^from (dlguide\.\w+) import (?:\(([^)]*)\)|([\w, ]+)$)", re.MULTILINE)


def imported_names(source: str) -> list[str]:
    """``dlguide.module.name`` for each function or class imported, in order of first import.

    Constants (upper-case names) have no entry of their own in the API reference.
    """
    names = []
    for module, wrapped, single in IMPORT.findall(source):
        for name in (part.strip() for part in (wrapped or single).split(",")):
            if name and not name.isupper() and f"{module}.{name}" not in names:
                names.append(f"{module}.{name}")
    return names


def api_link(target: str) -> addnodes.pending_xref:
    """A link to ``target``'s API entry, shown as its short name in code font."""
    link = addnodes.pending_xref(
        "", refdomain="py", reftype="obj", reftarget=target, refexplicit=False, refwarn=True
    )
    link += nodes.literal(text=target.rsplit(".", 1)[1], classes=["xref", "py", "py-obj"])
    return link


def list_package_code(app: Sphinx, doctree: nodes.document) -> None:
    """Append "Code from dlguide: a, b, c" to the page's "On this page" admonition."""
    names = imported_names(app.env.doc2path(app.env.docname).read_text(encoding="utf-8"))
    header = page_header(doctree)
    if not names or header is None:
        return
    paragraph = nodes.paragraph("", "", nodes.strong(text="Code from dlguide:"), nodes.Text(" "))
    for position, name in enumerate(names):
        if position:
            paragraph += nodes.Text(", ")
        paragraph += api_link(name)
    header += paragraph


def setup(app: Sphinx) -> dict[str, object]:
    """Add the list while each page is read, so Sphinx resolves its links like any other."""
    app.connect("doctree-read", list_package_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
