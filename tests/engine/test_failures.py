"""A broken page fails the build loudly, naming the page, the cell and its kernel log.

Each fixture under tests/fixtures is a small book built with the book's own conf.py and
the flags of the real build (warnings are errors, nitpicky, full tracebacks), with warm
(forked) kernels and with ordinary ones. ``broken-pages`` holds three pages that fail in
three ways, built once for all three; the others have one page. After every build, no
process it started is left.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.the_book import FIXTURES, ROOT, build_fixture, processes_of_build

pytestmark = pytest.mark.build

KERNELS = pytest.mark.parametrize("kernels", ["warm", "ordinary"])
BROKEN = FIXTURES / "broken-pages"


def kernel_log(output: Path, docname: str = "index") -> Path:
    """A fixture page's kernel log (the build folder is ``output``'s parent)."""
    return output.parent / "kernel-logs" / f"{docname}.log"


@dataclass
class BrokenBuild:
    """The build of ``broken-pages`` (three pages, each failing its own way), done once."""

    output: Path
    log: str
    returncode: int
    left_running: list[str]


@pytest.fixture(scope="module", params=["warm", "ordinary"])
def broken(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The three broken pages built together, with a 3-second cell timeout."""
    output = tmp_path_factory.mktemp(f"broken-{request.param}") / "html"
    result = build_fixture(
        "broken-pages", output, "-D", "nb_execution_timeout=3", kernels=request.param
    )
    log = result.stdout + result.stderr
    return BrokenBuild(output, log, result.returncode, processes_of_build(output.parent))


def test_the_build_fails_and_leaves_no_kernel_running(broken: BrokenBuild):
    assert broken.returncode != 0
    assert broken.left_running == []


def test_a_cell_that_raises_fails_the_build_naming_page_and_cell(broken: BrokenBuild):
    log = broken.log
    page = BROKEN / "failing-cell.md"
    assert f"{page}: executing the page failed in code cell 2, line 15:" in log
    assert "An error occurred while executing the following cell:" in log
    assert "numbers[10]" in log and "IndexError" in log
    log_file = kernel_log(broken.output, "failing-cell")
    assert f"The kernel's own output (stderr) is in {log_file}" in log
    assert log_file.is_file()


def test_a_cell_that_exceeds_the_timeout_fails_the_build_naming_page_and_cell(
    broken: BrokenBuild,
):
    page = BROKEN / "slow-cell.md"
    assert f"{page}: executing the page failed in code cell 1, line 11:" in broken.log
    assert "A cell timed out while it was being executed, after 3 seconds." in broken.log
    assert "time.sleep(60)" in broken.log


def test_a_page_that_kills_its_kernel_fails_naming_page_and_cell(broken: BrokenBuild):
    log = broken.log
    page = BROKEN / "crashing-kernel.md"
    assert f"{page}: executing the page failed in code cell 2, line 16:" in log
    assert "os.kill(os.getpid(), signal.SIGKILL)" in log
    assert "DeadKernelError" in log
    log_file = kernel_log(broken.output, "crashing-kernel")
    assert f"The kernel's own output (stderr) is in {log_file}" in log


@KERNELS
def test_python_warnings_stay_under_their_cell_and_fd_2_goes_to_the_kernel_log(
    tmp_path: Path, kernels
):
    output = tmp_path / "html"
    result = build_fixture("stderr-channels", output, kernels=kernels)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    notebook = json.loads((tmp_path / "jupyter_execute" / "index.ipynb").read_text())
    (cell,) = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    streams = {output["name"]: "".join(output["text"]) for output in cell["outputs"]}
    assert "UserWarning: a warning from the page's code" in streams["stderr"]
    assert streams["stdout"] == "printed by the page\n"
    assert "file descriptor 2" not in streams["stderr"]
    assert "written to file descriptor 2\n" in kernel_log(output).read_text()
    assert "file descriptor 2" not in result.stdout + result.stderr
    assert processes_of_build(tmp_path) == []


@KERNELS
def test_interrupting_the_build_leaves_no_kernel_running(tmp_path: Path, kernels):
    output = tmp_path / "html"
    command = [
        *[sys.executable, "-m", "sphinx", "-b", "html", "-c", str(ROOT)],
        *[str(FIXTURES / "slow-cell"), str(output), "-D", "nb_execution_mode=force"],
        *["-D", f"execution_kernels={kernels}", "-D", "execution_warm_modules=numpy"],
    ]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # A warm kernel is a child of the server, whose command line it shares.
    started = 2 if kernels == "warm" else 1
    deadline = time.monotonic() + 240
    while len(processes_of_build(tmp_path)) < started:
        assert time.monotonic() < deadline, "no kernel started"
        assert build.poll() is None, build.stdout.read().decode()[-3000:]
        time.sleep(0.5)
    time.sleep(5)  # the kernel runs the page's time.sleep(60)
    build.send_signal(signal.SIGINT)
    assert build.wait(60) != 0
    time.sleep(1)
    assert processes_of_build(tmp_path) == []


def test_a_broken_cross_reference_fails_the_build(tmp_path: Path):
    result = build_fixture("broken-reference", tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "index.md:3: WARNING: undefined label: 'a-section-nobody-wrote'" in log
