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

The HTTP client is httpx (digest included) over a deadline-aware httpcore network backend.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import sys
import time
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engines import Engine, values_block
from .errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, XjkgError
from .paths import GRAPH_FILE
from .rdf import WireTerm
from .results import QueryResult
from .sparql_safety import check_query, insert_values

if TYPE_CHECKING:
    import httpx
    from rdflib.term import Identifier

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

#: The environment variable holding the password for ``--user`` (never a command-line option).
PASSWORD_VARIABLE = "XJKG_ENDPOINT_PASSWORD"
_MAX_HEADERS = 100  # as Python's http.client: more is a broken or hostile server
_MAX_SAID = 300  # characters of a store's own error text in our message
_MAX_BODY = 512 * 1024 * 1024  # bytes of an answer we keep (as `--max-bytes` for files)
_RDF_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$")
_RESULTS_JSON = "application/sparql-results+json"
_RESULTS_XML = "application/sparql-results+xml"
_SR = "{http://www.w3.org/2005/sparql-results#}"


class _MalformedError(Exception):
    """The store's answer is not what the protocol promises."""


# -- who and where --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Remote:
    """A store's URL without user information, how to show it, and the credentials to send."""

    url: str
    shown: str
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # the password never reaches a log or a traceback
        return f"Remote({self.shown!r}, user={self.user!r})"


def _netrc_password(host: str, user: str) -> str | None:
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    import netrc  # here, not at the top: `xjkg query` on the graph imports this module and never needs it

    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        line = f":{exc.lineno}" if isinstance(exc, netrc.NetrcParseError) else ""
        raise XjkgError(f"{path}{line}: cannot read the netrc file", EXIT_BAD_INPUT) from None
    if entry is None:
        return None
    login, _, password = entry
    return password if login in (user, "", None) else None


def remote(url: str, what: str, user: str | None = None) -> Remote:
    """Check ``url`` (absolute http(s)) and find the credentials: ``user`` with its password, or the URL's own.

    >>> remote("http://dba:secret@127.0.0.1:8890/sparql", "endpoint")
    Remote('http://127.0.0.1:8890/sparql', user='dba')
    """
    if not isinstance(url, str) or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise XjkgError(f"{what} URL holds spaces or control characters", EXIT_BAD_INPUT)
    import urllib.parse

    try:
        parsed = urllib.parse.urlsplit(url)
        port = parsed.port
    except ValueError:
        parsed, port = None, None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        shown = url if parsed is None or "@" not in parsed.netloc else "(a URL with user information)"
        raise XjkgError(f"{what} {shown!r} is not an http(s) URL", EXIT_BAD_INPUT)
    host = parsed.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    clean = urllib.parse.urlunsplit((parsed.scheme, netloc, parsed.path or "/", parsed.query, ""))
    password: str | None = None
    if parsed.username is not None:
        url_user = urllib.parse.unquote(parsed.username)
        if user is not None and user != url_user:
            raise XjkgError(f"--user {user!r} and the user in the {what} URL differ", EXIT_BAD_INPUT)
        user = url_user
        if parsed.password is not None:
            password = urllib.parse.unquote(parsed.password)
    if user is not None and password is None:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = _netrc_password(host, user)
        if password is None:
            raise XjkgError(
                f"--user {user}: no password: set {PASSWORD_VARIABLE} or add "
                f"'machine {host} login {user} password …' to ~/.netrc",
                EXIT_BAD_INPUT,
            )
    return Remote(clean, clean, user, password)


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    """``--user``: the account on the store (its password never on the command line)."""
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"log in as NAME (HTTP basic or digest); the password comes from ${PASSWORD_VARIABLE} or ~/.netrc",
    )


# -- HTTP with one deadline -----------------------------------------------------------------------------


