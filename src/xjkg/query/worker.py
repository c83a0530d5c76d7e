"""The query worker process of :class:`xjkg.engines.EmbeddedEngine`:
``python -m xjkg.query.worker GRAPH PARENT_PID LIFELINE_FD MEMORY_MB``, or forked by a command.

Kept apart from :mod:`xjkg.query.engines` so that a spawned worker imports only pyoxigraph, the pipe protocol and
the query check (no rdflib, no result formats): starting one is most of the cost of opening a small graph.
:class:`Channel` is the pipe protocol (length-prefixed pickles between two processes of ours).
The worker checks each query its caller has not checked (:func:`xjkg.sparql_safety.check_query`, then
pyoxigraph parses it; a server checks no request text itself): a text that crashes or hangs the parser costs
this process, never the caller. It says ``("parsed",)`` once
the check passed, so a crash before that is told apart from one during evaluation. It guards itself: an
address-space limit (``RLIMIT_AS``), death with its parent (``PR_SET_PDEATHSIG`` on Linux, and a thread
watching a pipe only the parent holds open).
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import select
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeAlias

import pyoxigraph as ox

from xjkg.core.child import cap_memory, die_with_parent, fork_flushed
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.rdf import ox_to_wire
from xjkg.core.report_graphs import add_report_graphs
from xjkg.core.sparql_safety import check_query, insert_values, uses_named_graphs
from xjkg.query.store_cache import open_graph

__all__ = [
    "Channel",
    "Dataset",
    "answer_error",
    "answering",
    "crash_error",
    "evaluate",
    "fork_worker",
    "said",
    "timeout_error",
    "worker_main",
]

#: A protocol dataset: the default graph's IRIs (None: the store's default graph) and the named graphs' IRIs.
Dataset: TypeAlias = tuple[tuple[str | None, ...], tuple[str, ...]]

_HEADER_SIZE = 8  # a message's length, unsigned, big-endian (struct's "!Q")


class Channel:
    """One end of a pipe carrying pickled messages (both ends are ours: a worker and its engine)."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    @property
    def closed(self) -> bool:
        return self.fd is None

    def _fd(self) -> int:
        if self.fd is None:
            raise OSError("the channel is closed")
        return self.fd

    def send(self, message: object) -> None:
        fd = self._fd()
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(_HEADER_SIZE, "big") + data)
        while view:
            view = view[os.write(fd, view) :]

    def _read(self, size: int) -> bytes:
        fd = self._fd()
        chunks: list[bytes] = []
        while size:
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the other end closed the channel")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def recv(self) -> Any:
        size = int.from_bytes(self._read(_HEADER_SIZE), "big")
        return pickle.loads(self._read(size))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the pipe) is there to read within ``timeout`` seconds."""
        poller = select.poll()  # not select.select: a server's descriptors can exceed FD_SETSIZE
        poller.register(self._fd(), select.POLLIN)
        return bool(poller.poll(max(0.0, timeout) * 1000))

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def evaluate(store: Any, text: str, max_rows: int, dataset: Dataset | None = None) -> tuple[Any, ...]:
    """Run one query in the worker; the answer is plain data (it crosses a pipe).

    ``dataset`` (the protocol's ``default-graph-uri`` and ``named-graph-uri``) replaces the query's
    ``FROM``/``FROM NAMED``: graph IRIs, ``None`` for the store's default graph.
    """
    if dataset is None:
        result = store.query(text)
    else:
        defaults, graphs = dataset
        result = store.query(
            text,
            default_graph=[ox.DefaultGraph() if iri is None else ox.NamedNode(iri) for iri in defaults],
            named_graphs=[ox.NamedNode(iri) for iri in graphs],
        )
    if isinstance(result, ox.QueryBoolean):
        return ("ASK", bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[list[tuple[str, ...] | None]] = []
        truncated = False
        # ox_to_wire inlined for the common kinds, cells read by position: this loop is most of the
        # Python time of a large answer (about half of it was per-cell calls and name look-ups).
        positions = range(len(variables))
        named, literal, blank = ox.NamedNode, ox.Literal, ox.BlankNode
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            row: list[tuple[str, ...] | None] = []
            for position in positions:
                term = solution[position]
                kind = type(term)
                if kind is named:
                    row.append(("uri", term.value))
                elif kind is literal:
                    row.append(("literal", term.value, term.datatype.value, term.language or ""))
                elif kind is blank:
                    row.append(("bnode", term.value))
                else:
                    row.append(ox_to_wire(term))  # None (unbound), or an RDF-star triple term
            rows.append(row)
        return ("SELECT", variables, rows, truncated)
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return ("GRAPH", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", truncated)


def worker_main(requests: Channel, answers: Channel, graph_file: str) -> None:
    """Load the graph once, then answer queries until told to stop (``None``) or the pipe closes.

    A request is ``(text, values block or None, max_rows, where, form, dataset)``, ``form`` None unless the
    caller checked the text already (the same check, in its process), ``dataset`` as :func:`evaluate` takes it;
    the answer ``("ok", form, payload)``,
    ``("refused", message, exit code)``, ``("syntax", message)`` or ``("error", message)``.
    """
    try:
        # a persistent store for big files, else in memory (its report graphs added on first need)
        store, triples = open_graph(graph_file, report_graphs=False)
    except (OSError, SyntaxError, ValueError) as exc:
        answers.send(("error", f"{graph_file}: {exc}"))
        return
    answers.send(("ready", triples))
    loaded = _Loaded(store, triples)
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        answers.send(answering(functools.partial(_answer, loaded, request, answers)))


class _Loaded:
    """The worker's store. A store in memory gets each report's named graph when a query first may read one
    (``FROM``, ``GRAPH`` or a protocol dataset): copying the statements costs about as much as the load, and
    most queries read the default graph only. A cached store was built with them."""

    def __init__(self, store: Any, triples: int) -> None:
        self.store = store
        self.triples = triples
        self.graphs_checked = False

    def for_query(self, text: str, dataset: Dataset | None) -> Any:
        if not self.graphs_checked and (dataset is not None or uses_named_graphs(text)):
            if len(self.store) == self.triples:  # only the file's triples: no report graph yet
                add_report_graphs(self.store)
            self.graphs_checked = True
        return self.store


def _answer(loaded: _Loaded, request: tuple[Any, ...], answers: Channel) -> tuple[Any, ...]:
    """Check (unless the caller did), say "parsed", run: the answer to one request of :func:`worker_main`."""
    text, values, max_rows, where, form, dataset = request
    if form is None:  # not yet checked by our caller: check (and parse) here, where a crash costs us
        form = check_query(text, where)
        if values:
            text = insert_values(text, values)
    answers.send(("parsed",))
    return ("ok", form, evaluate(loaded.for_query(text, dataset), text, max_rows, dataset))


def answering(work: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    """``work()``'s answer, or what went wrong as an answer: ``("refused", message, exit code)``,
    ``("syntax", message)``, ``("memory", "")`` or ``("error", message)`` (read by :func:`answer_error`)."""
    try:
        return work()
    except XjkgError as exc:
        return ("refused", exc.message, exc.exit_code)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except MemoryError:
        return ("memory", "")
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def _guard(parent: int, lifeline: int, memory_mb: int, *, forked: bool) -> None:
    """Die with the parent however it ends, and bound this process's memory (:func:`xjkg.bounded.cap_memory`)."""
    die_with_parent(parent)

    def watch() -> None:
        # Only the parent holds the write end: EOF means it is gone (where prctl is not available).
        while True:
            try:
                if not os.read(lifeline, 1):
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="xjkg-lifeline").start()
    cap_memory(memory_mb, forked=forked)


