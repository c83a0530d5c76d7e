"""What the routes share: the limits (:class:`ServerConfig`), the engine and stored queries (:class:`State`),
who may run a query now (:class:`Admission`) and how a query is run (:func:`run_query`).

One deadline per request, from receipt (:data:`RECEIVED`, set by the outermost middleware) to the last byte:
time waiting for a worker counts. At most ``workers`` queries run, one client at most ``client_share`` of
them; at most ``queue`` wait, one client at most half of them; a full queue answers 503 with ``Retry-After``.
A freed worker goes to the first waiting request with time left (:meth:`Admission.leave`). A client
that disconnects frees its place in the queue, or its worker (killed and replaced). The event loop
only waits: checking, parsing and running happen in a worker process, serialising in a thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib.term import Identifier
from starlette.exceptions import HTTPException
from starlette.requests import Request

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.namespaces import BASE_ID
from xjkg.query.engines import EmbeddedEngine, Engine
from xjkg.query.results import QueryResult
from xjkg.query.stored import StoredQuery
from xjkg.query.worker import Dataset
from xjkg.web import pages

__all__ = [
    "GRAPH_NAME",
    "RECEIVED",
    "Admission",
    "ClientGoneError",
    "ServerConfig",
    "State",
    "off_loop",
    "run_query",
    "run_query_then",
]

#: The name of the served graph in a protocol dataset (``default-graph-uri``) and the service description.
GRAPH_NAME = BASE_ID + "graph"
#: The ASGI scope key holding when the request arrived (``time.monotonic()``).
RECEIVED = "xjkg.received"
_T = TypeVar("_T")


@dataclass(frozen=True)
class ServerConfig:
    """The limits and options of one server; the defaults are the safe ones."""

    timeout: float = 30.0
    max_rows: int = 10_000
    max_body: int = 1_000_000  # bytes of a POST body (a query of a megabyte is not a query)
    cors: str | None = None
    base_url: str | None = None
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    graph_name: str = GRAPH_NAME
    workers: int = 2  # queries that run at once (the engine's worker processes)
    client_share: int = 0  # queries one client may run at once; 0: all workers but one (at least one)
    queue: int = 0  # requests that may wait for a worker; 0: eight per worker

    @property
    def share(self) -> int:
        return self.client_share or max(1, self.workers - 1)

    @property
    def queue_limit(self) -> int:
        return self.queue or 8 * self.workers


def _busy(message: str, retry: float) -> HTTPException:
    return HTTPException(503, message, headers={"Retry-After": str(max(1, round(retry)))})


class Admission:
    """Grants the right to run one query: fair between clients, bounded in waiting (asyncio only)."""

    def __init__(self, config: ServerConfig) -> None:
        self.slots = config.workers
        self.share = config.share
        self.queue_limit = config.queue_limit
        self.retry = config.timeout
        self.margin = min(1.0, config.timeout / 4)  # seconds a request needs left to be served in turn
        self.running: dict[str, int] = {}
        self.waiting: list[tuple[str, float, asyncio.Future[None]]] = []

    def _free_for(self, client: str) -> bool:
        return sum(self.running.values()) < self.slots and self.running.get(client, 0) < self.share

    def _take(self, client: str) -> None:
        self.running[client] = self.running.get(client, 0) + 1

    async def enter(self, client: str, deadline: float, gone: asyncio.Future[None] | None) -> None:
        """Wait for a place until ``deadline`` (monotonic); 503 when the queue is full or the time is up."""
        if self._free_for(client) and not any(c == client for c, _, _ in self.waiting):
            self._take(client)
            return
        mine = sum(1 for c, _, _ in self.waiting if c == client)
        if len(self.waiting) >= self.queue_limit or mine >= max(1, self.queue_limit // 2):
            raise _busy("the server is busy: too many queries wait; try again later", self.retry)
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (client, deadline, granted)
        self.waiting.append(entry)
        waits: list[asyncio.Future[None]] = [granted] if gone is None else [granted, gone]
        try:
            await asyncio.wait(waits, timeout=max(0.0, deadline - time.monotonic()), return_when="FIRST_COMPLETED")
        finally:
            if entry in self.waiting:
                self.waiting.remove(entry)
        if not granted.done():
            granted.cancel()
            if gone is not None and gone.done():
                raise ClientGoneError
            raise _busy("the query waited past the time limit for a free worker; try again later", self.retry)
        if gone is not None and gone.done():
            self.leave(client)
            raise ClientGoneError

    def leave(self, client: str) -> None:
        """Give a place back and hand it to the first waiting request whose client may run and that has time
        left (at least :attr:`margin`); if none has, to the one with the most time left.

        Under overload the oldest requests have nearly run out of time: a place given to one of them (a
        runaway's, typically) would cost a worker killed at once, and it gets its 503 at its deadline anyway.
        """
        left = self.running.get(client, 0) - 1
        if left > 0:
            self.running[client] = left
        else:
            self.running.pop(client, None)
        while True:
            ready = [e for e in self.waiting if not e[2].done() and self._free_for(e[0])]
            if not ready:
                return
            now = time.monotonic()
            entry = next((e for e in ready if e[1] - now >= self.margin), None) or max(ready, key=lambda e: e[1])
            self.waiting.remove(entry)
            self._take(entry[0])
            entry[2].set_result(None)


class ClientGoneError(Exception):
    """The client disconnected: nothing to answer."""


@dataclass
class State:
    """What the routes share: the engine, stored queries and cached facts about the dataset."""

    engine: Engine
    config: ServerConfig
    queries: dict[str, StoredQuery]
    stats: pages.DatasetStats | None = None
    docs_dir: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    admission: Admission = field(init=False)

    def __post_init__(self) -> None:
        self.admission = Admission(self.config)

    def abort(self) -> None:
        """Kill every worker now (the server was told to stop)."""
        if isinstance(self.engine, EmbeddedEngine):
            self.engine.abort()


def _status_for(error: XjkgError) -> int:
    return 503 if error.exit_code == EXIT_FAILED else 400


_THREADS = 32  # threads that wait on workers or serialise; admission bounds the queries among them
_executor: concurrent.futures.ThreadPoolExecutor | None = None


def _threads() -> concurrent.futures.ThreadPoolExecutor:
    # The standard library's pool, not anyio's (Starlette's run_in_threadpool): handing it a job is a C
    # queue's put, about half the cost per request of anyio's lock-and-condition queue (measured).
    global _executor
    if _executor is None:
        _executor = concurrent.futures.ThreadPoolExecutor(_THREADS, thread_name_prefix="xjkg-serve")
    return _executor


async def off_loop(function: Callable[..., _T], *args: object) -> _T:
    """Run CPU work (serialising a result) or a blocking wait in a thread: the event loop only waits."""
    return await asyncio.get_running_loop().run_in_executor(_threads(), function, *args)


async def _watch_disconnect(request: Request, gone: asyncio.Future[None], cancel: threading.Event) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            cancel.set()
            if not gone.done():
                gone.set_result(None)
            return


async def run_query(
    state: State,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    request: Request | None = None,
    engine: Engine | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run a query under the request's deadline (checked and parsed in the worker); errors become HTTP errors.

    ``max_rows`` is for the server's own page queries, which carry their own LIMIT.
    """
    return await run_query_then(state, text, _same, bindings, request=request, engine=engine, max_rows=max_rows)


def _same(result: QueryResult) -> QueryResult:
    return result


async def run_query_then(
    state: State,
    text: str,
    finish: Callable[[QueryResult], _T],
    bindings: Mapping[str, Identifier] | None = None,
    *,
    request: Request | None = None,
    engine: Engine | None = None,
    max_rows: int | None = None,
    dataset: Dataset | None = None,
) -> _T:
    """As :func:`run_query`, then ``finish(result)`` (serialising it) in the same thread: one hop off the
    event loop per request, not two. The worker's place is given back as soon as the query has run, before
    ``finish``, so a long serialisation does not hold a worker from the next request. ``dataset``: the
    protocol's (:func:`xjkg.query.engines.EmbeddedEngine.query`)."""
    timeout = state.config.timeout
    received = request.scope.get(RECEIVED, time.monotonic()) if request is not None else time.monotonic()
    deadline = received + timeout
    client = request.client.host if request is not None and request.client else "-"
    cancel = threading.Event()
    gone: asyncio.Future[None] | None = None
    watcher: asyncio.Task[None] | None = None
    loop = asyncio.get_running_loop()
    if request is not None:
        gone = loop.create_future()
        watcher = asyncio.create_task(_watch_disconnect(request, gone, cancel))
    try:
        await state.admission.enter(client, deadline, gone)
        held = [True]

        def leave() -> None:  # on the event loop, once (Admission is asyncio-only)
            if held[0]:
                held[0] = False
                state.admission.leave(client)

        chosen = engine or state.engine
        left = max(0.001, deadline - time.monotonic())
        rows = max_rows or state.config.max_rows

        def work() -> _T:
            try:
                if isinstance(chosen, EmbeddedEngine):
                    result = chosen.query(text, bindings, timeout=left, max_rows=rows, cancel=cancel, dataset=dataset)
                elif dataset is not None:
                    raise XjkgError("default-graph-uri and named-graph-uri need the embedded store", EXIT_BAD_INPUT)
                else:
                    result = chosen.query(text, bindings, timeout=left, max_rows=rows)
            finally:
                with contextlib.suppress(RuntimeError):  # the loop closed: the server has stopped
                    loop.call_soon_threadsafe(leave)
            return finish(result)

        try:
            return await off_loop(work)
        except asyncio.CancelledError:  # the server stops: the query's worker is killed, not waited for
            cancel.set()
            raise
        finally:
            leave()
    except XjkgError as exc:
        if gone is not None and gone.done():
            raise ClientGoneError from None
        headers = {"Retry-After": str(max(1, round(timeout)))} if _status_for(exc) == 503 else None
        raise HTTPException(_status_for(exc), exc.message, headers=headers) from None
    finally:
        if watcher is not None:
            watcher.cancel()