def _backend(deadline: float) -> Any:
    """An httpcore network backend whose every connect, read and write ends by ``deadline``."""
    import httpcore

    def left(timeout: float | None, kind: type[Exception]) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise kind("the deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self.inner.read(max_bytes, left(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            for start in range(0, len(buffer), 65_536):  # a slow reader cannot stretch one big send
                self.inner.write(buffer[start : start + 65_536], left(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
            return Stream(self.inner.start_tls(ssl_context, server_hostname, left(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            limit = left(timeout, httpcore.ConnectTimeout)
            return Stream(self.inner.connect_tcp(host, port, limit, local_address, socket_options))

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
        ) -> httpcore.NetworkStream:
            raise httpcore.ConnectError("unix sockets are not used")

        def sleep(self, seconds: float) -> None:
            time.sleep(min(seconds, max(0.0, deadline - time.monotonic())))

    return Backend()


def _transport(deadline: float) -> httpx.BaseTransport:
    import httpcore
    import httpx

    pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_backend(deadline), max_connections=1, retries=0
    )

    class Body(httpx.SyncByteStream):
        """httpcore's response stream as httpx wants it."""

        def __init__(self, answer: Any) -> None:
            self.answer = answer

        def __iter__(self) -> Generator[bytes, None, None]:
            yield from self.answer.stream

        def close(self) -> None:
            self.answer.close()

    class Transport(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            answer = pool.handle_request(
                httpcore.Request(
                    method=request.method,
                    url=httpcore.URL(
                        scheme=request.url.raw_scheme,
                        host=request.url.raw_host,
                        port=request.url.port,
                        target=request.url.raw_path,
                    ),
                    headers=request.headers.raw,
                    content=request.stream,
                    extensions=request.extensions,
                )
            )
            if len(answer.headers) > _MAX_HEADERS:
                answer.close()
                raise _MalformedError(f"sent {len(answer.headers)} headers (more than {_MAX_HEADERS})")
            return httpx.Response(
                status_code=answer.status,
                headers=answer.headers,
                stream=Body(answer),
                extensions=answer.extensions,
            )

        def close(self) -> None:
            pool.close()

    return Transport()


def _auth(who: Remote) -> httpx.Auth | None:
    """Basic or digest, as the store's challenge asks; nothing is sent before it asks."""
    import httpx

    if who.user is None:
        return None
    user, password = who.user, who.password or ""

    class Either(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "")
            if challenge.lower().startswith("digest"):
                flow = httpx.DigestAuth(user, password).auth_flow(request)
                next(flow)
                try:
                    yield flow.send(response)
                except StopIteration:
                    return
            elif challenge.lower().startswith("basic"):
                yield httpx.BasicAuth(user, password).sync_auth_flow(request).__next__()

    return Either()


@dataclass
class _Answer:
    status: int
    reason: str
    content_type: str
    body: bytes


def _exchange(
    who: Remote,
    method: str,
    *,
    timeout: float,
    target: str = "",
    data: Mapping[str, str | list[str]] | None = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    what: str,
) -> _Answer:
    """One HTTP exchange under one deadline; every failure becomes an :class:`XjkgError` (exit 3)."""
    import socket

    import httpcore
    import httpx

    deadline = time.monotonic() + timeout
    late = XjkgError(f"{what} {who.shown} did not answer within {timeout:g} s", EXIT_FAILED)
    try:
        with httpx.Client(
            transport=_transport(deadline), auth=_auth(who), follow_redirects=False, timeout=timeout
        ) as client:
            with client.stream(method, who.url + target, data=data, content=content, headers=headers) as response:
                chunks = []
                size = 0
                for chunk in response.iter_raw():
                    chunks.append(chunk)
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        raise late
                    if size > _MAX_BODY:
                        raise _MalformedError(f"sent an answer larger than {_MAX_BODY // 2**20} MB")
                body = b"".join(chunks)
            return _Answer(
                response.status_code,
                response.reason_phrase,
                response.headers.get("content-type", ""),
                _decode_body(body, response.headers.get("content-encoding", "")),
            )
    except XjkgError:
        raise
    except _MalformedError as exc:
        raise XjkgError(f"{what} {who.shown} {exc}", EXIT_FAILED) from None
    except (httpx.TimeoutException, httpcore.TimeoutException, TimeoutError):
        raise late from None
    except (httpx.ConnectError, httpcore.ConnectError, ConnectionError, socket.gaierror) as exc:
        raise XjkgError(
            f"cannot reach {what} {who.shown}: {_said(str(exc), who) or 'no connection'}", EXIT_FAILED
        ) from None
    except (httpx.HTTPError, httpcore.ProtocolError, httpcore.NetworkError, OSError, ValueError) as exc:
        why = _said(str(exc), who) or type(exc).__name__
        raise XjkgError(f"{what} {who.shown} sent a broken HTTP answer: {why}", EXIT_FAILED) from None


def _decode_body(body: bytes, encoding: str) -> bytes:
    """Undo gzip/deflate (we ask for none, but a store may send it anyway)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    import zlib

    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            inflater = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
            return inflater.decompress(body, 1 << 30)
        except zlib.error:
            raise _MalformedError(f"sent a body that is not valid {encoding}") from None
    raise _MalformedError(f"sent a body in an unknown encoding {encoding[:40]!r}")


def _said(text: str, who: Remote | None = None) -> str:
    """Outside text fit for one line: tags dropped, control characters escaped, secrets removed, trimmed."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]{0,2000}>", " ", text)
    import html

    text = html.unescape(text)
    text = " ".join(text.split())
    if who is not None and who.password:
        text = text.replace(who.password, "***")
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= _MAX_SAID else text[: _MAX_SAID - 1] + "…"


def _refusal(answer: _Answer, who: Remote, what: str, hint: str = "") -> str:
    said = _said(answer.body.decode("utf-8", "replace"), who)
    reason = _said(answer.reason)
    text = f"{what} {who.shown} answered HTTP {answer.status}{' ' + reason if reason else ''}"
    if answer.status == 401:
        text += " (wrong or missing --user / password)" if who.user else " (give --user NAME)"
    return text + (f": {said}" if said else "") + hint


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
        bindings: Mapping[str, Identifier] | None = None,
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
        answer = _exchange(
            self.remote,
            "POST",
            timeout=limit,
            data=data,
            headers={"Accept": accept, "Accept-Encoding": "identity"},
            what="the SPARQL endpoint",
        )
        if answer.status == 400:
            raise XjkgError(f"{where}: " + _refusal(answer, self.remote, "the SPARQL endpoint"), EXIT_BAD_INPUT)
        if answer.status != 200:
            raise XjkgError(_refusal(answer, self.remote, "the SPARQL endpoint"), EXIT_FAILED)
        elapsed = time.perf_counter() - started
        try:
            if rows_form:
                return _rows_result(answer, max_rows, elapsed)
            return _graph_result(form, answer, elapsed)
        except _MalformedError as exc:
            raise XjkgError(f"the SPARQL endpoint {self.url} {exc}", EXIT_FAILED) from None

    def close(self) -> None:
        """Nothing is kept open between queries."""


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _rows_result(answer: _Answer, max_rows: int, elapsed: float) -> QueryResult:
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
        raise _MalformedError(f"answered {media or 'something'} that is not SPARQL JSON results") from None
    if not isinstance(document, dict):
        raise _MalformedError("answered JSON that is not SPARQL results (not an object)")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise _MalformedError("answered an ASK result whose 'boolean' is not true or false")
        return document["boolean"], [], []
    head, results = document.get("head"), document.get("results")
    variables = head.get("vars", []) if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise _MalformedError("answered JSON results without a list of variables in 'head'")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise _MalformedError("answered JSON results without 'results.bindings'")
    rows = []
    for number, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict):
            raise _MalformedError(f"answered JSON results whose row {number} is not an object")
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
            raise _MalformedError(f"answered JSON results whose row {number} has a non-text {key!r} for ?{name}")
        return value

    if not isinstance(term, dict) or "value" not in term:
        raise _MalformedError(f"answered JSON results whose row {number} binds ?{name} without a 'value'")
    kind, value = text("type") or "literal", text("value")
    if kind == "uri":
        return ("uri", value)
    if kind == "bnode":
        return ("bnode", value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's older spelling
        return ("literal", value, text("datatype"), text("xml:lang"))
    raise _MalformedError(f"answered JSON results whose row {number} binds ?{name} to an unknown type {kind[:40]!r}")


def _parse_results_xml(body: bytes) -> tuple[bool | None, list[str], list[list[WireTerm | None]]]:
    """SPARQL Query Results XML; no DTD, no entities (defusedxml)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _MalformedError(f"answered XML that does not parse: {_said(str(exc))}") from None
    if root.tag != _SR + "sparql":
        raise _MalformedError("answered XML that is not SPARQL results")
    boolean = root.find(_SR + "boolean")
    if boolean is not None:
        if (boolean.text or "").strip() not in ("true", "false"):
            raise _MalformedError("answered an ASK result that is not true or false")
        return (boolean.text or "").strip() == "true", [], []
    variables = [v.get("name", "") for v in root.iterfind(f"{_SR}head/{_SR}variable")]
    results = root.find(_SR + "results")
    if results is None:
        raise _MalformedError("answered XML results without <results>")
    rows = []
    for number, result in enumerate(results.iterfind(_SR + "result"), start=1):
        cells: dict[str, WireTerm] = {}
        for binding in result.iterfind(_SR + "binding"):
            name = binding.get("name", "")
            if len(binding) != 1:
                raise _MalformedError(f"answered XML results whose row {number} binds ?{name} to no single term")
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
                raise _MalformedError(f"answered XML results whose row {number} binds ?{name} to <{tag[:40]}>")
        rows.append([cells.get(name) for name in variables])
    return None, variables, rows


def _graph_result(form: str, answer: _Answer, elapsed: float) -> QueryResult:
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
        raise _MalformedError(f"answered RDF that does not parse: {_said(str(exc))}") from None
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
    import urllib.parse

    target = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    target = ("&" if "?" in who.url else "?") + target
    answer = _exchange(
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
        raise XjkgError(_refusal(answer, who, "the store", hint), EXIT_FAILED)
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
