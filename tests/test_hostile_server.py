"""Hostile input against a real ``xjkg serve`` on 127.0.0.1 (issue 11): after each attack, the same server
process answers a one-triple ASK.

To extend: a new parse-bomb shape is one line in :data:`BOMBS` (a function of a repeat count); a text that
once broke something goes into ``tests/fuzz_corpus/parse-bombs/``; a new class of attack is a test that
sends it and ends with :func:`assert_alive`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from fuzzing import corpus_files
from server_graph import LiveServer, live_server, write_fixture
from xjkg.core.errors import XjkgError
from xjkg.core.sparql_safety import check_query

pytestmark = pytest.mark.server

TIMEOUT = 3.0  # the server's --timeout in this module
ASK = "ASK { ?s ?p ?o }"
P = "PREFIX : <http://e/> "
#: Parse bombs: each a function of how many times its piece repeats (ENGINES.md: the parser recurses).
BOMBS: dict[str, Callable[[int], str]] = {
    "not-chain": lambda n: P + "ASK { FILTER(" + "!" * n + "true) }",
    "minus-chain": lambda n: P + "ASK { FILTER(" + "-" * n + "1) }",
    "inverse-chain": lambda n: P + "ASK { ?s " + "^" * n + ":a ?o }",
    "or-terms": lambda n: P + "ASK { FILTER(" + " || ".join(["true"] * n) + ") }",
    "and-terms": lambda n: P + "ASK { FILTER(" + " && ".join(["true"] * n) + ") }",
    "plus-terms": lambda n: P + "ASK { FILTER(" + " + ".join(["1"] * n) + ") }",
    "times-terms": lambda n: P + "ASK { FILTER(" + " * ".join(["1"] * n) + ") }",
    "equal-terms": lambda n: P + "ASK { FILTER(" + " = ".join(["1"] * n) + ") }",
    "path-alternatives": lambda n: P + "ASK { ?s " + "|".join([":a"] * n) + " ?o }",
    "negated-alternatives": lambda n: P + "ASK { ?s !(" + "|".join([":a"] * n) + ") ?o }",
    "sequence-path": lambda n: P + "ASK { ?s " + "/".join([":a"] * n) + " ?o }",
    "object-list": lambda n: P + "ASK { ?s :p " + ", ".join(["?o"] * n) + " }",
    "predicate-list": lambda n: P + "ASK { ?s " + " ; ".join([":p ?o"] * n) + " }",
    "triples": lambda n: P + "ASK { " + " . ".join(["?s :p ?o"] * n) + " }",
    "minus-patterns": lambda n: P + "ASK { ?s ?p ?o " + " MINUS { ?s ?p ?o }" * n + " }",
    "bind-patterns": lambda n: P + "ASK { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + " }",
    "filter-patterns": lambda n: P + "ASK { " + " FILTER(true)" * n + " }",
    "optional-chain": lambda n: P + "ASK { ?s ?p ?o " + " OPTIONAL { ?s ?p ?o }" * n + " }",
    "union-chain": lambda n: P + "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
    "graph-patterns": lambda n: P + "ASK { " + " GRAPH ?g { ?s ?p ?o }" * n + " }",
    "in-list": lambda n: P + "ASK { FILTER(1 IN (" + ", ".join(["1"] * n) + ")) }",
    "function-arguments": lambda n: P + 'ASK { FILTER(CONCAT("a"' + ', "a"' * n + ")) }",
    "nested-groups": lambda n: P + "ASK " + "{ " * n + "}" * n,
    "nested-brackets": lambda n: P + "ASK { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "nested-blank-nodes": lambda n: P + "ASK { ?s :p " + "[ :p " * n + "1" + " ]" * n + " }",
}
#: Characters: where the slow shapes took tens of seconds (answered or refused, promptly), the segfault size
#: and past MAX_QUERY_CHARS (refused).
SIZES = [1_000, 12_000, 100_000]


def bomb(shape: str, chars: int) -> str:
    """``shape`` repeated until the text has about ``chars`` characters."""
    make = BOMBS[shape]
    unit = max(1, len(make(2)) - len(make(1)))
    return make(max(2, (chars - len(make(1))) // unit + 1))


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_fixture(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def server(fixture_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("hostile-log") / "serve.log"
    graph_file, queries = fixture_files
    with live_server(graph_file, log, "--timeout", str(TIMEOUT), "--workers", "2", queries=queries) as live:
        yield live


def client(server: LiveServer, address: str = "127.0.0.1", timeout: float = 30) -> httpx.Client:
    """An HTTP client sending from ``address`` (any of 127.0.0.0/8: the server sees another client)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=server.url, timeout=timeout, transport=transport)


