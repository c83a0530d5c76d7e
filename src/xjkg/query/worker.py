"""The query worker process of :class:`xjkg.query.engines.EmbeddedEngine`:
``python -m xjkg.query.worker GRAPH PARENT_PID LIFELINE_FD MEMORY_MB``.

Kept apart from :mod:`xjkg.query.engines` so that a worker imports only pyoxigraph and the pipe protocol
(no rdflib, no result formats; the tokenizer only for a text to check): starting one is most of the cost
of opening a small graph.
:class:`Channel` is the pipe protocol (length-prefixed pickles): ``multiprocessing.connection`` would
do the same but importing it costs more than the rest of the worker's start-up.
The worker checks each query its caller has not checked (:func:`xjkg.core.sparql_safety.check_query`, then
pyoxigraph parses it; a server checks no request text itself): a text that crashes or hangs the parser costs
this process, never the caller. It says ``("parsed",)`` once
the check passed, so a crash before that is told apart from one during evaluation. It guards itself: an
address-space limit (``RLIMIT_AS``), death with its parent (``PR_SET_PDEATHSIG`` on Linux, and a thread
watching a pipe only the parent holds open).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

# pickle, select and threading are imported where used: `xjkg query` imports this module
# before it forks its worker, and every module imported then is paid before the graph starts loading.

TYPE_CHECKING = False  # not typing's: importing typing costs the one-shot command more than its work
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "Channel",
    "adopt",
    "crash_error",
    "discard",
    "evaluate",
    "forked_worker",
    "prefork",
    "run_job",
    "said",
    "timeout_error",
    "worker_main",
]

_LOAD_TIMEOUT = 300.0  # seconds a worker may take to load the graph (not counted in the query limit)

#: ``SIGKILL`` (9 on every POSIX system): the signal module imports enum, ~2 ms before the fork.
SIGKILL = 9
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
        import pickle

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
        import pickle

        size = int.from_bytes(self._read(_HEADER_SIZE), "big")
        return pickle.loads(self._read(size))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the pipe) is there to read within ``timeout`` seconds."""
        import select

        poller = select.poll()  # not select.select: a server's descriptors can exceed FD_SETSIZE
        poller.register(self._fd(), select.POLLIN)
        return bool(poller.poll(max(0.0, timeout) * 1000))

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def evaluate(store: Any, text: str, max_rows: int) -> tuple[Any, ...]:
    """Run one query in the worker; the answer is plain data (it crosses a pipe)."""
    import pyoxigraph as ox

    from xjkg.core.rdf import ox_to_wire

    result = store.query(text)
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


def _prepare_job() -> None:
    """What a one-shot command's job needs, imported (and the check's tokenizer set up) while the graph loads."""
    import ctypes  # noqa: F401 (for the parent-death signal, asked for once the graph is loaded)
    import pickle  # noqa: F401 (the job comes pickled)

    from xjkg.core.sparql_safety import prepare
    from xjkg.query import results  # noqa: F401 (imported for the job that follows)

    prepare()


