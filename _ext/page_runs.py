"""Run pages in fresh Jupyter kernels, several at a time, longest first.

Each page gets its own kernel (warm, forked by :mod:`warm_kernels`, or ordinary),
talking over IPC sockets in a private folder, with the page's folder as working
directory. What the kernel writes to its file descriptors 1 and 2 goes to the page's
log file; what page code prints or warns through Python is recorded under its cell.
After the last cell, the runner asks the same kernel, in a silent request that adds
no cell and no output, for the versions of Python, TensorFlow, Keras and NumPy it
ran with, and keeps them in the notebook's metadata (``metadata["dlguide"]["versions"]``).
A failure is reported with the page, the cell (number, line, code) and the log.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path

import nbformat
import warm_kernels
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from sphinx.util import logging

logger = logging.getLogger(__name__)

PROVISIONER = "dlguide-warm-kernels"
# Kernel file-descriptor output (C++ logs) goes to the page's kernel log, not its cells.
KERNEL_ARGUMENTS = ["--IPKernelApp.capture_fd_output=False"]
# Run silently in a page's kernel after its cells. A library the page loaded reports its
# own ``__version__``; one it did not load (warm kernels load all of them) reports the
# version installed for the kernel's interpreter, so every page states Python's and these.
REPORTED_LIBRARIES = {"TensorFlow": "tensorflow", "Keras": "keras", "NumPy": "numpy"}
VERSIONS_CODE = f"""
def _dlguide_versions():
    import importlib.metadata, platform, sys
    versions = {{"Python": platform.python_version()}}
    for name, module in {tuple(REPORTED_LIBRARIES.items())!r}:
        loaded = sys.modules.get(module)
        try:
            versions[name] = loaded.__version__ if loaded else importlib.metadata.version(module)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions
"""


@dataclass
class Page:
    """An executable page as this build reads it."""

    docname: str
    path: Path
    notebook: NotebookNode
    key: str
    timeout: int | None
    allow_errors: bool


@dataclass
class Outcome:
    """What executing a page gave: its notebook and times, or an error report."""

    notebook: NotebookNode | None
    seconds: float
    startup: float | None  # kernel start to first cell
    error: str | None = None


class ReadyClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel has answered ``kernel_info``.

    jupyter_client's ``wait_for_ready`` (8.x) ends by reading IOPub until it has been
    quiet for 0.2 s, a wait every page's kernel start paid. nbclient reads only the
    IOPub messages that answer its own requests, so nothing needs flushing here.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for ``kernel_info`` until the kernel answers and IOPub is connected."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            with contextlib.suppress(queue.Empty):
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self.is_alive():
                raise RuntimeError("the kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel did not reply to kernel_info in {timeout} s")


class Kernels:
    """Starts the build's kernels: warm (forked) or ordinary, always over IPC."""

    def __init__(self, kind: str, build: Path, env: dict[str, str], modules: list[str]):
        self.kind = kind
        self.env = env
        self.folder = private_folder(build)
        self.count = 0
        self.server = None
        if kind == "warm":
            self.address = str(self.folder / "server")
            log = build / "kernel-logs" / "warm-kernel-server.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("w") as output:
                self.server = subprocess.Popen(
                    [sys.executable, warm_kernels.__file__, self.address, *modules],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            factory = KernelProvisionerFactory.instance()
            factory.provisioners[PROVISIONER] = EntryPoint(
                name=PROVISIONER,
                value="warm_kernels:ForkProvisioner",
                group=KernelProvisionerFactory.GROUP_NAME,
            )

    def manager(self, kernel_name: str) -> AsyncKernelManager:
        """A kernel manager for one page's kernel."""
        self.count += 1
        manager = AsyncKernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            ip=str(self.folder / f"k{self.count}"),
            client_factory=ReadyClient,
        )
        if self.kind == "warm":
            manager.kernel_spec.metadata["kernel_provisioner"] = {
                "provisioner_name": PROVISIONER,
                "config": {"server": self.address},
            }
        return manager

    def close(self) -> None:
        """Stop the server (its kernels die with it) and remove the sockets."""
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def private_folder(build: Path) -> Path:
    """A folder only this user can enter, for the kernels' sockets.

    It is in the build folder if that path is short enough for Unix socket names
    (about 100 bytes), else in the system's temporary folder.
    """
    build.mkdir(parents=True, exist_ok=True)
    parent = build if len(str(build.resolve())) < 70 else None
    return Path(tempfile.mkdtemp(prefix="kernels-", dir=parent))


