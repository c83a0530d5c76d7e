"""Where queries run: the embedded pyoxigraph store (default); any SPARQL 1.1 endpoint is :mod:`xjkg.query.remote`.

Neither rdflib nor pyoxigraph can cancel a running query, and pyoxigraph can crash the process, so
the embedded store lives in worker processes: a query gets a deadline, and on timeout or crash the
worker is killed and replaced while the caller gets a clear :class:`XjkgError` (exit 3).

Every query passes :func:`xjkg.sparql_safety.check_query` before it reaches an engine: inside the worker for
the embedded store (a parser crash or hang costs one worker), before sending for an endpoint. Parameters go in
a ``VALUES`` block at the start of the WHERE group, as escaped terms (:func:`xjkg.rdf.sparql_term`), on every
engine alike: the same text runs embedded and on a server. (pyoxigraph's ``substitutions`` would avoid
the text, but refuse a variable that is not projected, e.g. one used only to filter before GROUP BY.)

Over 500 lines on purpose: one job, the life of a worker (start or fork, deadline, cancel, crash,
replace, memory cap, parent death), whose pieces share the worker's state and its pipe protocol.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xjkg.core.child import out_of_memory
from xjkg.core.errors import EXIT_FAILED, XjkgError
from xjkg.core.paths import GRAPH_FILE
from xjkg.core.rdf import rdflib_to_wire, sparql_term
from xjkg.core.sparql_safety import checked_form, insert_values, prepare
from xjkg.query.results import QueryResult
from xjkg.query.worker import Channel, Dataset, answer_error, crash_error, fork_worker, said
from xjkg.query.worker import timeout_error as _timeout_error

if TYPE_CHECKING:
    from typing import TypeAlias

    from rdflib.term import Identifier

    from xjkg.core.rdf import WireTerm

    #: A parameter's value: an rdflib term (the library's callers), or a wire term (``xjkg query``).
    Binding: TypeAlias = Identifier | WireTerm

__all__ = ["Binding", "EmbeddedEngine", "Engine", "sparql_term", "values_block"]

_LOAD_TIMEOUT = 300.0  # seconds a worker may take to load the graph (not counted in the query limit)
_CANCEL_POLL = 0.05  # seconds between looks at a query's cancel flag
_TAIL_BYTES = 65_536  # of a dead worker's stderr, read for its cause (a Rust backtrace can be long)


class Engine:
    """Runs checked, read-only SPARQL queries; use as a context manager or call :meth:`close`."""

    def query(
        self,
        text: str,
        bindings: Mapping[str, Binding] | None = None,
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


# -- the embedded store --------------------------------------------------------------------------------


class _Worker:
    """One worker process (``python -m xjkg.query.worker GRAPH PARENT LIFELINE MEMORY``) and our pipe ends.

    A fresh interpreter rather than multiprocessing: fork is unsafe in a threaded server, and
    spawn/forkserver re-run the caller's main module (a notebook, ``python -``, a script). Its stderr goes
    to an unnamed temporary file, read when it crashes (what it said names the cause: memory, a panic).
    """

    def __init__(
        self,
        graph_file: Path,
        while_loading: Callable[[], None] | None = None,
        *,
        lifeline: int,
        memory_mb: int = 0,
        spawn: Callable[[Callable[[], subprocess.Popen[bytes]]], subprocess.Popen[bytes]] | None = None,
        inherited: tuple[int, ...] = (),
    ) -> None:
        self.memory_mb = memory_mb
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by kill())
        self._launch(graph_file, lifeline, spawn, inherited)
        self._ready(graph_file, while_loading)

    def _launch(
        self,
        graph_file: Path,
        lifeline: int,
        spawn: Callable[[Callable[[], subprocess.Popen[bytes]]], subprocess.Popen[bytes]] | None,
        inherited: tuple[int, ...],
    ) -> None:
        """Start the worker; set :attr:`process`, :attr:`requests` and :attr:`answers`."""
        memory_mb = self.memory_mb
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        argv = [sys.executable, "-m", "xjkg.query.worker", str(graph_file), str(os.getpid()), str(lifeline)]

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [*argv, str(memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env=env,
                close_fds=True,
                pass_fds=(lifeline,),
            )

        self.process = spawn(start) if spawn is not None else start()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Channel(os.dup(self.process.stdin.fileno()))
        self.answers = Channel(os.dup(self.process.stdout.fileno()))
        self.process.stdin.close()
        self.process.stdout.close()

    def _ready(self, graph_file: Path, while_loading: Callable[[], None] | None) -> None:
        """Wait for the worker to load the graph (doing ``while_loading`` meanwhile); XjkgError if it cannot."""
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
            self.kill()
            raise XjkgError(
                f"{graph_file}: the query worker died while loading the graph{self.said()}", EXIT_FAILED
            ) from None
        if status != "ready":
            self.kill()
            raise XjkgError(f"cannot load the graph: {payload}", EXIT_FAILED)
        self.triples = int(payload)

    @property
    def closed(self) -> bool:
        return self.answers.closed

    def _tail(self) -> list[str]:
        """The last lines the worker wrote on stderr."""
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - _TAIL_BYTES))
            return self.stderr.read().decode("utf-8", "replace").strip().splitlines()
        return []

    def said(self) -> str:
        """What the worker said on stderr before dying (:func:`xjkg.engine_worker.said`)."""
        return said(self.stderr)

    def out_of_memory(self) -> bool:
        """Whether the worker died for want of memory (its limit hit: Rust aborts, Python raises)."""
        text = "\n".join(self._tail())
        return self.memory_mb > 0 and out_of_memory(text)

    def send(self, request: object) -> None:
        self.requests.send(request)

    def poll(self, timeout: float) -> bool:
        return self.answers.poll(timeout)

    def recv(self) -> Any:
        return self.answers.recv()

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


class _ForkedProcess:
    """A forked worker seen through the part of :class:`subprocess.Popen` that :class:`_Worker` uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.killed = False

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
                self.killed = True

    def wait(self, timeout: float) -> int:
        if self.poll() is None and self.killed:  # SIGKILL is not refused: reap it at once
            with contextlib.suppress(ChildProcessError):
                self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout)
            time.sleep(0.005)  # a process, not a test: nothing to wait on but its exit
        assert self.returncode is not None
        return self.returncode