def _worker_process(graph_file: str, parent: int, lifeline: int, memory_mb: int) -> None:
    """Our channel is stdin/stdout; fd 1 then points at stderr (a stray print must not corrupt it)."""
    _guard(parent, lifeline, memory_mb, forked=False)
    requests = Channel(os.dup(0))
    answers = Channel(os.dup(1))
    os.dup2(2, 1)
    worker_main(requests, answers, graph_file)


def _forked_worker(
    request_fd: int, answer_fd: int, stderr_fd: int, graph_file: str, parent: int, lifeline: int, memory_mb: int
) -> None:
    """The worker in a child forked from its caller (:class:`xjkg.engines.EmbeddedEngine` with ``fork=True``).

    Its standard output and error go to ``stderr_fd`` (read when it dies; a stray print must not reach the
    caller's output), through new file objects: the caller's may hold a lock taken by a thread fork left
    behind. The fault handler writes there too, so a crash names its cause as in a spawned worker.
    """
    os.dup2(stderr_fd, 1)
    os.dup2(stderr_fd, 2)
    import faulthandler  # here: enabled on the child's own stderr, set just above

    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (the process ends with os._exit)
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    faulthandler.enable(sys.stderr)
    _guard(parent, lifeline, memory_mb, forked=True)
    worker_main(Channel(request_fd), Channel(answer_fd), graph_file)


