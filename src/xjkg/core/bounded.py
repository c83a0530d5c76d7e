"""A deadline and a memory cap for work on untrusted text (a user's query, a user's shapes).

Neither pyoxigraph nor Python's regular expressions can be interrupted from inside: a runaway query or a
backtracking ``sh:pattern`` holds its thread until it ends. So such work runs in a child process that can
be killed: at the deadline it is, and an engine that runs out of memory (Python's ``MemoryError``, or
Rust's abort on a failed allocation) costs the child, never the command. Either way the command says one
line and exits 3.

The cap is an address-space limit (``RLIMIT_AS``) on the child: ``memory_mb`` more than the process held
when it was forked (a forked child starts with its parent's mappings, which it shares and does not use).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from xjkg.core.child import cap_memory, die_with_parent, fork_flushed, out_of_memory
from xjkg.core.errors import EXIT_FAILED, XjkgError
from xjkg.core.progress import stage

__all__ = ["run_bounded"]

T = TypeVar("T")

_TAIL_BYTES = 65_536  # of a dead child's stderr, read for its cause (a Rust backtrace can be long)


def _tail(stderr: Any) -> str:
    """The last lines a child wrote on ``stderr`` (a binary file)."""
    with contextlib.suppress(OSError, ValueError):
        stderr.seek(0, os.SEEK_END)
        size = stderr.tell()
        stderr.seek(max(0, size - _TAIL_BYTES))
        return str(stderr.read().decode("utf-8", "replace"))
    return ""


def run_bounded(work: Callable[[], T], *, timeout: float, memory_mb: int, what: str, showing: str | None = None) -> T:
    """``work()``, run in a forked child under a deadline of ``timeout`` seconds and ``memory_mb`` (0: none);
    ``showing``: the progress stage shown (on a terminal) while it runs.

    What the child writes on standard error (warnings) is written here once it is done. Its
    :class:`XjkgError` is raised here as it was; a deadline, a memory limit or a crash raise one line with
    exit 3, naming ``what``. For a single-threaded caller (a command): fork is unsafe in a threaded server.
    """
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the child)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = fork_flushed()
    if pid == 0:  # the child: never returns into the caller's code
        _child(work, read_end, write_end, stderr, parent, memory_mb)
    os.close(write_end)
    try:
        with stage(showing) if showing else contextlib.nullcontext():  # after the fork: its thread is ours
            data = _collect(read_end, time.monotonic() + timeout)
        if data is None:
            os.kill(pid, signal.SIGKILL)
            raise XjkgError(f"{what} exceeded the time limit of {timeout:g} s (raise it with --timeout)", EXIT_FAILED)
        os.waitpid(pid, 0)
        pid = 0
        said = _tail(stderr)
        answer: tuple[Any, ...] = pickle.loads(data) if data else ("died",)
        if answer[0] == "ok":
            if said:
                sys.stderr.write(said)
            result: T = answer[1]
            return result
        if answer[0] == "refused":
            raise XjkgError(answer[1], answer[2])
        if answer[0] == "memory" or out_of_memory(said):
            raise XjkgError(
                f"{what} needed more than the memory limit of {memory_mb} MB (raise it with --worker-memory)",
                EXIT_FAILED,
            )
        if answer[0] == "error":
            raise XjkgError(f"{what} failed: {answer[1]}", EXIT_FAILED)
        last = [line for line in said.splitlines() if line.strip()][-1:]
        fatal = [line for line in said.splitlines() if line.startswith("Fatal Python error")][-1:]
        why = " ".join((fatal or last or [""])[0].split())[:300]
        raise XjkgError(f"{what} crashed" + (f": {why}" if why else ""), EXIT_FAILED)
    finally:
        os.close(read_end)
        if pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        stderr.close()


def _collect(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until its end, or None at the deadline."""
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(left * 1000):
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(
    work: Callable[[], Any], read_end: int, write_end: int, stderr: Any, parent: int, memory_mb: int
) -> NoReturn:
    code = 1
    try:
        os.close(read_end)
        die_with_parent(parent)
        # Standard error goes to a file the parent reads, at the descriptor (a Rust panic, the fault handler)
        # and in Python (a test's captured stream, a logging handler holding it).
        os.dup2(stderr.fileno(), 2)
        old, sys.stderr = sys.stderr, open(2, "w", closefd=False)  # noqa: SIM115 (ends with os._exit)
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is old:
                handler.setStream(sys.stderr)
        import faulthandler  # here: the child's own stderr, set just above

        faulthandler.enable(sys.stderr)
        cap_memory(memory_mb, forked=True)
        answer: tuple[Any, ...]
        try:
            answer = ("ok", work())
        except XjkgError as exc:
            answer = ("refused", exc.message, exc.exit_code)
        except MemoryError:
            answer = ("memory",)
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        sys.stderr.flush()
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory",))
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    finally:
        os._exit(code)
