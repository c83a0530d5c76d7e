"""Where queries run: the embedded pyoxigraph store (default); any SPARQL 1.1 endpoint is :mod:`xjkg.remote`.

Neither rdflib nor pyoxigraph can cancel a running query, and pyoxigraph can crash the process, so
the embedded store lives in worker processes: a query gets a deadline, and on timeout or crash the
worker is killed and replaced while the caller gets a clear :class:`XjkgError` (exit 3).

Every query passes :func:`xjkg.sparql_safety.check_query` before it reaches an engine. Parameters go in
a ``VALUES`` block at the start of the WHERE group, as escaped terms (:func:`xjkg.rdf.sparql_term`), on every
engine alike: the same text runs embedded and on a server. (pyoxigraph's ``substitutions`` would avoid
the text, but refuse a variable that is not projected, e.g. one used only to filter before GROUP BY.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine_worker import Channel
from .errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from .paths import GRAPH_FILE
from .rdf import rdflib_to_wire, sparql_term
from .results import QueryResult
from .sparql_safety import check_query, insert_values, prepare

if TYPE_CHECKING:
    from rdflib.term import Identifier

__all__ = ["EmbeddedEngine", "Engine", "sparql_term", "values_block"]

_LOAD_TIMEOUT = 300.0  # seconds a worker may take to load the graph (not counted in the query limit)


class Engine:
    """Runs checked, read-only SPARQL queries; use as a context manager or call :meth:`close`."""

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        where: str = "query",
    ) -> QueryResult:
        """Run ``text`` with ``bindings`` (variable name → RDF term); ``where`` names it in errors."""
        raise NotImplementedError

    def close(self) -> None:
        """Release processes and connections."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _timeout_error(timeout: float) -> XjkgError:
    return XjkgError(
        f"query exceeded the time limit of {timeout:g} s (raise it with --timeout, or narrow the query)",
        EXIT_FAILED,
    )


# -- the embedded store --------------------------------------------------------------------------------


