"""Outputs are written atomically, only where the user said, and runs that write are serialised by a lock.

A failed or killed run leaves the previous file as it was: we write a temporary file in the same
folder, flush and fsync it, then ``os.replace`` it over the target (atomic on POSIX; the replaced
file's permissions are kept). A symbolic link to a file is followed (the file it points to is
replaced, the link kept); a device, pipe or terminal (``-o /dev/stdout``) is written in place, since
it holds no previous file to keep, and gets no lock file beside it.

No folder is ever created for an output: :func:`check_output_file` and :func:`check_output_folder`
refuse (exit 2, before any work) a name whose folder does not exist, a name ending in ``/`` that is
not a folder, a folder where a file is wanted, and anything that is neither a file, a folder, a
device nor a pipe.
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

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError

__all__ = [
    "WriteError",
    "atomic_open",
    "atomic_write_bytes",
    "check_output_file",
    "check_output_folder",
    "exclusive_lock",
    "is_device",
]


class WriteError(XjkgError, OSError):
    """Writing an output failed (disk full, no permission): a one-line message naming it, exit 3.

    Still an :class:`OSError`, so callers that handle OS errors keep doing so.
    """


def _write_error(target: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(f"{target}: cannot write ({reason}); the previous file, if any, is unchanged", EXIT_FAILED)


def is_device(target: Path) -> bool:
    """Whether ``target`` (links followed) exists and is not a regular file or folder: a device, pipe or tty."""
    try:
        mode = os.stat(target).st_mode  # follows links: /dev/stdout is whatever fd 1 is
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _ends_with_separator(name: str | os.PathLike[str]) -> bool:
    text = os.fspath(name)
    return text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep))


def check_output_file(name: str | os.PathLike[str], option: str = "--output") -> Path:
    """The file the user named for an output, checked before any work; refusals are exit 2.

    A regular file (or a link to one) will be replaced atomically, a device or pipe written in place,
    a new file created in an existing folder. Refused: a folder, a name ending in ``/``, a name in a
    folder that does not exist (never created silently), a dangling link, a socket.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_file(folder / "new.ttl") == folder / "new.ttl"
    True
    >>> check_output_file(str(folder / "missing") + "/")
    Traceback (most recent call last):
    xjkg.core.errors.XjkgError: .../missing/: no such folder; --output names a file in an existing folder
    """
    target = Path(name)
    shown = os.fspath(name)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise XjkgError(f"{shown}: cannot use as {option} ({exc.strerror or exc})", EXIT_BAD_INPUT) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise XjkgError(f"{shown}: is a folder; {option} needs a file name", EXIT_BAD_INPUT)
    if _ends_with_separator(name):
        raise XjkgError(f"{shown}: no such folder; {option} names a file in an existing folder", EXIT_BAD_INPUT)
    if mode is None:
        if target.is_symlink():
            raise XjkgError(
                f"{shown}: is a link to {os.readlink(target)}, which does not exist; name the file itself",
                EXIT_BAD_INPUT,
            )
        parent = target.parent
        if not parent.is_dir():
            raise XjkgError(
                f"{shown}: the folder {parent} does not exist; create it first (xjkg never creates folders "
                f"for {option})",
                EXIT_BAD_INPUT,
            )
    elif stat.S_ISSOCK(mode):
        raise XjkgError(f"{shown}: is a socket, not a file; {option} needs a file name", EXIT_BAD_INPUT)
    return target


def check_output_folder(name: str | os.PathLike[str], option: str = "--output") -> Path:
    """A folder to write files into: an existing folder, or a new one whose parent exists (exit 2 otherwise).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_folder(folder / "site") == folder / "site"
    True
    """
    target = Path(name)
    shown = os.fspath(name)
    if target.is_dir():
        return target
    if os.path.lexists(target):
        kind = "a link to nothing" if target.is_symlink() else "not a folder"
        raise XjkgError(
            f"{shown}: {kind}; {option} names a folder (existing, or new in an existing one)",
            EXIT_BAD_INPUT,
        )
    if not target.absolute().parent.is_dir():
        raise XjkgError(
            f"{shown}: the folder {target.parent} does not exist; create it first (xjkg never creates "
            f"folders above {option})",
            EXIT_BAD_INPUT,
        )
    return target


@contextlib.contextmanager
def atomic_open(target: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``target``; on success it replaces ``target``, on error it is removed.

    The folder must exist (nothing is created above the target: :func:`check_output_file` says why).
    """
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
    keep_mode = stat.S_IMODE(mode) if mode is not None else 0o644  # a replaced file keeps its permissions
    try:
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
            os.chmod(tmp, keep_mode)
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
    """Hold ``<target>.lock`` for the run; a second run at the same time gets a clear error (exit 3).

    A device or pipe (``--output /dev/stdout``) gets no lock file beside it: nothing is replaced there.
    """
    if is_device(Path(target)):
        yield
        return
    lock_path = Path(target).with_name(Path(target).name + ".lock")
    try:  # a lock file that cannot be made is not "held by another run": say what is wrong
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
