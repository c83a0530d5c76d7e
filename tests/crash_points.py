"""Run an ``xjkg`` command that kills itself with SIGKILL at a chosen point (a test driver, not a library).

    python tests/crash_points.py POINT [--stub-validation] -- build --output X

The points hook only this process, through the standard functions :mod:`xjkg.core.atomic` and
:mod:`xjkg.publish.release` call, so the product code carries no test hook:

* ``none``: run normally;
* ``write-half:N``: the N-th atomic write stops (SIGKILL) after writing half its bytes;
* ``before-replace:N`` / ``after-replace:N``: SIGKILL just before / after the N-th ``os.replace``
  of an atomic temporary file (``.NAME.XXXX.tmp``) over its target;
* ``before-swap`` / ``after-swap``: SIGKILL just before / after a release folder is swapped in;
* ``gate``: with ``--stub-validation``, print ``HOLDING`` once validation starts (the output's lock is
  held by then) and wait until the file named by ``XJKG_TEST_GATE`` exists.

``--stub-validation`` replaces SHACL validation with "conforms": validation takes tens of seconds on
the full graph and is not what these tests kill (the timing-based kills run the real command).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _install(point: str) -> None:
    name, _, count = point.partition(":")
    nth = int(count or 1)
    if name in ("before-replace", "after-replace"):
        real_replace = os.replace
        seen = 0

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            nonlocal seen
            is_atomic = Path(src).name.startswith(".") and str(src).endswith(".tmp")
            seen += is_atomic
            if is_atomic and seen == nth and name == "before-replace":
                _die()
            real_replace(src, dst, *args, **kwargs)
            if is_atomic and seen == nth and name == "after-replace":
                _die()

        os.replace = replace  # type: ignore[assignment]
    elif name == "write-half":
        real_fdopen = os.fdopen
        opened = 0

        class HalfWriter:
            """Writes half of what it is given, flushes it to the file, and dies."""

            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def write(self, data: bytes) -> int:
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                os.fsync(self.handle.fileno())
                _die()
                return 0

            def __getattr__(self, attr: str) -> Any:
                return getattr(self.handle, attr)

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            nonlocal opened
            handle = real_fdopen(fd, mode, *args, **kwargs)
            if mode == "wb" and "atomic" in sys._getframe(1).f_code.co_filename:
                opened += 1
                if opened == nth:
                    return HalfWriter(handle)
            return handle

        os.fdopen = fdopen  # type: ignore[assignment]
    elif name in ("before-swap", "after-swap"):
        import xjkg.publish.release as release

        real_swap = release._swap

        def swap(new: Path, target: Path) -> None:
            if name == "before-swap":
                _die()
            real_swap(new, target)
            _die()

        release._swap = swap  # type: ignore[assignment]
    elif name not in ("none", "gate"):
        raise SystemExit(f"unknown point {point!r}")


def _stub_validation(gate: bool) -> None:
    from rdflib import Graph

    import xjkg.validation.validate as validate

    def validate_graph(*args: Any, **kwargs: Any) -> Any:
        if gate:
            print("HOLDING", flush=True)
            release_file = Path(os.environ["XJKG_TEST_GATE"])
            deadline = time.monotonic() + 120
            while not release_file.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return validate.ValidationOutcome(conforms=True, results=[], report_graph=Graph(), counts={})

    validate.validate_graph = validate_graph  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    point = options[0]
    if "--stub-validation" in options:
        _stub_validation(gate=point == "gate")
    _install(point)
    from xjkg.cli import main as xjkg_main

    return xjkg_main(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
