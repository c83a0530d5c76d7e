"""Remote calls keep their promises (issue 11 item 6, issue 13 item 1) against a deliberately hostile store.

The fake store is a raw socket server on 127.0.0.1 (port 0) that answers each request with one behaviour:
dripping headers or body, flooding headers, malformed results, refusals with its own error text. Every
case must end with exit 3 (or the documented code), one line on stderr, no traceback, within the deadline.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xjkg.cli import main
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.query.remote import PASSWORD_VARIABLE, EndpointEngine, remote

Behaviour = Callable[[socket.socket, bytes, threading.Event], None]


class FakeStore:
    """Accepts connections on a loopback port and hands each request to ``behaviour``."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[bytes] = []
        self.bodies: list[bytes] = []
        self.stop = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/sparql", userinfo: str = "") -> str:
        return f"http://{userinfo}127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self.requests.append(head)
                self.bodies.append(body)
                self.behaviour(conn, head, self.stop)
            except OSError:
                pass  # the client gave up (the deadline): that is the point

    def close(self) -> None:
        self.stop.set()
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def fake_store() -> Iterator[Callable[[Behaviour], FakeStore]]:
    stores: list[FakeStore] = []

    def start(behaviour: Behaviour) -> FakeStore:
        stores.append(FakeStore(behaviour))
        return stores[-1]

    yield start
    for store in stores:
        store.close()


def answer(status: str, body: bytes, content_type: str = "application/sparql-results+json", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}"
        "Connection: close\r\n\r\n"
    ).encode() + body


