"""A query running on an engine's one worker, for tests that kill the worker mid-query."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from xjkg.core.errors import XjkgError
from xjkg.query.engines import EmbeddedEngine


@contextlib.contextmanager
def query_in_flight(engine: EmbeddedEngine, text: str, timeout: float) -> Iterator[tuple[Any, list[XjkgError]]]:
    """Run ``text`` on ``engine``'s one idle worker in a thread; yield (the worker, the errors the query raised)
    once the worker has it; on leaving, wait for the query to end."""
    [worker] = engine._idle  # the one worker, about to be busy
    errors: list[XjkgError] = []

    def run() -> None:
        try:
            engine.query(text, timeout=timeout)
        except XjkgError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while worker in engine._idle:
            assert time.monotonic() < deadline, "the query never reached the worker"
            time.sleep(0.01)  # polling with a deadline, not synchronising by sleep
        yield worker, errors
    finally:
        thread.join(30)