class _Worker:
    """One worker process (``python -m xjkg.engine_worker GRAPH``) and our ends of its two pipes.

    A fresh interpreter rather than multiprocessing: fork is unsafe in a threaded server, and
    spawn/forkserver re-run the caller's main module (a notebook, ``python -``, a script).
    """

    def __init__(self, graph_file: Path, while_loading: Callable[[], None] | None = None) -> None:
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        # The worker's stderr goes to an unnamed temporary file (gone when closed), so that a crash can be
        # read: its tail goes into the error message (:meth:`crash_report`).
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115  (closed in kill(): it lives as long as the worker)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xjkg.engine_worker", str(graph_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Channel(os.dup(self.process.stdin.fileno()))
        self.answers = Channel(os.dup(self.process.stdout.fileno()))
        self.process.stdin.close()
        self.process.stdout.close()
        if while_loading is not None:
            try:
                while_loading()
            except BaseException:
                self.kill()
                raise
        if not self.answers.poll(_LOAD_TIMEOUT):
            self.kill()
            raise XjkgError(f"{graph_file}: loading the graph took longer than {_LOAD_TIMEOUT:g} s", EXIT_FAILED)
        try:
            status, payload = self.answers.recv()
        except (EOFError, OSError):
            report = self.crash_report()
            self.kill()
            raise XjkgError(
                f"{graph_file}: the query worker died while loading the graph{report}", EXIT_FAILED
            ) from None
        if status != "ready":
            self.kill()
            raise XjkgError(f"cannot load the graph: {payload}", EXIT_FAILED)
        self.triples = int(payload)

    @property
    def closed(self) -> bool:
        return self.answers.closed

    def send(self, request: object) -> None:
        self.requests.send(request)

    def poll(self, timeout: float) -> bool:
        return self.answers.poll(timeout)

    def recv(self) -> Any:
        return self.answers.recv()

    def crash_report(self, limit: int = 2000) -> str:
        """``; the worker said: <the last lines of its stderr>`` (``limit`` characters at most), or ``""``."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)  # it has closed its pipe: let it finish writing
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - 4 * limit))
            text = self.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        tail = " | ".join(lines)[-limit:]
        return f"; the worker said: {tail}" if tail else ""

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.requests.close()
        self.answers.close()
        self.stderr.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.requests.send(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        self.kill()


class EmbeddedEngine(Engine):
    """pyoxigraph holding ``graph_file`` in ``workers`` processes; thread-safe, no server to start.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = f.write_text('<http://example.org/a> <http://example.org/p> 1.50 .')
    >>> with EmbeddedEngine(f) as engine:
    ...     engine.query("SELECT ?v WHERE { ?s ?p ?v }").to_python()
    [{'v': Decimal('1.5')}]
    """

    def __init__(self, graph_file: Path = GRAPH_FILE, *, workers: int = 1) -> None:
        self.graph_file = Path(graph_file)
        if not self.graph_file.is_file():
            hint = " (run `xjkg build`)" if self.graph_file == GRAPH_FILE else ""
            raise XjkgError(f"{self.graph_file}: no such graph file{hint}", EXIT_FAILED)
        self._max = max(1, workers)
        self._idle: list[_Worker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        # Load now (a broken graph file is reported at once); meanwhile do the first check's set-up.
        self._release(self._acquire(while_loading=prepare))

    @property
    def triples(self) -> int:
        """How many triples the store holds."""
        worker = self._acquire()
        try:
            return worker.triples
        finally:
            self._release(worker)

    def _acquire(self, while_loading: Callable[[], None] | None = None) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise XjkgError("the query engine is closed", EXIT_FAILED)
                if self._idle:
                    return self._idle.pop()
                if self._count < self._max:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return _Worker(self.graph_file, while_loading)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._cond.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        where: str = "query",
    ) -> QueryResult:
        form = check_query(text, where)
        if bindings:
            text = insert_values(text, values_block(bindings))
        worker = self._acquire()
        started = time.perf_counter()
        try:
            worker.send((text, max_rows))
            if not worker.poll(timeout):
                self._discard(worker)
                raise _timeout_error(timeout)
            status, payload = worker.recv()
        except (EOFError, OSError):
            report = worker.crash_report()
            self._discard(worker)
            raise XjkgError(
                f"{where}: the query engine crashed on this query (the worker was replaced){report}", EXIT_FAILED
            ) from None
        except BaseException:
            if not worker.closed:
                self._discard(worker)  # e.g. KeyboardInterrupt mid-query: the worker state is unknown
            raise
        self._release(worker)
        elapsed = time.perf_counter() - started
        if status == "syntax":
            raise XjkgError(f"{where}: syntax error: {payload}", EXIT_BAD_INPUT)
        if status != "ok":
            raise XjkgError(f"{where}: the query failed: {payload}", EXIT_FAILED)
        return _result(form, payload, elapsed)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()


def _result(form: str, payload: tuple[Any, ...], elapsed: float) -> QueryResult:
    kind = payload[0]
    if kind == "ASK":
        return QueryResult(form="ASK", boolean=bool(payload[1]), elapsed=elapsed)
    if kind == "SELECT":
        variables, rows, truncated = payload[1], payload[2], payload[3]
        return QueryResult.from_wire(variables, rows, truncated=bool(truncated), elapsed=elapsed)
    return _graph_result(form, payload[1], "nt", truncated=bool(payload[2]), elapsed=elapsed)


def _graph_result(form: str, data: bytes, fmt: str, *, truncated: bool = False, elapsed: float = 0.0) -> QueryResult:
    """A result over an engine's RDF answer; it stays pyoxigraph triples until someone asks for rdflib."""
    import pyoxigraph as ox

    ox_format = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
    return QueryResult.from_triples(form, ox.parse(data, format=ox_format), truncated=truncated, elapsed=elapsed)


# -- any SPARQL 1.1 endpoint ---------------------------------------------------------------------------


def values_block(bindings: Mapping[str, Identifier]) -> str:
    """The ``VALUES`` block binding the parameters: one row of escaped terms."""
    names = sorted(bindings)
    terms = []
    for name in names:
        wire = rdflib_to_wire(bindings[name])
        assert wire is not None
        terms.append(sparql_term(wire))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


# -- any SPARQL 1.1 endpoint: moved to xjkg.remote ------------------------------------------------------


def __getattr__(name: str) -> Any:
    """``EndpointEngine`` and ``load_graph`` live in :mod:`xjkg.remote`; old imports keep working."""
    if name in ("EndpointEngine", "load_graph"):
        from . import remote

        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
