"""The app: routes, middleware (one log line per request, security headers, the cross-site rule, the
``Host`` check, CORS) and :func:`create_app`.

Cross-site rule: ``/sparql`` and ``/api/`` answer a browser only for pages of this server's own origin or
of the ``--cors`` origin. A request whose ``Origin`` is another origin, or that a browser marks
``Sec-Fetch-Site: cross-site``/``same-site`` without an allowed ``Origin`` (a form or link on another site),
is refused (403) before its body is read. Clients that are not browsers send neither header and are served.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xjkg.query.engines import Engine
from xjkg.query.stored import StoredQuery
from xjkg.server.api import api_openapi, api_page, api_queries, api_query
from xjkg.server.pages import STATIC_DIR, favicon, home, ontology, resource
from xjkg.server.protocol import TRUNCATED_HEADER, sparql
from xjkg.server.state import RECEIVED, ClientGoneError, ServerConfig, State

__all__ = ["MAX_HEADERS", "allowed_hosts", "create_app", "printable"]

log = logging.getLogger("xjkg.server")

#: Requests with more header lines than this are refused (431); uvicorn bounds their size.
MAX_HEADERS = 100
_GUARDED = ("/sparql", "/api/")

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# pyLODE's ontology page carries its styles and scripts inline; still nothing from another origin.
_CSP_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_PAGE_HEADERS = (*_SECURITY_HEADERS, (b"content-security-policy", _CSP.encode()))
_DOCS_HEADERS = (*_SECURITY_HEADERS, (b"content-security-policy", _CSP_DOCS.encode()))
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {0x5C: "\\\\"}


def printable(text: str) -> str:
    r"""``text`` with control characters escaped, for a log line nobody can forge or colour.

    >>> printable("/a\nGET /b \x1b[31m")
    '/a\\x0aGET /b \\x1b[31m'
    """
    return text.translate(_CONTROL)


class RequestLog:
    """One log line per request (client, method, path, status, bytes, milliseconds) and security headers.

    It also stamps when the request arrived (:data:`RECEIVED`: the deadline counts from there) and says
    ``client disconnected`` for a client that left, instead of a 500 and a traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[RECEIVED] = time.monotonic()
        started = time.perf_counter()
        status = 0
        size = 0
        outcome = ""

        async def sending(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                docs = scope["path"].startswith("/ontology/docs/")
                message["headers"] = [*message["headers"], *(_DOCS_HEADERS if docs else _PAGE_HEADERS)]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            if len(scope["headers"]) > MAX_HEADERS:
                response = PlainTextResponse(f"more than {MAX_HEADERS} header lines\n", status_code=431)
                await response(scope, receive, sending)
            else:
                await self.app(scope, receive, sending)
        except (ClientDisconnect, ClientGoneError, OSError):
            outcome = " client disconnected"
        finally:
            client = scope.get("client") or ("-", 0)
            log.info(
                '%s "%s %s" %s %d %.1fms%s',
                printable(str(client[0])),
                printable(scope["method"]),
                printable(scope["path"]) + ("?…" if scope.get("query_string") else ""),
                status or ("-" if outcome else 500),
                size,
                (time.perf_counter() - started) * 1000,
                outcome,
            )


class CrossSiteGuard:
    """Refuse browser requests to the query routes from pages of other origins (see the module's doc)."""

    def __init__(self, app: ASGIApp, cors: str | None, base_url: str | None) -> None:
        self.app = app
        self.cors = cors
        self.base_origin = _origin(base_url) if base_url else None

    def _allowed(self, origin: str, own: str) -> bool:
        return origin in (own, self.base_origin) or self.cors in ("*", origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(_GUARDED):
            headers = {k.lower(): v for k, v in scope["headers"]}
            host = headers.get(b"host", b"").decode("latin-1")
            own = f"{scope.get('scheme', 'http')}://{host}"
            origin = headers.get(b"origin", b"").decode("latin-1") or None
            site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
            refused = (origin is not None and not self._allowed(origin, own)) or (
                origin is None and site in ("cross-site", "same-site")
            )
            if refused:
                response = PlainTextResponse(
                    "cross-site requests to the query routes are refused (start the server with --cors ORIGIN "
                    "to allow one origin)\n",
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=exc.headers)


def create_app(
    engine: Engine,
    config: ServerConfig | None = None,
    *,
    queries: Mapping[str, StoredQuery] | None = None,
    docs_dir: Path | None = None,
) -> Starlette:
    """The web app over ``engine``; ``queries`` defaults to the stored queries shipped with xjkg."""
    config = config or ServerConfig()
    if queries is None:
        from xjkg.query.stored import stored_queries

        queries = stored_queries()
    middleware = [
        Middleware(RequestLog),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts)),
    ]
    if config.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=[config.cors],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED_HEADER],
            )
        )
    middleware.append(Middleware(CrossSiteGuard, cors=config.cors, base_url=config.base_url))
    sparql_methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=sparql_methods),
        Route("/sparql/", sparql, methods=sparql_methods),
        Route("/api", api_page),
        Route("/api/queries", api_queries),
        Route("/api/openapi.json", api_openapi),
        Route("/api/queries/{name}", api_query),
        Route("/id/{path:path}", resource),
        Route("/ontology", ontology),
        Route("/ontology.ttl", ontology),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    if docs_dir is not None:
        routes.append(Mount("/ontology/docs", StaticFiles(directory=docs_dir, html=True), name="docs"))
    state = State(engine=engine, config=config, queries=dict(queries), docs_dir=docs_dir)

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error},
    )
    app.state.xjkg = state
    return app


def allowed_hosts(host: str, base_url: str | None) -> tuple[str, ...]:
    """The ``Host`` values we answer: the bound host, localhost, 127.0.0.1 and ``--base-url``'s host."""
    hosts = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("0.0.0.0", "::", ""):
        hosts.add(f"[{host}]" if ":" in host else host)
    if base_url:
        name = urlsplit(base_url).hostname
        if name:
            hosts.add(f"[{name}]" if ":" in name else name)
    return tuple(sorted(hosts))