def assert_alive(server: LiveServer) -> None:
    """The same server process answers a one-triple ASK (within the time limit plus a second)."""
    assert server.process.poll() is None, f"the server died:\n{server.log.read_text(errors='replace')}"
    with client(server, timeout=TIMEOUT + 1) as http:
        answer = http.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True


def log_text(server: LiveServer) -> str:
    return server.log.read_text(errors="replace")


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        time.sleep(0.05)  # polling a condition, with a deadline


# -- 1. parse bombs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("chars", SIZES)
@pytest.mark.parametrize("shape", sorted(BOMBS))
def test_parse_bomb_is_refused_and_the_server_goes_on(server: LiveServer, shape: str, chars: int) -> None:
    text = bomb(shape, chars)
    with client(server) as http:
        answer = http.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == (200 if chars < 12_000 and accepted(text) else 400), answer.text
    assert len(answer.text.strip().splitlines()) == 1
    assert_alive(server)


def accepted(text: str) -> bool:
    """Whether the pre-check and the parser accept ``text`` (only called on texts under 12 KB)."""
    try:
        check_query(text)
    except XjkgError:
        return False
    return True


@pytest.mark.parametrize("path", corpus_files("parse-bombs"), ids=lambda p: p.name)
def test_kept_parse_bombs(server: LiveServer, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    with client(server) as http:
        answer = http.post("/sparql", data={"query": text})
    assert answer.status_code == 400, answer.text
    with pytest.raises(XjkgError):  # in this process: refused before any parse (a parse would crash pytest)
        check_query(text)
    assert_alive(server)


@pytest.mark.parametrize("shape", sorted(BOMBS))
def test_parse_bomb_is_refused_in_process_before_parsing(shape: str) -> None:
    """The pre-check protects processes that parse in-process (CLI, validate); a miss would crash pytest."""
    for chars in SIZES[1:]:
        with pytest.raises(XjkgError) as refused:
            check_query(bomb(shape, chars))
        assert refused.value.exit_code == 2


@pytest.mark.parametrize("shape", ["not-chain", "sequence-path", "object-list", "minus-patterns"])
def test_parse_bomb_in_the_cli(fixture_files: tuple[Path, Path], shape: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", "query", "-", "--data", str(fixture_files[0])],
        input=bomb(shape, 12_000).encode(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in done.stderr


def test_parse_bomb_in_user_shapes(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    select = "SELECT $this WHERE { FILTER(" + "!" * 12_000 + "true) }"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/a> ;\n"
        f'  sh:sparql [ sh:select """{select}""" ] .\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", "validate", str(data), "--shapes", str(shapes)],
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert b"prefix operators in a row" in done.stderr
    assert b"Traceback" not in done.stderr


# -- 2. one deadline, a bounded fair queue -----------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"


def test_cheap_query_under_runaways_from_another_client(server: LiveServer) -> None:
    """Eight runaway cross-joins from one address; a cheap ASK from another is answered within --timeout + 1 s."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:

        def runaway(_: int) -> int:
            with client(server, "127.0.0.2") as http:
                return http.get("/sparql", params={"query": RUNAWAY}).status_code

        futures = [pool.submit(runaway, i) for i in range(8)]
        wait_until(lambda: _busy_workers(server) >= 1, 20, "a runaway running")
        assert_alive(server)
        statuses = [f.result() for f in futures]
    assert set(statuses) <= {503}, statuses  # cut at the deadline, or refused by the bounded queue
    assert_alive(server)


def _busy_workers(server: LiveServer) -> int:
    """How many of the server's worker processes are running on a CPU now."""
    busy = 0
    for pid in children(server.pid):
        with_state = Path(f"/proc/{pid}/stat")
        try:
            if with_state.read_text().rsplit(")", 1)[1].split()[0] == "R":
                busy += 1
        except OSError:
            continue
    return busy


def test_full_queue_answers_503_with_retry_after(server: LiveServer) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:

        def runaway(_: int) -> httpx.Response:
            with client(server, "127.0.0.3") as http:
                return http.get("/sparql", params={"query": RUNAWAY})

        answers = list(pool.map(runaway, range(24)))
    refused = [a for a in answers if a.status_code == 503 and "too many queries wait" in a.text]
    assert refused, "one client's share of the queue is bounded"
    assert all(a.headers.get("retry-after", "").isdigit() for a in answers if a.status_code == 503)
    assert_alive(server)


def test_disconnected_client_frees_its_worker(fixture_files: tuple[Path, Path], tmp_path: Path) -> None:
    """With a 60 s limit, only the client's leaving can end the runaway's worker within the test's wait."""
    graph_file, queries = fixture_files
    with live_server(graph_file, tmp_path / "serve.log", "--timeout", "60", queries=queries) as live:
        workers = children(live.pid)
        with socket.create_connection(("127.0.0.1", _port(live))) as sock:
            sock.sendall(
                f"GET /sparql?{httpx.QueryParams({'query': RUNAWAY})} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
            )
            wait_until(lambda: _busy_workers(live) >= 1, 20, "the runaway running")
        wait_until(lambda: not workers <= children(live.pid), 20, "the runaway's worker killed")
        wait_until(lambda: "client disconnected" in log_text(live), 20, "the disconnect logged")
        assert "Traceback" not in log_text(live)
        assert_alive(live)


# -- 3. cross-site requests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Origin": "http://localhost:9"}, id="other-origin"),
        pytest.param({"Origin": "null"}, id="null-origin"),
        pytest.param({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, id="cross-site-form"),
        pytest.param({"Sec-Fetch-Site": "same-site"}, id="same-site-other-port"),
    ],
)
def test_cross_site_requests_are_refused(server: LiveServer, headers: dict[str, str]) -> None:
    with client(server) as http:
        for method, path in (("POST", "/sparql"), ("GET", "/sparql"), ("GET", "/api/queries")):
            if method == "POST":
                answer = http.post("/sparql", data={"query": bomb("not-chain", 12_000)}, headers=headers)
            else:
                answer = http.get(path, params={"query": ASK}, headers=headers)
            assert answer.status_code == 403, (method, path, answer.text)
            assert "access-control-allow-origin" not in answer.headers
    assert_alive(server)


def test_same_origin_and_non_browser_requests_are_served(server: LiveServer) -> None:
    own = server.url.rstrip("/")
    with client(server) as http:
        for headers in ({}, {"Origin": own, "Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}):
            assert http.get("/sparql", params={"query": ASK}, headers=headers).status_code == 200


# -- 4. connection hygiene ---------------------------------------------------------------------------


def _port(server: LiveServer) -> int:
    return int(server.url.rstrip("/").rsplit(":", 1)[1])


def test_get_and_post_decode_alike(server: LiveServer) -> None:
    with client(server) as http:
        assert http.get("/sparql?query=%FF").status_code == 400
        assert (
            http.post(
                "/sparql", content=b"query=%FF", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ).status_code
            == 400
        )
        assert http.get("/api/queries/has-county?x=%FF").status_code == 400
    assert_alive(server)


def test_head_wherever_get(server: LiveServer) -> None:
    with client(server) as http:
        for path, params in (("/sparql", {"query": ASK}), ("/sparql", {}), ("/api/queries", {}), ("/", {})):
            answer = http.head(path, params=params)
            assert answer.status_code == 200, path
            assert answer.content == b""
        assert http.head("/api/queries/has-county").status_code == 200


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(b"X-Big: " + b"a" * 1_000_000 + b"\r\n", id="1MB-header"),
        pytest.param(b"X-Big: " + b"a" * 20_000 + b"\r\n", id="20KB-header"),  # arrives in one read
        pytest.param(b"".join(b"X-%d: a\r\n" % i for i in range(5000)), id="5000-headers"),
        pytest.param(b"".join(b"X-%d: a\r\n" % i for i in range(150)), id="150-headers"),
    ],
)
def test_oversized_heads_are_refused(server: LiveServer, head: bytes) -> None:
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=30) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused before we finished sending
            sock.sendall(b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + head + b"\r\n")
        try:
            reply = sock.recv(200)
        except ConnectionResetError:
            reply = b""
    assert not reply.startswith(b"HTTP/1.1 200"), reply
    assert_alive(server)


@pytest.mark.slow
def test_a_slow_head_is_cut_off(server: LiveServer) -> None:
    """A client that never finishes its request head is disconnected (the header timeout)."""
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=60) as sock:
        sock.sendall(b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert sock.recv(100) == b"", "the server closed the connection"
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=60) as sock:
        assert sock.recv(100) == b"", "a connection that sends nothing is closed too"
    assert_alive(server)


def test_client_leaving_mid_body_is_logged_as_such(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=30) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nASK { ?s"
        )
    wait_until(lambda: "client disconnected" in log_text(server), 20, "the disconnect logged")
    text = log_text(server)
    assert "Traceback" not in text and '"POST /sparql" 500' not in text
    assert_alive(server)


def test_forwarded_for_is_not_trusted(server: LiveServer) -> None:
    """A local client cannot name itself another address (and so escape its share of the workers)."""
    with client(server) as http:
        http.get("/api/queries/has-county", headers={"X-Forwarded-For": "203.0.113.9"})
    wait_until(lambda: '"GET /api/queries/has-county' in log_text(server), 20, "the request logged")
    lines = [line for line in log_text(server).splitlines() if '"GET /api/queries/has-county' in line]
    assert lines and all("203.0.113.9" not in line and "127.0.0.1" in line for line in lines)
    assert_alive(server)


def test_log_lines_cannot_be_forged(server: LiveServer) -> None:
    with client(server) as http:
        http.get("/id/x%0aFORGED%20line%1b[31m")
    wait_until(lambda: "FORGED" in log_text(server), 20, "the request logged")
    text = log_text(server)
    assert not any(line.startswith("FORGED") for line in text.splitlines())
    assert "\x1b" not in text and "\\x0aFORGED" in text
    assert_alive(server)


# -- 4 and 7. stopping, killing, memory --------------------------------------------------------------


def _start(fixture_files: tuple[Path, Path], tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    """A server with its own temporary folder (TMPDIR), to see what it leaves behind."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    log = tmp_path / "serve.log"
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "xjkg", "serve", "--port", "0", "--graph", str(fixture_files[0]), *extra]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    url = ""

    def started() -> bool:
        nonlocal url
        assert process.poll() is None, log.read_text()
        for line in log.read_text(errors="replace").splitlines():
            if "listening on http://127.0.0.1:" in line:
                url = line.split("listening on ")[1].split()[0]
                return True
        return False

    wait_until(started, 60, "the server listening")
    return process, url, temp


def _runaways(url: str, count: int) -> concurrent.futures.ThreadPoolExecutor:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=count)

    def send(address: str) -> None:
        transport = httpx.HTTPTransport(local_address=address)
        try:
            with httpx.Client(base_url=url, timeout=60, transport=transport) as http:
                http.get("/sparql", params={"query": RUNAWAY})
        except httpx.HTTPError:
            pass  # the server went away: that is the point

    for i in range(count):
        pool.submit(send, f"127.0.0.{2 + i}")
    return pool


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stop_signal_ends_runaways_and_removes_temporaries(
    fixture_files: tuple[Path, Path], tmp_path: Path, sig: signal.Signals
) -> None:
    process, url, temp = _start(fixture_files, tmp_path, "--timeout", "120", "--workers", "2")
    try:
        workers = children(process.pid)
        pool = _runaways(url, 2)
        wait_until(lambda: sum(1 for _ in children(process.pid)) >= 2, 20, "workers up")
        process.send_signal(sig)
        process.wait(10)  # the issue asks for about 2 s; a runaway runs 120 s
        pool.shutdown(wait=True)
    finally:
        if process.poll() is None:
            process.kill()
    assert not any(alive(pid) for pid in workers)
    assert list(temp.iterdir()) == []


def test_sigkill_leaves_no_worker(fixture_files: tuple[Path, Path], tmp_path: Path) -> None:
    process, url, _ = _start(fixture_files, tmp_path, "--timeout", "120", "--workers", "2")
    try:
        pool = _runaways(url, 2)
        wait_until(lambda: len(children(process.pid)) >= 2, 20, "two workers")
        workers = children(process.pid)
        process.kill()
        process.wait(10)
        wait_until(lambda: not any(alive(pid) for pid in workers), 10, "every worker gone")
        pool.shutdown(wait=True)
    finally:
        if process.poll() is None:
            process.kill()


def test_worker_memory_limit(fixture_files: tuple[Path, Path], tmp_path: Path) -> None:
    process, url, _ = _start(fixture_files, tmp_path, "--timeout", "60", "--worker-memory", "300")
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?c ?f"
            answer = http.get("/sparql", params={"query": hungry})
            assert answer.status_code == 503
            assert "memory limit of 300 MB" in answer.text
            assert http.get("/sparql", params={"query": ASK}).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