class _ForkedWorker(_Worker):
    """A worker forked from this process instead of a new interpreter (``EmbeddedEngine(fork=True)``).

    For a one-shot, single-threaded caller (``xjkg query``): the child already holds the caller's modules,
    so it skips an interpreter's start-up and the imports, and loads the graph at once. The isolation is the
    same as a spawned worker's: its own process (a crash or hang costs it), the same guards and protocol.
    Not for a server: fork is unsafe in a threaded process.
    """

    def _launch(
        self,
        graph_file: Path,
        lifeline: int,
        spawn: Callable[[Callable[[], subprocess.Popen[bytes]]], subprocess.Popen[bytes]] | None,
        inherited: tuple[int, ...],
    ) -> None:
        pid, request_write, answer_read = fork_worker(
            str(graph_file), self.stderr.fileno(), lifeline, self.memory_mb, inherited
        )
        self.process = _ForkedProcess(pid)  # type: ignore[assignment]
        self.requests = Channel(request_write)
        self.answers = Channel(answer_read)


class _Spawner:
    """One long-lived thread that starts workers: Linux's parent-death signal follows the *thread* that
    forked, and the threads of a server's pool come and go."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], Any], list[Any], threading.Event] | None] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def __call__(self, start: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
        if threading.current_thread() is threading.main_thread():
            return start()
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, daemon=True, name="xjkg-spawner")
                self.thread.start()
        box: list[Any] = []
        done = threading.Event()
        self.jobs.put((start, box, done))
        done.wait()
        if isinstance(box[0], BaseException):
            raise box[0]
        result: subprocess.Popen[bytes] = box[0]
        return result

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            start, box, done = job
            try:
                box.append(start())
            except BaseException as exc:  # handed to the caller's thread
                box.append(exc)
            done.set()

    def close(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)


class EmbeddedEngine(Engine):
    """pyoxigraph holding ``graph_file`` in ``workers`` processes; thread-safe, no server to start.

    Each query is checked and parsed inside a worker (a parser crash or hang costs that worker, which is
    replaced); ``memory_mb`` caps each worker's address space (0: no cap; a forked worker's is what it may
    take beyond its parent's); ``standby`` keeps one more worker
    loaded to replace a killed one without delay.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = f.write_text('<http://example.org/a> <http://example.org/p> 1.50 .')
    >>> with EmbeddedEngine(f) as engine:
    ...     engine.query("SELECT ?v WHERE { ?s ?p ?v }").to_python()
    [{'v': Decimal('1.5')}]
    """

    def __init__(
        self,
        graph_file: Path = GRAPH_FILE,
        *,
        workers: int = 1,
        memory_mb: int = 0,
        standby: bool = False,
        fork: bool = False,
        while_loading: Callable[[], None] | None = None,
    ) -> None:
        self.graph_file = Path(graph_file)
        if not self.graph_file.is_file():
            hint = " (run `xjkg build`)" if self.graph_file == GRAPH_FILE else ""
            raise XjkgError(f"{self.graph_file}: no such graph file{hint}", EXIT_FAILED)
        self._max = max(1, workers)
        self.memory_mb = memory_mb
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        self._spawner = _Spawner()
        # Workers hold the read end; only this process holds the write end, so its death ends them.
        self._lifeline_read, self._lifeline_write = os.pipe()
        self._fork = fork
        if fork and (workers > 1 or standby):
            raise ValueError("a forked worker is for one-shot callers: one worker, no standby")
        # Load now (a broken graph file is reported at once); meanwhile do the caller's ``while_loading``
        # (if it raises, the worker is killed), else the first check's set-up (not with fork: that caller
        # leaves every check to the worker).
        self._release(self._acquire(while_loading=while_loading or (None if fork else prepare)))
        self._standby: _Worker | None = None
        if standby:  # one more worker, loaded and idle, to take a killed worker's place at once (a server)
            threading.Thread(target=self._refill_standby, daemon=True, name="xjkg-standby").start()

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
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                if self._count < self._max:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            worker = self._new_worker(while_loading)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._busy.add(worker)
            if self._closed:  # aborted while it loaded
                self._busy.discard(worker)
                worker.kill()
                raise XjkgError("the query engine is closed", EXIT_FAILED)
        return worker

    def _new_worker(self, while_loading: Callable[[], None] | None = None) -> _Worker:
        if self._fork:
            return _ForkedWorker(
                self.graph_file,
                while_loading,
                lifeline=self._lifeline_read,
                memory_mb=self.memory_mb,
                inherited=(self._lifeline_write,),  # its death must end the worker: only we hold it
            )
        return _Worker(
            self.graph_file, while_loading, lifeline=self._lifeline_read, memory_mb=self.memory_mb, spawn=self._spawner
        )

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._cond.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._cond:
            self._busy.discard(worker)
            self._count -= 1
            if self._standby is not None and not self._closed:
                # The loaded standby takes the killed worker's place at once; a new standby loads.
                self._idle.append(self._standby)
                self._standby = None
                self._count += 1
                self._cond.notify()
                threading.Thread(target=self._refill_standby, daemon=True, name="xjkg-standby").start()
                return
            self._cond.notify()
            replace = not self._closed and self._count < self._max and not self._fork
            if replace:
                self._count += 1
        if replace:
            # Start the replacement now, not when the next query comes: a query waiting for a killed
            # runaway's place would otherwise spend its own time limit on a worker's start-up.
            threading.Thread(target=self._replace, daemon=True, name="xjkg-replace").start()

    def _replace(self) -> None:
        try:
            worker = self._new_worker()
        except (XjkgError, OSError):
            with self._cond:
                self._count -= 1
                self._cond.notify()
            return
        with self._cond:
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
        worker.stop()

    def _refill_standby(self) -> None:
        try:
            worker = _Worker(
                self.graph_file, lifeline=self._lifeline_read, memory_mb=self.memory_mb, spawn=self._spawner
            )
        except (XjkgError, OSError):
            return  # no standby: a killed worker is then replaced on demand
        with self._cond:
            if not self._closed and self._standby is None:
                self._standby = worker
                return
        worker.stop()

    def query(
        self,
        text: str,
        bindings: Mapping[str, Binding] | None = None,
        *,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        where: str = "query",
        cancel: threading.Event | None = None,
        dataset: Dataset | None = None,
    ) -> QueryResult:
        """As :meth:`Engine.query`; setting ``cancel`` (the client has gone) kills the worker and raises;
        ``dataset`` (default and named graphs, as the protocol's ``default-graph-uri`` and ``named-graph-uri``
        give them) replaces the query's ``FROM`` and ``FROM NAMED``."""
        values = values_block(bindings) if bindings else None
        form = checked_form(text)  # checked in this process already (a stored query): not again
        request: tuple[object, ...] = (text, values, max_rows, where, None, dataset)
        if form is not None:
            request = (insert_values(text, values) if values else text, None, max_rows, where, form, dataset)
        deadline = time.monotonic() + timeout
        worker = self._acquire()
        started = time.perf_counter()
        parsed = False  # a crash before the worker says so is the parser's: the query is refused
        try:
            worker.send(request)
            while True:
                if not self._wait(worker, deadline, cancel):
                    self._discard(worker)
                    if cancel is not None and cancel.is_set():
                        raise XjkgError(f"{where}: cancelled", EXIT_FAILED)
                    raise _timeout_error(timeout)
                message = worker.recv()
                if message[0] != "parsed":
                    break
                parsed = True
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(5)
            out_of_memory = worker.out_of_memory()
            told = worker.said()
            self._discard(worker)
            if out_of_memory:
                raise XjkgError(
                    f"{where}: the query needed more than the worker's memory limit of {self.memory_mb} MB "
                    "(narrow the query)",
                    EXIT_FAILED,
                ) from None
            raise crash_error(where, parsed, told) from None
        except BaseException:
            if not worker.closed:
                self._discard(worker)  # e.g. KeyboardInterrupt mid-query: the worker state is unknown
            raise
        self._release(worker)
        elapsed = time.perf_counter() - started
        if message[0] != "ok":
            raise answer_error(message, where, f"than the worker's memory limit of {self.memory_mb} MB")
        return QueryResult.from_answer(message[1], message[2], elapsed)

    @staticmethod
    def _wait(worker: _Worker, deadline: float, cancel: threading.Event | None) -> bool:
        """Wait for the worker's next message until ``deadline``; False on the deadline or a cancel."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or (cancel is not None and cancel.is_set()):
                return False
            if worker.poll(left if cancel is None else min(left, _CANCEL_POLL)):
                return True

    def abort(self) -> None:
        """Close at once: kill every worker, busy or idle (a server told to stop)."""
        with self._cond:
            self._closed = True
            workers = [*self._idle, *self._busy, *([self._standby] if self._standby else [])]
            self._idle, self._standby = [], None
            self._cond.notify_all()
        for worker in workers:
            if worker.process.poll() is None:
                worker.process.kill()
        self._close_lifeline()

    def _close_lifeline(self) -> None:
        self._spawner.close()
        for fd in ("_lifeline_read", "_lifeline_write"):
            number = getattr(self, fd)
            if number >= 0:
                setattr(self, fd, -1)
                with contextlib.suppress(OSError):
                    os.close(number)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            if self._standby is not None:
                idle.append(self._standby)
                self._standby = None
            self._cond.notify_all()
        for worker in idle:
            if self._fork:  # a one-shot caller about to exit: its store needs no orderly goodbye
                worker.kill()
            else:
                worker.stop()
        with self._cond:
            busy = bool(self._busy)
        if not busy:
            self._close_lifeline()


# -- any SPARQL 1.1 endpoint ---------------------------------------------------------------------------


def values_block(bindings: Mapping[str, Binding]) -> str:
    """The ``VALUES`` block binding the parameters: one row of escaped terms."""
    names = sorted(bindings)
    terms = []
    for name in names:
        term = bindings[name]
        wire = term if isinstance(term, tuple) else rdflib_to_wire(term)
        assert wire is not None
        terms.append(sparql_term(wire))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
