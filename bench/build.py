"""Measure what building the book costs, side by side in one run.

Run from the repository root, in the environment the README's build command creates,
with the "bench" extra (psutil, to measure memory) added:

    .venv/bin/python -m pip install -e ".[docs,bench]"
    .venv/bin/python bench/build.py [SPHINX OPTION...]

Options given are added to every build (e.g. ``-D nb_execution_timeout=600`` on a
machine so loaded that the heaviest cells outlive the book's 120 s timeout).

It builds a copy of the book (conf.py, _ext, _static, src, docs; the repository is
never touched) and prints, for this machine:

(a) a build that executes nothing (nb_execution_mode=off),
(s) every page executed one at a time in ordinary kernels (execution_workers=1):
    the serial execution time, the sum of the pages' run times,
(b) the floor: (a) + (s) / cores,
(c) a cold build with forced execution in ordinary kernels, and (w) the same in warm
    (forked) kernels, both -j auto, with their ratios to the floor (targets: 1.15 for
    ordinary kernels, 0.67 for warm ones),
(e) a rebuild of (w) with nothing changed, (f) after editing one page's code,
(g) after editing only prose, (h) after editing one package module, with the pages it
    ran and the pages the import graph says use that module,

with the pages each build executed, the peak memory of the whole build (all its
processes together), the most Jupyter kernels alive at once, each kind of kernel's
start-up per page (kernel start to first cell), and the five slowest pages of (s) and (w).
Numbers are printed, never asserted: timings depend on the machine and its load.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from myst_nb.core.read import read_myst_markdown_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from package_imports import closure, module_files  # noqa: E402

EXECUTED = re.compile(
    r"^executed (\S+) in ([\d.]+) s(?:, kernel ready in ([\d.]+) s)?$", re.MULTILINE
)
# Edits for (f), (g) and (h): a code cell that stays valid, a sentence of prose, a module.
CODE_EDIT = (
    "docs/foundations/activation-functions.md",
    "rng = np.random.default_rng(0)\n",
    "rng = np.random.default_rng(0)\nedited = True\n",
)
PROSE_EDIT = (
    "docs/foundations/activation-functions.md",
    "Everything a network\n",
    "Everything (edited) a network\n",
)
MODULE_EDIT = ("src/dlguide/activations.py", '"""', '"""Edited. ')
COPIED = ["conf.py", "_ext", "_static", "src", "docs", "tests"]  # pages include tests/ files


@dataclass
class Build:
    """One measured build."""

    seconds: float
    peak_rss_gb: float
    peak_kernels: int  # most kernels alive at once
    executed: dict[str, float]  # page -> seconds its code took
    startup: list[float]  # each page's kernel start to first cell, seconds


def build(book: Path, folder: Path, *options: str) -> Build:
    """Build like the README does, into ``folder/html``, sampling all processes' memory."""
    command = [
        *[sys.executable, "-m", "sphinx", "-b", "html", "-c", str(book), "-j", "auto"],
        *[str(book / "docs"), str(folder / "html"), *options, *sys.argv[1:]],
    ]
    env = {**os.environ, "PYTHONPATH": str(book / "src")}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = psutil.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
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
    found = EXECUTED.findall(text)
    executed = {page: float(run) for page, run, _ in found}
    startup = [float(ready) for _, _, ready in found if ready]
    return Build(seconds, peak / 1e9, kernels, executed, startup)


def tree_usage(process: psutil.Process) -> tuple[int, int]:
    """Resident memory (bytes) of a process and its descendants, and how many are kernels.

    Warm kernels are children of their server, itself a child of the build.
    """
    total, kernels = 0, 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += member.memory_info().rss
            command = " ".join(member.cmdline())
            kernels += "ipykernel" in command or (
                "warm_kernels.py" in command and member.ppid() != process.pid
            )
    return total, kernels


def edit(book: Path, change: tuple[str, str, str]) -> None:
    """Replace text in one file of the copied book, or stop if the text is gone."""
    name, old, new = change
    path = book / name
    text = path.read_text()
    if old not in text:
        sys.exit(f"bench/build.py: {old!r} is no longer in {name}; update the edit")
    path.write_text(text.replace(old, new, 1))


def pages_using(book: Path, module: str) -> list[str]:
    """Pages whose code runs ``module`` (by the import graph), as docnames."""
    sys.path.insert(0, str(book / "src"))
    files = module_files("dlguide")
    sys.path.pop(0)
    users = []
    for page in sorted((book / "docs").rglob("*.md")):
        text = page.read_text()
        if "\nfile_format: mystnb\n" not in text[:200]:
            continue
        cells = read_myst_markdown_notebook(text).cells
        code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
        if module in closure(code, "dlguide", files):
            users.append(page.relative_to(book / "docs").with_suffix("").as_posix())
    return users


