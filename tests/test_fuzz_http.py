"""Fuzzing the HTTP endpoint (issue 8, part 4): any method, path, query string, headers and body.

The app (:func:`xjkg.server.create_app`) runs in-process under Starlette's TestClient over a real
embedded engine on a small graph. Whatever the request, the answer is never a 500 and its body never
holds a Python traceback; every answer is a documented status. (No request has yet found a bug here,
so there is no kept corpus for this target.)
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from fuzzing import fuzz_settings, within
from server_graph import LiveServer, live_server, write_fixture
from xjkg.query.stored import EmbeddedEngine, stored_queries
from xjkg.server import ServerConfig, create_app

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

#: What a request may be answered with (503: the query hit the time limit).
DOCUMENTED = {200, 204, 303, 307, 400, 403, 404, 405, 406, 413, 415, 503}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("http-fuzz")
    graph_file, queries = write_fixture(folder)
    with EmbeddedEngine(graph_file, workers=1) as engine:
        app = create_app(
            engine, ServerConfig(timeout=5, max_rows=200, max_body=20_000), queries=stored_queries(queries)
        )
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as test_client:
            yield test_client


QUERY_PIECES = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "*",
        "?s",
        "?p",
        "?o",
        "WHERE",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ".",
        ";",
        ",",
        "FILTER",
        "REGEX(",
        "STR(",
        '"a"',
        "'b'",
        '"""c"""',
        "<http://example.org/>",
        "<>",
        "<",
        "a",
        "1",
        "1.5",
        "1e3",
        "OPTIONAL",
        "UNION",
        "MINUS",
        "GRAPH",
        "VALUES",
        "BIND",
        "AS",
        "COUNT(*)",
        "GROUP BY",
        "ORDER BY",
        "LIMIT",
        "OFFSET",
        "PREFIX ex: <http://example.org/>",
        "ex:",
        "BASE <x:>",
        "SERVICE",
        "LOAD",
        "INSERT DATA",
        "DELETE",
        "FROM",
        "NAMED",
        "#",
        "\n",
        "\\u0041",
        "\\",
        "@en",
        "^^",
        "_:b",
        "$x",
        "&&",
        "||",
        "!",
        "=",
        " ",
        "\x00",
        "é",
        "\U0001d7d9",
        "{" * 120,
        "(" * 50,
    ]
)
QUERIES = st.one_of(
    st.lists(QUERY_PIECES, max_size=25).map(" ".join),
    st.text(max_size=80),
    st.sampled_from(
        [
            "SELECT * WHERE { ?s ?p ?o }",
            "ASK {}",
            "CONSTRUCT WHERE { ?s ?p ?o }",
            "DESCRIBE <https://w3id.org/xjkg/id/county/luopu>",
        ]
    ),
)
KEYS = st.sampled_from(
    [
        "query",
        "format",
        "default-graph-uri",
        "named-graph-uri",
        "update",
        "using-graph-uri",
        "minimum",
        "area",
        "callback",
        "",
        "query[]",
        "QUERY",
    ]
) | st.text(max_size=8)
FORMATS = st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "html", "", "x"])
PATHS = st.one_of(
    st.sampled_from(
        [
            "/",
            "/sparql",
            "/sparql/",
            "/api/queries",
            "/api/openapi.json",
            "/api/queries/funds-by-figure",
            "/api/queries/funds-by-figure.csv",
            "/api/queries/has-county.json",
            "/id/county/luopu",
            "/id/county/luopu.ttl",
            "/id/county/luopu.html",
            "/id/",
            "/ontology",
            "/ontology.ttl",
            "/favicon.ico",
            "/static/",
            "/static/../../etc/passwd",
            "/static/%2e%2e/%2e%2e/etc/passwd",
            "/id/%00",
            "/id/..%2f..%2f",
            "//sparql",
            "/sparql%00",
            "/api/queries/%ff",
        ]
    ),
    st.tuples(st.sampled_from(["/id/", "/api/queries/", "/static/", "/"]), st.text(max_size=30)).map(
        lambda t: t[0] + quote(t[1], safe="/%")
    ),
)
MEDIA = st.sampled_from(
    [
        "application/sparql-results+json",
        "application/json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "text/html",
        "*/*",
        "text/*",
        "application/*",
        "image/png",
        "",
        ";",
        "*",
        "application/sparql-query",
        "application/sparql-update",
        "application/x-www-form-urlencoded",
    ]
)
PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
ACCEPT = st.one_of(
    st.lists(
        st.tuples(MEDIA, st.sampled_from(["", ";q=0.5", ";q=0", ";q=x", ";q=nan", ";q=1e999", ";q=-1", ";level=1"])),
        max_size=4,
    ).map(lambda items: ", ".join(m + q for m, q in items)),
    PRINTABLE,
)
CONTENT_TYPE = st.one_of(
    st.tuples(
        MEDIA,
        st.sampled_from(
            ["", "; charset=utf-8", "; charset=latin-1", '; charset="UTF-8"', "; charset=", "; boundary=x"]
        ),
    ).map("".join),
    PRINTABLE,
)


@st.composite
def requests(draw: st.DrawFn) -> dict[str, object]:
    """One request: method, path, query string, headers and a body of one of the protocol's shapes."""
    method = draw(st.sampled_from(["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
    path = draw(PATHS)
    params = draw(st.lists(st.tuples(KEYS, QUERIES | FORMATS | st.text(max_size=20)), max_size=4))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["accept"] = draw(ACCEPT)
    if draw(st.booleans()):
        headers["content-type"] = draw(CONTENT_TYPE)
    if draw(st.integers(0, 9)) == 0:
        headers["host"] = draw(st.sampled_from(["127.0.0.1", "localhost", "evil.example", "[::1]", "", "a b"]))
    body: bytes = b""
    if method in ("POST", "PUT", "PATCH"):
        shape = draw(st.sampled_from(["form", "query", "bytes", "none"]))
        if shape == "form":
            pairs = draw(st.lists(st.tuples(KEYS, QUERIES), max_size=3))
            body = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode()
        elif shape == "query":
            body = draw(QUERIES).encode("utf-8", "surrogatepass")
        elif shape == "bytes":
            body = draw(st.binary(max_size=200))
    return {"method": method, "path": path, "params": params, "headers": headers, "body": body}


def send(client: TestClient, request: dict[str, object]) -> None:
    """Send one request and check the answer: documented status, no traceback, no server error."""
    with within(20, f"{request['method']} {request['path']}"):
        answer = client.request(
            str(request["method"]),
            str(request["path"]),
            params=list(request["params"]),  # type: ignore[arg-type]
            headers=dict(request["headers"]),  # type: ignore[arg-type]
            content=bytes(request["body"]),  # type: ignore[arg-type]
        )
    assert answer.status_code != 500, f"500 for {request!r}:\n{answer.text[:2000]}"
    assert answer.status_code in DOCUMENTED, f"{answer.status_code} for {request!r}: {answer.text[:500]}"
    assert "Traceback" not in answer.text and 'File "' not in answer.text, f"a traceback for {request!r}"


@fuzz_settings(300)
@given(request=requests())
def test_any_request_gets_a_documented_answer(client: TestClient, request: dict[str, object]) -> None:
    send(client, request)


@fuzz_settings(150)
@given(query=QUERIES, method=st.sampled_from(["GET", "POST-form", "POST-direct"]), accept=ACCEPT)
def test_any_query_text_gets_a_documented_answer(client: TestClient, query: str, method: str, accept: str) -> None:
    if method == "GET":
        request = {
            "method": "GET",
            "path": "/sparql",
            "params": [("query", query)],
            "headers": {"accept": accept},
            "body": b"",
        }
    elif method == "POST-form":
        request = {
            "method": "POST",
            "path": "/sparql",
            "params": [],
            "headers": {"accept": accept, "content-type": "application/x-www-form-urlencoded"},
            "body": f"query={quote(query)}".encode(),
        }
    else:
        request = {
            "method": "POST",
            "path": "/sparql",
            "params": [],
            "headers": {"accept": accept, "content-type": "application/sparql-query"},
            "body": query.encode("utf-8", "surrogatepass"),
        }
    send(client, request)


def test_the_endpoint_still_answers(client: TestClient) -> None:
    """After the fuzzing, a well-formed query gets its answer (no worker left broken)."""
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True


# -- raw bytes to a real server ------------------------------------------------------------------------

GOOD_REQUEST = (
    b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
    b"Connection: close\r\n\r\n"
)
RAW_PIECES = st.sampled_from(
    [b"GET ", b"POST ", b"/sparql", b"?query=", b"%", b"%zz", b"%00", b" HTTP/1.1", b" HTTP/1.0", b" HTTP/9",
     b"\r\n", b"\n", b"\r", b"Host: 127.0.0.1", b"Host: evil.example", b"Content-Length: ", b"-1", b"99999999",
     b"Transfer-Encoding: chunked", b"0\r\n\r\n", b"ffffffff\r\n", b"Content-Type: application/sparql-query",
     b"Expect: 100-continue", b": ", b"\x00", b"\xff", b" " * 50, b"A" * 9000, b"\r\n\r\n", b"SELECT * {}"]
)  # fmt: skip
RAW = st.one_of(
    st.lists(RAW_PIECES, max_size=20).map(b"".join),
    st.tuples(st.integers(0, len(GOOD_REQUEST)), st.binary(max_size=20)).map(
        lambda t: GOOD_REQUEST[: t[0]] + t[1] + GOOD_REQUEST[t[0] :]
    ),
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("raw-fuzz")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", "--timeout", "5", "--workers", "1", queries=queries) as server:
        yield server


def raw_exchange(url: str, data: bytes) -> bytes:
    """Send ``data`` on a fresh connection, half-close, and read the answer (bounded in time and size).

    The half-close ends a request whose headers never end; the server may then drop even a valid one
    unanswered, which is fine here: only what it does answer is checked.
    """
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before reading it all
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        with contextlib.suppress(OSError):
            while len(answer) < 1_000_000:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
    return answer


@pytest.mark.server
@fuzz_settings(150)
@given(data=RAW)
def test_raw_bytes_never_get_a_server_error(live: LiveServer, data: bytes) -> None:
    with within(20, f"raw request {data[:80]!r}"):
        answer = raw_exchange(live.url, data)
    status = answer.split(b"\r\n", 1)[0]
    assert not status.startswith((b"HTTP/1.1 500", b"HTTP/1.0 500")), f"{data!r} -> {answer[:1000]!r}"
    assert b"Traceback" not in answer, f"{data!r} -> {answer[:2000]!r}"
    assert live.process.poll() is None, "the server died"


@pytest.mark.server
def test_the_real_server_still_answers(live: LiveServer) -> None:
    """After the raw fuzzing, the server answers a well-formed request (it did not die or wedge)."""
    answer = httpx.get(live.url + "sparql", params={"query": "ASK {}"}, headers={"accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