def fixed(data: bytes) -> Behaviour:
    def behaviour(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        conn.sendall(data)

    return behaviour


def drip_headers(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    number = 0
    while not stop.wait(0.2):  # one header every 0.2 s, for ever
        conn.sendall(f"X-Drip-{number}: x\r\n".encode())
        number += 1


def drip_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n")
    while not stop.wait(0.2):  # one byte every 0.2 s
        conn.sendall(b" ")


def silent(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    stop.wait(30)


ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
SELECT_NO_VALUE = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"}}]}}).encode()
FLOOD = "".join(f"X-Flood-{i}: {i}\r\n" for i in range(150))

HOSTILE = {
    "drip-headers": drip_headers,
    "drip-body": drip_body,
    "silent": silent,
    "flood-headers": fixed(answer("200 OK", ASK_TRUE, extra=FLOOD)),
    "binding-without-value": fixed(answer("200 OK", SELECT_NO_VALUE)),
    "bad-json": fixed(answer("200 OK", b'{"head": {"vars": ["s"]}, "results": {"bindings": [')),
    "json-not-results": fixed(answer("200 OK", b"[1, 2, 3]")),
    "bad-xml": fixed(answer("200 OK", b"<sparql><results><result>", "application/sparql-results+xml")),
    "xml-entity-bomb": fixed(
        answer(
            "200 OK",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sparql>&a;</sparql>',
            "application/sparql-results+xml",
        )
    ),
    "not-http": fixed(b"SSH-2.0-OpenSSH_9.2\r\n"),
    "closes-at-once": fixed(b""),
}


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_query_endpoint_hostile(case: str, fake_store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = fake_store(HOSTILE[case])
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o }" if "binding" in case else "ASK { ?s ?p ?o }", encoding="utf-8")
    started = time.monotonic()
    code = main(["query", str(query), "--endpoint", store.url(), "--timeout", "1.5"])
    elapsed = time.monotonic() - started
    line = _one_line(capsys.readouterr().err)
    assert code == EXIT_FAILED, line
    assert elapsed < 1.5 + 3, f"{case}: the deadline was not kept ({elapsed:.1f} s)"
    assert store.url() in line
    if case in ("drip-headers", "drip-body", "silent"):
        assert "did not answer within 1.5 s" in line


@pytest.mark.parametrize("case", ["drip-headers", "drip-body", "silent", "flood-headers", "not-http"])
def test_load_hostile(case: str, fake_store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = fake_store(HOSTILE[case])
    graph = tmp_path / "g.nt"
    graph.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    started = time.monotonic()
    code = main(["load", "--endpoint", store.url("/store"), "--file", str(graph), "--timeout", "1.5"])
    elapsed = time.monotonic() - started
    line = _one_line(capsys.readouterr().err)
    assert code == EXIT_FAILED, line
    assert elapsed < 1.5 + 3, f"{case}: the deadline was not kept ({elapsed:.1f} s)"


@pytest.mark.slow
def test_slow_reader_cannot_stretch_an_upload(fake_store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store that accepts the connection but never reads: the upload stops at the deadline."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True).start()
    graph = tmp_path / "big.ttl"
    graph.write_text(
        "".join(f"<http://example.org/s{i}> <http://example.org/p> {i} .\n" for i in range(200_000)), encoding="utf-8"
    )
    started = time.monotonic()
    try:
        code = main(["load", "--endpoint", f"http://127.0.0.1:{server.getsockname()[1]}/store",
                     "--file", str(graph), "--timeout", "1.5"])  # fmt: skip
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert code == EXIT_FAILED
    assert "did not answer within 1.5 s" in _one_line(capsys.readouterr().err)
    assert time.monotonic() - started < 1.5 + 5


# -- the store's own words, and credentials ------------------------------------------------------------


def test_store_error_text_is_shown_trimmed_and_escaped(fake_store, capsys: pytest.CaptureFixture[str]) -> None:
    said = b"<html><body><h1>Error 22023</h1>\x1b[31mthe graph is \x07read-only" + b" and more" * 100 + b"</body>"
    store = fake_store(fixed(answer("500 Internal Server Error", said, "text/html")))
    with pytest.raises(XjkgError) as caught:
        EndpointEngine(store.url(), timeout=5).query("ASK { ?s ?p ?o }")
    message = caught.value.message
    assert caught.value.exit_code == EXIT_FAILED
    assert "answered HTTP 500 Internal Server Error: Error 22023 \\x1b[31mthe graph is \\x07read-only" in message
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert len(message) < 600


def _basic_store(user: str, password: str) -> Behaviour:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def behaviour(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.decode().partition(":") for line in
                   head.split(b"\r\n")[1:])}  # fmt: skip
        if headers.get("authorization") == expected:
            conn.sendall(answer("200 OK", ASK_TRUE))
        elif "authorization" in headers:  # echoes what it was sent, as a careless store might
            sent = base64.b64decode(headers["authorization"].split()[-1]).decode()
            conn.sendall(answer("403 Forbidden", f"bad credentials {sent}".encode(), "text/plain"))
        else:
            conn.sendall(answer("401 Unauthorized", b"", "text/plain", 'WWW-Authenticate: Basic realm="x"\r\n'))

    return behaviour


def test_user_and_password_from_the_environment(fake_store, monkeypatch, tmp_path: Path, capsys) -> None:
    store = fake_store(_basic_store("reader", "s3cret pw"))
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    monkeypatch.setenv(PASSWORD_VARIABLE, "s3cret pw")
    assert main(["query", str(query), "--endpoint", store.url(), "--user", "reader", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True
    first, second = store.requests[-2:]
    assert b"authorization" not in first.lower()  # nothing is sent before the store asks
    assert b"authorization: basic" in second.lower()


def test_wrong_password_is_never_echoed(fake_store, monkeypatch, tmp_path: Path, capsys) -> None:
    store = fake_store(_basic_store("reader", "right"))
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent-netrc"))
    url = store.url(userinfo="reader:wr%6Fng-pw@")
    assert main(["query", str(query), "--endpoint", url]) == EXIT_FAILED
    line = _one_line(capsys.readouterr().err)
    assert "403" in line and "bad credentials reader:***" in line
    assert "wrong-pw" not in line and "wr%6Fng" not in line
    assert store.url() in line


def test_password_from_netrc(fake_store, monkeypatch, tmp_path: Path, capsys) -> None:
    store = fake_store(_basic_store("reader", "from-netrc"))
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login reader password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    assert EndpointEngine(store.url(), user="reader", timeout=5).query("ASK { ?s ?p ?o }").boolean is True


def test_user_without_password_is_bad_input(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    assert main(["load", "--endpoint", "http://127.0.0.1:9/store", "--user", "dba"]) == EXIT_BAD_INPUT
    assert PASSWORD_VARIABLE in _one_line(capsys.readouterr().err)


def test_url_with_credentials_is_not_a_host_name() -> None:
    who = remote("http://dba:p%40ss@[::1]:8890/sparql?x=1", "endpoint")
    assert (who.url, who.user, who.password) == ("http://[::1]:8890/sparql?x=1", "dba", "p@ss")
    assert "p@ss" not in repr(who)


@pytest.mark.parametrize(
    "url", ["ftp://h/x", "http:///nohost", "http://u:secret@exa mple.org/", "http://h:99999/", "javascript:alert(1)"]
)
def test_bad_urls_are_refused_without_echoing_secrets(url: str, capsys) -> None:
    assert main(["query", "dataset-summary", "--endpoint", url]) == EXIT_BAD_INPUT
    line = _one_line(capsys.readouterr().err)
    assert "secret" not in line


def test_default_graph_is_sent(fake_store, tmp_path: Path, capsys) -> None:
    store = fake_store(fixed(answer("200 OK", ASK_TRUE)))
    engine = EndpointEngine(store.url(), default_graph="https://w3id.org/xjkg/graph/data", timeout=5)
    assert engine.query("ASK { ?s ?p ?o }").boolean is True
    assert b"default-graph-uri=https%3A%2F%2Fw3id.org%2Fxjkg%2Fgraph%2Fdata" in store.bodies[-1]
    assert main(["query", "dataset-summary", "--default-graph", "urn:x"]) == EXIT_BAD_INPUT
    assert "go with --endpoint" in capsys.readouterr().err


def test_a_term_xjkg_cannot_read_is_shown_as_text(fake_store, tmp_path: Path, capsys, caplog) -> None:
    """Virtuoso gave "P1Y"^^xsd:duration back as "12"^^xsd:duration: a warning line, the text, exit 0."""
    duration = "http://www.w3.org/2001/XMLSchema#duration"
    body = {"head": {"vars": ["d"]}, "results": {"bindings": [{"d": {"type": "literal", "datatype": duration,
            "value": "12"}}]}}  # fmt: skip
    store = fake_store(fixed(answer("200 OK", json.dumps(body).encode())))
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?d WHERE { ?s ?p ?d }", encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert main(["query", str(query), "--endpoint", store.url(), "-f", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["d", "12"]
    assert "Traceback" not in captured.err
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said == [
        'a result holds "12", which is not a valid <http://www.w3.org/2001/XMLSchema#duration>: shown as text'
    ]
    assert not any(r.exc_info for r in caplog.records)


def test_incomplete_results_are_refused(fake_store, tmp_path: Path, capsys) -> None:
    """Virtuoso, past its own time limit, answers 200 with the rows found so far and X-SQL-State S1TAT (as it did
    for change-over-time on the series graph: 5 of 36 rows): one line, exit 3, never the partial rows."""
    body = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:x"}}]}}
    extra = (
        "X-SQL-State: S1TAT\r\nX-SQL-Message: RC...: Returning incomplete results, query interrupted by result "
        "timeout.  Activity:  103.3K rnd  25.52K seq\r\n"
    )
    store = fake_store(fixed(answer("200 OK", json.dumps(body).encode(), extra=extra)))
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o }", encoding="utf-8")
    assert main(["query", str(query), "--endpoint", store.url(), "-f", "csv"]) == EXIT_FAILED
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert "urn:x" not in captured.out
    assert "stopped the query at its own time limit and sent incomplete results" in line
    assert "query interrupted by result timeout.)" in line and "Activity" not in line
