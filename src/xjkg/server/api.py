"""The stored queries as a web API (``/api/queries``, ``/api/queries/NAME``) and its OpenAPI description."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from xjkg import __version__
from xjkg.core.errors import XjkgError
from xjkg.query.results import QueryResult
from xjkg.query.stored import bind_params
from xjkg.server.protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    TRUNCATED_HEADER,
    negotiate,
    query_pairs,
    respond_now,
    serialize_now,
)
from xjkg.server.site import site_stats
from xjkg.server.state import State, run_query_then
from xjkg.web.pages import api_page as render_api_page
from xjkg.web.pages import site_title

__all__ = ["api_openapi", "api_page", "api_queries", "api_query", "openapi_document", "query_listing"]


def query_listing(state: State) -> list[dict[str, Any]]:
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
    return JSONResponse(query_listing(request.app.state.xjkg))


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _plain_rows(result: QueryResult) -> list[dict[str, object]]:
    return [{k: _json_value(v) for k, v in row.items()} for row in result.to_python()]


async def api_query(request: Request) -> Response:
    """Run one stored query with its parameters from the query string; JSON (plain or SPARQL) or CSV."""
    state: State = request.app.state.xjkg
    name = request.path_params["name"]
    fmt_suffix = None
    for suffix, suffix_fmt in ((".csv", "csv"), (".json", "json")):
        if name.endswith(suffix):
            name, fmt_suffix = name[: -len(suffix)], suffix_fmt
    stored = state.queries.get(name)
    if stored is None:
        raise HTTPException(404, f"no stored query named {name!r}; see /api/queries")
    pairs = query_pairs(request)
    repeated = sorted({k for k, n in Counter(k for k, _ in pairs).items() if n > 1})
    if repeated:  # taking the last (or the first) would answer a question the client did not ask
        raise HTTPException(400, f"parameter {repeated[0]!r} is repeated; give each parameter once")
    values = dict(pairs)
    try:
        bindings = bind_params(stored, values)
    except XjkgError as exc:
        raise HTTPException(400, exc.message) from None
    accept = request.headers.get("accept")
    config = state.config

    def answer(raw: QueryResult) -> Response:  # in the query's thread: the event loop only waits
        result = stored.finish(raw)
        offered = {**RESULT_TYPES, "application/json": "plain"}  # plain JSON rows for generic clients
        if result.form in ("CONSTRUCT", "DESCRIBE"):
            return respond_now(accept, result, config)
        fmt: str | None = fmt_suffix or negotiate(accept, offered, "plain")
        if fmt is None:
            raise HTTPException(406, "this API answers application/json or text/csv")
        if fmt != "plain":
            return serialize_now(result, "json" if fmt == "json" else fmt, config)
        if result.form == "ASK":
            document: dict[str, Any] = {"query": name, "boolean": result.boolean}
        else:
            rows = _plain_rows(result)
            document = {"query": name, "variables": result.variables, "rows": rows, "truncated": result.truncated}
        headers = {"Vary": "Accept"}
        if result.truncated:
            headers[TRUNCATED_HEADER] = f"max-rows={config.max_rows}"
        return JSONResponse(document, headers=headers)

    return await run_query_then(state, stored.text, answer, bindings, request=request)


_PARAM_SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}


def openapi_document(state: State, server_url: str, subject: str = "") -> dict[str, Any]:
    """An OpenAPI 3.0 description of the stored-query API (one path per query) and of /sparql; ``subject``
    says what the graph is about (the site's title)."""
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
            "description": f"The stored SPARQL queries of xjkg{f' ({subject})' if subject else ''} as a web API. "
            "Parameters are bound as typed RDF terms, never pasted into the query text.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }


async def api_page(request: Request) -> Response:
    """``/api``: the OpenAPI document as a page people read (no script, nothing from another site)."""
    state: State = request.app.state.xjkg
    document = await _openapi(request, state)
    return Response(render_api_page(document), media_type="text/html; charset=utf-8")


async def _openapi(request: Request, state: State) -> dict[str, Any]:
    subject = site_title(await site_stats(state))[0]
    url = (state.config.base_url or str(request.base_url)).rstrip("/")
    return openapi_document(state, url, subject)


async def api_openapi(request: Request) -> Response:
    state: State = request.app.state.xjkg
    return JSONResponse(await _openapi(request, state))
