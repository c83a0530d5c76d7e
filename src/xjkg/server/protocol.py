"""The SPARQL 1.1 Protocol at ``/sparql``: media types, content negotiation, request decoding, answers.

GET and POST follow one set of decoding rules (UTF-8, strict): a bad byte is a 400 either way.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from xjkg.core.rdf import PREFIXES, RDF_FORMATS
from xjkg.core.report_graphs import REPORT_GRAPH_BASE, report_id_of
from xjkg.query.results import GRAPH_FORMATS, QueryResult, jsonld_with_context
from xjkg.query.worker import Dataset
from xjkg.server.site import site_stats
from xjkg.server.state import RECEIVED, ServerConfig, State, off_loop, run_query_then

__all__ = [
    "ALTERNATES",
    "CONTENT_TYPES",
    "FORMAT_PARAMS",
    "GRAPH_TYPES",
    "GRAPH_WORDS",
    "RESULT_TYPES",
    "ROW_WORDS",
    "TRUNCATED_HEADER",
    "negotiate",
    "respond",
    "respond_now",
    "serialize_now",
    "sparql",
]

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
#: An ASK answer as csv/tsv is Jena's one-column table (``_askResult``), as Fuseki writes it.
BOOLEAN_TYPES = dict(RESULT_TYPES)
_ANSWER_GRAPHS = [RDF_FORMATS[name] for name in GRAPH_FORMATS]
GRAPH_TYPES: dict[str, str] = {
    **{f.media_type: f.name for f in _ANSWER_GRAPHS},
    # What stores also answer a graph as: Turtle's older names, N3 (Turtle is N3), JSON-LD's, RDF/XML's.
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "n3",
    "text/rdf+n3": "n3",
    "application/n3": "n3",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/plain": "ntriples",
}
#: What each format name is sent as.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    **{f.name: f.media_type for f in _ANSWER_GRAPHS},
    "turtle": "text/turtle; charset=utf-8",
    "n3": "text/n3; charset=utf-8",
}
_RDFLIB_FORMATS = {f.name: f.rdflib for f in _ANSWER_GRAPHS} | {"n3": "turtle"}
#: The ``format=``/``output=``/``results=`` values clients send (SPARQLWrapper sends its return format in all
#: three; Virtuoso and 4store read ``format``, Fuseki ``output``, some a media type), for rows and for graphs.
#: A value not listed for the query's form is left to the ``Accept`` header, as Fuseki, Virtuoso and Oxigraph do.
FORMAT_PARAMS = ("format", "output", "results")
ROW_WORDS: dict[str, str] = {
    **RESULT_TYPES,
    "json": "json",
    "srj": "json",
    "sparql-results+json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "xml": "xml",
    "srx": "xml",
    "sparql-results+xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
}
GRAPH_WORDS: dict[str, str] = {
    **GRAPH_TYPES,
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "n3",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "json": "jsonld",  # JSON asked of a graph: JSON-LD, as stores answer
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdfxml": "rdfxml",
    "xml": "rdfxml",
}
#: Suffixes of resource pages for people who cannot set an Accept header.
SUFFIXES = {**{f".{f.extension}": f.name for f in _ANSWER_GRAPHS}, ".html": "html"}
#: The alternates of a resource page: (suffix, media type, name), for ``<link rel="alternate">`` and ``Link``.
_NAMES = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}
ALTERNATES = [(f".{f.extension}", f.media_type, _NAMES.get(f.name, f.name)) for f in _ANSWER_GRAPHS]
TRUNCATED_HEADER = "X-Xjkg-Truncated"

SPARQL_FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


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


def serialize_now(result: QueryResult, fmt: str, config: ServerConfig) -> Response:
    """A QueryResult as a response in ``fmt``; a hit row cap is said in a header and, in JSON, a field.

    JSON-LD carries a ``@context`` of the project's prefixes; ``n3`` is Turtle (Turtle is N3) sent as
    ``text/n3``; an ASK as csv/tsv is a one-column table named ``_askResult`` (as Jena's stores write it).
    """
    headers: dict[str, str] = {"Vary": "Accept"}
    if result.boolean is not None and fmt in ("csv", "tsv"):
        word = "true" if result.boolean else "false"
        body = ("_askResult\r\n" + word + "\r\n" if fmt == "csv" else "?_askResult\n" + word + "\n").encode()
    elif fmt == "jsonld":
        body = jsonld_with_context(result.serialize("jsonld"), PREFIXES)
    else:
        body = result.serialize("turtle" if fmt == "n3" else fmt)
    if result.truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={config.max_rows}"
        if fmt == "json":
            document = json.loads(body)
            document["truncated"] = {"maxRows": config.max_rows}
            body = json.dumps(document, ensure_ascii=False).encode()
    return Response(body, media_type=CONTENT_TYPES[fmt], headers=headers)


async def serialize(result: QueryResult, fmt: str, config: ServerConfig) -> Response:
    """:func:`serialize_now` in a thread (a large result takes CPU time)."""
    return await off_loop(serialize_now, result, fmt, config)


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, refusing more than ``limit`` bytes (413) or a body still coming at the deadline (408)."""
    left = request.scope.get(RECEIVED, time.monotonic()) + timeout - time.monotonic()
    try:
        return await asyncio.wait_for(_read_body(request, limit), max(0.0, left))
    except TimeoutError:
        raise HTTPException(408, f"the request body did not arrive within {timeout:g} s") from None


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


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, decoded by the same rules as a form body (bad UTF-8 is a 400, not U+FFFD)."""
    return form_pairs(decode(request.scope.get("query_string", b""), None))


def _media_type(request: Request) -> tuple[str, str | None]:
    """The content type of a request without parameters, and its charset if given."""
    raw = request.headers.get("content-type", "")
    pieces = [p.strip() for p in raw.split(";")]
    charset = None
    for param in pieces[1:]:
        if param.lower().startswith("charset="):
            charset = param[8:].strip('"').lower()
    return pieces[0].lower(), charset


def decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise HTTPException(415, f"the request must be encoded in UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not valid UTF-8") from None


def form_pairs(text: str) -> list[tuple[str, str]]:
    """The pairs of a URL-encoded text (400 if it is not valid UTF-8 once decoded).

    Texts up to :data:`_PAIRS_CHARS` are remembered (:data:`_PAIRS_KEPT` of them): decoding is pure Python
    and costs more than the rest of a small query's handling; a client repeats its queries. Each call gets
    its own list:

    >>> pairs = form_pairs("query=ASK%7B%7D&a=")
    >>> pairs.append(("b", "2"))
    >>> form_pairs("query=ASK%7B%7D&a=")
    [('query', 'ASK{}'), ('a', '')]
    """
    if len(text) <= _PAIRS_CHARS:
        return list(_cached_pairs(text))
    return _pairs(text)


_PAIRS_CHARS = 20_000
_PAIRS_KEPT = 256  # at most ~5 MB of remembered texts


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "the form body is not valid URL-encoded UTF-8") from None


@functools.lru_cache(maxsize=_PAIRS_KEPT)
def _cached_pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_pairs(text))  # a refusal raises, and is not remembered


# --------------------------------------------------------------------------------------------------
# /sparql


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol, query operation only (the data are read-only)."""
    state: State = request.app.state.xjkg
    if request.method not in ("GET", "HEAD", "POST"):
        raise HTTPException(405, "use GET, HEAD or POST", headers={"Allow": "GET, HEAD, POST"})
    params = query_pairs(request)
    queries: list[str]
    if request.method == "POST":
        media, charset = _media_type(request)
        body = await read_body(request, state.config.max_body, state.config.timeout)
        if media == SPARQL_FORM:
            params += form_pairs(decode(body, charset))
        elif media == SPARQL_QUERY:
            params.append(("query", decode(body, charset)))
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
        if request.method in ("GET", "HEAD") and _prefers_html(request):
            return RedirectResponse("/#editor", status_code=303, headers={"Vary": "Accept"})
        await site_stats(state)  # the reports, listed as named graphs (counted once)
        return await off_loop(_service_description, request, state)
    dataset = _protocol_dataset(state, params)
    text = queries[0]
    if not text.strip():
        raise HTTPException(400, "the query is empty")
    explicit = [v.strip().lower() for k, v in params if k in FORMAT_PARAMS]
    # The service's base IRI is the endpoint's (SPARQL 1.1 Protocol 2.1.4), for relative IRIs; on the
    # query's first line so that error line numbers stay right. A BASE in the query overrides it.
    text = f"BASE <{endpoint_iri(request, state)}> {text}"
    accept = request.headers.get("accept")
    return await run_query_then(
        state,
        text,
        lambda result: respond_now(accept, result, state.config, explicit),
        request=request,
        dataset=dataset,
    )


def _protocol_dataset(state: State, params: list[tuple[str, str]]) -> Dataset | None:
    """The request's protocol dataset (``default-graph-uri``, ``named-graph-uri``), which replaces the query's
    ``FROM`` and ``FROM NAMED`` (SPARQL 1.1 Protocol 2.1.4); None when the request names no graph.

    The service's graph, named ``config.graph_name``, is the store's default graph; each report's statements
    are also the named graph ``https://w3id.org/xjkg/graph/report/<id>``. A graph the store does not hold is
    empty (nothing is fetched). Our graph cannot be offered as a named graph: that is refused (400).
    """
    defaults = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    if not defaults and not named:
        return None
    if state.config.graph_name in named:
        raise HTTPException(
            400,
            f"{state.config.graph_name} is this service's default graph; it cannot be used as a named graph",
        )
    for iri in defaults + named:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise HTTPException(400, f"not an IRI: {iri[:200]!r}") from None
    return (
        tuple(None if iri == state.config.graph_name else iri for iri in dict.fromkeys(defaults)),
        tuple(dict.fromkeys(named)),
    )


async def respond(
    request: Request, result: QueryResult, config: ServerConfig, explicit: Sequence[str] = ()
) -> Response:
    """:func:`respond_now` in a thread (a large result takes CPU time)."""
    return await off_loop(respond_now, request.headers.get("accept"), result, config, explicit)


def respond_now(
    accept: str | None, result: QueryResult, config: ServerConfig, explicit: Sequence[str] = ()
) -> Response:
    """The answer in the format asked for: the first of ``explicit`` (the ``format``/``output``/``results``
    values) known for the result's form, else the ``Accept`` header; 406 if none fits."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        offered, default, words = GRAPH_TYPES, "turtle", GRAPH_WORDS
    elif result.form == "ASK":
        offered, default, words = BOOLEAN_TYPES, "json", ROW_WORDS
    else:
        offered, default, words = RESULT_TYPES, "json", ROW_WORDS
    fmt = next((words[value] for value in explicit if value in words), None)
    if fmt is None:
        fmt = negotiate(accept, offered, default)
    if fmt is None:
        raise HTTPException(406, f"no acceptable format; this result is available as {', '.join(offered)}")
    return serialize_now(result, fmt, config)


def endpoint_iri(request: Request, state: State, path: str = "/sparql") -> str:
    if state.config.base_url:
        return state.config.base_url.rstrip("/") + path
    return _base_url(request.scope.get("scheme", "http"), request.headers.get("host"), request) + path


def _base_url(scheme: str, host: str | None, request: Request) -> str:
    # Starlette builds a URL object for request.base_url; the Host header (checked by then) decides it.
    key = (scheme, host, request.scope.get("root_path", ""))
    known = _BASES.get(key)
    if known is None:
        known = str(request.base_url).rstrip("/")
        if len(_BASES) < 64:  # the allowed Host values are few; never grows with what clients send
            _BASES[key] = known
    return known


_BASES: dict[tuple[str, str | None, str], str] = {}


def _service_description(request: Request, state: State) -> Response:
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(endpoint_iri(request, state))
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("void", "http://rdfs.org/ns/void#")
    graph.add((endpoint, RDF.type, URIRef(sd + "Service")))
    graph.add((endpoint, URIRef(sd + "endpoint"), endpoint))
    graph.add((endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N3", "N-Triples", "JSON-LD", "RDF_XML"):  # fmt: skip
        graph.add((endpoint, URIRef(sd + "resultFormat"), URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    dataset = URIRef(endpoint_iri(request, state, "/sparql#dataset"))
    graph.add((endpoint, URIRef(sd + "defaultDataset"), dataset))
    graph.add((dataset, RDF.type, URIRef(sd + "Dataset")))
    default_graph = URIRef(endpoint_iri(request, state, "/sparql#default-graph"))
    graph.add((dataset, URIRef(sd + "defaultGraph"), default_graph))
    graph.add((default_graph, RDF.type, URIRef(sd + "Graph")))
    graph.add((default_graph, URIRef(sd + "name"), URIRef(state.config.graph_name)))
    for report, _ in state.stats.reports if state.stats is not None else []:
        graph.add((dataset, URIRef("http://purl.org/dc/terms/source"), URIRef(report)))
        report_id = report_id_of(report)
        if report_id is not None:  # the report's statements as a named graph of the store (FROM, GRAPH)
            named = URIRef(endpoint_iri(request, state, f"/sparql#graph-{report_id}"))
            graph.add((dataset, URIRef(sd + "namedGraph"), named))
            graph.add((named, RDF.type, URIRef(sd + "NamedGraph")))
            graph.add((named, URIRef(sd + "name"), URIRef(REPORT_GRAPH_BASE + report_id)))
    if state.stats is not None:
        graph.add((default_graph, URIRef("http://rdfs.org/ns/void#triples"), Literal(state.stats.triples)))
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, "turtle") or "turtle"
    return Response(
        graph.serialize(format=_RDFLIB_FORMATS[fmt]).encode(),
        media_type=CONTENT_TYPES[fmt],
        headers={"Vary": "Accept"},
    )


# --------------------------------------------------------------------------------------------------