def worker_main(
    requests: Channel,
    answers: Channel,
    graph_file: str,
    *,
    prepare_check: bool = False,
    job: bool = False,
    loaded: Callable[[], None] | None = None,
) -> None:
    """Load the graph once, then answer queries until told to stop (``None``) or the pipe closes.

    A request is ``(text, values block or None, max_rows, where, form)``, ``form`` None unless the caller
    checked the text already (the same check, in its process); the answer ``("ok", form, payload)``,
    ``("refused", message, exit code)``, ``("syntax", message)`` or ``("error", message)``. A request that
    is a dict is a one-shot command's whole job (:func:`xjkg.query.stored.run_job`; ``job``: expect one).
    ``loaded`` is called once the graph is loaded, before the worker says it is ready.
    """
    import functools
    import threading

    import pyoxigraph  # noqa: F401 (imported before the thread below starts: the load starts sooner)

    from xjkg.query.store_cache import open_graph

    setup: threading.Thread | None = None
    if prepare_check or job:
        # The first check's set-up (imports, the tokenizer) on a thread while the graph loads: pyoxigraph
        # lets go of the GIL while it parses, and a one-shot caller waits for both.
        from xjkg.core.sparql_safety import prepare

        setup = threading.Thread(target=_prepare_job if job else prepare, daemon=True, name="xjkg-check-setup")
        setup.start()

    try:
        store, triples = open_graph(graph_file)  # a persistent store for big files (issue 14), else in memory
    except (OSError, SyntaxError, ValueError) as exc:
        answers.send(("error", f"{graph_file}: {exc}"))
        return
    if setup is not None:
        setup.join()
    if loaded is not None:
        loaded()
    answers.send(("ready", triples))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if isinstance(request, dict):  # a one-shot command's whole job: read, check, run, write
            from xjkg.query.stored import run_job

            answers.send(run_job(store, request, lambda: answers.send(("parsed",))))
            continue
        answers.send(answering(functools.partial(_answer, store, request, answers)))


def _answer(store: Any, request: tuple[Any, ...], answers: Channel) -> tuple[Any, ...]:
    """Check (unless the caller did), say "parsed", run: the answer to one request of :func:`worker_main`."""
    text, values, max_rows, where, form = request
    if form is None:  # not yet checked by our caller: check (and parse) here, where a crash costs us
        from xjkg.core.sparql_safety import check_query, insert_values

        form = check_query(text, where)
        if values:
            text = insert_values(text, values)
    answers.send(("parsed",))
    return ("ok", form, evaluate(store, text, max_rows))


