r"""The PDF edition laid out as a book: front matter, numbered parts, back matter.

Sphinx's LaTeX builder inlines every toctree where it stands in the root document. The
home page's toctrees sit under its last heading ("The map"), so the whole book would nest
inside that section, and the home page's own headings would become the top-level
divisions. Once the builder has assembled the one large document, this extension
rearranges it (the HTML and EPUB builds are untouched):

- the home page's text before its first heading and its sections become unnumbered
  chapters of the front matter (``\frontmatter`` of LaTeX's ``book`` class);
- the documents of the numbered toctree become the main matter: each part's index page
  a ``\part``, its pages the chapters (``latex_toplevel_sectioning = "part"``);
- each other toctree becomes an unnumbered part of the back matter named by its
  caption ("Reference"), its pages unnumbered chapters; the list of references, which
  Sphinx puts at the very end, goes back into the page with the ``bibliography``
  directive.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.errors import ExtensionError

FRONT_MATTER_TITLE = "About this book"


def raw_latex(text: str) -> nodes.raw:
    """A node whose text goes into the LaTeX output as it is."""
    return nodes.raw("", text + "\n", format="latex")


def untitled_section(*children: nodes.Node) -> nodes.section:
    """A section without a title: it pushes its children one level down (parts to chapters)."""
    section = nodes.section()
    section.extend(children)
    return section


def root_toctrees(node: nodes.Element) -> list[nodes.compound]:
    """The toctree wrappers of the root document, not those of the pages inlined into it."""
    found = []
    for child in node.children:
        if isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]:
            found.append(child)
        elif isinstance(child, nodes.Element) and not isinstance(child, addnodes.start_of_file):
            found += root_toctrees(child)
    return found


def toctree_captions(app: Sphinx) -> list[tuple[bool, str]]:
    """For each toctree of the root document, in order: whether it is numbered, its caption."""
    root = app.env.get_doctree(app.config.root_doc)
    return [
        (bool(toctree.get("numbered")), toctree.get("caption") or "")
        for toctree in root.findall(addnodes.toctree)
    ]


def book_structure(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rearrange the assembled LaTeX document into front, main and back matter."""
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    home = next(iter(doctree.findall(nodes.section)))
    wrappers = root_toctrees(home)
    captions = toctree_captions(app)
    if len(wrappers) != len(captions):
        raise ExtensionError(f"latex_book: found {len(wrappers)} of the home page's toctrees")
    for wrapper in wrappers:
        wrapper.parent.remove(wrapper)

    title, *content = home.children
    intro = [node for node in content if not isinstance(node, nodes.section)]
    sections = [node for node in content if isinstance(node, nodes.section)]
    about = nodes.section("", nodes.title("", FRONT_MATTER_TITLE), *intro, ids=["about"])
    body: list[nodes.Node] = [title, untitled_section(about, *sections)]

    main_matter = True
    for (numbered, caption), wrapper in zip(captions, wrappers, strict=True):
        if numbered:
            body += [raw_latex(r"\mainmatter"), *wrapper.children]
            continue
        if main_matter:
            # An unnumbered part (secnumdepth below -1) with unnumbered chapters.
            body.append(raw_latex(r"\backmatter\setcounter{secnumdepth}{-2}"))
            main_matter = False
        group = nodes.section("", nodes.title("", caption), *wrapper.children)
        body.append(group)
    move_bibliography(doctree, [node for node in body if isinstance(node, nodes.Element)])
    home.children = []
    home.extend(body)


def move_bibliography(doctree: nodes.document, body: list[nodes.Element]) -> None:
    """Put the list of references, which Sphinx gathers at the end, in the page it came from.

    The page is the one whose ``bibliography`` directive made the citations; the preamble
    sets the list without a heading of its own, under that page's title.
    """
    bibliography = next(iter(doctree.findall(thebibliography)), None)
    if bibliography is None:
        return
    docnames = {citation["docname"] for citation in bibliography.findall(nodes.citation)}
    if len(docnames) != 1:  # lists from several pages stay together at the end
        return
    (docname,) = docnames
    for element in body:
        for page in element.findall(addnodes.start_of_file):
            if page["docname"] == docname:
                bibliography.parent.remove(bibliography)
                page.children[-1].append(bibliography)  # the page's top section
                return


def setup(app: Sphinx) -> dict[str, bool]:
    """Rearrange the LaTeX document once the builder has assembled and resolved it."""
    app.connect("doctree-resolved", book_structure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
