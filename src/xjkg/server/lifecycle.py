"""``xjkg serve`` on the command line: options, the listening socket, uvicorn, and stopping cleanly.

Connections: the request head must arrive within :data:`HEADER_TIMEOUT` seconds of the connection (or of
the previous answer on it), an idle kept-alive connection is closed after :data:`IDLE_TIMEOUT` seconds,
a request head is at most :data:`MAX_HEAD_BYTES` (uvicorn's h11 limit) and :data:`app.MAX_HEADERS` lines.
SIGINT or SIGTERM kills the query workers at once (whatever they run) and the server stops within about
two seconds; its temporary folders are removed. Workers die with the server however it ends (see
:mod:`xjkg.query.worker`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, cast

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.options import add_corpus_argument, corpus_graph_file
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.server.state import ServerConfig, State

__all__ = ["HEADER_TIMEOUT", "IDLE_TIMEOUT", "MAX_HEAD_BYTES", "configure_serve", "default_workers", "run_serve"]

log = logging.getLogger("xjkg.server")

HEADER_TIMEOUT = 10.0  # seconds for a request head to arrive
IDLE_TIMEOUT = 5  # seconds a kept-alive connection may sit idle
MAX_HEAD_BYTES = 16 * 1024  # bytes of a request line and headers
MAX_CONNECTIONS = 256  # open connections and tasks; uvicorn answers 503 past it
STOP_GRACE = 2  # seconds in-flight answers get once the server is told to stop


def configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="query worker processes (default: the cores + 1, 2 to 8; one client may run queries on all but one)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="time limit per request in seconds, queue included (default 30)"
    )
    parser.add_argument("--max-rows", type=int, default=10_000, help="row cap on results (default 10000)")
    parser.add_argument(
        "--worker-memory",
        type=int,
        default=2048,
        metavar="MB",
        help="address-space limit of each query worker in MB (default 2048; 0: none)",
    )
    parser.add_argument(
        "--queue", type=int, default=0, metavar="N", help="requests that may wait for a worker (default 8 per worker)"
    )
    parser.add_argument(
        "--client-share",
        type=int,
        default=0,
        metavar="N",
        help="queries one client address may run at once (default: all workers but one)",
    )
    parser.add_argument("--cors", metavar="ORIGIN", help="allow cross-origin reads (GET/POST) from ORIGIN")
    parser.add_argument("--base-url", metavar="URL", help="public address of this server (behind a proxy)")
    parser.add_argument("--queries", type=Path, default=QUERIES_DIR, help="folder of stored queries to serve")
    graph = parser.add_mutually_exclusive_group()
    graph.add_argument("--graph", type=Path, help=f"graph file to serve (default {GRAPH_FILE})")
    add_corpus_argument(graph, graph=True)


def default_workers() -> int:
    """The cores this process may use, plus one: one client (whose share is all workers but one) can keep
    every core busy and a worker is still free for the others; at least 2, at most 8 (each holds the graph).

    >>> 2 <= default_workers() <= 8
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(max(cores, 1), 7) + 1


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise XjkgError(f"cannot listen on {host}:{port}: {exc.strerror}", EXIT_FAILED) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _docs_dir(scratch: Path) -> Path | None:
    """Write the ontology documentation (``xjkg.publish.docs``) under ``scratch``, when that module is installed."""
    try:
        from xjkg.publish.docs import write_docs
    except ImportError:
        return None
    target = scratch / "docs"
    target.mkdir()
    try:
        write_docs(target)
    except (XjkgError, OSError) as exc:  # the docs are a convenience: the server runs without them
        log.warning("could not write the ontology documentation: %s", getattr(exc, "message", exc))
        return None
    return target if (target / "index.html").is_file() else None


def _protocol_class() -> type:
    """uvicorn's HTTP protocol with a deadline for the request head and a bound on its size.

    httptools (C, llhttp) when it is installed, else h11 (pure Python, about twice the cost of a small
    request). uvicorn has no head deadline (slow-header clients) and bounds heads only with h11; with
    httptools the head is counted here: past :data:`MAX_HEAD_BYTES` the connection gets a 431 and is closed.
    """
    try:
        import httptools
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return _with_head_deadline(cast(type, H11Protocol))

    class HeadLimit(_with_head_deadline(HttpToolsProtocol)):  # type: ignore[misc]
        _in_head = True  # the bytes coming belong to a request head (none yet, or one not yet complete)
        _head_bytes = 0  # bytes received while in a head (a chunk may end it and carry some body)
        _head_exact = 0  # the parsed request line and header lines

        def data_received(self, data: bytes) -> None:  # uvicorn's, with the head counted
            self._unset_keepalive_if_required()
            if self._in_head:
                self._head_bytes += len(data)
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return
            except httptools.HttpParserError:
                if self._head_exact > MAX_HEAD_BYTES:
                    self._refuse_head()
                else:
                    self.logger.warning("Invalid HTTP request received.")
                    self.send_400_response("Invalid HTTP request received.")
                return
            if self._in_head and self._head_bytes > MAX_HEAD_BYTES:
                self._refuse_head()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_exact = 0

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _count(self, size: int) -> None:
            self._head_exact += size
            if self._head_exact > MAX_HEAD_BYTES:
                raise ValueError("request head too large")  # stops the parser: see data_received

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._head_bytes = 0
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head = True  # what follows is the next request's head

        def _refuse_head(self) -> None:
            if not self.transport.is_closing():
                message = f"request head larger than {MAX_HEAD_BYTES} bytes\n".encode()
                self.transport.write(
                    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
                    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(message), message)
                )
                self.transport.close()

    return HeadLimit