def answering(work: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    """``work()``'s answer, or what went wrong as an answer: ``("refused", message, exit code)``,
    ``("syntax", message)``, ``("memory", "")`` or ``("error", message)`` (read by :func:`answer_error`)."""
    from xjkg.core.errors import XjkgError

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


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent ends (``PR_SET_PDEATHSIG``; from the main thread, which
    lives as long as the process: the request belongs to the thread that makes it)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with_libc = ctypes.CDLL(None, use_errno=True)
        with_libc.prctl(pr_set_pdeathsig, SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def _guard(parent: int, lifeline: int, memory_mb: int, *, death_signal: bool = True) -> None:
    """Die with the parent however it ends, and bound this process's memory. Without ``death_signal`` the
    caller asks for the parent-death signal later (:func:`_die_with_parent`); the lifeline guards meanwhile."""
    if death_signal:
        _die_with_parent(parent)

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

    import threading

    threading.Thread(target=watch, daemon=True, name="xjkg-lifeline").start()
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_process(graph_file: str, parent: int, lifeline: int, memory_mb: int) -> None:
    """Our channel is stdin/stdout; fd 1 then points at stderr (a stray print must not corrupt it)."""
    _guard(parent, lifeline, memory_mb)
    requests = Channel(os.dup(0))
    answers = Channel(os.dup(1))
    os.dup2(2, 1)
    worker_main(requests, answers, graph_file)


def forked_worker(
    request_fd: int,
    answer_fd: int,
    stderr_fd: int,
    graph_file: str,
    parent: int,
    lifeline: int,
    memory_mb: int,
    job: bool = False,
) -> None:
    """The worker in a child forked from its caller (:class:`xjkg.query.engines.EmbeddedEngine` with ``fork=True``).

    Its standard output and error go to ``stderr_fd`` (read when it dies; a stray print must not reach the
    caller's output), through new file objects: the caller's may hold a lock taken by a thread fork left
    behind. The fault handler writes there too, so a crash names its cause as in a spawned worker.
    """
    os.dup2(stderr_fd, 1)
    os.dup2(stderr_fd, 2)
    import faulthandler

    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (the process ends with os._exit)
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    faulthandler.enable(sys.stderr)
    # A one-shot command's worker asks for the parent-death signal once the graph is loaded: importing ctypes
    # (~3 ms) is then done on the set-up thread, not before the load.
    _guard(parent, lifeline, memory_mb, death_signal=not job)
    worker_main(
        Channel(request_fd),
        Channel(answer_fd),
        graph_file,
        prepare_check=True,
        job=job,
        loaded=(lambda: _die_with_parent(parent)) if job else None,
    )


# -- a worker forked at the start of a one-shot command ------------------------------------------------

_early: dict[str, Any] | None = None  # the worker prefork() started, until adopt() or discard()


def prefork(graph_file: str) -> None:
    """Fork the query worker of a one-shot ``xjkg query`` now, before the command's own imports and its
    arguments: the child loads the graph meanwhile (on the other core). :class:`xjkg.query.engines.EmbeddedEngine`
    with ``fork=True`` on the same file adopts it (:func:`adopt`); :func:`discard` ends one nobody adopted.
    The child holds none of the caller's descriptors but its standard streams, and is guarded as any worker.
    """
    global _early
    if _early is not None or not hasattr(os, "fork"):
        return
    if hasattr(os, "memfd_create"):  # an unnamed file, without tempfile's imports before the fork
        stderr: Any = open(os.memfd_create("xjkg-worker-stderr"), "w+b")  # noqa: SIM115 (see below)
    else:
        import tempfile

        stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by discard() or by the worker that adopts it)
    lifeline_read, lifeline_write = os.pipe()
    pid, request_write, answer_read = fork_worker(
        graph_file, stderr.fileno(), lifeline_read, 0, (lifeline_write,), job=True
    )
    os.close(lifeline_read)
    _early = {
        "graph": os.path.realpath(graph_file),
        "pid": pid,
        "requests": request_write,
        "answers": answer_read,
        "lifeline": lifeline_write,
        "stderr": stderr,
    }


def fork_worker(
    graph_file: str,
    stderr_fd: int,
    lifeline: int,
    memory_mb: int,
    close_in_child: tuple[int, ...] = (),
    *,
    job: bool = False,
) -> tuple[int, int, int]:
    """Fork a worker on ``graph_file``: its pid and our ends of its request and answer pipes. The child closes
    ``close_in_child`` (descriptors only the parent may hold) and never returns into the caller's code."""
    request_read, request_write = os.pipe()
    answer_read, answer_write = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()  # else the child would inherit, and write again, what is buffered
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            for fd in (request_write, answer_read, *close_in_child):
                os.close(fd)
            forked_worker(request_read, answer_write, stderr_fd, graph_file, parent, lifeline, memory_mb, job)
            code = 0
        finally:
            os._exit(code)
    os.close(request_read)
    os.close(answer_write)
    return pid, request_write, answer_read


def adopt(graph_file: str, memory_mb: int) -> dict[str, Any] | None:
    """The worker :func:`prefork` started, if it loads ``graph_file`` with no memory cap (else it is ended):
    its ``pid``, the ``requests`` and ``answers`` pipe ends, the ``lifeline`` write end, its ``stderr`` file."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    if memory_mb == 0 and early["graph"] == os.path.realpath(graph_file):
        return early
    _end(early)
    return None


def discard() -> None:
    """End the worker :func:`prefork` started if nothing adopted it (the command failed before its query)."""
    global _early
    early, _early = _early, None
    if early is not None:
        _end(early)


def _end(early: dict[str, Any]) -> None:
    if not early.get("reaped"):
        try:
            os.kill(early["pid"], SIGKILL)
            os.waitpid(early["pid"], 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    for key in ("requests", "answers", "lifeline"):
        with contextlib.suppress(OSError):
            os.close(early[key])
    early["stderr"].close()


# -- what the caller says when a worker fails (shared by xjkg.query.engines and the one-shot command) ----------


def timeout_error(timeout: float) -> Exception:
    """The error of a query past its time limit (exit 3)."""
    from xjkg.core.errors import EXIT_FAILED, XjkgError

    return XjkgError(
        f"query exceeded the time limit of {timeout:g} s (raise it with --timeout, or narrow the query)",
        EXIT_FAILED,
    )


def crash_error(where: str, parsed: bool, said: str) -> Exception:
    """The error of a worker that died on a query: before it said "parsed" the parser's (the query is
    refused, exit 2), after it the engine's (exit 3)."""
    from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError

    if not parsed:
        return XjkgError(
            f"{where}: the SPARQL parser crashed on this query (refused; the worker was replaced){said}",
            EXIT_BAD_INPUT,
        )
    return XjkgError(f"{where}: the query engine crashed on this query (the worker was replaced){said}", EXIT_FAILED)


