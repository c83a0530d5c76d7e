"""``xjkg serve``: the SPARQL 1.1 endpoint, the stored queries as a web API, resource pages and the web page.

One Starlette app (:func:`create_app`) over one :class:`xjkg.query.Engine`. Every query goes through
:func:`xjkg.query.check_query` (no SERVICE, LOAD, updates or remote FROM) and the engine, which runs it in a
worker process with a deadline, so a runaway query or a catastrophic regex never freezes the server.
Safe by default: read-only, bound to 127.0.0.1, a ``Host`` check against DNS rebinding, request size limits,
CORS off unless ``--cors``, one log line per request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import socket
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from .namespaces import BASE_ID, XJKG
from .paths import GRAPH_FILE, ONTOLOGY_FILE, QUERIES_DIR
from .rdf import RDF_FORMATS
from .results import GRAPH_FORMATS
from .web import pages

__all__ = ["ServerConfig", "configure_serve", "create_app", "run_serve"]

log = logging.getLogger("xjkg.server")

STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
ONTOLOGY_BASE = str(XJKG).rstrip("#")

#: Media types we answer with: (media type, format name for QueryResult.serialize / rdflib).
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN_TYPES = {k: v for k, v in RESULT_TYPES.items() if v in ("json", "xml")}
_ANSWER_GRAPHS = [RDF_FORMATS[name] for name in GRAPH_FORMATS]
GRAPH_TYPES: dict[str, str] = {f.media_type: f.name for f in _ANSWER_GRAPHS}
#: What each format name is sent as.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    **{f.name: f.media_type for f in _ANSWER_GRAPHS},
    "turtle": "text/turtle; charset=utf-8",
}
_RDFLIB_FORMATS = {f.name: f.rdflib for f in _ANSWER_GRAPHS}
#: Suffixes of resource pages for people who cannot set an Accept header.
SUFFIXES = {**{f".{f.extension}": f.name for f in _ANSWER_GRAPHS}, ".html": "html"}
TRUNCATED_HEADER = "X-Xjkg-Truncated"
#: The name of the served graph in a protocol dataset (``default-graph-uri``) and the service description.
GRAPH_NAME = BASE_ID + "graph"

SPARQL_FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


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


@dataclass
class _State:
    """What the routes share: the engine, stored queries and cached facts about the dataset."""

    engine: Any
    config: ServerConfig
    queries: dict[str, Any]
    stats: pages.DatasetStats | None = None
    docs_dir: Path | None = None
    empty_engine: Any = None  # an engine over no data, for a protocol dataset of graphs we do not hold
    lock: threading.Lock = field(default_factory=threading.Lock)

    def empty(self) -> Any:
        """The engine over the empty dataset, started on first use."""
        with self.lock:
            if self.empty_engine is None:
                from .query import EmbeddedEngine

                folder = Path(tempfile.mkdtemp(prefix="xjkg-empty-"))
                (folder / "empty.ttl").write_bytes(b"")
                self.empty_engine = EmbeddedEngine(folder / "empty.ttl", workers=1)
            return self.empty_engine

    def close(self) -> None:
        if self.empty_engine is not None:
            self.empty_engine.close()


# --------------------------------------------------------------------------------------------------
# Content negotiation


def _accepted(header: str | None) -> list[tuple[str, float]]:
    """The media types of an ``Accept`` header, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    found: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            found.append((media, q, index))
    found.sort(key=lambda item: (-item[1], item[2]))
    return [(media, q) for media, q, _ in found]


def negotiate(header: str | None, offered: Mapping[str, str], default: str) -> str | None:
    """The format for the best media type in ``offered``; ``default`` for a wildcard; None if none fit."""
    for media, _ in _accepted(header):
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            default_media = next(m for m, f in offered.items() if f == default)
            if default_media.startswith(family):
                return default
            for candidate, fmt in offered.items():
                if candidate.startswith(family):
                    return fmt
    return None


