"""Warm kernels: a fork server that has imported the heavy libraries hands out kernels.

Starting a Jupyter kernel and importing TensorFlow costs about 3.5 s on the build
machine, which every page used to pay. Here one server process imports
``ipykernel`` and the libraries pages use (TensorFlow, Keras, NumPy, Matplotlib,
scikit-learn), then waits on a Unix socket. For each page the build asks it for a
kernel; it forks, and the child gets the page's working directory,
environment and log file, then runs ``ipykernel`` exactly as ``python -m
ipykernel_launcher`` would. The page still runs its own imports, which find the
modules already loaded. :class:`ForkProvisioner` is the ``jupyter_client`` kernel
provisioner (the supported way to change how kernels are launched) that talks to
the server; everything else about the kernel (connection file, IPC sockets,
messages, interrupts, shutdown) is the ordinary ``jupyter_client`` machinery.

Why forking after the imports is safe
-------------------------------------
``fork()`` copies the memory of the process but only the thread that called it.
It is safe when no other thread holds a lock or owns state the child needs, and
when no library has set up resources a copy cannot share. The server therefore
does nothing but import: it runs no TensorFlow op, lists no device and reads no
``tf.config`` (so the TensorFlow runtime, its thread pools and its devices are
created in each child, and a page can still configure logical CPUs, as the
distributed-training page does). Measured with TF 2.21: importing these libraries
leaves the server with two threads besides its main one, both idle at the fork:
OpenBLAS's worker pool (started by NumPy; it registers ``pthread_atfork`` handlers
to stop and restart itself around a fork) and one native thread started by
``import tensorflow`` that waits on a condition variable. The child has neither and
does not need them: in forked kernels ops, ``tf.function``, Keras training and
logical-device configuration work (``tests/engine/test_warm_kernels.py``, and the whole
book, whose outputs the determinism test compares with ordinary kernels'). The
server writes its thread count to its log before serving; a new library version
that starts busy threads at import would be the first thing to check there.

What would make it unsafe: anything before the fork that starts the TensorFlow
runtime (an op, ``tf.config.list_logical_devices``, creating a variable, a
``tf.function`` call), a GPU/CUDA context, a library that starts worker threads
at import without fork handlers, open network connections or files shared by
children, or an event loop. Settings read once at import (environment variables
such as ``TF_CPP_MIN_LOG_LEVEL``, ``MPLBACKEND``, ``PYTHONHASHSEED``) take the
server's values, so the server is started with the environment the kernels get.
Choices a library makes once from its surroundings are the subtle case: TensorFlow
configures its Python logger on first use by whether the process is interactive
(a kernel: INFO on stdout; the server: stderr), so each child makes TensorFlow
choose again (``forget_tensorflows_logger``); the pasted-code comparison found it.
Each child reseeds Python's and NumPy's global random generators from the
operating system, as a fresh process would.

Forking is used on Linux only (macOS' system frameworks are not fork-safe after
they are loaded); elsewhere, or when the build asks for ordinary kernels, pages
run in kernels started the ordinary way.

Run as a script, this module is the server: ``python warm_kernels.py SOCKET MODULE...``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import importlib
import json
import os
import select
import signal
import socket
import sys
from pathlib import Path
from typing import Any

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets
PR_SET_PDEATHSIG = 1  # prctl option: signal this process when its parent exits


def available() -> bool:
    """Whether warm kernels can be used here (Linux, with ``fork``)."""
    return sys.platform == "linux" and hasattr(os, "fork")


def die_with_parent(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent exits."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum)


def thread_names() -> list[str]:
    """Names of this process' operating-system threads (Linux)."""
    tasks = Path("/proc/self/task")
    return [(task / "comm").read_text().strip() for task in sorted(tasks.iterdir())]


# --- the server ---------------------------------------------------------------------------


def serve(address: str, modules: list[str]) -> None:
    """Import ``modules``, then fork a kernel for each request on the socket ``address``."""
    die_with_parent(signal.SIGTERM)
    parent = os.getppid()
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for module in ["ipykernel.kernelapp", *modules]:
        importlib.import_module(module)
    print(f"warm kernel server {os.getpid()}: imported {', '.join(modules)}", flush=True)
    print(f"threads before forking: {len(thread_names())}", flush=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen()
    kernels: dict[int, socket.socket] = {}  # pid -> the connection that asked for it
    while os.getppid() == parent:
        readable, _, _ = select.select([listener], [], [], 0.1)
        if readable:
            connection, _ = listener.accept()
            pid = fork_kernel(connection, listener, kernels)
            kernels[pid] = connection
        report_exits(kernels)


def fork_kernel(
    connection: socket.socket, listener: socket.socket, kernels: dict[int, socket.socket]
) -> int:
    """Read one request (JSON line plus the log's file descriptor) and fork its kernel."""
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 2)
    request = json.loads(message)
    pid = os.fork()
    if pid == 0:  # the child: never returns into the server loop
        code = 1
        try:
            listener.close()
            for other in [connection, *kernels.values()]:
                other.close()
            code = become_kernel(request, fds)
        finally:
            os._exit(code)
    for fd in fds:
        os.close(fd)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    return pid


