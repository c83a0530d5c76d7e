"""Progress of long work on a terminal (build, release, load, validation of big files, the bench), and
silence everywhere else: in a pipe, in a file, with ``--quiet``, in tests.

One small front over tqdm. Nothing is drawn unless standard error is a terminal,
and nothing before :data:`DELAY` seconds, so a quick command never flickers; tqdm is imported only
when a bar may be drawn (it costs start-up time a pipe does not need). Bars are erased when done: the
command's own summary is what stays on the screen.

>>> with stage("reading the graph"):  # in a pipe (doctests): no output at all
...     pass
>>> with counter("figures", total=3) as advance:
...     for _ in range(3):
...         advance(1)
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DELAY", "counter", "enabled", "set_quiet", "stage"]

#: Seconds before a bar appears (work that ends sooner shows nothing); ``XJKG_PROGRESS_DELAY`` overrides.
DELAY = 0.5
_TICK = 0.25  # seconds between redraws of a stage's elapsed time
_quiet = False


def set_quiet(quiet: bool) -> None:
    """``--quiet``: no progress at all for the rest of the process."""
    global _quiet
    _quiet = quiet


def enabled() -> bool:
    """Whether progress is drawn: standard error is a terminal, not ``--quiet``, not ``XJKG_QUIET=1``."""
    if _quiet or os.environ.get("XJKG_QUIET", "") not in ("", "0"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("XJKG_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


def _bar(text: str, total: int | None, unit: str, fmt: str | None, delay: float | None = None) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=text,
        unit=unit or "it",
        unit_scale=bool(unit),
        delay=_delay() if delay is None else delay,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
        bar_format=fmt,
    )


@contextmanager
def stage(text: str) -> Iterator[None]:
    """One step with no count (a parse, a validation): its name and the seconds it has taken so far.

    A timer thread draws it once the step has taken :data:`DELAY` seconds: a step that ends sooner (a query on a
    small graph) draws nothing and does not import tqdm.
    """
    if not enabled():
        yield
        return
    started = time.monotonic()
    done = threading.Event()

    def tick() -> None:  # tqdm redraws only on update(): a stage has none, so the timer redraws it
        if done.wait(_delay()):
            return
        bar = _bar(text, None, "", "{desc}", delay=0)
        while True:
            bar.set_description_str(f"{text}: {bar.format_interval(time.monotonic() - started)}")
            if done.wait(_TICK):
                break
        bar.close()

    ticker = threading.Thread(target=tick, name="xjkg-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


@contextmanager
def counter(text: str, total: int | None = None, unit: str = "") -> Iterator[Callable[[int], None]]:
    """Counted work (repetitions, files, triples): yields ``advance(n)``; a bar when ``total`` is known."""
    if not enabled():
        yield lambda _n: None
        return
    bar = _bar(text, total, unit, None)
    try:
        yield bar.update
    finally:
        bar.close()