def answer_error(answer: tuple[Any, ...], where: str, memory: str) -> Exception:
    """The error a worker's answer other than its result stands for (:func:`answering`); ``memory`` says
    what the query needed more of."""
    from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError

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


# -- the one-shot command's side of its job ------------------------------------------------------------


def run_job(
    graph_file: str, job: dict[str, Any], timeout: float, where: Callable[[], str]
) -> tuple[bytes, list[str]] | None:
    """Hand a plain ``xjkg query`` command's ``job`` (:func:`xjkg.query.stored.run_job`) to the worker :func:`prefork`
    started on ``graph_file``, and wait: for the graph to load, then at most ``timeout`` seconds for the
    answer. Returns the output and its warnings; None if there is no such worker. The worker is ended in
    every case; a time limit, a crash or a refusal raises :class:`xjkg.core.errors.XjkgError` with the exit code
    of :class:`xjkg.query.engines.EmbeddedEngine`'s (``where()`` names the query in a crash's message)."""
    from xjkg.core.errors import EXIT_FAILED, XjkgError

    early = adopt(graph_file, 0)
    if early is None:
        return None
    requests, answers = Channel(early["requests"]), Channel(early["answers"])
    stage = "loading"
    try:
        requests.send(job)  # read by the worker once the graph is loaded
        if not _wait_loaded(answers, graph_file):
            raise XjkgError(f"{graph_file}: loading the graph took longer than {_LOAD_TIMEOUT:g} s", EXIT_FAILED)
        status, payload = answers.recv()
        if status != "ready":
            raise XjkgError(f"cannot load the graph: {payload}", EXIT_FAILED)
        stage = "checking"
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not answers.poll(left):
                raise timeout_error(timeout)
            message = answers.recv()
            if message[0] != "parsed":
                break
            stage = "running"
    except (EOFError, OSError):
        early["reaped"] = _reap(early["pid"])
        why = said(early["stderr"])
        if stage == "loading":
            raise XjkgError(f"{graph_file}: the query worker died while loading the graph{why}", EXIT_FAILED) from None
        raise crash_error(where(), stage == "running", why) from None
    finally:
        _end(early)
    if message[0] == "done":
        return message[1], list(message[2])
    raise answer_error(message, where(), "memory than there is")


def _wait_loaded(answers: Channel, graph_file: str) -> bool:
    """Wait for the worker's first message; on a terminal a first query on a big graph shows its stage."""
    if answers.poll(0.2):
        return True
    from xjkg.core.progress import stage

    with stage("xjkg query: opening the graph"):  # a first query on a big graph builds its store
        return answers.poll(_LOAD_TIMEOUT)


def _reap(pid: int, seconds: float = 5.0) -> bool:
    """Wait (a little) for a worker whose pipe closed to exit, so what it said is all on its stderr file;
    whether it was reaped (its pid is then no longer ours to signal)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True
        if done:
            return True
        time.sleep(0.005)  # a process, not a test: nothing to wait on but its exit
    return False


if __name__ == "__main__":
    _worker_process(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
