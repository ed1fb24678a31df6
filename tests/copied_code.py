"""A built page's code as a reader copies it, and the build's cells it came from."""

from __future__ import annotations

import nbformat

from tests.the_book import BuiltBook


def code_as_copied(book: BuiltBook, docname: str) -> list[str]:
    """The code of each cell as its copy button copies it (cells carry no prompts)."""
    return [pre.get_text() for pre in book.page(docname).select("div.cell div.cell_input pre")]


def built_cells(book: BuiltBook, docname: str, copied: list[str]) -> list[nbformat.NotebookNode]:
    """The executed build's code cell behind each copied cell, in order.

    Cells the page hides (``remove-cell``, ``remove-input``) have no copy button and
    are skipped; a copied cell that is not the code the build ran fails.
    """
    built = nbformat.read(book.notebooks / f"{docname}.ipynb", as_version=4)
    remaining = iter(cell for cell in built.cells if cell.cell_type == "code")
    found = []
    for code in copied:
        cell = next((c for c in remaining if c.source.strip() == code.strip()), None)
        assert cell is not None, f"{docname}: copied code the build did not run:\n{code}"
        found.append(cell)
    return found
