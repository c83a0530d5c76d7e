"""Outputs are written atomically and runs that write are serialised by a lock.

A failed or killed run leaves the previous file as it was: we write a temporary file in the same
folder, flush and fsync it, then ``os.replace`` it over the target (atomic on POSIX). A symbolic link
is followed (the file it points to is replaced, the link kept); a device, pipe or terminal
(``-o /dev/stdout``) is written in place, since it holds no previous file to keep.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

from .errors import EXIT_FAILED, XjkgError

__all__ = ["WriteError", "atomic_open", "atomic_write_bytes", "exclusive_lock"]


class WriteError(XjkgError, OSError):
    """Writing an output failed (disk full, no permission): a one-line message naming it, exit 3.

    Still an :class:`OSError`, so callers that handle OS errors keep doing so.
    """


def _write_error(target: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(f"{target}: cannot write ({reason}); the previous file, if any, is unchanged", EXIT_FAILED)


@contextlib.contextmanager
def atomic_open(target: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``target``; on success it replaces ``target``, on error it is removed."""
    target = Path(target)
    try:
        mode = os.stat(target).st_mode  # follows links: /dev/stdout is whatever fd 1 is
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(f"{target}: is a folder; name a file to write", EXIT_FAILED)
    if mode is not None and not stat.S_ISREG(mode):
        # os.replace would put a regular file in place of the device node (or of the /dev/stdout link)
        try:
            with open(target, "wb") as stream:
                yield stream
        except OSError as exc:
            raise _write_error(target, exc) from exc
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # replace the file the link names, keep the link
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    tmp = Path(tmp_name)
    handle = os.fdopen(fd, "wb")
    try:
        yield handle
        try:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as exc:
            raise _write_error(target, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):  # a disk-full buffer cannot be flushed on close either
            handle.close()
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_bytes(p, b"hi"); p.read_bytes()
    b'hi'
    """
    with atomic_open(target) as handle:
        try:
            handle.write(data)
        except OSError as exc:  # disk full: the temporary file is removed, the target left as it was
            raise _write_error(Path(target), exc) from exc


@contextlib.contextmanager
def exclusive_lock(target: Path, what: str = "build") -> Iterator[None]:
    """Hold ``<target>.lock`` for the run; a second run at the same time gets a clear error (exit 3)."""
    lock_path = Path(target).with_name(Path(target).name + ".lock")
    try:  # a lock file that cannot be made is not "held by another run": say what is wrong
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise WriteError(f"{lock_path}: cannot create the lock file ({exc.strerror or exc})", EXIT_FAILED) from exc
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise XjkgError(
            f"another xjkg {what} is writing {target} (lock {lock_path} is held); wait for it to finish",
            EXIT_FAILED,
        ) from None
    _remove_stale_temporaries(Path(target))
    try:
        yield
    finally:
        lock.release()


def _remove_stale_temporaries(target: Path) -> None:
    """Remove what a killed run left beside ``target`` (``.NAME.*.tmp`` files and folders).

    Only called while holding the target's lock, so no other build or release of it is writing them.
    """
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
