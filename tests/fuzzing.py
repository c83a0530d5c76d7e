"""What the fuzz tests share: how many inputs to try, a per-input time bound, and the kept corpus.

The normal suite tries a modest number of inputs per fuzzer; ``XJKG_FUZZ_EXAMPLES=20000`` tries that
many by hand (add ``--hypothesis-show-statistics`` to see the counts). Inputs that once found a bug
live in ``tests/fuzz_corpus/<target>/`` and are replayed by every run.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

__all__ = ["CORPUS", "corpus_files", "fuzz_settings", "within"]

CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"


def fuzz_settings(default: int) -> settings:
    """Hypothesis settings: ``default`` inputs, or ``XJKG_FUZZ_EXAMPLES``; no deadline (a shared machine).

    Slowness is checked by :func:`within` with a generous bound instead, so a loaded machine does not
    flake while a real hang still fails.
    """
    count = int(os.environ.get("XJKG_FUZZ_EXAMPLES", default))
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Stop the block and fail, naming the input, when it has not finished after ``seconds``: a hang guard
    (SIGALRM interrupts it), not a measurement; nothing is asserted about how long a finished block took."""

    def hung(_signum: int, _frame: object) -> None:
        pytest.fail(f"{what} did not finish in {seconds} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def corpus_files(target: str) -> list[Path]:
    """The kept inputs for ``target`` (a folder of ``tests/fuzz_corpus``), sorted; never empty."""
    files = sorted(p for p in (CORPUS / target).iterdir() if p.is_file() and p.name != "README.md")
    assert files, f"no corpus files in {CORPUS / target}"
    return files
