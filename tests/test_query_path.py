"""``xjkg query`` forks its query worker once its arguments are read: the text is checked and parsed only in
that worker, a runaway query is killed at its deadline, a query past the memory limit costs the worker, and
a worker that dies costs the worker, never the command (exit 2 or 3 with one line, never a signal)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from in_flight import query_in_flight
from xjkg.cli import main
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.sparql_safety import clear_caches
from xjkg.query.engines import EmbeddedEngine

EX = "http://example.org/"
SMALL = f"""@prefix ex: <{EX}> .
ex:a ex:p 1, 2, 3 ; ex:q "x" .
ex:b ex:p 4 ; ex:q "y" .
ex:c ex:p 5 .
"""
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(9)) + " }"


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _xjkg(*args: str, cache: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XJKG_CACHE_DIR": str(cache), "XJKG_QUIET": "1"}
    return subprocess.run(
        [sys.executable, "-m", "xjkg", *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def test_forked_worker_answers_as_a_spawned_one(small_graph: Path) -> None:
    queries = [
        f"SELECT ?s (SUM(?v) AS ?t) WHERE {{ ?s <{EX}p> ?v }} GROUP BY ?s ORDER BY ?s",
        "ASK { ?s ?p 5 }",
        f"CONSTRUCT {{ ?s <{EX}r> ?v }} WHERE {{ ?s <{EX}q> ?v }}",
    ]
    with EmbeddedEngine(small_graph) as spawned, EmbeddedEngine(small_graph, fork=True) as forked:
        for text, fmt in zip(queries, ("json", "csv", "ntriples"), strict=True):
            assert forked.query(text).serialize(fmt) == spawned.query(text).serialize(fmt)


def test_forked_worker_checks_the_text_itself(small_graph: Path) -> None:
    clear_caches()  # nothing accepted in this process: the worker must do the check
    with EmbeddedEngine(small_graph, fork=True) as engine:
        with pytest.raises(XjkgError, match="SERVICE is refused") as caught:
            engine.query("SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }", where="q.rq")
        assert caught.value.exit_code == EXIT_BAD_INPUT
        with pytest.raises(XjkgError, match=r"q\.rq: line 1, column \d+: syntax error") as caught:
            engine.query("SELECT ?s WHERE { ?s ?p }", where="q.rq")
        assert caught.value.exit_code == EXIT_BAD_INPUT
        assert engine.query("ASK { ?s ?p ?o }").boolean is True  # the same worker still answers


def test_a_forked_worker_is_refused_to_a_pool(small_graph: Path) -> None:
    with pytest.raises(ValueError, match="one worker"):
        EmbeddedEngine(small_graph, fork=True, workers=2)


@pytest.mark.slow
def test_forked_worker_past_its_deadline_is_killed(small_graph: Path) -> None:
    with EmbeddedEngine(small_graph, fork=True) as engine:
        [worker] = engine._idle
        with pytest.raises(XjkgError, match="time limit of 1 s") as caught:
            engine.query(CARTESIAN, timeout=1.0)
        assert caught.value.exit_code == EXIT_FAILED
        assert worker.process.poll() is not None  # killed and reaped, not left running
        assert engine.query("ASK { ?s ?p 5 }").boolean is True  # a new worker is forked on demand


@pytest.mark.slow
def test_forked_worker_that_dies_is_an_error(small_graph: Path) -> None:
    with EmbeddedEngine(small_graph, fork=True) as engine:
        with query_in_flight(engine, CARTESIAN, timeout=60) as (worker, errors):
            os.kill(worker.process.pid, signal.SIGSEGV)
        # Before the worker said "parsed" it is the parser's crash (refused, 2), after it the engine's (3).
        assert errors and "crashed" in errors[0].message and errors[0].exit_code in (EXIT_BAD_INPUT, EXIT_FAILED)
        assert engine.query("ASK { ?s ?p 5 }").boolean is True


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the worker through /proc (Linux)")
def test_the_command_survives_its_worker_dying(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "cartesian.rq"
    query.write_text(CARTESIAN, encoding="utf-8")
    env = {**os.environ, "XJKG_CACHE_DIR": str(tmp_path / "cache"), "XJKG_QUIET": "1"}
    command = [sys.executable, "-m", "xjkg", "query", str(query), "--data", str(small_graph), "--timeout", "60"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        deadline = time.monotonic() + 60
        while not (workers := _children(process.pid)):
            assert process.poll() is None, "the command ended before its worker started"
            assert time.monotonic() < deadline, "no worker was forked"
            time.sleep(0.01)  # polling with a deadline, not synchronising by sleep
        os.kill(workers[0], signal.SIGSEGV)
        out, err = process.communicate(timeout=60)
    assert process.returncode in (EXIT_BAD_INPUT, EXIT_FAILED)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xjkg query: error:"), err


@pytest.mark.slow
def test_the_command_stops_a_runaway_query(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "cartesian.rq"
    query.write_text(CARTESIAN, encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), "--timeout", "1", cache=tmp_path / "cache")
    assert done.returncode == EXIT_FAILED
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "xjkg query: error: query exceeded the time limit of 1 s (raise it with --timeout, or narrow the query)"
    ]


@pytest.mark.slow  # the command in a fresh process
def test_the_command_refuses_a_hostile_file_in_one_line(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "evil.rq"
    query.write_text("SELECT * WHERE {\n  SERVICE <http://evil.example/> { ?s ?p ?o } }\n", encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), cache=tmp_path / "cache")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.strip().splitlines() == [
        f"xjkg query: error: {query}: line 2, column 3: SERVICE is refused: a query may not reach the network"
    ]


@pytest.mark.slow  # the command in a fresh process
def test_a_wrong_format_is_refused_after_the_worker_says_the_form(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), "-f", "ttl", cache=tmp_path / "cache")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == ""
    assert done.stderr.strip() == "xjkg query: error: --format ttl: a ASK query gives rows"


@pytest.mark.slow
def test_the_output_file_holds_what_stdout_shows(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out.csv"
    done = _xjkg("query", "training", "-f", "csv", "-o", str(out), cache=cache)
    assert done.returncode == 0 and done.stdout == ""
    assert out.read_text(encoding="utf-8") == _xjkg("query", "training", "-f", "csv", cache=cache).stdout
    refused = _xjkg("query", "training", "-o", str(tmp_path / "no" / "such.csv"), cache=cache)
    assert refused.returncode == EXIT_BAD_INPUT and len(refused.stderr.strip().splitlines()) == 1


def _doubling(times: int) -> str:
    """A short query whose one string doubles ``times`` times: 2**times characters."""
    binds = "\n".join(f"  BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?s{times}) AS ?n) WHERE {{\n  BIND("a" AS ?s0)\n{binds}\n}}\n'


@pytest.mark.slow
def test_a_query_past_the_memory_limit_is_one_line_and_exit_3(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "doubling.rq"
    query.write_text(_doubling(31), encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), "--worker-memory", "256", cache=tmp_path / "c")
    assert done.returncode == EXIT_FAILED
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"xjkg query: error: {query}: the query needed more than the worker's memory limit of 256 MB (narrow the query)"
    ]


@pytest.mark.slow
def test_the_default_memory_limit_stops_a_doubling_string(small_graph: Path, tmp_path: Path) -> None:
    """2**31 characters: past the default 2048 MB the worker's allocation fails, not the machine's memory."""
    query = tmp_path / "doubling.rq"
    query.write_text(_doubling(31), encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), cache=tmp_path / "c")
    assert done.returncode == EXIT_FAILED, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "memory limit of 2048 MB" in lines[0], done.stderr


@pytest.mark.slow  # the command in a fresh process
def test_a_small_string_is_within_the_limit(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "doubling.rq"
    query.write_text(_doubling(10), encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), "-f", "csv", cache=tmp_path / "c")
    assert (done.returncode, done.stdout.split()) == (0, ["n", "1024"]), done.stderr


@pytest.mark.slow  # the command in a fresh process
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--worker-memory", "100"], "--worker-memory must be at least 256 (MB), or 0 for no limit"),
        (["--timeout", "nan"], "--timeout must be a positive number of seconds"),
        (["--timeout", "0"], "--timeout must be a positive number of seconds"),
    ],
)
def test_limits_are_checked_before_the_graph_loads(
    small_graph: Path, tmp_path: Path, option: list[str], message: str
) -> None:
    done = _xjkg("query", "dataset-summary", "--data", str(small_graph), *option, cache=tmp_path / "c")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.strip().splitlines() == [f"xjkg query: error: {message}"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--worker-memory", "100"], "--worker-memory must be at least 256 (MB), or 0 for no limit"),
        (["--timeout", "nan"], "--timeout must be a positive number of seconds"),
    ],
)
def test_limits_are_checked_in_process_too(
    small_graph: Path, capsys: pytest.CaptureFixture[str], option: list[str], message: str
) -> None:
    """The fast lane's twin of the test above: the same command line through ``xjkg.cli.main``."""
    assert main(["query", "dataset-summary", "--data", str(small_graph), *option]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().splitlines() == [f"xjkg query: error: {message}"]


def test_a_hostile_file_is_refused_in_process_too(
    small_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fast lane's twin of test_the_command_refuses_a_hostile_file_in_one_line."""
    query = tmp_path / "evil.rq"
    query.write_text("SELECT * WHERE {\n  SERVICE <http://evil.example/> { ?s ?p ?o } }\n", encoding="utf-8")
    assert main(["query", str(query), "--data", str(small_graph)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.strip().splitlines() == [
        f"xjkg query: error: {query}: line 2, column 3: SERVICE is refused: a query may not reach the network"
    ]