def _prefers_html(request: Request) -> bool:
    for media, _ in _accepted(request.headers.get("accept")):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in RESULT_TYPES or media in GRAPH_TYPES or media == "*/*":
            return False
    return False


# --------------------------------------------------------------------------------------------------
# Running queries


def _status_for(error: XjkgError) -> int:
    return 503 if error.exit_code == EXIT_FAILED else 400


async def _run(
    state: _State,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    engine: Any = None,
    max_rows: int | None = None,
) -> Any:
    """Check and run a query in a thread (the engine blocks); user errors become HTTP errors.

    ``max_rows`` is for the server's own page queries, which carry their own LIMIT.
    """
    from .query import check_query

    try:
        check_query(text)
        return await run_in_threadpool(
            (engine or state.engine).query,
            text,
            bindings,
            timeout=state.config.timeout,
            max_rows=max_rows or state.config.max_rows,
        )
    except XjkgError as exc:
        raise HTTPException(_status_for(exc), exc.message) from None


def _serialize(result: Any, fmt: str, config: ServerConfig) -> Response:
    """A QueryResult as a response in ``fmt``; a hit row cap is said in a header and, in JSON, a field."""
    headers: dict[str, str] = {"Vary": "Accept"}
    body = result.serialize(fmt)
    if result.truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={config.max_rows}"
        if fmt == "json":
            document = json.loads(body)
            document["truncated"] = {"maxRows": config.max_rows}
            body = json.dumps(document, ensure_ascii=False).encode()
    return Response(body, media_type=CONTENT_TYPES[fmt], headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) more than ``limit`` bytes before reading them all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> tuple[str, str | None]:
    """The content type of a request without parameters, and its charset if given."""
    raw = request.headers.get("content-type", "")
    pieces = [p.strip() for p in raw.split(";")]
    charset = None
    for param in pieces[1:]:
        if param.lower().startswith("charset="):
            charset = param[8:].strip('"').lower()
    return pieces[0].lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise HTTPException(415, f"the request must be encoded in UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not valid UTF-8") from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "the form body is not valid URL-encoded UTF-8") from None


