"""Fixtures shared by every test module: where the checkout, the built graph and ../shared/ are."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

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


# -- graphs built once per test process (each xdist worker builds its own): the tests only read them -----------

#: The made-up series (Gansu and Tibet, 2009 and 2010): TEST FIXTURE, made up.
SERIES = REPO / "tests" / "data" / "series"


@pytest.fixture(scope="session")
def built() -> Graph:
    """The project's graph, built in memory from the shipped corpus (``xjkg.build.build``)."""
    from xjkg.build.build import build

    return build().graph


@pytest.fixture(scope="session")
def series_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The made-up series built by ``xjkg build --corpus tests/data/series`` into a temporary file."""
    from xjkg.cli import main

    out = tmp_path_factory.mktemp("series-built") / "xjkg.ttl"
    assert main(["build", "--corpus", str(SERIES), "--output", str(out)]) == 0
    return out


@pytest.fixture(autouse=True, scope="session")
def _store_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The persistent store cache (xjkg.query.store_cache) of every test lives in a temporary folder, not ~/.cache."""
    os.environ["XJKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("xjkg-cache"))


# -- the fast lane's rules: a test not marked slow takes at most SLOW_LIMIT seconds of CPU and starts no program ----
#
# The fast lane (./dev test-fast, `--slow-limit`) is the unit tests. A test that starts a program (the `xjkg`
# command in a fresh interpreter, a server, a browser, a store, git) is an integration test: it is marked slow and
# runs in the full suite (./dev test, CI). Tests marked `server` or `browser` are slow by that rule (added below);
# any other test not marked slow that starts a program, in its call or in a fixture it sets up, fails the lane
# (the embedded store's query worker excepted, see QUERY_WORKER).

#: Seconds of CPU a test's own run (its call, not its fixtures; this process and the programs it waited for) may
#: take unless it is marked ``slow``. CPU, not the clock: on a machine busy with other work the clock runs on while
#: the test waits for a core, and the rule would name a different test at each run.
SLOW_LIMIT = 2.0

#: A test that waits (a sleep, a deadline) uses little CPU: past this many times the limit on the clock, it is slow.
WAIT_FACTOR = 5

#: Markers that say a test starts a program: each implies ``slow``.
STARTS_A_PROGRAM = ("server", "browser")

#: The one program a unit test may start: the embedded store's query worker, which is how xjkg answers a query in
#: process (``xjkg.query.engines.EmbeddedEngine``); a module's tests share one.
QUERY_WORKER = "-m xjkg.query.worker "


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow-limit",
        type=float,
        default=None,
        metavar="S",
        help=f"fail the run if a test not marked slow takes more than S seconds of CPU (or {WAIT_FACTOR} times S on "
        f"the clock) or starts a program (./dev test-fast: {SLOW_LIMIT:g})",
    )


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in STARTS_A_PROGRAM) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


_too_slow: list[tuple[str, float, float]] = []
_starts_a_program: dict[str, str] = {}
_programs: list[str] = []  # the programs the running test started (in this process: the worker's, with xdist)
_execute_child = subprocess.Popen._execute_child  # type: ignore[attr-defined]


def _noted_execute_child(self: subprocess.Popen[bytes], args: object, *rest: object, **kwargs: object) -> object:
    command = " ".join(map(str, args)) if isinstance(args, list | tuple) else str(args)
    if QUERY_WORKER not in command:
        _programs.append(command)
    return _execute_child(self, args, *rest, **kwargs)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_call_cpu: list[float] = []  # the CPU seconds of the test call that just ran


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    start = _cpu()
    yield
    _call_cpu.append(_cpu() - start)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Carry a call's CPU time, and the programs a test not marked slow started, to the report (with xdist, to
    the controller)."""
    outcome = yield
    report = outcome.get_result()
    if call.when == "call" and _call_cpu:
        cpu = _call_cpu.pop()
        if _limit is not None:
            report.user_properties.append(("cpu", round(cpu, 3)))
    if _programs and "slow" not in item.keywords:
        report.user_properties.append(("started", _programs[0][:200]))
    _programs.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note each test not marked slow that took longer than the limit or started a program (on the controller)."""
    limit = _limit
    if limit is None or "slow" in report.keywords:
        return
    noted = dict(report.user_properties)
    if report.when == "call":
        cpu = float(noted.get("cpu", 0.0))
        if cpu > limit or report.duration > WAIT_FACTOR * limit:
            _too_slow.append((report.nodeid, cpu, report.duration))
    if "started" in noted:
        _starts_a_program.setdefault(report.nodeid, str(noted["started"]))


_limit: float | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _limit
    _limit = config.getoption("--slow-limit")
    if _limit is not None:
        # The standard library starts `uname -p` the first time anything asks for the processor's name (bench
        # code, libraries); asked here, before the tests, it is no test's program.
        platform.processor()
        subprocess.Popen._execute_child = _noted_execute_child  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _too_slow:
        terminalreporter.section(
            f"tests over {_limit:g} s of CPU (or {WAIT_FACTOR * _limit:g} s on the clock) not marked slow "
            "(mark them @pytest.mark.slow)",
            red=True,
        )
        for nodeid, cpu, clock in sorted(_too_slow, key=lambda found: -found[1]):
            terminalreporter.write_line(f"{cpu:6.2f} s CPU {clock:6.2f} s clock  {nodeid}")
    if _starts_a_program:
        terminalreporter.section("tests that start a program, not marked slow (mark them @pytest.mark.slow)", red=True)
        for nodeid, program in sorted(_starts_a_program.items()):
            terminalreporter.write_line(f"{nodeid}  ({program})")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if (_too_slow or _starts_a_program) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