def _with_head_deadline(base: type) -> type:
    """``base`` (a uvicorn HTTP protocol) closing a connection whose request head is not there within
    :data:`HEADER_TIMEOUT` seconds of the connection or of the previous answer on it."""

    class HeadDeadline(base):  # type: ignore[misc]  # base is a class chosen at run time
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._head_cycle = self.cycle
            self._head_timer = self.loop.call_later(HEADER_TIMEOUT, self._head_expired)

        def _head_expired(self) -> None:
            idle = self.cycle is None or self.cycle.response_complete
            if self.cycle is self._head_cycle and idle and not self.transport.is_closing():
                self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._head_timer.cancel()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._head_timer.cancel()
            super().connection_lost(exc)

    return HeadDeadline


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; prints the address it listens on."""
    import uvicorn

    from xjkg.query.stored import EmbeddedEngine, stored_queries
    from xjkg.server.app import create_app

    if args.base_url is not None:
        from xjkg.core.iris import check_http_iri

        check_http_iri(args.base_url, "--base-url")
    graph_file = Path(args.graph) if args.graph is not None else corpus_graph_file(args.corpus)
    if not graph_file.is_file():
        raise XjkgError(f"{graph_file}: graph file not found; run `xjkg build` first", EXIT_BAD_INPUT)
    for name, value in (("--workers", args.workers), ("--max-rows", args.max_rows)):
        if value < 1:
            raise XjkgError(f"{name} must be at least 1", EXIT_BAD_INPUT)
    for name, value in (("--queue", args.queue), ("--client-share", args.client_share)):
        if value < 0:
            raise XjkgError(f"{name} must not be negative", EXIT_BAD_INPUT)
    if args.worker_memory and args.worker_memory < 256:
        raise XjkgError("--worker-memory must be at least 256 (MB), or 0 for no limit", EXIT_BAD_INPUT)
    if not 0 <= args.port <= 65535:
        raise XjkgError(f"--port must be between 0 and 65535, not {args.port}", EXIT_BAD_INPUT)
    if not 0 < args.timeout < math.inf:  # NaN fails the comparison too
        raise XjkgError("--timeout must be positive", EXIT_BAD_INPUT)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("xjkg serve: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    sock = _bind(args.host, args.port)
    config = ServerConfig(
        timeout=args.timeout,
        max_rows=args.max_rows,
        cors=args.cors,
        base_url=args.base_url,
        allowed_hosts=allowed_hosts_for(args.host, args.base_url),
        workers=args.workers,
        client_share=args.client_share,
        queue=args.queue,
    )
    scratch = Path(tempfile.mkdtemp(prefix="xjkg-serve-"))
    stopped_by: list[int] = []
    try:
        engine = EmbeddedEngine(graph_file, workers=args.workers, memory_mb=args.worker_memory, standby=True)
        with engine:
            app = create_app(engine, config, queries=stored_queries(args.queries), docs_dir=_docs_dir(scratch))
            state: State = app.state.xjkg
            host, port = sock.getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host

            class Server(uvicorn.Server):
                def handle_exit(self, sig: int, frame: FrameType | None) -> None:
                    # Running queries end now (their clients get a 503): stopping waits for nothing.
                    state.abort()
                    stopped_by.append(sig)
                    super().handle_exit(sig, frame)

                @contextlib.contextmanager
                def capture_signals(self) -> Iterator[None]:
                    # Ours are installed before "listening" is said (a signal in between must not be lost),
                    # and uvicorn would re-raise the signal once stopped: SIGTERM's default action would then
                    # end the process before our clean-up (temporary folders) runs. We return instead.
                    yield

            server = Server(
                uvicorn.Config(
                    app,
                    log_level="warning",
                    access_log=False,
                    http=_protocol_class(),
                    timeout_keep_alive=IDLE_TIMEOUT,
                    h11_max_incomplete_event_size=MAX_HEAD_BYTES,
                    limit_concurrency=MAX_CONNECTIONS,
                    timeout_graceful_shutdown=STOP_GRACE,
                    # X-Forwarded-For is not trusted, even from loopback: the per-client share is by address,
                    # and any local client could otherwise name itself anyone (--base-url is for proxies).
                    proxy_headers=False,
                )
            )
            previous = {sig: signal.signal(sig, server.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            log.info("listening on http://%s:%d/ (SPARQL endpoint http://%s:%d/sparql)", shown, port, shown, port)
            try:
                server.run(sockets=[sock])
            finally:
                for sig, before in previous.items():
                    signal.signal(sig, before)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        sock.close()
    if signal.SIGINT in stopped_by:
        raise KeyboardInterrupt  # exit 130, as for every command interrupted
    return 0


def allowed_hosts_for(host: str, base_url: str | None) -> tuple[str, ...]:
    from xjkg.server.app import allowed_hosts

    return allowed_hosts(host, base_url)
