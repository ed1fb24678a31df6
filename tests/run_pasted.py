"""Run notebooks of pasted code, each in a fresh ordinary kernel in its own empty folder.

Usage: ``python tests/run_pasted.py FOLDER PAGE...``. For each page, in the order
given, it runs ``FOLDER/PAGE/pasted.ipynb`` with the book's page runner (one page
per core at a time, kernels over IPC) in ``FOLDER/PAGE/`` and writes
``executed.ipynb`` there, or ``error.txt`` naming the cell that failed. The kernels'
own stderr goes to ``FOLDER/kernel-logs/PAGE.log``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

import nbformat
from page_runs import Kernels, Page, run_pages

CELL_TIMEOUT = 120  # seconds, as conf.py's nb_execution_timeout


def main(folder: Path, docnames: list[str]) -> None:
    pages = [
        Page(
            docname=docname,
            path=folder / docname / "page.md",
            notebook=nbformat.read(folder / docname / "pasted.ipynb", as_version=4),
            key="",
            timeout=CELL_TIMEOUT,
            allow_errors=False,
        )
        for docname in docnames
    ]
    kernels = Kernels("ordinary", folder, dict(os.environ), [])
    try:
        workers = len(os.sched_getaffinity(0))
        outcomes = asyncio.run(run_pages(pages, kernels, workers, folder / "kernel-logs"))
    finally:
        kernels.close()
    for page, outcome in zip(pages, outcomes, strict=True):
        if outcome.error is None:
            nbformat.write(outcome.notebook, folder / page.docname / "executed.ipynb")
        else:
            (folder / page.docname / "error.txt").write_text(outcome.error)
        print(f"{page.docname}: {'failed' if outcome.error else 'ran'} in {outcome.seconds:.1f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
