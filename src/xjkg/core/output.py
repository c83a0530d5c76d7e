"""How a command answers: its bytes written (a file atomically, or standard output), and its errors turned
into one line and an exit code. Used by the command line and by every command that writes a result."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from xjkg.core.atomic import atomic_write_bytes
from xjkg.core.errors import XjkgError

__all__ = ["emit", "guarded"]


def emit(output: Path | None, data: bytes) -> None:
    """Write a command's answer: into the file ``output`` (atomically), or to standard output."""
    if output is not None:
        atomic_write_bytes(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def guarded(command: str | None, run: Callable[[], int]) -> int:
    """Run a command: an error a user can act on is one line and its exit code, never a traceback."""
    try:
        return run()
    except XjkgError as exc:
        one_line = exc.message.replace("\r", "\\r").replace("\n", "\\n")  # a file name may hold a line break
        print(f"xjkg {command}: error: {one_line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("xjkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `xjkg query ... | head` is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # else flushing at exit fails again
        return 0