def startup(result: Build) -> str:
    """Median and range of the pages' kernel start-up."""
    if not result.startup:
        return "n/a"
    low, high = min(result.startup), max(result.startup)
    return f"median {statistics.median(result.startup):.1f} s ({low:.1f}-{high:.1f} s)"


def row(name: str, result: Build) -> Build:
    """Print one build's line as soon as it is measured (a long run can be read as it goes)."""
    print(
        f"{name:42s} {result.seconds:8.1f} {len(result.executed):9d} "
        f"{result.peak_rss_gb:6.2f} GB {result.peak_kernels:7d}",
        flush=True,
    )
    return result


def main() -> None:
    """Run the builds on a copy of the book and print the table and ratios.

    The floor's builds run first, so that each cold build's ratio is printed as soon as
    it is measured (a long run can be read as it goes).
    """
    workers = len(os.sched_getaffinity(0))
    force = ["-D", "nb_execution_mode=force"]
    ordinary_kernels = ["-D", "execution_kernels=ordinary"]
    one_at_a_time = ["-D", "execution_workers=1"]
    print(f"machine: {workers} CPU cores, Python {sys.version.split()[0]}")
    print(f"load average at the start: {os.getloadavg()}\n")
    print(f"{'build':42s} {'seconds':>8s} {'pages run':>9s} {'peak RSS':>9s} {'kernels':>7s}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        book = work / "book"
        book.mkdir()
        for name in COPIED:
            copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile
            copy(ROOT / name, book / name)
        off = row("(a) no execution", build(book, work / "a", "-D", "nb_execution_mode=off"))
        serial = row(
            "(s) forced, one page at a time, ordinary",
            build(book, work / "s", *force, *ordinary_kernels, *one_at_a_time),
        )
        serial_execution = sum(serial.executed.values())
        floor = off.seconds + serial_execution / workers
        print(
            f"    serial execution: {serial_execution:.1f} s for {len(serial.executed)} pages;"
            f" (b) floor = (a) + (s) / {workers} cores = {floor:.1f} s",
            flush=True,
        )
        warm = row("(w) cold, forced, warm kernels", build(book, work / "w", *force))
        print(f"    (w) / (b) = {warm.seconds / floor:.2f}   (target <= 0.67)", flush=True)
        ordinary = row(
            "(c) cold, forced, ordinary kernels", build(book, work / "c", *force, *ordinary_kernels)
        )
        print(f"    (c) / (b) = {ordinary.seconds / floor:.2f}   (target <= 1.15)", flush=True)
        # The rebuilds reuse (w)'s execution cache, as an author's next build would.
        unchanged = row("(e) rebuild, nothing changed", build(book, work / "w"))
        edit(book, CODE_EDIT)
        code_edit = row("(f) rebuild, one code cell edited", build(book, work / "w"))
        edit(book, PROSE_EDIT)
        prose_edit = row("(g) rebuild, prose edited", build(book, work / "w"))
        edit(book, MODULE_EDIT)
        module_edit = row("(h) rebuild, one package module edited", build(book, work / "w"))
        users = pages_using(book, "dlguide.activations")

    print(
        f"\nload average at the end: {os.getloadavg()}"
        f"\n(s) serial execution: {serial_execution:.1f} s for {len(serial.executed)} pages"
        f"\n(b) floor = (a) + (s) / {workers} cores = {floor:.1f} s"
        f"\n(c) / (b) = {ordinary.seconds / floor:.2f}   (target <= 1.15, ordinary kernels)"
        f"\n(w) / (b) = {warm.seconds / floor:.2f}   (target <= 0.67, warm kernels)"
        f"\n(e) / (a) = {unchanged.seconds / off.seconds:.2f}"
    )
    print("\nkernel start to first cell, per page:")
    print(f"  ordinary kernels (c): {startup(ordinary)}")
    print(f"  warm kernels (w):     {startup(warm)}")
    print(f"\n(f) executed: {', '.join(code_edit.executed) or 'nothing'}")
    print(f"(g) executed: {', '.join(prose_edit.executed) or 'nothing'}")
    print(f"(h) executed: {', '.join(sorted(module_edit.executed)) or 'nothing'}")
    print(f"    pages that use dlguide.activations: {', '.join(users)}")
    for name, result in [
        ("(s), one at a time in ordinary kernels (start-up and imports included)", serial),
        ("(w), the default cold build (warm kernels, two pages at a time)", warm),
    ]:
        print(f"\nslowest pages in {name}:")
        for page, seconds in sorted(result.executed.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {seconds:6.1f} s  {page}")


if __name__ == "__main__":
    main()
