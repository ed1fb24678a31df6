"""Sphinx glue for the book's executed pages.

- Adds the measured execution time, and the versions of Python, TensorFlow, Keras and
  NumPy that the page's kernel ran (:mod:`page_runs` asks it), to each page's "On
  this page" header; the execution statistics table (``nb-exec-table``) lists the
  versions too.
- Offers each executed notebook, outputs included, in the page's download menu.
- Keeps that notebook's printed output exactly as the kernel sent it (see
  ``merge_streams_without_touching_the_notebook``).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import myst_nb.core.render
from docutils import nodes
from myst_nb.core.utils import coalesce_streams
from myst_nb.ext.execution_tables import ExecutionStatsNode, make_stat_table
from myst_nb.sphinx_ import NbMetadataCollector
from nbformat import NotebookNode
from page_execution import check_patchable
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

HEADER_TITLE = "On this page"


def execution_runtime(app: Sphinx, docname: str) -> float | None:
    """Seconds the page's code took in the build (or in the cached run), if it was executed."""
    data = NbMetadataCollector.get_exec_data(app.env, docname)
    return None if data is None or not data.get("succeeded") else data.get("runtime")


def page_header(doctree: nodes.document) -> nodes.admonition | None:
    """The page's "On this page" admonition, if it has one."""
    for admonition in doctree.findall(nodes.admonition):
        title = next(iter(admonition.findall(nodes.title)), None)
        if title is not None and title.astext() == HEADER_TITLE:
            return admonition
    return None


def versions_text(versions: dict[str, str]) -> str:
    """The versions a page ran with, as the book states them.

    >>> versions_text({"Python": "3.11.9", "NumPy": "2.3.1"})
    'Python 3.11.9, NumPy 2.3.1'
    """
    return ", ".join(f"{name} {version}" for name, version in versions.items())


def add_execution_time(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Append the page's run time and the versions it ran with to its header admonition."""
    runtime = execution_runtime(app, docname)
    header = page_header(doctree)
    if runtime is None or header is None:
        return
    sentence = f" all of this page's code ran in {runtime:.1f} s when the book was built."
    header += nodes.paragraph("", "", nodes.strong(text="Run time:"), nodes.Text(sentence))
    versions = NbMetadataCollector.get_exec_data(app.env, docname)["versions"]
    text = f" {versions_text(versions)}."
    header += nodes.paragraph("", "", nodes.strong(text="Built with:"), nodes.Text(text))


class ExecutionTableWithVersions(SphinxPostTransform):
    """MyST-NB's execution statistics table, with a column for each page's versions.

    Runs just before MyST-NB's own transform (priority 8), which then finds no table
    left to fill.
    """

    default_priority = 7

    def run(self, **kwargs) -> None:
        """Replace each ``nb-exec-table`` placeholder with the table and its new column."""
        metadata = NbMetadataCollector.get_doc_data(self.env)
        for node in list(self.document.findall(ExecutionStatsNode)):
            table = make_stat_table(self.env.docname, metadata)
            executed = [metadata[name].get("exec_data") for name in sorted(metadata)]
            texts = ["Versions"] + [versions_text(data["versions"]) for data in executed if data]
            tgroup = table.next_node(nodes.tgroup)
            tgroup["cols"] += 1
            tgroup.insert(tgroup["cols"] - 1, nodes.colspec(colwidth=1))
            for row, text in zip(table.findall(nodes.row), texts, strict=True):
                row += nodes.entry("", nodes.paragraph(text=text))
            node.replace_self(table)


def offer_executed_notebook(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    """Let sphinx-book-theme's download menu list ``<page>.ipynb`` for executed pages."""
    if app.builder.name == "html" and NbMetadataCollector.get_exec_data(app.env, pagename):
        context["ipynb_source"] = f"{pagename}.ipynb"


def copy_executed_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Copy the executed notebooks next to the page sources, where the download menu links."""
    if exception is not None or app.builder.name != "html":
        return
    executed = Path(app.env.mystnb_config.output_folder)
    sources = Path(app.outdir) / "_sources"
    for docname in app.env.found_docs:
        notebook = executed / f"{docname}.ipynb"
        if NbMetadataCollector.get_exec_data(app.env, docname) is not None and notebook.is_file():
            (sources / notebook.relative_to(executed)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, sources / f"{docname}.ipynb")


def merge_streams_without_touching_the_notebook(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """MyST-NB's ``nb_merge_streams``, applied to a copy of a cell's outputs.

    A kernel sends a cell's printed text in as many chunks as it happened to flush.
    MyST-NB (1.4) merges them for the page by appending every chunk's text to the
    first chunk *in place*, then saves the notebook with all the chunks still in it,
    so the downloadable ``.ipynb`` printed each later line twice.

    Upstream: the in-place merge has this form since
    https://github.com/executablebooks/MyST-NB/pull/604 (its review notes "we're
    mutating the dict we just added"); no MyST-NB issue reports the duplicated lines
    in the saved notebook. ``setup`` checks the function still exists in a MyST-NB
    version this was written for (``check_patchable``), and
    ``tests/test_printed_output.py`` fails if the duplicates come back.
    """
    return coalesce_streams(copy.deepcopy(outputs))


def setup(app: Sphinx) -> dict[str, object]:
    """Register the handlers (after MyST-NB, before sphinx-book-theme's header buttons)."""
    check_patchable(myst_nb.core.render, "coalesce_streams")
    myst_nb.core.render.coalesce_streams = merge_streams_without_touching_the_notebook
    app.connect("doctree-resolved", add_execution_time)
    app.add_post_transform(ExecutionTableWithVersions)
    app.connect("html-page-context", offer_executed_notebook, priority=400)
    app.connect("build-finished", copy_executed_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
