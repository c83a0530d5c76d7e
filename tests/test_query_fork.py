"""The one-shot ``xjkg query`` forks its query worker (issue 14) and keeps issue 11's guarantees: the text is
checked and parsed only in that worker, a runaway query is killed at its deadline, and a worker that dies
costs the worker, never the command (exit 2 or 3 with one line, never a signal)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from in_flight import query_in_flight
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.paths import QUERIES_DIR
from xjkg.core.sparql_safety import clear_caches
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.stored import _HEADERS, bind_params, parse_stored_query, stored_queries

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


def test_the_command_refuses_a_hostile_file_in_one_line(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "evil.rq"
    query.write_text("SELECT * WHERE {\n  SERVICE <http://evil.example/> { ?s ?p ?o } }\n", encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), cache=tmp_path / "cache")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.strip().splitlines() == [
        f"xjkg query: error: {query}: line 2, column 3: SERVICE is refused: a query may not reach the network"
    ]


def test_a_wrong_format_is_refused_after_the_worker_says_the_form(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    done = _xjkg("query", str(query), "--data", str(small_graph), "-f", "ttl", cache=tmp_path / "cache")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == ""
    assert done.stderr.strip() == "xjkg query: error: --format ttl: a ASK query gives rows"


def test_headers_are_read_once_and_kept_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XJKG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_HEADERS, "_entries", None)
    path = QUERIES_DIR / "dataset-summary.rq"
    first = parse_stored_query(path, check=False)
    kept = json.loads((tmp_path / "query-headers.json").read_text(encoding="utf-8"))
    assert len(kept) == 1
    monkeypatch.setattr(_HEADERS, "_entries", None)  # a new process: read back from the file
    assert parse_stored_query(path, check=False) == first
    # A date is not JSON: it is read from YAML every time, never kept as a string.
    dated = tmp_path / "dated.rq"
    dated.write_text(
        "#+ summary: s\n#+ params:\n#+   - {name: d, type: date, default: 2009-01-02, description: a day}\n"
        "SELECT ?d WHERE { BIND(?d AS ?e) }\n",
        encoding="utf-8",
    )
    assert parse_stored_query(dated).params[0].default == "2009-01-02"
    assert len(json.loads((tmp_path / "query-headers.json").read_text(encoding="utf-8"))) == 1
    # With the cache off nothing is read or written.
    monkeypatch.setenv("XJKG_STORE_CACHE", "0")
    (tmp_path / "query-headers.json").unlink()
    parse_stored_query(path, check=False)
    assert not (tmp_path / "query-headers.json").exists()


def test_the_early_worker_is_adopted_or_ended(small_graph: Path) -> None:
    from xjkg import cli
    from xjkg.query import worker as engine_worker

    cli._early_query_worker(["query", "q", "--endpoint", "http://127.0.0.1:9/sparql"])
    assert engine_worker._early is None  # not on the graph: nothing forked early
    cli._early_query_worker(["query", "q", "-f", "csv", f"--data={small_graph}", "--timeout", "5"])
    assert engine_worker._early is not None
    pid = engine_worker._early["pid"]
    with EmbeddedEngine(small_graph, fork=True) as engine:
        assert engine._idle[0].process.pid == pid  # adopted: the graph it loaded is the one asked for
        assert engine.query("ASK { ?s ?p 5 }").boolean is True
    cli._early_query_worker(["query", "q", "--data", str(small_graph)])
    pid = engine_worker._early["pid"]
    engine_worker.discard()  # the command ended before its query (a usage error)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped


def test_the_early_worker_answers_as_the_late_one(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(f"SELECT ?s ?v WHERE {{ ?s <{EX}p> ?v }} ORDER BY ?s ?v", encoding="utf-8")
    for fmt in ("json", "csv", "table"):
        early = _xjkg("query", str(query), "--data", str(small_graph), "-f", fmt, cache=tmp_path / "cache")
        late = _xjkg("query", str(query), "--no-cache", "--data", str(small_graph), "-f", fmt, cache=tmp_path / "c")
        assert early.returncode == late.returncode == 0, early.stderr + late.stderr
        assert early.stdout == late.stdout
        assert "example.org" in early.stdout or "ex:" in early.stdout


SAMPLES = {
    "iri": ["id:county/luopu", "https://example.org/a%20b"],
    "string": ["Luopu", 'a"} #\n\\u0022'],
    "integer": ["007", "-3"],
    "decimal": ["1.50", "2610000000.00", "-0.0", ".5"],
    "date": ["2009-01-02"],
    "boolean": ["TRUE", "false"],
}


def test_parameters_bound_without_rdflib_are_the_rdflib_terms() -> None:
    """The one-shot command binds parameters as wire terms (no rdflib): the same VALUES block, every type."""
    from xjkg.query.engines import values_block
    from xjkg.query.stored import Param, StoredQuery, bind_wires, wire_values_block

    queries = [q for q in stored_queries().values() if q.params]
    assert queries
    for query in queries:
        assert wire_values_block(bind_wires(query, {})) == values_block(bind_params(query, {}))
    for kind, values in SAMPLES.items():
        param = Param("v", kind, None, "a value")
        query = StoredQuery("q", Path("q.rq"), "s", "", (), (param,), "SELECT ?v {}", "SELECT")
        for value in values:
            assert wire_values_block(bind_wires(query, {"v": value})) == values_block(bind_params(query, {"v": value}))


def test_the_one_shot_command_writes_what_the_full_path_writes(tmp_path: Path) -> None:
    """A plain command line is done by the forked worker (issue 14); ``-v`` takes the full path (argparse,
    the engine in this process): both give the same bytes, the same file, the same refusals."""
    cache = tmp_path / "cache"
    for args in (
        ["investment-by-fund-type", "-f", "csv", "-p", "period=id:period/2009"],
        ["describe-resource", "--format=ttl", "--param", "resource=id:county/luopu"],
        ["consistency", "-f", "xml", "--max-rows", "1"],
        ["investment-by-fund-type", "-p", "period=not an iri"],
        ["investment-by-fund-type", "-p", "nope=1"],
        ["no-such-query"],
        ["dataset-summary", "-f", "ttl"],
    ):
        fast = _xjkg("query", *args, cache=cache)
        full = _xjkg("-v", "query", *args, cache=cache)
        assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout), args
        assert fast.stderr.splitlines() == [
            line
            for line in full.stderr.splitlines()
            if not line.startswith("xjkg: ")  # -v's log lines
        ], args
    out = tmp_path / "out.csv"
    done = _xjkg("query", "training", "-f", "csv", "-o", str(out), cache=cache)
    assert done.returncode == 0 and done.stdout == ""
    assert out.read_text(encoding="utf-8") == _xjkg("query", "training", "-f", "csv", cache=cache).stdout
    refused = _xjkg("query", "training", "-o", str(tmp_path / "no" / "such.csv"), cache=cache)
    assert refused.returncode == EXIT_BAD_INPUT and len(refused.stderr.strip().splitlines()) == 1
