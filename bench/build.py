"""Measure what building the book costs, side by side in one run.

Run from the repository root, in the environment the README's build command creates:

    .venv/bin/python bench/build.py

It builds a copy of docs/ (the repository is never touched) and prints, for this machine:

(a) a build that executes nothing (nb_execution_mode=off),
(b) the floor for execution: executed pages x (kernel start + import tensorflow) / workers,
(c) a cold build with forced execution (and (c1) the same on one worker, -j 1),
(d) a cold build with the execution cache,
(e) a rebuild with nothing changed, (f) a rebuild after editing one page's code,
(g) a rebuild after editing only prose on one page,

with the pages each build executed, the peak memory of the whole build (all its
processes together), the most Jupyter kernels alive at once (each page's kernel ends
with its page, so this stays at or below the number of workers), the five slowest
pages, and the ratios the README quotes.
Numbers are printed, never asserted: timings depend on the machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
EXECUTED = re.compile(r"^(\S+\.md): Executed notebook in ([\d.]+) seconds", re.MULTILINE)
# Pages edited for (f) and (g): a code cell that stays valid, and a sentence of prose.
CODE_EDIT = (
    "foundations/activation-functions.md",
    "rng = np.random.default_rng(0)\n",
    "rng = np.random.default_rng(0)\nedited = True\n",
)
PROSE_EDIT = (
    "foundations/activation-functions.md",
    "Everything a network\n",
    "Everything (edited) a network\n",
)


@dataclass
class Build:
    """One measured build."""

    seconds: float
    peak_rss_gb: float
    peak_kernels: int  # most kernels alive at once: each page's kernel ends with its page
    executed: dict[str, float]  # page -> seconds its code took


def build(source: Path, output: Path, *options: str, workers: str = "auto") -> Build:
    """Run sphinx-build like the README does, sampling the memory of all its processes."""
    sphinx = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(ROOT), "-j", workers]
    command = [*sphinx, str(source), str(output), *options]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = psutil.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak, kernels = 0, 0
        while process.poll() is None:
            rss, alive = tree_usage(process)
            peak, kernels = max(peak, rss), max(kernels, alive)
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        log.seek(0)
        text = log.read()
    if process.returncode != 0:
        sys.exit(f"build failed:\n{text[-5000:]}")
    executed = {
        Path(page).relative_to(source).as_posix(): float(t) for page, t in EXECUTED.findall(text)
    }
    return Build(seconds, peak / 1e9, kernels, executed)


def tree_usage(process: psutil.Process) -> tuple[int, int]:
    """Resident memory (bytes) of a process and its descendants, and how many are kernels."""
    total, kernels = 0, 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += member.memory_info().rss
            kernels += "ipykernel_launcher" in " ".join(member.cmdline())
    return total, kernels


def kernel_start_and_import_tensorflow() -> float:
    """Seconds from asking for a kernel to having TensorFlow imported in it."""
    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
    client.execute_interactive("import tensorflow", timeout=120)
    seconds = time.perf_counter() - start
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return seconds


def edit(source: Path, change: tuple[str, str, str]) -> None:
    """Replace text in one page of the copied sources, or stop if the text is gone."""
    page, old, new = change
    path = source / page
    text = path.read_text()
    if old not in text:
        sys.exit(f"bench/build.py: {old!r} is no longer in {page}; update the edit")
    path.write_text(text.replace(old, new, 1))


def main() -> None:
    """Run the seven builds on a copy of docs/ and print the table and ratios."""
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # A copy of the sources, laid out like the repository (pages include ../../src).
        shutil.copytree(ROOT / "docs", work / "docs")
        (work / "src").symlink_to(ROOT / "src")
        source = work / "docs"

        off = build(source, work / "off" / "html", "-D", "nb_execution_mode=off")
        kernel = min(kernel_start_and_import_tensorflow() for _ in range(3))
        forced = build(source, work / "forced" / "html", "-D", "nb_execution_mode=force")
        serial = build(
            source, work / "serial" / "html", "-D", "nb_execution_mode=force", workers="1"
        )
        floor = len(forced.executed) * kernel / workers
        cached = build(source, work / "cached" / "html")
        unchanged = build(source, work / "cached" / "html")
        edit(source, CODE_EDIT)
        code_edit = build(source, work / "cached" / "html")
        edit(source, PROSE_EDIT)
        prose_edit = build(source, work / "cached" / "html")

    rows = [
        ("(a) no execution", off),
        ("(c) cold, forced execution", forced),
        ("(c1) the same with -j 1", serial),
        ("(d) cold, execution cache", cached),
        ("(e) rebuild, nothing changed", unchanged),
        ("(f) rebuild, one code cell edited", code_edit),
        ("(g) rebuild, prose edited", prose_edit),
    ]
    print(f"machine: {workers} CPU cores, Python {sys.version.split()[0]}\n")
    print(f"{'build':36s} {'seconds':>8s} {'pages run':>9s} {'peak RSS':>9s} {'kernels':>7s}")
    for name, result in rows:
        print(
            f"{name:36s} {result.seconds:8.1f} {len(result.executed):9d} "
            f"{result.peak_rss_gb:6.2f} GB {result.peak_kernels:7d}"
        )
    print(
        f"\n(b) floor: {len(forced.executed)} pages x {kernel:.1f} s (kernel start + import "
        f"tensorflow) / {workers} workers = {floor:.1f} s"
    )
    print(f"(c) / ((b) + (a)) = {forced.seconds / (floor + off.seconds):.2f}")
    print(f"(e) / (a)         = {unchanged.seconds / off.seconds:.2f}")
    print(f"(c1) / (c)        = {serial.seconds / forced.seconds:.2f} (speed-up of -j auto)")
    print(f"(f) executed: {', '.join(code_edit.executed) or 'nothing'}")
    print(f"(g) executed: {', '.join(prose_edit.executed) or 'nothing'}")
    print("\nslowest pages (forced build):")
    for page, seconds in sorted(forced.executed.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {seconds:6.1f} s  {page}")


if __name__ == "__main__":
    main()
