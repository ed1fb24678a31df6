"""Execute the book's pages before Sphinx reads them, and keep what they printed.

How a build executes pages:

1. **What is stale.** A page's key hashes its code cells (source and metadata), its
   kernel and the source of every module of the tracked packages (``dlguide``) that
   its imports run, directly or through other package modules
   (:mod:`package_imports`), and the installed Python, TensorFlow, Keras and NumPy
   versions. Editing a package module makes exactly the pages that
   run it stale, editing prose makes none stale, editing a cell makes its page stale.
   Sphinx is told to re-read pages made stale by a package edit
   (``env-get-outdated``), since their own source did not change.
2. **Scheduling.** Before Sphinx reads anything (``env-before-read-docs``, in the
   main process), the stale pages run in a pool as wide as the machine's cores,
   longest first by each page's last recorded run time, whatever ``-j`` says. Each
   page gets a fresh kernel in its own folder; with ``nb_execution_mode=force`` every
   page read is stale.
3. **Kernels.** Kernels talk to the build over IPC (Unix sockets in a private folder),
   not TCP ports. They start warm, forked from a server that imported the heavy
   libraries once (:mod:`warm_kernels`), or the ordinary way with
   ``execution_kernels = "ordinary"`` in ``conf.py``, ``-D execution_kernels=ordinary``
   or the environment variable ``DLGUIDE_KERNELS=ordinary`` (and wherever fork is
   unavailable). What a kernel writes to its own stdout and stderr (file descriptors
   1 and 2: TensorFlow's C++ start-up lines, absl, CUDA probes) goes to
   ``<build>/kernel-logs/<page>.log``; what page code prints or warns through Python
   still appears under its cell.
   Running the pages is :mod:`page_runs`' job.
4. **Reading.** The executed notebooks are stored in ``<build>/.execution_cache``;
   when MyST-NB reads a page it takes the outputs from there instead of executing
   (a guarded patch of MyST-NB's ``create_client``). A page that failed makes the
   build fail with its path, the cell (index, line and code) and its kernel log.

The console shows one line per executed page: its name, its run time and how long
its kernel took to be ready for the first cell.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
from pathlib import Path, PurePosixPath
from typing import Any

import myst_nb
import myst_nb.sphinx_
import nbformat
import warm_kernels
from myst_nb.core.execute import ExecutionError, NotebookClientBase
from myst_nb.core.read import create_nb_reader
from nbformat import NotebookNode
from package_imports import fingerprint
from page_runs import REPORTED_LIBRARIES, Kernels, Outcome, Page, run_pages
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

# MyST-NB versions whose internals our two patches were written against (>= first,
# < second): ``myst_nb.sphinx_.create_client`` here and ``myst_nb.core.render.
# coalesce_streams`` in executed_pages. pyproject.toml bounds myst-nb the same way.
MYST_NB_VERSIONS = ((1, 4), (1, 5))
EXECUTING_MODES = ("cache", "force")


OUTCOMES: dict[str, Outcome] = {}  # page path -> outcome of this build's execution
READ: dict[str, Page] = {}  # page path -> page, for every executable page read
STORE: list[Store] = []  # the build's store


# --- keys and the store -------------------------------------------------------------------


def page_key(notebook: NotebookNode, packages: list[str]) -> str:
    """Hash of what decides a page's outputs: code, cell metadata, kernel, package code."""
    cells = [(c.source, c.metadata) for c in notebook.cells if c.cell_type == "code"]
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    content = {
        "cells": cells,
        "kernelspec": notebook.metadata.get("kernelspec"),
        "modules": fingerprint(code, packages),
        "versions": ENVIRONMENT,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def installed(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


#: The versions the page headers state, as installed where the build runs: upgrading any
#: of them makes every page stale.
ENVIRONMENT = {
    "python": platform.python_version(),
    **{module: installed(module) for module in REPORTED_LIBRARIES.values()},
}


class Store:
    """Executed notebooks, one per page, with the key they were run for and their times."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def record(self, docname: str) -> dict[str, Any]:
        """The page's last record (key, seconds, startup, versions), or an empty dict."""
        path = self.folder / f"{docname}.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def holds(self, page: Page) -> bool:
        """Whether the store has the page executed for its current key, with its versions.

        (Executions stored before pages recorded their versions count as stale.)
        """
        record = self.record(page.docname)
        return record.get("key") == page.key and "versions" in record

    def notebook(self, docname: str) -> NotebookNode:
        """The page's stored executed notebook."""
        return nbformat.read(self.folder / f"{docname}.ipynb", as_version=4)

    def save(self, page: Page, outcome: Outcome) -> None:
        """Keep a successful execution (a failed one keeps only its run time for ordering)."""
        record = {"seconds": outcome.seconds, "startup": outcome.startup}
        if outcome.error is None:
            record["key"] = page.key
            record["versions"] = outcome.notebook.metadata["dlguide"]["versions"]
            target = self.folder / f"{page.docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(outcome.notebook, target)
        target = self.folder / f"{page.docname}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record))


# --- reading pages ------------------------------------------------------------------------


def read_page(app: Sphinx, docname: str) -> Page | None:
    """The page as a notebook, with its key, or None for a page that is not executed."""
    path = Path(app.env.doc2path(docname))
    nb_config = app.env.mystnb_config
    if any(PurePosixPath(path.as_posix()).match(p) for p in nb_config.execution_excludepatterns):
        return None  # MyST-NB reports it as excluded
    content = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, nb_config, content)
    if reader is None:
        return None
    notebook = reader.read(content)
    # A page's own front matter may override MyST-NB's settings (as MyST-NB applies them;
    # it reports invalid ones itself when it reads the page).
    overrides = dict(notebook.metadata.get(nb_config.metadata_key, {}))
    overrides.pop("output_folder", None)
    with contextlib.suppress(TypeError, ValueError):
        nb_config = nb_config.copy(**overrides)
    if nb_config.execution_mode not in EXECUTING_MODES:
        return None
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    execution = notebook.metadata.get("execution", {})
    return Page(
        docname=docname,
        path=path,
        notebook=notebook,
        key=page_key(notebook, app.config.execution_packages),
        timeout=execution.get("timeout", nb_config.execution_timeout),
        allow_errors=execution.get("allow_errors", nb_config.execution_allow_errors),
    )


def mode(app: Sphinx) -> str:
    """MyST-NB's execution mode for this build."""
    return app.env.mystnb_config.execution_mode


def store(app: Sphinx) -> Store:
    """The build's store of executed pages, next to the output folder."""
    return Store(Path(app.outdir).parent / ".execution_cache")


def pages_made_stale_by_packages(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    """Unchanged pages whose stored key no longer matches (a package module changed)."""
    if mode(app) != "cache":
        return []
    stale = []
    for docname in sorted(env.found_docs - added - changed):
        page = read_page(app, docname)
        if page is not None and not store(app).holds(page):
            stale.append(docname)
    return stale


def kernel_kind(app: Sphinx) -> str:
    """The kind of kernels to start: as configured, but ordinary where fork is unavailable."""
    kind = app.config.execution_kernels
    if kind not in ("warm", "ordinary"):
        raise ValueError(f"execution_kernels: expected 'warm' or 'ordinary', got {kind!r}")
    return kind if warm_kernels.available() else "ordinary"


def kernel_environment(app: Sphinx) -> dict[str, str]:
    """The build's environment, with the tracked packages' folders first on the path.

    Kernels then import the very files the pages' keys were computed from.
    """
    folders = []
    for package in app.config.execution_packages:
        spec = importlib.util.find_spec(package)
        folders.append(str(Path(next(iter(spec.submodule_search_locations))).parent))
    path = os.pathsep.join([*folders, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # DLGUIDE_BUILD marks the build's kernels, so a test can check none outlives it.
    build = str(Path(app.outdir).parent.resolve())
    return {**os.environ, "PYTHONPATH": path, "DLGUIDE_BUILD": build}


def execute_stale_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: execute the pages about to be read whose outputs are stale."""
    if mode(app) not in EXECUTING_MODES:
        return
    cache = store(app)
    pages = [page for page in (read_page(app, name) for name in docnames) if page]
    READ.update({str(page.path.resolve()): page for page in pages})
    stale = [page for page in pages if mode(app) == "force" or not cache.holds(page)]
    build = Path(app.outdir).parent
    sources = docnames_sources(app, docnames)
    reads_package_docs = any(page_reads_package_docs(source) for source in sources)
    imports = app.config.execution_quiet_imports if reads_package_docs else []
    if stale:
        execute(app, stale, cache, build, imports)
    else:
        quietly_import(imports, build / "kernel-logs" / "sphinx.log")


def execute(app: Sphinx, stale: list[Page], cache: Store, build: Path, imports: list[str]) -> None:
    """Run the stale pages, longest first, and keep their outcomes for the readers.

    ``imports`` are imported quietly into this process while the warm kernels' server
    starts (it imports the same libraries, in its own process, on the other core).
    """
    # Longest first, by the last recorded run time; pages never run go first.
    stale.sort(key=lambda page: (-cache.record(page.docname).get("seconds", float("inf")),))
    workers = app.config.execution_workers or len(os.sched_getaffinity(0))
    kind = kernel_kind(app)
    logger.info(f"executing {len(stale)} pages, {workers} at a time, in {kind} kernels")
    kernels = Kernels(kind, build, kernel_environment(app), app.config.execution_warm_modules)
    try:
        quietly_import(imports, build / "kernel-logs" / "sphinx.log")
        outcomes = asyncio.run(run_pages(stale, kernels, workers, build / "kernel-logs"))
    finally:
        kernels.close()
    for page, outcome in zip(stale, outcomes, strict=True):
        cache.save(page, outcome)
        OUTCOMES[str(page.path.resolve())] = outcome
        if outcome.error is not None:  # reported here too: a parallel reader's log is lost
            logger.warning(outcome.error, location=page.docname, type="mystnb", subtype="exec")


def docnames_sources(app: Sphinx, docnames: list[str]) -> list[str]:
    """The source text of each page about to be read."""
    return [Path(app.env.doc2path(name)).read_text(encoding="utf-8") for name in docnames]


def page_reads_package_docs(source: str) -> bool:
    """Whether a page uses autodoc, which imports the package (and TensorFlow) in Sphinx."""
    return "{auto" in source or ".. auto" in source


def quietly_import(modules: list[str], log: Path) -> None:
    """Import ``modules`` in the build's process with file descriptor 2 sent to ``log``.

    Autodoc imports the package, which imports TensorFlow, whose C++ runtime prints
    start-up lines to file descriptor 2 (absl, CUDA probes, CPU features). Importing
    it here first, before the readers (forked from this process) need it, keeps those
    lines in ``log`` instead of the build console. With no ``modules``, it does nothing.
    """
    if not modules:
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with log.open("a") as output:
        os.dup2(output.fileno(), 2)
        try:
            for module in modules:
                importlib.import_module(module)
        finally:
            os.dup2(saved, 2)
            os.close(saved)


# --- MyST-NB reads the stored outputs -----------------------------------------------------


class StoredClient(NotebookClientBase):
    """A MyST-NB notebook client that takes a page's outputs from this build's store."""

    def start_client(self) -> None:
        """Copy the stored outputs into the page's notebook, or report its failure."""
        key = str(Path(self.path).resolve())
        page = READ[key]
        outcome = OUTCOMES.get(key)
        if outcome is not None and outcome.error is not None:
            raise ExecutionError(outcome.error)
        executed = outcome.notebook if outcome else self.stored(page)
        cells = [c for c in self.notebook.cells if c.cell_type == "code"]
        done = [c for c in executed.cells if c.cell_type == "code"]
        if [c.source for c in cells] != [c.source for c in done]:
            raise ExecutionError(f"{self.path}: the stored outputs belong to other code")
        for cell, result in zip(cells, done, strict=True):
            cell.outputs = result.outputs
            cell.execution_count = result.execution_count
        for name in ("language_info", "dlguide"):
            if name in executed.metadata:
                self.notebook.metadata[name] = executed.metadata[name]
        record = self.stored_record(page)
        self.exec_metadata = {
            "mtime": record["mtime"],
            "runtime": record["seconds"],
            "method": self.nb_config.execution_mode,
            "succeeded": True,
            "error": None,
            "traceback": None,
            "versions": record["versions"],  # ours: read by executed_pages
        }

    def stored(self, page: Page) -> NotebookNode:
        """The stored notebook, which must have been executed for this very key."""
        if not STORE[0].holds(page):
            raise ExecutionError(f"{self.path}: no stored execution for its current code")
        return STORE[0].notebook(page.docname)

    def stored_record(self, page: Page) -> dict[str, Any]:
        """The page's record, with the time it was written."""
        record = STORE[0].record(page.docname)
        record["mtime"] = (STORE[0].folder / f"{page.docname}.json").stat().st_mtime
        return record


def create_client(notebook, source, nb_config, logger, read_fmt=None):
    """MyST-NB's ``create_client``, reading this build's executions for the pages it ran.

    MyST-NB's own cache mode executes each page in the Sphinx reader that reads it,
    through jupyter-cache, whose SQLite database the parallel readers (``-j``) share:
    creating it at once on a fresh build fails with "table settings already exists"
    (https://github.com/sphinx-doc/sphinx/issues/12481, where Sphinx's maintainer
    notes that Sphinx itself uses no SQLite) and using it at once with "database is
    locked" (https://github.com/scipy/scipy/issues/22383, in ``jupyter_cache``).
    Executing every page before reading (:func:`execute_stale_pages`) and reading
    the outputs from our own store keeps jupyter-cache out of the build.
    """
    if nb_config.execution_mode in EXECUTING_MODES and str(Path(source).resolve()) in READ:
        return StoredClient(notebook, Path(source), nb_config, logger)
    return ORIGINAL_CREATE_CLIENT(notebook, source, nb_config, logger, read_fmt)


ORIGINAL_CREATE_CLIENT = None


def check_patchable(module: object, name: str) -> None:
    """Fail loudly unless MyST-NB is a version our patches were written for and has ``name``.

    Our patches replace MyST-NB internals (``myst_nb.sphinx_.create_client`` here,
    ``myst_nb.core.render.coalesce_streams`` in ``executed_pages``); a new MyST-NB may
    rename or change them, so each patch checks first instead of silently doing nothing.
    """
    version = tuple(int(part) for part in myst_nb.__version__.split(".")[:2])
    low, high = MYST_NB_VERSIONS
    if not low <= version < high or not callable(getattr(module, name, None)):
        raise RuntimeError(
            f"_ext patches {module.__name__}.{name} of MyST-NB {low[0]}.{low[1]} to before "
            f"{high[0]}.{high[1]}; MyST-NB {myst_nb.__version__} is installed: check that "
            "the patch still applies, then update MYST_NB_VERSIONS in _ext/page_execution.py"
        )


def patch_myst_nb() -> None:
    """Route MyST-NB's execution through :func:`create_client` (see :func:`check_patchable`)."""
    check_patchable(myst_nb.sphinx_, "create_client")
    global ORIGINAL_CREATE_CLIENT
    if ORIGINAL_CREATE_CLIENT is None:
        ORIGINAL_CREATE_CLIENT = myst_nb.sphinx_.create_client
        myst_nb.sphinx_.create_client = create_client


def remember_store(app: Sphinx) -> None:
    """Note the build's store for the readers."""
    STORE[:] = [store(app)]


def setup(app: Sphinx) -> dict[str, object]:
    """Register the configuration values and the handlers."""
    patch_myst_nb()
    app.add_config_value("execution_packages", ["dlguide"], "env", types=[list])
    app.add_config_value("execution_kernels", "warm", "", types=[str])
    app.add_config_value("execution_workers", 0, "", types=[int])
    app.add_config_value("execution_warm_modules", [], "", types=[list])
    app.add_config_value("execution_quiet_imports", [], "", types=[list])
    app.connect("builder-inited", remember_store, priority=900)
    app.connect("env-get-outdated", pages_made_stale_by_packages)
    app.connect("env-before-read-docs", execute_stale_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