def report_exits(kernels: dict[int, socket.socket]) -> None:
    """Reap finished kernels and tell whoever asked for them their exit status."""
    while kernels:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return
        connection = kernels.pop(pid, None)
        if connection is not None:
            with contextlib.suppress(OSError):
                code = os.waitstatus_to_exitcode(status)
                connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
            connection.close()


def become_kernel(request: dict[str, Any], fds: list[int]) -> int:
    """In the forked child: take the page's cwd, environment and log, and run ipykernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # its own process group, like kernels jupyter_client starts
    die_with_parent(signal.SIGKILL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in {stdin, *fds}:
        os.close(fd)
    reseed_random_generators()
    forget_tensorflows_logger()
    # ipykernel reads JPY_PARENT_PID when it is imported, which was in the server.
    parent = f"--IPKernelApp.parent_handle={os.getppid()}"
    sys.argv = ["ipykernel_launcher", *request["args"], parent]
    sys.path[0] = os.getcwd()  # as for `python -m ipykernel_launcher`
    from ipykernel import kernelapp

    code = 0
    try:
        kernelapp.launch_new_instance()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def forget_tensorflows_logger() -> None:
    """Let TensorFlow configure its Python logger again, as the kernel it now is.

    TensorFlow configures its logger once, when first used, by whether the process is
    interactive: in a kernel (interactive) at level INFO on ``sys.stdout``, so its lines
    appear under the cell; in the server (not interactive) on the server's stderr, which
    in a forked kernel is the kernel log. Forgetting it repeats that choice in the kernel.
    """
    tf_logging = sys.modules.get("tensorflow.python.platform.tf_logging")
    if tf_logging is None or tf_logging._logger is None:
        return
    for handler in list(tf_logging._logger.handlers):
        tf_logging._logger.removeHandler(handler)
    tf_logging._logger.setLevel(0)  # NOTSET, as before TensorFlow configured it
    tf_logging._logger = None


def reseed_random_generators() -> None:
    """Give the child fresh global random states, as a newly started process has."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


# --- the client side: a kernel provisioner ------------------------------------------------

from jupyter_client.provisioning import LocalProvisioner  # noqa: E402
from traitlets import Unicode  # noqa: E402


class ForkedProcess:
    """The ``subprocess.Popen`` subset jupyter_client uses, for a kernel the server forked.

    The server reaps the kernel and sends its exit status on the connection that
    asked for it; if the server itself is gone, so is the kernel (it dies with it).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, connection: socket.socket) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._connection = connection

    def poll(self) -> int | None:
        """The exit status, or None while the kernel runs."""
        if self.returncode is None and select.select([self._connection], [], [], 0)[0]:
            line = self._connection.recv(4096)
            self.returncode = json.loads(line)["exit"] if line else -signal.SIGKILL
            self._connection.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the kernel exits (or ``timeout`` seconds pass)."""
        if self.returncode is None:
            select.select([self._connection], [], [], timeout)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        """Signal the kernel while it runs."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """Ask the kernel to stop."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Stop the kernel at once."""
        self.send_signal(signal.SIGKILL)


class ForkProvisioner(LocalProvisioner):
    """Launch each kernel by asking the warm server at ``server`` to fork one.

    Connection files, ports and shutdown are :class:`LocalProvisioner`'s; only the
    launch differs. ``stdout``/``stderr`` given to the kernel manager (open files)
    become the kernel's file descriptors 1 and 2.
    """

    server = Unicode(config=True, help="Unix socket of the warm kernel server")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict[str, Any]:
        """Send the launch request; keep a Popen-like handle on the forked kernel."""
        if "ipykernel_launcher" not in cmd:
            raise RuntimeError(f"warm kernels run ipykernel only; the kernel command is {cmd}")
        request = {
            "args": cmd[cmd.index("ipykernel_launcher") + 1 :],
            "cwd": str(kwargs.get("cwd") or os.getcwd()),
            "env": dict(kwargs.get("env") or os.environ),
        }
        log = [kwargs[name] or sys.stderr for name in ("stdout", "stderr")]
        pid, connection = await asyncio.to_thread(request_kernel, self.server, request, log)
        self.process = ForkedProcess(pid, connection)
        self.pid = self.pgid = pid  # the kernel leads its own process group
        self.cwd = request["cwd"]
        return self.connection_info


def request_kernel(address: str, request: dict[str, Any], log: list) -> tuple[int, socket.socket]:
    """Connect to the server (waiting while it imports) and ask for one kernel."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(1200):  # the server binds its socket once its imports are done
        try:
            connection.connect(address)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            select.select([], [], [], 0.25)
    else:
        raise RuntimeError(f"the warm kernel server at {address} did not start in 300 s")
    socket.send_fds(connection, [json.dumps(request).encode()], [f.fileno() for f in log])
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = connection.recv(1)
        if not chunk:
            break
        reply += chunk
    if not reply.endswith(b"\n"):
        raise RuntimeError(f"the warm kernel server at {address} closed the connection")
    return json.loads(reply)["pid"], connection


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
