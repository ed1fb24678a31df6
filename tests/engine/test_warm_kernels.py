"""Warm kernels: forked from a server that imported TensorFlow, yet fresh for each page."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import nbformat
import pytest

from tests.the_book import ROOT, processes_of_build

sys.path.insert(0, str(ROOT / "_ext"))

import myst_nb
import myst_nb.core.render
import page_execution
import warm_kernels
from page_runs import Kernels, Page, run_page

CHECKS = """
import os, sys
print("tensorflow was loaded before the page imported it:", "tensorflow" in sys.modules)
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
print("logical CPUs:", len(tf.config.list_logical_devices("CPU")))
print("cwd:", os.getcwd())
print("variable:", os.environ["PAGE_VARIABLE"])
print("sum:", float(tf.reduce_sum(tf.ones([3]))))
tf.get_logger().warning("a line of TensorFlow's logger")
"""


def run(kind: str, build: Path, cwd: Path) -> str:
    """Run CHECKS as a one-cell page in a ``kind`` kernel; return what it printed."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CHECKS)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    page = Page("page", cwd / "page.md", notebook, "key", timeout=300, allow_errors=False)
    env = {**os.environ, "PAGE_VARIABLE": "set for this page", "DLGUIDE_BUILD": str(build)}
    kernels = Kernels(kind, build, env, ["tensorflow", "keras"])
    try:
        outcome = asyncio.run(run_page(page, kernels, build / "kernel-logs"))
    finally:
        kernels.close()
    assert outcome.error is None, outcome.error
    (cell,) = outcome.notebook.cells
    return "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")


@pytest.mark.build
@pytest.mark.skipif(not warm_kernels.available(), reason="warm kernels need Linux's fork")
@pytest.mark.parametrize("kind", ["warm", "ordinary"])
def test_each_kernel_has_its_page_folder_environment_and_a_fresh_tensorflow_runtime(
    tmp_path: Path, kind: str
):
    printed = run(kind, tmp_path / "build", tmp_path)
    assert printed == (
        f"tensorflow was loaded before the page imported it: {kind == 'warm'}\n"
        "logical CPUs: 2\n"
        f"cwd: {tmp_path}\n"
        "variable: set for this page\n"
        "sum: 3.0\n"
        "WARNING:tensorflow:a line of TensorFlow's logger\n"
    )
    assert processes_of_build(tmp_path / "build") == []


def test_patches_refuse_an_unknown_myst_nb(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(myst_nb, "__version__", "1.5.0")
    with pytest.raises(RuntimeError, match=r"MyST-NB 1\.5\.0 is installed"):
        page_execution.check_patchable(myst_nb.sphinx_, "create_client")
    monkeypatch.setattr(myst_nb, "__version__", "1.4.0")
    with pytest.raises(RuntimeError, match=r"myst_nb\.sphinx_\.renamed_function"):
        page_execution.check_patchable(myst_nb.sphinx_, "renamed_function")
    # The real ones pass: both functions our patches replace.
    page_execution.check_patchable(myst_nb.sphinx_, "create_client")
    page_execution.check_patchable(myst_nb.core.render, "coalesce_streams")
