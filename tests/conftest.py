"""Fixtures shared by every test module: where the checkout, the built graph and ../shared/ are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """The workplace's ``shared/`` folder (W3C suites, DCAT-AP shapes), or None outside this workplace.

    ``XJKG_SHARED`` overrides; by default it is ``../shared`` beside the checkout.
    """
    candidate = Path(os.environ.get("XJKG_SHARED", REPO.parent / "shared"))
    return candidate if candidate.is_dir() else None


def known_failures(suite: str) -> dict[str, str]:
    """Test name → reason, from ``tests/known_failures/<suite>.tsv`` (tab-separated; ``#`` starts a comment)."""
    rows: dict[str, str] = {}
    for line in (REPO / "tests" / "known_failures" / f"{suite}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, reason = line.split("\t", 1)
            rows[name] = reason
    return rows


@pytest.fixture(scope="session")
def shared() -> Path:
    """``shared/``; tests that need it are skipped, saying why, where it is absent."""
    found = shared_dir()
    if found is None:
        pytest.skip("../shared/ (W3C test suites, DCAT-AP shapes) is not beside this checkout; set XJKG_SHARED")
    return found


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _store_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The persistent store cache (xjkg.query.store_cache) of every test lives in a temporary folder, not ~/.cache."""
    os.environ["XJKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("xjkg-cache"))


# -- the fast lane's rule: a test not marked slow takes at most SLOW_LIMIT seconds ------------------------------

#: Seconds a test's own run (its call, not its fixtures) may take unless it is marked ``slow``.
SLOW_LIMIT = 2.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow-limit",
        type=float,
        default=None,
        metavar="S",
        help=f"fail the run if a test not marked slow takes more than S seconds (./dev test-fast: {SLOW_LIMIT:g})",
    )


_too_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note each test not marked slow whose call took longer than the limit (on the controller with xdist)."""
    limit = _limit
    if limit is not None and report.when == "call" and report.duration > limit and "slow" not in report.keywords:
        _too_slow.append((report.nodeid, report.duration))


_limit: float | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _limit
    _limit = config.getoption("--slow-limit")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _too_slow:
        terminalreporter.section(f"tests over {_limit:g} s not marked slow (mark them @pytest.mark.slow)", red=True)
        for nodeid, seconds in sorted(_too_slow, key=lambda found: -found[1]):
            terminalreporter.write_line(f"{seconds:6.2f} s  {nodeid}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _too_slow and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
