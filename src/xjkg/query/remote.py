"""Remote stores: queries on any SPARQL 1.1 endpoint and ``xjkg load`` over the Graph Store Protocol.

Every call keeps three promises:

- **One deadline** (``timeout``) for the whole exchange: connecting, sending, the status line and headers,
  and the body. It is checked on every socket operation (a store that sends one header a second, or drips
  its body, is cut at the deadline), not per read as HTTP clients usually do.
- **A malformed answer is an error, not a crash**: too many headers, JSON or XML that is not SPARQL
  results, a binding without a value, RDF that does not parse: one line, exit 3.
- **Credentials stay secret**: ``--user NAME`` with the password from ``XJKG_ENDPOINT_PASSWORD`` or
  ``~/.netrc`` (or ``http://user:password@host/``); HTTP basic or digest, whichever the store asks for.
  URLs are shown without their user information; the password is never in a message.

The HTTP client (the deadline, credentials, basic or digest) is :mod:`xjkg.query.remote_http`; this module is
what is sent to a store and how its answer is read: SPARQL results (JSON or XML), RDF, the GSP upload.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sys
import time
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, XjkgError
from xjkg.core.paths import GRAPH_FILE
from xjkg.core.rdf import WireTerm
from xjkg.core.sparql_safety import check_query, insert_values
from xjkg.query.engines import Engine, values_block
from xjkg.query.remote_http import (
    PASSWORD_VARIABLE,
    Answer,
    MalformedError,
    Remote,
    add_endpoint_options,
    exchange,
    refusal,
    remote,
    store_words,
)
from xjkg.query.results import QueryResult

if TYPE_CHECKING:
    from xjkg.query.engines import Binding

__all__ = [
    "PASSWORD_VARIABLE",
    "EndpointEngine",
    "Remote",
    "add_endpoint_options",
    "configure_load",
    "load_graph",
    "remote",
    "run_load",
]

log = logging.getLogger(__name__)

_RDF_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$")
_RESULTS_JSON = "application/sparql-results+json"
_RESULTS_XML = "application/sparql-results+xml"
_SR = "{http://www.w3.org/2005/sparql-results#}"


# -- queries on an endpoint -----------------------------------------------------------------------------


class EndpointEngine(Engine):
    """Any SPARQL 1.1 endpoint (the Protocol's POST form), under one deadline per query.

    ``default_graph`` sends ``default-graph-uri``: Virtuoso's ``/sparql`` otherwise queries every graph
    it holds, its own system graphs included.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        user: str | None = None,
        default_graph: str | None = None,
    ) -> None:
        self.remote = remote(url, "endpoint", user)
        self.url = self.remote.shown
        self.timeout = timeout
        if default_graph is not None and not _IRI.match(default_graph):
            raise XjkgError(f"--default-graph {default_graph!r} is not an absolute IRI", EXIT_BAD_INPUT)
        self.default_graph = default_graph

    def query(
        self,
        text: str,
        bindings: Mapping[str, Binding] | None = None,
        *,
        timeout: float | None = None,
        max_rows: int = 10_000,
        where: str = "query",
    ) -> QueryResult:
        limit = self.timeout if timeout is None else timeout
        form = check_query(text, where)
        if bindings:
            text = insert_values(text, values_block(bindings))
        rows_form = form in ("SELECT", "ASK")
        accept = (
            f"{_RESULTS_JSON}, {_RESULTS_XML};q=0.9"
            if rows_form
            else "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
        )
        data: dict[str, str | list[str]] = {"query": text}
        if self.default_graph:
            data["default-graph-uri"] = self.default_graph
        started = time.perf_counter()
        answer = exchange(
            self.remote,
            "POST",
            timeout=limit,
            data=data,
            headers={"Accept": accept, "Accept-Encoding": "identity"},
            what="the SPARQL endpoint",
        )
        if answer.status == 400:
            raise XjkgError(f"{where}: " + refusal(answer, self.remote, "the SPARQL endpoint"), EXIT_BAD_INPUT)
        if answer.status != 200:
            raise XjkgError(refusal(answer, self.remote, "the SPARQL endpoint"), EXIT_FAILED)
        if answer.incomplete:  # rows found before the store's own time limit: never shown as the answer
            raise XjkgError(
                f"the SPARQL endpoint {self.url} stopped the query at its own time limit and sent incomplete "
                f"results ({answer.incomplete}): raise the store's limit or ask for less",
                EXIT_FAILED,
            )
        elapsed = time.perf_counter() - started
        try:
            if rows_form:
                return _rows_result(answer, max_rows, elapsed)
            return _graph_result(form, answer, elapsed)
        except MalformedError as exc:
            raise XjkgError(f"the SPARQL endpoint {self.url} {exc}", EXIT_FAILED) from None

    def close(self) -> None:
        """Nothing is kept open between queries."""


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _rows_result(answer: Answer, max_rows: int, elapsed: float) -> QueryResult:
    media = _media(answer.content_type)
    if "xml" in media:
        boolean, variables, rows = _parse_results_xml(answer.body)
    else:
        boolean, variables, rows = _parse_results_json(answer.body, media)
    if boolean is not None:
        return QueryResult(form="ASK", boolean=boolean, elapsed=elapsed)
    return QueryResult.from_wire(variables, rows[:max_rows], truncated=len(rows) > max_rows, elapsed=elapsed)