# --------------------------------------------------------------------------------------------------
# /sparql


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol, query operation only (the data are read-only)."""
    state: _State = request.app.state.xjkg
    if request.method not in ("GET", "POST"):
        raise HTTPException(405, "use GET or POST", headers={"Allow": "GET, POST"})
    params = list(request.query_params.multi_items())
    queries: list[str]
    if request.method == "POST":
        media, charset = _media_type(request)
        body = await _read_body(request, state.config.max_body)
        if media == SPARQL_FORM:
            params += _form(_decode(body, charset))
        elif media == SPARQL_QUERY:
            params.append(("query", _decode(body, charset)))
        elif media == SPARQL_UPDATE:
            raise HTTPException(403, "this endpoint is read-only: SPARQL updates are refused")
        elif not media:
            raise HTTPException(415, f"a POST needs Content-Type {SPARQL_FORM} or {SPARQL_QUERY}")
        else:
            raise HTTPException(415, f"unsupported Content-Type {media}: use {SPARQL_FORM} or {SPARQL_QUERY}")
    queries = [v for k, v in params if k == "query"]
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
        raise HTTPException(403, "this endpoint is read-only: SPARQL updates are refused")
    if len(queries) > 1:
        raise HTTPException(400, "more than one query in the request")
    if not queries:
        if request.method == "GET" and _prefers_html(request):
            return RedirectResponse("/#editor", status_code=303)
        return _service_description(request, state)
    engine = await _dataset_engine(state, params)
    text = queries[0]
    if not text.strip():
        raise HTTPException(400, "the query is empty")
    explicit = dict(params).get("format")
    # The service's base IRI is the endpoint's (SPARQL 1.1 Protocol 2.1.4), for relative IRIs; on the
    # query's first line so that error line numbers stay right. A BASE in the query overrides it.
    text = f"BASE <{_endpoint_iri(request, state)}> {text}"
    result = await _run(state, text, engine=engine)
    return _respond(request, result, state.config, explicit)


async def _dataset_engine(state: _State, params: list[tuple[str, str]]) -> Any:
    """The engine for the request's protocol dataset (``default-graph-uri``, ``named-graph-uri``).

    The service holds one graph, named ``config.graph_name``, as its default graph, and no named graphs.
    A graph it does not hold is empty (as in any store; nothing is fetched): naming only such graphs
    gives the empty dataset. Our graph cannot be offered as a named graph: that is refused (400).
    """
    defaults = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    if not defaults and not named:
        return state.engine
    if state.config.graph_name in named:
        raise HTTPException(
            400,
            f"{state.config.graph_name} is this service's default graph; it cannot be used as a named graph",
        )
    if state.config.graph_name in defaults:
        return state.engine
    return await run_in_threadpool(state.empty)


def _respond(request: Request, result: Any, config: ServerConfig, explicit: str | None = None) -> Response:
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        offered, default = GRAPH_TYPES, "turtle"
    elif result.form == "ASK":
        offered, default = BOOLEAN_TYPES, "json"
    else:
        offered, default = RESULT_TYPES, "json"
    if explicit:
        if explicit not in offered.values():
            raise HTTPException(406, f"format {explicit!r} is not one of {sorted(set(offered.values()))}")
        fmt: str | None = explicit
    else:
        fmt = negotiate(request.headers.get("accept"), offered, default)
    if fmt is None:
        raise HTTPException(406, f"no acceptable format; this result is available as {', '.join(offered)}")
    return _serialize(result, fmt, config)


def _endpoint_iri(request: Request, state: _State, path: str = "/sparql") -> str:
    base = state.config.base_url or str(request.base_url)
    return base.rstrip("/") + path


def _service_description(request: Request, state: _State) -> Response:
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(_endpoint_iri(request, state))
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("void", "http://rdfs.org/ns/void#")
    graph.add((endpoint, RDF.type, URIRef(sd + "Service")))
    graph.add((endpoint, URIRef(sd + "endpoint"), endpoint))
    graph.add((endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):  # fmt: skip
        graph.add((endpoint, URIRef(sd + "resultFormat"), URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    dataset = URIRef(_endpoint_iri(request, state, "/sparql#dataset"))
    graph.add((endpoint, URIRef(sd + "defaultDataset"), dataset))
    graph.add((dataset, RDF.type, URIRef(sd + "Dataset")))
    default_graph = URIRef(_endpoint_iri(request, state, "/sparql#default-graph"))
    graph.add((dataset, URIRef(sd + "defaultGraph"), default_graph))
    graph.add((default_graph, RDF.type, URIRef(sd + "Graph")))
    graph.add((default_graph, URIRef(sd + "name"), URIRef(state.config.graph_name)))
    for report, _ in state.stats.reports if state.stats is not None else []:
        graph.add((dataset, URIRef("http://purl.org/dc/terms/source"), URIRef(report)))
    if state.stats is not None:
        graph.add((default_graph, URIRef("http://rdfs.org/ns/void#triples"), Literal(state.stats.triples)))
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, "turtle") or "turtle"
    return Response(
        graph.serialize(format=_RDFLIB_FORMATS[fmt]).encode(),
        media_type=CONTENT_TYPES[fmt],
        headers={"Vary": "Accept"},
    )


# --------------------------------------------------------------------------------------------------
# Stored queries as a web API


def _query_listing(state: _State) -> list[dict[str, Any]]:
    return [
        {
            "name": q.name,
            "summary": q.summary,
            "description": q.description,
            "tags": list(q.tags),
            "form": q.form,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description} for p in q.params
            ],
            "url": f"/api/queries/{q.name}",
            "text": q.text,
        }
        for q in sorted(state.queries.values(), key=lambda q: q.name)
    ]


async def api_queries(request: Request) -> Response:
    """The stored queries: names, summaries, parameters and text."""
    return JSONResponse(_query_listing(request.app.state.xjkg))


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


async def api_query(request: Request) -> Response:
    """Run one stored query with its parameters from the query string; JSON (plain or SPARQL) or CSV."""
    from .query import bind_params

    state: _State = request.app.state.xjkg
    name = request.path_params["name"]
    fmt_suffix = None
    for suffix, suffix_fmt in ((".csv", "csv"), (".json", "json")):
        if name.endswith(suffix):
            name, fmt_suffix = name[: -len(suffix)], suffix_fmt
    stored = state.queries.get(name)
    if stored is None:
        raise HTTPException(404, f"no stored query named {name!r}; see /api/queries")
    values = dict(request.query_params)
    try:
        bindings = bind_params(stored, values)
    except XjkgError as exc:
        raise HTTPException(400, exc.message) from None
    result = stored.finish(await _run(state, stored.text, bindings))
    offered = {**RESULT_TYPES, "application/json": "plain"}  # plain JSON rows for generic clients
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return _respond(request, result, state.config)
    fmt: str | None = fmt_suffix or negotiate(request.headers.get("accept"), offered, "plain")
    if fmt is None:
        raise HTTPException(406, "this API answers application/json or text/csv")
    if fmt != "plain":
        return _serialize(result, "json" if fmt == "json" else fmt, state.config)
    if result.form == "ASK":
        document: dict[str, Any] = {"query": name, "boolean": result.boolean}
    else:
        rows = [{k: _json_value(v) for k, v in row.items()} for row in result.to_python()]
        document = {"query": name, "variables": result.variables, "rows": rows, "truncated": result.truncated}
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={state.config.max_rows}"
    return JSONResponse(document, headers=headers)


_PARAM_SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}


def openapi_document(state: _State, server_url: str) -> dict[str, Any]:
    """An OpenAPI 3.0 description of the stored-query API (one path per query) and of /sparql."""
    from . import __version__

    table_schema = {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "variables": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "truncated": {"type": "boolean"},
        },
    }
    errors = {
        "400": {
            "description": "a parameter value is invalid",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        "503": {"description": "the query exceeded the time limit", "content": {"text/plain": {}}},
    }
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "The stored queries with their parameters",
                "responses": {"200": {"description": "the list", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}},  # noqa: E501
            }
        },
        "/sparql": {
            "get": {
                "operationId": "sparql",
                "summary": "SPARQL 1.1 Protocol query endpoint (read-only)",
                "parameters": [
                    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "results, or the service description without a query",
                            "content": {m: {} for m in (*RESULT_TYPES, *GRAPH_TYPES)}},
                    **errors,
                },
            }
        },
    }  # fmt: skip
    for stored in sorted(state.queries.values(), key=lambda q: q.name):
        parameters = []
        for param in stored.params:
            schema = dict(_PARAM_SCHEMAS.get(param.type, {"type": "string"}))
            if param.default is not None:
                schema["default"] = param.default
            parameters.append(
                {
                    "name": param.name,
                    "in": "query",
                    "required": False,  # a parameter left out keeps its default, or stays unbound
                    "description": param.description,
                    "schema": schema,
                }
            )
        paths[f"/api/queries/{stored.name}"] = {
            "get": {
                "operationId": stored.name.replace("-", "_"),
                "summary": stored.summary,
                "description": stored.description,
                "tags": list(stored.tags),
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "the result table",
                        "content": {
                            "application/json": {"schema": table_schema},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/sparql-results+json": {},
                        },
                    },
                    **errors,
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "xjkg stored queries",
            "version": __version__,
            "description": "The stored SPARQL queries of the Xinjiang poverty-alleviation knowledge graph "
            "as a web API. Parameters are bound as typed RDF terms, never pasted into the query text.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }


async def api_openapi(request: Request) -> Response:
    state: _State = request.app.state.xjkg
    return JSONResponse(openapi_document(state, (state.config.base_url or str(request.base_url)).rstrip("/")))


# --------------------------------------------------------------------------------------------------
# Resource pages

_PAGE_ROWS = 5_000  # the page queries say LIMIT themselves
DESCRIBE_QUERY = "CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"


async def resource(request: Request) -> Response:
    """``/id/{path}`` is ``https://w3id.org/xjkg/id/{path}``: HTML, Turtle, JSON-LD or N-Triples."""
    state: _State = request.app.state.xjkg
    path: str = request.path_params["path"]
    fmt: str | None = None
    used_suffix = ""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            path, fmt, used_suffix = path[: -len(suffix)], name, suffix
            break
    if not pages.valid_id_path(path):
        raise HTTPException(404, "no such resource")
    iri = URIRef(BASE_ID + path)
    # An IRI of an earlier release that the graph answers with dct:isReplacedBy: a permanent redirect.
    replaced = await _run(state, pages.REPLACED_QUERY, {"this": iri}, max_rows=1)
    target = pages.link_for(str(replaced.rows[0]["new"])) if replaced.rows else None
    if target is not None:
        return RedirectResponse(target + used_suffix, status_code=301)
    if fmt is None:
        offered = {"text/html": "html", "application/xhtml+xml": "html", **GRAPH_TYPES}
        fmt = negotiate(request.headers.get("accept"), offered, "html")
        if fmt is None:
            raise HTTPException(406, f"this resource is available as {', '.join(offered)}")
    if fmt != "html":
        result = await _run(state, DESCRIBE_QUERY, {"this": iri}, max_rows=_PAGE_ROWS)
        if result.graph is None or len(result.graph) == 0:
            raise HTTPException(404, f"{iri} is not in the graph")
        return _serialize(result, fmt, state.config)
    facts = await _run(state, pages.FACTS_QUERY, {"this": iri}, max_rows=_PAGE_ROWS)
    incoming = await _run(state, pages.INCOMING_QUERY, {"this": iri}, max_rows=_PAGE_ROWS)
    if not facts.rows and not incoming.rows:
        raise HTTPException(404, f"{iri} is not in the graph")
    figures = await _run(state, pages.FIGURES_QUERY, {"this": iri}, max_rows=_PAGE_ROWS)
    html = pages.resource_page(iri, facts.rows, incoming.rows, figures.rows)
    return _html(html)


