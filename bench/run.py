"""Side-by-side benchmarks of xjkg against the engines a user would pick instead (issue 7).

One run measures, for each size, with the engine order rotated and several repetitions: opening the
graph, every stored query (and the bench queries), validation, the HTTP server, whole-process start-up
and peak memory; it prints medians and ratios and writes them to ``bench/results/<time>.json``.
Each engine runs in its own process (``bench/worker.py``), so an engine past its time cap is killed
and reported as "> cap". A part whose subject does not exist yet skips itself, saying why.

    ./dev bench                                   # 10k and 100k, 3 repetitions, every part
    .venv/bin/python bench/run.py --sizes 10k --repeat 1 --only load,query
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib
import json
import math
import os
import platform
import re
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import DATA_DIR, data_file, generate, parse_size, size_label  # noqa: E402
from worker import tree_peak_mb, values_clause  # noqa: E402
from xjkg.core.atomic import atomic_write_bytes  # noqa: E402
from xjkg.core.paths import GRAPH_FILE, ONTOLOGY_FILE, QUERIES_DIR, SHAPES_FILE  # noqa: E402

__all__ = ["PARTS", "Measure", "Run", "main"]

PARTS = ("load", "query", "validate", "serve", "startup")
SERVERS = ("xjkg", "oxigraph", "rdflib-endpoint")
RESULTS_DIR = BENCH / "results"
WORKER = BENCH / "worker.py"
VENV_BIN = Path(sys.executable).parent
LOCALHOST = "127.0.0.1"


@dataclass
class Measure:
    """One subject (a query, "open", a server cell) on one engine at one size: every repetition kept."""

    part: str
    size: int
    subject: str
    engine: str
    seconds: list[float] = field(default_factory=list)
    maxrss_mb: float | None = None
    capped: bool = False  # the engine ran past the time cap at least once
    error: str | None = None
    rows: int | None = None
    digest: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.capped else None


@dataclass
class Run:
    """Everything one run measured, as written to JSON."""

    date: str
    machine: dict[str, str]
    options: dict[str, Any]
    measures: list[Measure] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def skip(self, part: str, reason: str, size: int | None = None) -> None:
        where = f" at {size_label(size)}" if size else ""
        print(f"  [{part}] skipped{where}: {reason}")
        self.skipped.append({"part": part, "size": size_label(size) if size else "", "reason": reason})

    def measure(self, part: str, size: int, subject: str, engine: str) -> Measure:
        for m in self.measures:
            if (m.part, m.size, m.subject, m.engine) == (part, size, subject, engine):
                return m
        m = Measure(part, size, subject, engine)
        self.measures.append(m)
        return m

    def to_json(self) -> bytes:
        data = asdict(self)
        for m, raw in zip(self.measures, data["measures"], strict=True):
            raw["median"] = m.median
            raw["size"] = size_label(m.size)
        return json.dumps(data, indent=1, ensure_ascii=False).encode()


# ----------------------------------------------------------------------------------------------------------
# workers


class Worker:
    """An engine in a child process (``bench/worker.py``); a request past its deadline kills it."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker, closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=BENCH.parent,
        )

    def request(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The answer, or None when the deadline passed (the worker is then killed)."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.close(kill=True)
            return None
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace").strip().splitlines()[-1:]
            return {"error": f"worker died (exit {self.proc.wait()}): {' '.join(tail)}"}
        return dict(json.loads(line))

    def close(self, kill: bool = False) -> None:
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                assert self.proc.stdin
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def rotated(items: list[str], turn: int) -> list[str]:
    """``items`` rotated by ``turn``: each engine goes first in turn, so warm caches favour none.

    >>> rotated(["a", "b", "c"], 1)
    ['b', 'c', 'a']
    """
    if not items:
        return []
    k = turn % len(items)
    return items[k:] + items[:k]


def _has_module(name: str) -> str | None:
    """None when ``name`` imports, else why not (the part that needs it skips itself with this reason)."""
    try:
        importlib.import_module(name)
    except Exception as exc:
        return f"{name} is not importable yet ({type(exc).__name__}: {exc})"
    return None


# ----------------------------------------------------------------------------------------------------------
# queries: what each part runs


@dataclass
class BenchQuery:
    """A query to time: stored (``queries/``, bound by xjkg.query.stored) or a bench one (``bench/queries``)."""

    name: str
    text: str
    form: str
    bindings: dict[str, dict[str, str]] = field(default_factory=dict)


_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
_SAMPLE_VALUES = {  # values for parameters with no default; the IRI exists at every size
    "iri": "https://w3id.org/xjkg/id/program/p00001",
    "string": "County",
    "integer": "1",
    "decimal": "1",
    "date": "2009-12-31",
    "boolean": "true",
}


def _spec(term: Any) -> dict[str, str]:
    """An rdflib term as plain JSON for the worker."""
    from rdflib import Literal

    if isinstance(term, Literal):
        return {"literal": str(term), "lang": term.language or "", "datatype": str(term.datatype or "")}
    return {"iri": str(term)}


def load_queries(run: Run, stored: bool = True) -> list[BenchQuery]:
    """The stored queries (through ``xjkg.query.stored``) followed by the bench queries."""
    found: list[BenchQuery] = []
    reason = _has_module("xjkg.query.stored") if stored else "not asked for"
    if reason is None:
        from xjkg.query.stored import bind_params, stored_queries

        for name, q in sorted(stored_queries().items()):
            try:  # the defaults; a parameter with neither default nor "optional" gets a sample value
                bound = bind_params(q, {})
            except Exception:
                values = {p.name: _SAMPLE_VALUES.get(p.type, "1") for p in q.params if p.default is None}
                bound = None
            try:
                bound = bind_params(q, values) if bound is None else bound
            except Exception as exc:
                run.skip("query", f"stored query {name}: cannot bind its parameters ({exc})")
                continue
            found.append(BenchQuery(f"stored:{name}", q.text, q.form, {k: _spec(v) for k, v in bound.items()}))
        if not found:
            run.skip("query", f"no stored queries in {QUERIES_DIR} yet")
    elif stored:
        run.skip("query", f"stored queries: {reason}")
    for path in sorted((BENCH / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        form = (_FORM.search(text) or re.match(r"(SELECT)", "SELECT"))[1].upper()  # type: ignore[index]
        found.append(BenchQuery(f"bench:{path.stem}", text, form))
    return found


# ----------------------------------------------------------------------------------------------------------
# parts


def part_load(run: Run, size: int, data: Path, repeat: int, cap: float) -> None:
    """Opening the graph for queries: xjkg's engine, pyoxigraph's bulk load, rdflib's parser."""
    engines = ["xjkg", "pyoxigraph", "rdflib"]
    if reason := _has_module("xjkg.query.stored"):
        run.skip("load", f"xjkg: {reason}", size)
        engines.remove("xjkg")
    for rep in range(repeat):
        for engine in rotated(engines, rep):
            m = run.measure("load", size, "open", engine)
            if m.capped:
                continue
            worker = Worker()
            answer = worker.request({"op": "open", "engine": engine, "data": str(data), "close": True}, cap)
            worker.close()
            _record(m, answer)


def _record(m: Measure, answer: dict[str, Any] | None) -> None:
    if answer is None:
        m.capped = True
    elif "error" in answer:
        m.error = answer["error"]
    else:
        m.seconds.append(answer["seconds"])
        m.rows = answer.get("rows", m.rows)
        m.digest = answer.get("digest", m.digest)
    if answer and answer.get("maxrss_mb") is not None:
        m.maxrss_mb = max(m.maxrss_mb or 0.0, answer["maxrss_mb"])


def part_query(run: Run, size: int, data: Path, queries: list[BenchQuery], repeat: int, cap: float) -> None:
    """Every query on xjkg's embedded engine, raw pyoxigraph on the same file, and rdflib (capped)."""
    engines = ["xjkg", "pyoxigraph", "rdflib"]
    if reason := _has_module("xjkg.query.stored"):
        run.skip("query", f"xjkg: {reason}", size)
        engines.remove("xjkg")
    workers: dict[str, Worker] = {}

    def worker_for(engine: str) -> Worker | None:
        if engine not in workers:
            w = Worker()
            answer = w.request({"op": "open", "engine": engine, "data": str(data)}, max(cap, 600))
            if answer is None or "error" in answer:
                w.close(kill=True)
                run.skip("query", f"{engine} could not open {data.name}: {answer and answer['error']}", size)
                return None
            workers[engine] = w
        return workers[engine]

    try:
        for i, q in enumerate(queries):
            for rep in range(repeat):
                for engine in rotated(engines, i + rep):
                    m = run.measure("query", size, q.name, engine)
                    if m.capped or m.error:
                        continue
                    worker = worker_for(engine)
                    if worker is None:
                        m.error = "engine could not open the data"
                        continue
                    request = {"op": "query", "text": q.text, "bindings": q.bindings, "timeout": cap}
                    answer = worker.request(request, cap)
                    if answer is None:
                        del workers[engine]  # killed: the next query reopens it
                    _record(m, answer)
            _compare_rows(run, size, q.name)
    finally:
        for w in workers.values():
            w.close()


def _compare_rows(run: Run, size: int, subject: str) -> None:
    """The engines' answers compared by value (row count and a digest of the canonical rows)."""
    answered = [m for m in run.measures if (m.part, m.size, m.subject) == ("query", size, subject) and m.digest]
    if len(answered) < 2:
        return
    digests = {m.engine: m.digest for m in answered}
    same = len(set(digests.values())) == 1
    run.comparisons.append(
        {
            "part": "query",
            "size": size_label(size),
            "subject": subject,
            "same": same,
            "rows": {m.engine: m.rows for m in answered},
        }
    )
    if not same:
        print(f"  [query] {subject}: engines disagree: { ({m.engine: m.rows for m in answered}) } rows")


def part_validate(run: Run, size: int, data: Path, repeat: int, cap: float, shapes: Path, engines: list[str]) -> None:
    """xjkg's validation against pyshacl on the same data and shapes (and candidate fast paths)."""
    if not shapes.is_file():
        run.skip("validate", f"no shapes file at {shapes} yet", size)
        return
    engines = list(engines)
    if "xjkg" in engines:
        reason = _has_module("xjkg.validation.validate")
        if reason is None and not hasattr(importlib.import_module("xjkg.validation.validate"), "validate_graph"):
            reason = "xjkg.validation.validate has no validate_graph yet"
        if reason:
            run.skip("validate", f"xjkg: {reason}", size)
            engines.remove("xjkg")
    pairs: dict[str, set[tuple[str, str]]] = {}
    for rep in range(repeat):
        for engine in rotated(engines, rep):
            m = run.measure("validate", size, "validate", engine)
            if m.capped or m.error:
                continue
            worker = Worker()
            request = {
                "op": "validate",
                "engine": engine,
                "data": str(data),
                "shapes": str(shapes),
                "ontology": str(ONTOLOGY_FILE) if ONTOLOGY_FILE.is_file() else None,
            }
            answer = worker.request(request, cap)
            worker.close()
            _record(m, answer)
            if answer and "pairs" in answer:
                pairs[engine] = {tuple(p) for p in answer["pairs"]}  # type: ignore[misc]
                m.rows = len(pairs[engine])
                m.extra["conforms"] = answer["conforms"]
    reference = pairs.get("pyshacl")
    for engine, found in pairs.items():
        if engine == "pyshacl" or reference is None:
            continue
        missing, extra = sorted(reference - found), sorted(found - reference)
        run.comparisons.append(
            {
                "part": "validate",
                "size": size_label(size),
                "subject": f"{engine} vs pyshacl",
                "same": not missing and not extra,
                "rows": {"pyshacl": len(reference), engine: len(found)},
                "missing": missing[:20],
                "extra": extra[:20],
            }
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A SPARQL endpoint on loopback: its process, its query path and how long it took to answer."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    path: str
    ready_seconds: float = 0.0
    workdir: Path | None = None

    def peak_mb(self) -> float | None:
        """Peak resident memory of the server and its child processes (VmHWM, summed over the tree)."""
        return tree_peak_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _get(port: int, path: str, query: str, accept: str, conn: http.client.HTTPConnection | None = None) -> int:
    conn = conn or http.client.HTTPConnection(LOCALHOST, port, timeout=120)
    conn.request("GET", f"{path}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response.status


def _start_server(name: str, data: Path, timeout: float) -> Server | str:
    """Start one endpoint and wait until it answers; a string says why it could not."""
    port = _free_port()
    workdir = None
    if name == "xjkg":
        xjkg = VENV_BIN / "xjkg"
        cmd = [str(xjkg), "serve", "--port", str(port), "--graph", str(data), "--max-rows", "1000000000"]
        path = "/sparql"
    elif name == "oxigraph":
        binary = VENV_BIN / "oxigraph"
        if not binary.exists():
            return f"{binary} is not installed"
        workdir = Path(tempfile.mkdtemp(prefix="xjkg-bench-oxigraph-"))
        subprocess.run(
            [str(binary), "load", "--location", str(workdir), "--file", str(data)],
            check=True,
            capture_output=True,
        )
        cmd = [str(binary), "serve-read-only", "--location", str(workdir), "--bind", f"{LOCALHOST}:{port}"]
        path = "/query"
    else:
        binary = VENV_BIN / "rdflib-endpoint"
        if not binary.exists():
            return f"{binary} is not installed (pip install 'rdflib-endpoint[cli]')"
        cmd = [str(binary), "serve", "--host", LOCALHOST, "--port", str(port), str(data)]
        path = "/"  # its CLI serves the endpoint at the root
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=BENCH.parent)
    server = Server(name, proc, port, path, workdir=workdir)
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            server.stop()
            return f"{' '.join(cmd[:2])} exited with {proc.returncode}"
        try:
            if _get(port, path, "ASK { ?s ?p ?o }", "application/sparql-results+json") == 200:
                server.ready_seconds = time.perf_counter() - start
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    return f"not ready after {timeout:.0f} s"


def _load(server: Server, query: BenchQuery, clients: int, requests: int, budget: float) -> dict[str, Any]:
    """``requests`` GETs over ``clients`` keep-alive connections, stopping at ``budget`` seconds."""
    accept = "application/sparql-results+json" if query.form in {"SELECT", "ASK"} else "application/n-triples"
    text = query.text + values_clause(query.bindings)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + budget

    def client() -> None:
        conn = http.client.HTTPConnection(LOCALHOST, server.port, timeout=budget + 60)
        while time.perf_counter() < deadline:
            with lock:
                if next(counter, None) is None:
                    break
            t0 = time.perf_counter()
            try:
                status = _get(server.port, server.path, text, accept, conn)
            except (OSError, http.client.HTTPException):
                status = 0
                conn = http.client.HTTPConnection(LOCALHOST, server.port, timeout=budget + 60)
            with lock:
                if status == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[0] += 1
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": round(len(latencies) / wall, 2) if wall else 0.0,
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "p99_ms": _percentile(latencies, 99),
    }


def _percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile in milliseconds.

    >>> _percentile([0.001, 0.002, 0.003, 0.004], 50)
    2.0
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return round(ordered[rank - 1] * 1000, 3)


def part_serve(run: Run, size: int, data: Path, queries: list[BenchQuery], options: argparse.Namespace) -> None:
    """``xjkg serve`` against Oxigraph server and rdflib-endpoint at 1 and 8 clients."""
    names = [n for n in SERVERS if n in options.servers]
    if "xjkg" in names and (reason := _has_module("xjkg.server")):
        run.skip("serve", f"xjkg: {reason}", size)
        names.remove("xjkg")
    servers: dict[str, Server] = {}
    try:
        for name in names:
            started = _start_server(name, data, options.ready_timeout)
            if isinstance(started, str):
                run.skip("serve", f"{name}: {started}", size)
                continue
            servers[name] = started
            run.measure("serve", size, "ready", name).seconds.append(started.ready_seconds)
        for i, q in enumerate(queries):
            for j, clients in enumerate(options.clients):
                cells: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
                for rep in range(options.repeat):  # bursts alternate between servers: a busy moment hits all
                    for name in rotated(list(servers), i + j + rep):
                        cell = _load(servers[name], q, clients, options.requests, options.serve_budget)
                        cells[name].append(cell)
                        m = run.measure("serve", size, f"{q.name} @{clients}", name)
                        if cell["rps"]:
                            m.seconds.append(1.0 / cell["rps"])  # seconds per request: the ratio reads like the others
                        elif cell["errors"]:
                            m.error = f"{cell['errors']} failed requests"
                for name, done in cells.items():
                    # The burst of median throughput stands for the cell (its latencies); every rate is kept.
                    ranked = sorted(done, key=lambda c: c["rps"])
                    m = run.measure("serve", size, f"{q.name} @{clients}", name)
                    m.extra = {**ranked[(len(ranked) - 1) // 2], "rps_each": [c["rps"] for c in done]}
        for name, server in servers.items():
            run.measure("serve", size, "ready", name).maxrss_mb = server.peak_mb()
    finally:
        for server in servers.values():
            server.stop()


# Forked from a small process: a child's ru_maxrss starts at its parent's size at fork time, so the
# runner (40+ MB) would floor every figure. This launcher is python -S -I (about 8 MB).
_LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
null = [(os.POSIX_SPAWN_OPEN, fd, "/dev/null", os.O_RDWR, 0) for fd in (0, 1, 2)]
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=null)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def _wall_and_rss(cmd: list[str]) -> tuple[float, float, int]:
    """Whole-process wall time, peak memory (largest process of its tree, MB) and exit code."""
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", _LAUNCHER, *cmd],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd="/",
        check=True,
    )
    seconds, rss_kb, code = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), round(rss_kb / 1024, 1), int(code)


def part_startup(run: Run, queries: list[BenchQuery], repeat: int) -> None:
    """Whole-process start-up: ``xjkg query NAME`` against importing the libraries."""
    python = sys.executable
    commands: dict[str, list[str]] = {
        "python -c pass": [python, "-c", "pass"],
        "import pyoxigraph": [python, "-c", "import pyoxigraph"],
        "import rdflib": [python, "-c", "import rdflib"],
        "import pyshacl": [python, "-c", "import pyshacl"],
    }
    stored = [q.name.split(":", 1)[1] for q in queries if q.name.startswith("stored:") and not q.bindings]
    if not stored:
        run.skip("startup", "xjkg query: no stored query without parameters yet")
    elif not GRAPH_FILE.is_file():
        run.skip("startup", f"xjkg query: {GRAPH_FILE} is not built yet")
    else:
        commands[f"xjkg query {stored[0]}"] = [str(VENV_BIN / "xjkg"), "query", stored[0]]
    for rep in range(max(5, repeat)):
        for name in rotated(list(commands), rep):
            m = run.measure("startup", 0, name, name.split()[0] if name.startswith("xjkg") else "python")
            seconds, rss, code = _wall_and_rss(commands[name])
            if code != 0:
                m.error = f"exit {code}"
                continue
            m.seconds.append(seconds)
            m.maxrss_mb = max(m.maxrss_mb or 0.0, rss)


# ----------------------------------------------------------------------------------------------------------
# ratios, targets, report


def _median(run: Run, part: str, size: int, subject: str, engine: str) -> Measure | None:
    for m in run.measures:
        if (m.part, m.size, m.subject, m.engine) == (part, size, subject, engine):
            return m
    return None


def _ratio(a: Measure | None, b: Measure | None) -> float | None:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def evaluate_targets(run: Run, sizes: list[int]) -> None:
    """The targets of issue 7 as met / missed / unmeasured, each with the figure behind it."""

    def target(name: str, size: int | None, value: float | None, goal: str, met: bool | None, note: str = "") -> None:
        run.targets.append(
            {
                "target": name,
                "size": size_label(size) if size else "",
                "value": None if value is None else round(value, 3),
                "goal": goal,
                "met": met,
                "note": note,
            }
        )

    for size in sizes:
        r = _ratio(_median(run, "load", size, "open", "xjkg"), _median(run, "load", size, "open", "pyoxigraph"))
        target("open the graph: xjkg / pyoxigraph bulk load", size, r, "<= 1.3", None if r is None else r <= 1.3)
        subjects = sorted({m.subject for m in run.measures if m.part == "query" and m.size == size})
        for subject in subjects:
            x, o = (
                _median(run, "query", size, subject, "xjkg"),
                _median(run, "query", size, subject, "pyoxigraph"),
            )
            r = _ratio(x, o)
            note = f"{x.median * 1000:.1f} ms vs {o.median * 1000:.1f} ms" if r is not None else ""  # type: ignore[union-attr]
            target(
                f"query {subject}: xjkg / pyoxigraph",
                size,
                r,
                "<= 1.5",
                None if r is None else r <= 1.5,
                note,
            )
        x, s = (
            _median(run, "validate", size, "validate", "xjkg"),
            _median(run, "validate", size, "validate", "pyshacl"),
        )
        r = _ratio(s, x)
        same = next(
            (
                c["same"]
                for c in run.comparisons
                if c["part"] == "validate" and c["size"] == size_label(size) and c["subject"] == "xjkg vs pyshacl"
            ),
            None,
        )
        mem_ok = (
            None
            if x is None or s is None or x.maxrss_mb is None or s.maxrss_mb is None
            else (x.maxrss_mb <= s.maxrss_mb)
        )
        met = None if r is None else (r >= 15 and same is True and mem_ok is True)
        note = f"same results: {same}; memory {x and x.maxrss_mb} MB vs pyshacl {s and s.maxrss_mb} MB"
        target("validate: pyshacl / xjkg", size, r, ">= 15, same results, memory <= pyshacl", met, note)
        cells = sorted({m.subject for m in run.measures if m.part == "serve" and m.size == size and "@" in m.subject})
        for peer, goal in (("oxigraph", 0.5), ("rdflib-endpoint", 10.0)):
            ratios = [
                1 / r
                for c in cells
                if (r := _ratio(_median(run, "serve", size, c, "xjkg"), _median(run, "serve", size, c, peer)))
            ]
            if ratios:
                worst = min(ratios)
                target(
                    f"serve throughput: xjkg / {peer} (worst query and client count)",
                    size,
                    worst,
                    f">= {goal}",
                    worst >= goal,
                    f"median over {len(ratios)} cells: {statistics.median(ratios):.2f}",
                )
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for part, subject in [("load", "open"), ("validate", "validate")] + [
            ("query", s) for s in sorted({m.subject for m in run.measures if m.part == "query"})
        ]:
            a, b = _median(run, part, small, subject, "xjkg"), _median(run, part, large, subject, "xjkg")
            if a and b and a.median and b.median:
                exponent = math.log(b.median / a.median) / math.log(large / small)
                target(
                    f"linear growth of {part} {subject} (xjkg), {size_label(small)} → {size_label(large)}",
                    None,
                    exponent,
                    "exponent <= 1.15 (time ~ size^k)",
                    exponent <= 1.15,
                    f"{a.median:.4f} s → {b.median:.4f} s",
                )


def _fmt_seconds(m: Measure | None) -> str:
    if m is None:
        return "-"
    if m.capped:
        return "> cap"
    if m.error:
        return "error"
    if m.median is None:
        return "-"
    return f"{m.median * 1000:.1f} ms" if m.median < 1 else f"{m.median:.2f} s"


def print_tables(run: Run) -> None:
    """Medians and ratios, one table per part and size; then the targets."""
    groups: dict[tuple[str, int], list[Measure]] = {}
    for m in run.measures:
        groups.setdefault((m.part, m.size), []).append(m)
    for (part, size), measures in groups.items():
        engines = list(dict.fromkeys(m.engine for m in measures))
        title = f"{part} at {size_label(size)}" if size else part
        print(f"\n## {title}  (median; peak MB in brackets)")
        print(" | ".join(["subject", *engines, *(f"{e}/xjkg" for e in engines if e != "xjkg" and "xjkg" in engines)]))
        for subject in dict.fromkeys(m.subject for m in measures):
            by_engine = {m.engine: m for m in measures if m.subject == subject}
            cells = []
            for e in engines:
                m = by_engine.get(e)
                text = _fmt_seconds(m)
                if m and part == "serve" and m.extra.get("rps") is not None:
                    text = f"{m.extra['rps']} req/s p50 {m.extra['p50_ms']} p99 {m.extra['p99_ms']} ms"
                if m and m.maxrss_mb:
                    text += f" [{m.maxrss_mb:.0f}]"
                cells.append(text)
            if "xjkg" in by_engine:
                for e in engines:
                    if e != "xjkg":
                        r = _ratio(by_engine.get(e), by_engine["xjkg"])
                        cells.append("-" if r is None else f"{r:.2f}x")
            print(" | ".join([subject, *cells]))
    if run.comparisons:
        print("\n## results compared by value")
        for c in run.comparisons:
            print(f"{c['part']} {c['size']} {c['subject']}: {'same' if c['same'] else 'DIFFERENT'} {c['rows']}")
    if run.targets:
        print("\n## targets of issue 7")
        for t in run.targets:
            verdict = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
            value = "-" if t["value"] is None else t["value"]
            print(f"{verdict:>12}  {t['target']} {t['size']}: {value} (goal {t['goal']}) {t['note']}")


def machine() -> dict[str, str]:
    cpu = ""
    with suppress(Exception, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
    }


def _sizes(text: str) -> list[int]:
    return [parse_size(s) for s in text.split(",") if s.strip()]


def _parts(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part(s) {sorted(unknown)}; choose from {', '.join(PARTS)}")
    return parts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=_sizes("10k,100k"), help="e.g. 10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement (default 3)")
    parser.add_argument("--only", type=_parts, default=list(PARTS), help=f"parts to run: {','.join(PARTS)}")
    parser.add_argument("--cap", type=float, default=60.0, help="time cap per query or load, seconds (default 60)")
    parser.add_argument("--validate-cap", type=float, default=900.0, help="time cap per validation (default 900)")
    parser.add_argument(
        "--validators",
        default="xjkg,pyshacl,pyrudof",
        help="validation engines (xjkg, pyshacl, pyrudof, pyrudof-sparql); pyshacl is the reference",
    )
    parser.add_argument("--shapes", type=Path, default=SHAPES_FILE, help="SHACL shapes (default ontology/shapes.ttl)")
    parser.add_argument("--no-stored", action="store_true", help="only the bench queries, not queries/*.rq")
    parser.add_argument("--clients", type=lambda s: [int(c) for c in s.split(",")], default=[1, 8])
    parser.add_argument("--requests", type=int, default=100, help="requests per server, query and client count")
    parser.add_argument(
        "--servers",
        type=lambda s: [n.strip() for n in s.split(",") if n.strip()],
        default=list(SERVERS),
        help=f"endpoints the serve part runs (default {','.join(SERVERS)})",
    )
    parser.add_argument("--serve-budget", type=float, default=10.0, help="seconds per server cell at most")
    parser.add_argument("--ready-timeout", type=float, default=300.0, help="seconds a server may take to start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where generated data is kept")
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/<date-time>.json)")
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """Run the parts asked for at every size, print the tables, write the JSON; 0 unless the run broke."""
    args = build_parser().parse_args(None if argv is None else list(argv))
    now = dt.datetime.now(dt.UTC)
    run = Run(
        date=now.isoformat(timespec="seconds"),
        machine=machine(),
        options={k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    )
    print(f"xjkg bench {run.date}: {run.machine['nproc']} cores, Python {run.machine['python']}")
    queries: list[BenchQuery] = []
    if {"query", "serve", "startup"} & set(args.only):
        queries = load_queries(run, stored=not args.no_stored)
    for size in args.sizes:
        data = args.data_dir / data_file(size, args.seed).name
        if not data.is_file():
            print(f"generating {data} ...")
            generate(size, args.seed, data)
        print(f"\n# {size_label(size)}: {data}")
        started = time.perf_counter()
        if "load" in args.only:
            part_load(run, size, data, args.repeat, args.cap)
        if "query" in args.only:
            part_query(run, size, data, queries, args.repeat, args.cap)
        if "validate" in args.only:
            validators = [v.strip() for v in args.validators.split(",") if v.strip()]
            part_validate(run, size, data, args.repeat, args.validate_cap, args.shapes, validators)
        if "serve" in args.only:
            part_serve(run, size, data, queries, args)
        print(f"  {size_label(size)} done in {time.perf_counter() - started:.0f} s")
    if "startup" in args.only:
        part_startup(run, queries, args.repeat)
    evaluate_targets(run, args.sizes)
    print_tables(run)
    if args.output is None:
        RESULTS_DIR.mkdir(exist_ok=True)  # bench/results/ is ours (git-ignored); outputs never make folders
    output = args.output or RESULTS_DIR / f"{now.strftime('%Y%m%d-%H%M%S')}.json"
    atomic_write_bytes(output, run.to_json())
    print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