def fork_worker(
    graph_file: str,
    stderr_fd: int,
    lifeline: int,
    memory_mb: int,
    close_in_child: tuple[int, ...] = (),
) -> tuple[int, int, int]:
    """Fork a worker on ``graph_file``: its pid and our ends of its request and answer pipes. The child closes
    ``close_in_child`` (descriptors only the parent may hold) and never returns into the caller's code."""
    request_read, request_write = os.pipe()
    answer_read, answer_write = os.pipe()
    parent = os.getpid()
    pid = fork_flushed()
    if pid == 0:  # the child
        code = 1
        try:
            for fd in (request_write, answer_read, *close_in_child):
                os.close(fd)
            _forked_worker(request_read, answer_write, stderr_fd, graph_file, parent, lifeline, memory_mb)
            code = 0
        finally:
            os._exit(code)
    os.close(request_read)
    os.close(answer_write)
    return pid, request_write, answer_read


# -- what the caller says when a worker fails (shared by xjkg.query.engines and the server) ------------------


def timeout_error(timeout: float) -> Exception:
    """The error of a query past its time limit (exit 3)."""
    return XjkgError(
        f"query exceeded the time limit of {timeout:g} s (raise it with --timeout, or narrow the query)",
        EXIT_FAILED,
    )


def crash_error(where: str, parsed: bool, said: str) -> Exception:
    """The error of a worker that died on a query: before it said "parsed" the parser's (the query is
    refused, exit 2), after it the engine's (exit 3)."""
    if not parsed:
        return XjkgError(
            f"{where}: the SPARQL parser crashed on this query (refused; the worker was replaced){said}",
            EXIT_BAD_INPUT,
        )
    return XjkgError(f"{where}: the query engine crashed on this query (the worker was replaced){said}", EXIT_FAILED)


def answer_error(answer: tuple[Any, ...], where: str, memory: str) -> Exception:
    """The error a worker's answer other than its result stands for (:func:`answering`); ``memory`` says
    what the query needed more of."""
    status = answer[0]
    if status == "refused":
        return XjkgError(answer[1], answer[2])
    if status == "syntax":
        return XjkgError(f"{where}: syntax error: {answer[1]}", EXIT_BAD_INPUT)
    if status == "memory":
        return XjkgError(f"{where}: the query needed more {memory} (narrow the query)", EXIT_FAILED)
    return XjkgError(f"{where}: the query failed: {answer[1]}", EXIT_FAILED)


def said(stderr: Any) -> str:
    """What a worker said on ``stderr`` (a binary file) before dying, as ``: …`` (empty if nothing): the fault
    handler's "Fatal Python error" line when there is one (the lines after it are a stack), else the last line."""
    lines: list[str] = []
    with contextlib.suppress(OSError, ValueError):
        stderr.seek(0, os.SEEK_END)
        size = stderr.tell()
        stderr.seek(max(0, size - 4000))
        lines = [line for line in stderr.read().decode("utf-8", "replace").strip().splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith("Fatal Python error")]
    line = fatal[-1] if fatal else lines[-1] if lines else ""
    return ": " + " ".join(line.split())[:300] if line else ""


if __name__ == "__main__":
    _worker_process(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
