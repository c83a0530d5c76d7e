"""A bounded load test of ``xjkg serve`` on the real graph (issue 8, part 6), with figures.

``tests/test_server_live.py`` load-tests the small fixture graph; this one serves ``data/xjkg.ttl`` with
the shipped stored queries and measures more: a fixed list of requests (every stored query through the
API, ad-hoc SELECT/ASK/CONSTRUCT by GET, form POST and direct POST, resource pages) from several
concurrent clients, with pathological requests mixed in (runaway joins, a backtracking regex, deep
nesting, SERVICE, updates, bad syntax, an oversized body). It reports throughput, p50/p95/p99 latency,
errors, and the resident memory of the server and its query workers before and after.

Passes when: every well-formed request gets 200, every pathological one its documented refusal (never a
500), and memory stays flat.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server_graph import LiveServer, live_server, rss_kib
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.query.stored import stored_queries

pytestmark = [pytest.mark.server, pytest.mark.slow]

CLIENTS = 8
ROUNDS = 12  # each round sends every well-formed request once
TIMEOUT = 2  # the server's per-query limit (seconds)

PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xjkg: <https://w3id.org/xjkg/ontology#> "
AD_HOC = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    PREFIXES + "ASK { ?s a xjkg:County }",
    PREFIXES + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "county")) } LIMIT 50',
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 200",
]


@dataclass(frozen=True)
class Request:
    """One request of the load, and the statuses it may get."""

    kind: str  # "stored", "ad-hoc", "page" or "pathological"
    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    expected: frozenset[int] = frozenset({200})


@dataclass(frozen=True)
class Outcome:
    request: Request
    status: int
    seconds: float


def pathological() -> list[Request]:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
    regex = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        'FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i), "aaaaaaaaaaaaaaaaaaaaaaaa!"), "^(a+)+$")) }'
    )
    refused = frozenset({400})
    return [
        Request("pathological", "GET", "/sparql", (("query", cartesian),), expected=frozenset({503})),
        Request("pathological", "GET", "/sparql", (("query", regex),), expected=frozenset({503})),
        Request(
            "pathological", "GET", "/sparql", (("query", "SELECT * WHERE " + "{" * 150 + "}" * 150),), expected=refused
        ),
        Request(
            "pathological",
            "GET",
            "/sparql",
            (("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),),
            expected=refused,
        ),
        Request("pathological", "GET", "/sparql", (("query", "SELECT ?s WHERE { ?s ?p "),), expected=refused),
        Request(
            "pathological",
            "POST",
            "/sparql",
            headers=(("content-type", "application/sparql-update"),),
            body=b"DROP ALL",
            expected=frozenset({403}),
        ),
        Request(
            "pathological",
            "POST",
            "/sparql",
            headers=(("content-type", "application/sparql-query"),),
            body=b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 2_000_000,
            expected=frozenset({413}),
        ),
        Request("pathological", "GET", "/api/queries/programs", (("program", "not an iri"),), expected=refused),
    ]


def well_formed(resources: list[str]) -> list[Request]:
    requests = [Request("stored", "GET", f"/api/queries/{name}") for name in sorted(stored_queries(QUERIES_DIR))]
    requests += [
        Request("stored", "GET", "/api/queries/programs.csv", (("program", "id:program/pilot-relocation"),)),
        Request("stored", "GET", "/api/queries/explain-number", (("value", "2610000000"),)),
    ]
    for index, query in enumerate(AD_HOC):
        accept = (("accept", "text/turtle" if query.startswith("CONSTRUCT") else "application/sparql-results+json"),)
        if index % 3 == 0:
            requests.append(Request("ad-hoc", "GET", "/sparql", (("query", query),), accept))
        elif index % 3 == 1:
            requests.append(
                Request(
                    "ad-hoc",
                    "POST",
                    "/sparql",
                    (),
                    (*accept, ("content-type", "application/sparql-query")),
                    query.encode(),
                )
            )
        else:
            form = httpx.QueryParams({"query": query})
            requests.append(
                Request(
                    "ad-hoc",
                    "POST",
                    "/sparql",
                    (),
                    (*accept, ("content-type", "application/x-www-form-urlencoded")),
                    str(form).encode(),
                )
            )
    for iri in resources:
        path = "/id/" + iri.split("/id/", 1)[1]
        requests += [
            Request("page", "GET", path, headers=(("accept", "text/html"),)),
            Request("page", "GET", path + ".ttl"),
        ]
    return requests


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the query workers), in KiB."""
    total = rss_kib(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += rss_kib(int(stat.parent.name))
    return total


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built")
    log = tmp_path_factory.mktemp("load") / "serve.log"
    with live_server(GRAPH_FILE, log, "--timeout", str(TIMEOUT), "--workers", "2", queries=QUERIES_DIR) as live:
        yield live


def send(client: httpx.Client, request: Request) -> Outcome:
    started = time.perf_counter()
    answer = client.request(
        request.method, request.path, params=request.params, headers=dict(request.headers), content=request.body
    )
    return Outcome(request, answer.status_code, time.perf_counter() - started)


def test_bounded_load_on_the_real_graph(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        found = client.get("/sparql", params={"query": "SELECT DISTINCT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 4"})
        assert found.status_code == 200, found.text
        resources = [b["s"]["value"] for b in found.json()["results"]["bindings"]]
        light = well_formed(resources)
        for request in light:  # warm up: every well-formed request answers, and caches are filled
            outcome = send(client, request)
            assert outcome.status == 200, f"{request}: {outcome.status}"
    rss_before = tree_rss_kib(server.pid)
    load = [*(light * ROUNDS), *pathological()]
    load = [load[i] for i in sorted(range(len(load)), key=lambda i: (i * 7919) % len(load))]  # interleave
    slices = [load[i::CLIENTS] for i in range(CLIENTS)]

    def client_run(number: int, requests: list[Request]) -> list[Outcome]:
        # Each client has its own loopback address, and the runaways come from one more, as from one hostile
        # client: a client holds at most its share of the workers (xjkg serve --client-share), and a
        # request's deadline counts from its receipt, time in the queue included.
        own = httpx.HTTPTransport(local_address=f"127.0.0.{10 + number}")
        runaway = httpx.HTTPTransport(local_address="127.0.0.2")
        with (
            httpx.Client(base_url=server.url, timeout=60, transport=own) as client,
            httpx.Client(base_url=server.url, timeout=60, transport=runaway) as hostile,
        ):
            return [send(hostile if request.expected == {503} else client, request) for request in requests]

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        outcomes = [o for chunk in pool.map(client_run, range(CLIENTS), slices) for o in chunk]
    wall = time.perf_counter() - started
    rss_after = tree_rss_kib(server.pid)

    assert len(outcomes) == len(load)
    errors = [o for o in outcomes if o.status not in o.request.expected]
    good = sorted(o.seconds for o in outcomes if o.request.kind != "pathological")
    heavy = [o.seconds for o in outcomes if o.request.expected == {503}]
    p50, p95, p99 = (percentile(good, f) for f in (0.50, 0.95, 0.99))
    print(
        f"\nload on {GRAPH_FILE.name}: {len(outcomes)} requests ({len(good)} well-formed, "
        f"{len(outcomes) - len(good)} pathological) from {CLIENTS} clients in {wall:.1f} s = "
        f"{len(outcomes) / wall:.1f} req/s; well-formed latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {good[-1] * 1000:.0f} ms; runaway queries cut at {max(heavy):.1f} s; "
        f"errors {len(errors)}; server+workers RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MiB"
    )
    assert errors == [], "\n".join(
        f"{o.request.method} {o.request.path} {o.request.params}: {o.status}" for o in errors[:20]
    )
    assert not any(o.status >= 500 and o.status != 503 for o in outcomes)
    assert max(heavy) < TIMEOUT + 10, "a runaway query is stopped near the time limit"
    assert p50 < 2.0, f"well-formed requests stay fast (p50 {p50:.2f} s)"
    assert rss_after < rss_before * 1.3 + 30 * 1024, "memory stays flat"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