def _parse_results_json(body: bytes, media: str) -> tuple[bool | None, list[str], list[list[WireTerm | None]]]:
    """SPARQL 1.1 Query Results JSON, checked at every level (a store may send anything)."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedError(f"answered {media or 'something'} that is not SPARQL JSON results") from None
    if not isinstance(document, dict):
        raise MalformedError("answered JSON that is not SPARQL results (not an object)")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise MalformedError("answered an ASK result whose 'boolean' is not true or false")
        return document["boolean"], [], []
    head, results = document.get("head"), document.get("results")
    variables = head.get("vars", []) if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise MalformedError("answered JSON results without a list of variables in 'head'")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise MalformedError("answered JSON results without 'results.bindings'")
    rows = []
    for number, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict):
            raise MalformedError(f"answered JSON results whose row {number} is not an object")
        row: list[WireTerm | None] = []
        for name in variables:
            term = binding.get(name)
            row.append(None if term is None else _json_term(term, name, number))
        rows.append(row)
    return None, variables, rows


def _json_term(term: Any, name: str, number: int) -> WireTerm:
    def text(key: str) -> str:
        value = term.get(key, "")
        if not isinstance(value, str):
            raise MalformedError(f"answered JSON results whose row {number} has a non-text {key!r} for ?{name}")
        return value

    if not isinstance(term, dict) or "value" not in term:
        raise MalformedError(f"answered JSON results whose row {number} binds ?{name} without a 'value'")
    kind, value = text("type") or "literal", text("value")
    if kind == "uri":
        return ("uri", value)
    if kind == "bnode":
        return ("bnode", value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's older spelling
        return ("literal", value, text("datatype"), text("xml:lang"))
    raise MalformedError(f"answered JSON results whose row {number} binds ?{name} to an unknown type {kind[:40]!r}")


def _parse_results_xml(body: bytes) -> tuple[bool | None, list[str], list[list[WireTerm | None]]]:
    """SPARQL Query Results XML; no DTD, no entities (defusedxml)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise MalformedError(f"answered XML that does not parse: {store_words(str(exc))}") from None
    if root.tag != _SR + "sparql":
        raise MalformedError("answered XML that is not SPARQL results")
    boolean = root.find(_SR + "boolean")
    if boolean is not None:
        if (boolean.text or "").strip() not in ("true", "false"):
            raise MalformedError("answered an ASK result that is not true or false")
        return (boolean.text or "").strip() == "true", [], []
    variables = [v.get("name", "") for v in root.iterfind(f"{_SR}head/{_SR}variable")]
    results = root.find(_SR + "results")
    if results is None:
        raise MalformedError("answered XML results without <results>")
    rows = []
    for number, result in enumerate(results.iterfind(_SR + "result"), start=1):
        cells: dict[str, WireTerm] = {}
        for binding in result.iterfind(_SR + "binding"):
            name = binding.get("name", "")
            if len(binding) != 1:
                raise MalformedError(f"answered XML results whose row {number} binds ?{name} to no single term")
            term = binding[0]
            tag = term.tag.removeprefix(_SR)
            if tag == "uri":
                cells[name] = ("uri", term.text or "")
            elif tag == "bnode":
                cells[name] = ("bnode", term.text or "")
            elif tag == "literal":
                lang = term.get("{http://www.w3.org/XML/1998/namespace}lang", "")
                cells[name] = ("literal", term.text or "", term.get("datatype", ""), lang)
            else:
                raise MalformedError(f"answered XML results whose row {number} binds ?{name} to <{tag[:40]}>")
        rows.append([cells.get(name) for name in variables])
    return None, variables, rows