async def ontology(request: Request) -> Response:
    """The ontology: Turtle by Accept or suffix, else its documentation (``xjkg docs``) or a term list."""
    state: _State = request.app.state.xjkg
    path = request.url.path
    wants = "turtle" if path.endswith(".ttl") else None
    if wants is None:
        offered = {"text/html": "html", "text/turtle": "turtle"}
        wants = negotiate(request.headers.get("accept"), offered, "html") or "html"
    if not ONTOLOGY_FILE.is_file():
        raise HTTPException(404, "the ontology file is not installed")
    if wants == "turtle":
        return FileResponse(ONTOLOGY_FILE, media_type=CONTENT_TYPES["turtle"], headers={"Vary": "Accept"})
    if state.docs_dir is not None:
        index = state.docs_dir / "index.html"
        if index.is_file():
            return RedirectResponse("/ontology/docs/index.html", status_code=303)
    return _html(pages.ontology_page(ONTOLOGY_FILE))


# --------------------------------------------------------------------------------------------------
# The web page


async def home(request: Request) -> Response:
    state: _State = request.app.state.xjkg
    if state.stats is None:
        state.stats = await _dataset_stats(state)
    return _html(pages.home_page(state.stats, _query_listing(state), docs=state.docs_dir is not None))


async def _dataset_stats(state: _State) -> pages.DatasetStats:
    try:
        triples = await _run(state, pages.COUNT_QUERY, max_rows=_PAGE_ROWS)
        classes = await _run(state, pages.CLASSES_QUERY, max_rows=_PAGE_ROWS)
        reports = await _run(state, pages.REPORTS_QUERY, max_rows=_PAGE_ROWS)
    except HTTPException as exc:
        log.warning("could not count the dataset: %s", exc.detail)
        return pages.DatasetStats(0, [])
    count = triples.rows[0]["n"] if triples.rows else Literal(0)
    return pages.DatasetStats(
        int(count.toPython()) if count is not None else 0,
        [(str(r["class"]), int(r["n"].toPython())) for r in classes.rows if r.get("class") is not None],
        [(str(r["report"]), str(r["title"]) if r.get("title") is not None else "") for r in reports.rows],
    )


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="text/html; charset=utf-8")


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


