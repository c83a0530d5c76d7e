"""How a worker process guards itself: it dies with its parent, and its address space is capped.

Shared by the query workers (:mod:`xjkg.query.worker`) and the killable children of
:func:`xjkg.core.bounded.run_bounded`; light on imports, as a fresh worker interpreter starts with it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sys

__all__ = ["address_space", "cap_memory", "die_with_parent", "fork_flushed", "out_of_memory"]


def address_space() -> int:
    """This process's address space in bytes (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cap_memory(memory_mb: int, *, forked: bool) -> None:
    """Limit this process's address space: ``memory_mb`` in all, or (``forked``) more than it holds now."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024 + (address_space() if forked else 0)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent ends (``PR_SET_PDEATHSIG``, asked from the thread that
    lives as long as the process: the request belongs to the thread that makes it)."""
    if sys.platform.startswith("linux"):
        import ctypes  # Linux only: prctl is reached through libc

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def out_of_memory(said: str) -> bool:
    """Whether what a dead worker said is running out of its memory limit (Rust aborts, Python raises)."""
    return "memory allocation" in said or "MemoryError" in said


def fork_flushed() -> int:
    """``os.fork()`` with standard output and error flushed first, else the child would inherit, and write
    again, what is buffered."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    return os.fork()