def _graph_result(form: str, answer: Answer, elapsed: float) -> QueryResult:
    import pyoxigraph as ox

    media = _media(answer.content_type)
    fmt = {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }.get(media, ox.RdfFormat.TURTLE)
    try:
        # Parsed here (not lazily) so that a store's broken RDF is an error of this call; kept in pyoxigraph's form.
        triples = list(ox.parse(answer.body, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise MalformedError(f"answered RDF that does not parse: {store_words(str(exc))}") from None
    return QueryResult.from_triples(form, triples, elapsed=elapsed)


# -- putting the graph into a store --------------------------------------------------------------------

_GSP_HINT = (
    " (give the store's Graph Store Protocol address: Oxigraph server http://HOST:PORT/store, "
    "Fuseki http://HOST:3030/DATASET/data, Virtuoso http://HOST:8890/sparql-graph-crud-auth with --user, "
    "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service)"
)


def load_graph(
    store_url: str,
    graph_file: Path = GRAPH_FILE,
    *,
    graph: str | None = None,
    append: bool = False,
    timeout: float = 120.0,
    user: str | None = None,
) -> int:
    """Put ``graph_file`` into a store over the SPARQL 1.1 Graph Store Protocol; returns the triple count.

    ``store_url`` is the store's Graph Store Protocol address (see ``_GSP_HINT``). The default graph is
    replaced (PUT), or added to with ``append`` (POST); ``graph`` names a graph instead. ``timeout`` is
    the deadline for the whole upload and the store's answer.
    """
    import pyoxigraph as ox

    who = remote(store_url, "store", user)
    if graph is not None and not _IRI.match(graph):
        raise XjkgError(f"--graph {graph!r} is not an absolute IRI", EXIT_BAD_INPUT)
    path = Path(graph_file)
    media = _RDF_TYPES.get(path.suffix)
    if media is None:
        raise XjkgError(f"{path}: load sends Turtle (.ttl) or N-Triples (.nt)", EXIT_BAD_INPUT)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XjkgError(f"{path}: cannot read: {exc.strerror}", EXIT_BAD_INPUT) from None
    try:  # check (and count) before sending: a store may keep half of a broken file
        count = sum(1 for _ in ox.parse(data, format=ox.RdfFormat.from_media_type(media)))
    except SyntaxError as exc:
        raise XjkgError(f"{path}: {exc}", EXIT_BAD_INPUT) from None
    # `?default` is written bare, as the Graph Store Protocol spells it (some stores refuse `default=`).

    target = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    target = ("&" if "?" in who.url else "?") + target
    answer = exchange(
        who,
        "POST" if append else "PUT",
        timeout=timeout,
        target=target,
        content=data,
        headers={"Content-Type": f"{media}; charset=utf-8", "Accept-Encoding": "identity"},
        what="the store",
    )
    if not 200 <= answer.status < 300:
        hint = _GSP_HINT if answer.status in (404, 405) else ""
        if answer.status == 500 and graph is None and "sparql-graph-crud" in who.url:
            hint = " (Virtuoso keeps no writable default graph: give --graph IRI)"
        raise XjkgError(refusal(answer, who, "the store", hint), EXIT_FAILED)
    return count


# -- command line --------------------------------------------------------------------------------------


def configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the store's Graph Store Protocol URL (Oxigraph server: http://HOST:PORT/store)",
    )
    parser.add_argument("--graph", metavar="IRI", help="load into this named graph (default: the default graph)")
    parser.add_argument(
        "--file", type=Path, default=GRAPH_FILE, metavar="F", help=f"Turtle or N-Triples ({GRAPH_FILE})"
    )
    parser.add_argument("--append", action="store_true", help="add to the graph (POST) instead of replacing it (PUT)")
    parser.add_argument(
        "--timeout", type=float, default=120.0, metavar="S", help="deadline for the whole upload in seconds (120)"
    )
    add_endpoint_options(parser)


def run_load(args: argparse.Namespace) -> int:
    if not 0 < args.timeout < math.inf:  # NaN fails the comparison too
        raise XjkgError("--timeout must be a positive number of seconds")
    count = load_graph(
        args.endpoint, args.file, graph=args.graph, append=args.append, timeout=args.timeout, user=args.user
    )
    into = f"graph <{args.graph}>" if args.graph else "the default graph"
    verb = "added" if args.append else "loaded"
    shown = remote(args.endpoint, "store", args.user).shown
    print(f"xjkg load: {verb} {count} triples from {args.file} into {into} of {shown}", file=sys.stderr)
    return EXIT_OK