# --------------------------------------------------------------------------------------------------
# Middleware


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


class RequestLog:
    """One log line per request (client, method, path, status, bytes, milliseconds) and security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        size = 0

        async def sending(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                csp = _CSP_DOCS if scope["path"].startswith("/ontology/docs/") else _CSP
                message["headers"] = [
                    *message["headers"],
                    *_SECURITY_HEADERS,
                    (b"content-security-policy", csp.encode()),
                ]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client") or ("-", 0)
            log.info(
                '%s "%s %s" %d %d %.1fms',
                client[0],
                scope["method"],
                scope["path"] + ("?…" if scope.get("query_string") else ""),
                status or 500,
                size,
                (time.perf_counter() - started) * 1000,
            )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=exc.headers)


# --------------------------------------------------------------------------------------------------
# The app


def create_app(
    engine: Any,
    config: ServerConfig | None = None,
    *,
    queries: Mapping[str, Any] | None = None,
    docs_dir: Path | None = None,
) -> Starlette:
    """The web app over ``engine``; ``queries`` defaults to the stored queries shipped with xjkg."""
    config = config or ServerConfig()
    if queries is None:
        from .query import stored_queries

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
    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/sparql/", sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
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
    state = _State(engine=engine, config=config, queries=dict(queries), docs_dir=docs_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.close()

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
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


# --------------------------------------------------------------------------------------------------
# Command line


def configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="time limit per query in seconds (default 30)")
    parser.add_argument("--max-rows", type=int, default=10_000, help="row cap on results (default 10000)")
    parser.add_argument("--cors", metavar="ORIGIN", help="allow cross-origin reads (GET/POST) from ORIGIN")
    parser.add_argument("--base-url", metavar="URL", help="public address of this server (behind a proxy)")
    parser.add_argument("--queries", type=Path, default=QUERIES_DIR, help="folder of stored queries to serve")
    parser.add_argument("--graph", type=Path, default=GRAPH_FILE, help=f"graph file to serve (default {GRAPH_FILE})")


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


def _docs_dir() -> Path | None:
    """Write the ontology documentation (``xjkg.docs``) to a cache folder, when that module is installed."""
    try:
        from .docs import write_docs
    except ImportError:
        return None
    target = Path(tempfile.mkdtemp(prefix="xjkg-docs-"))
    try:
        write_docs(target)
    except (XjkgError, OSError) as exc:  # the docs are a convenience: the server runs without them
        log.warning("could not write the ontology documentation: %s", getattr(exc, "message", exc))
        return None
    return target if (target / "index.html").is_file() else None


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; prints the address it listens on."""
    import uvicorn

    from .query import EmbeddedEngine, stored_queries

    if args.base_url is not None:
        from .iris import check_http_iri

        check_http_iri(args.base_url, "--base-url")
    if not Path(args.graph).is_file():
        raise XjkgError(f"{args.graph}: graph file not found; run `xjkg build` first", EXIT_BAD_INPUT)
    for name, value in (("--workers", args.workers), ("--max-rows", args.max_rows)):
        if value < 1:
            raise XjkgError(f"{name} must be at least 1", EXIT_BAD_INPUT)
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
        allowed_hosts=allowed_hosts(args.host, args.base_url),
    )
    with EmbeddedEngine(Path(args.graph), workers=args.workers) as engine:
        app = create_app(engine, config, queries=stored_queries(args.queries), docs_dir=_docs_dir())
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        log.info("listening on http://%s:%d/ (SPARQL endpoint http://%s:%d/sparql)", shown, port, shown, port)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5))
        server.run(sockets=[sock])
    return 0
