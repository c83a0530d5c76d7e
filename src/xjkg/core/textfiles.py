"""The one reader of the text files a user hands xjkg: report texts, ``report.yaml``, mappings, vocabularies, and
a query on standard input.

The corpus is input like any other, so every file is held to the same rules before a parser sees it:

* a regular file only: a FIFO, a device or a socket is refused by name, and is opened without blocking
  (``O_NONBLOCK``, then ``fstat``) so a FIFO with no writer never holds the command (or the build's lock);
* a symbolic link may only lead to a file inside the folder it is read from (``within``): one that leaves
  the corpus is refused;
* a size cap, checked on the open file and again while reading (a file that grows is cut off, not followed);
* strict UTF-8, a byte order mark dropped; a character YAML cannot hold (a control character other than tab
  and line breaks, DEL, C1 controls, U+FFFE/U+FFFF) is refused naming the file, line and column.

Every refusal is an :class:`~xjkg.errors.XjkgError` with exit code 2 and a one-line message.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError

__all__ = ["MAX_TEXT_BYTES", "check_characters", "decode", "read_bytes", "read_stdin", "read_text", "shown"]

#: The largest corpus file read (bytes). The seed report is 16 KB; a yearbook's section stays far below this.
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: Characters YAML 1.1 cannot print (its "c-printable" set's complement): refused in every corpus file.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def shown(value: str, limit: int = 60) -> str:
    """``value`` quoted for a one-line message: control characters escaped, cut to about ``limit`` characters.

    >>> shown("a" * 100, 10)
    "'aaaaaaaaaa…' (100 characters)"
    >>> shown("x\\ny")
    "'x\\\\ny'"
    """
    if len(value) > limit:
        return repr(value[:limit])[:-1] + f"…' ({len(value):,} characters)"
    return repr(value)


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _open(path: Path, within: Path | None) -> int:
    try:
        link = os.lstat(path)
    except OSError as exc:
        raise XjkgError(f"{path}: cannot read: {exc.strerror or exc}", EXIT_BAD_INPUT) from None
    if stat.S_ISLNK(link.st_mode) and within is not None:
        real, root = Path(os.path.realpath(path)), Path(os.path.realpath(within))
        if not real.is_relative_to(root):
            raise XjkgError(
                f"{path}: a symbolic link leading out of {within} (to {real}); copy the file in instead",
                EXIT_BAD_INPUT,
            )
    try:  # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise XjkgError(f"{path}: cannot read: {exc.strerror or exc}", EXIT_BAD_INPUT) from None


def read_bytes(path: Path, *, within: Path | None = None, max_bytes: int = MAX_TEXT_BYTES, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (at most ``max_bytes``); anything else is refused with exit 2."""
    path = Path(path)
    fd = _open(path, within)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise XjkgError(f"{path}: {_kind(info.st_mode)}, not a regular file; a {what} must be one", EXIT_BAD_INPUT)
        if info.st_size > max_bytes:
            raise XjkgError(
                f"{path}: {info.st_size:,} bytes, over the {max_bytes:,}-byte limit of a {what}", EXIT_BAD_INPUT
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = _read_capped(stream, max_bytes)
    except OSError as exc:
        raise XjkgError(f"{path}: cannot read: {exc.strerror or exc}", EXIT_BAD_INPUT) from None
    finally:
        os.close(fd)
    if data is None:
        raise XjkgError(f"{path}: grew past the {max_bytes:,}-byte limit of a {what} while read", EXIT_BAD_INPUT)
    return data


def _read_capped(stream: BinaryIO, max_bytes: int) -> bytes | None:
    data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def decode(data: bytes, name: str | Path) -> str:
    """``data`` as strict UTF-8 without a byte order mark, holding only characters YAML can print.

    >>> decode(b"\\xef\\xbb\\xbfTitle\\n", "t.txt")
    'Title\\n'
    >>> decode(b"ok\\nbad \\x1b here", "t.txt")
    Traceback (most recent call last):
    xjkg.core.errors.XjkgError: t.txt:2:5: control character U+001B; a corpus file holds text only (remove it)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise XjkgError(f"{name}:{line}: not UTF-8 (byte {exc.start})", EXIT_BAD_INPUT) from None
    check_characters(text, name)
    return text


def check_characters(text: str, name: str | Path) -> None:
    """Refuse a character YAML cannot print, naming the file, line and column."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise XjkgError(
            f"{name}:{line}:{column}: control character U+{ord(bad.group()):04X}; a corpus file holds text only "
            "(remove it)",
            EXIT_BAD_INPUT,
        )


def read_text(path: Path, *, within: Path | None = None, max_bytes: int = MAX_TEXT_BYTES, what: str = "file") -> str:
    """:func:`read_bytes` then :func:`decode`: the checked text of a corpus file."""
    return decode(read_bytes(path, within=within, max_bytes=max_bytes, what=what), path)


def read_stdin(max_bytes: int = MAX_TEXT_BYTES, what: str = "query") -> str:
    """Standard input as UTF-8 text, refused (exit 2) past ``max_bytes`` instead of read until memory runs out."""
    data = _read_capped(sys.stdin.buffer, max_bytes)
    if data is None:
        raise XjkgError(f"<stdin>: more than {max_bytes:,} bytes, the limit of a {what}", EXIT_BAD_INPUT)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise XjkgError(f"<stdin>: not UTF-8 (byte {exc.start})", EXIT_BAD_INPUT) from None