async def run_page(
    page: Page, kernels: Kernels, logs: Path, slots: asyncio.Semaphore | None = None
) -> Outcome:
    """Execute one page in a fresh kernel; its kernel's own output goes to its log.

    The page holds one of ``slots`` from its kernel's start to its last reply, so the
    next page starts while this page's kernel shuts down.
    """
    log_path = logs / f"{page.docname}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.from_dict(page.notebook)
    cells: list[float] = []  # start time of each cell reached
    current: dict[str, int] = {}

    def cell_started(cell: NotebookNode, cell_index: int) -> None:
        cells.append(time.perf_counter())
        current["index"] = cell_index

    client = NotebookClient(
        notebook,
        km=kernels.manager(page.notebook.metadata.get("kernelspec", {}).get("name", "python3")),
        timeout=page.timeout,
        allow_errors=page.allow_errors,
        record_timing=False,
        extra_arguments=KERNEL_ARGUMENTS,
        resources={"metadata": {"path": str(page.path.parent)}},
        on_cell_start=cell_started,
    )
    slots = slots or asyncio.Semaphore()
    await slots.acquire()
    start = time.perf_counter()
    error = None
    with log_path.open("w") as log:
        try:
            await client.async_execute(env=kernels.env, stdout=log, stderr=log, cleanup_kc=False)
            versions = await kernel_versions(client)
            notebook.metadata.setdefault("dlguide", {})["versions"] = versions
        except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError) as exc:
            error = failure_report(page, current.get("index"), log_path, exc)
        finally:
            seconds = time.perf_counter() - start
            slots.release()
            if client.kc is not None:
                client.kc.stop_channels()
            if client.km is not None and client.km.has_kernel:
                await client.km.shutdown_kernel(now=True)
    startup = cells[0] - start if cells else None
    return Outcome(None if error else notebook, seconds, startup, error)


async def kernel_versions(client: NotebookClient) -> dict[str, str]:
    """Ask the page's kernel, silently, which versions of Python and the libraries it runs."""
    request = client.kc.execute(
        VERSIONS_CODE,
        silent=True,
        store_history=False,
        user_expressions={"versions": "_dlguide_versions()"},
    )
    reply = await client.async_wait_for_reply(request)
    result = reply["content"]["user_expressions"]["versions"] if reply else {}
    if result.get("status") != "ok":
        raise RuntimeError(f"the kernel did not report its versions: {result}")
    return ast.literal_eval(result["data"]["text/plain"])


def failure_report(page: Page, index: int | None, log: Path, error: Exception) -> str:
    """The error naming the page, the cell (index, line, code) and the kernel's log."""
    where = "before its first cell"
    if index is not None:
        cells = page.notebook.cells
        number = sum(cell.cell_type == "code" for cell in cells[: index + 1])
        source_map = page.notebook.metadata.get("source_map")
        line = f", line {source_map[index] + 1}" if source_map else ""
        where = f"in code cell {number}{line}:\n{cells[index].source}\n"
    return (
        f"{page.path}: executing the page failed {where}\n"
        f"{type(error).__name__}: {error}\n"
        f"The kernel's own output (stderr) is in {log}"
    )


async def run_pages(pages: list[Page], kernels: Kernels, workers: int, logs: Path) -> list:
    """Run ``pages`` in order, ``workers`` at a time, reporting each as it finishes."""
    slots = asyncio.Semaphore(workers)

    async def one(page: Page) -> Outcome:
        outcome = await run_page(page, kernels, logs, slots)
        status = "failed" if outcome.error else "executed"
        startup = "" if outcome.startup is None else f", kernel ready in {outcome.startup:.1f} s"
        logger.info(f"{status} {page.docname} in {outcome.seconds:.1f} s{startup}")
        return outcome

    return await asyncio.gather(*(one(page) for page in pages))
