"""``xjkg serve`` as a real process on 127.0.0.1: generic SPARQL clients, and a bounded load test."""

from __future__ import annotations

import concurrent.futures
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from server_graph import LiveServer, live_server, rss_kib, write_fixture

pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,
]  # each test takes seconds (./dev test-fast leaves them to ./dev test)

LUOPU = URIRef("https://w3id.org/xjkg/id/county/luopu")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", "--timeout", "2", "--workers", "2", queries=queries) as live:
        yield live


def _wrapper(server: LiveServer, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "sparql")
    client.setTimeout(20)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server: LiveServer, method: str) -> None:
    client = _wrapper(server, f"SELECT ?l WHERE {{ <{LUOPU}> <{RDFS_LABEL}> ?l }} ORDER BY ?l", JSON)
    client.setMethod(method)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert sorted(b["l"]["value"] for b in bindings) == ["Luopu County", "洛浦县"]


def test_sparqlwrapper_xml_and_csv(server: LiveServer) -> None:
    xml = _wrapper(server, "ASK { ?s ?p ?o }", XML).query().convert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    text = _wrapper(server, f"SELECT ?l WHERE {{ <{LUOPU}> <{RDFS_LABEL}> ?l }}", CSV).query().convert()
    assert b"Luopu County" in text  # type: ignore[operator]


def test_sparqlwrapper_construct(server: LiveServer) -> None:
    client = _wrapper(server, f"CONSTRUCT {{ <{LUOPU}> ?p ?o }} WHERE {{ <{LUOPU}> ?p ?o }}", TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (LUOPU, RDFS_LABEL, Literal("Luopu County", lang="en")) in graph


def test_sparqlwrapper_update_refused(server: LiveServer) -> None:
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server.url + "sparql")
    client.setTimeout(20)
    client.setMethod("POST")
    client.setQuery("CLEAR ALL")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()


def test_rdflib_sparqlstore(server: LiveServer) -> None:
    store = SPARQLStore(server.url + "sparql", returnFormat="xml")
    graph = Graph(store=store)
    labels = {str(o) for o in graph.objects(LUOPU, RDFS_LABEL)}
    assert labels == {"Luopu County", "洛浦县"}
    rows = list(graph.query(f"SELECT ?p WHERE {{ <{LUOPU}> ?p ?o }}"))
    assert (RDFS_LABEL,) in [tuple(r) for r in rows]  # type: ignore[arg-type]
    assert len(graph) > 20
    store.close()


def test_served_page_and_resource(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        assert "Stored queries" in client.get("/").text
        assert client.get("/id/county/luopu.ttl").headers["content-type"].startswith("text/turtle")
        assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


# -- bounded load test -----------------------------------------------------------------------------------

LIGHT = [
    ("GET", "/sparql", {"query": "ASK { ?s ?p ?o }"}),
    ("GET", "/api/queries/funds-by-figure", {"minimum": "1"}),
    ("GET", "/id/county/luopu", {}),
    ("GET", "/sparql", {"query": f"SELECT ?l WHERE {{ <{LUOPU}> <{RDFS_LABEL}> ?l }}"}),
]
HEAVY = [
    # a cartesian product that runs for minutes, and a backtracking-prone regex over another one
    (
        "GET",
        "/sparql",
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"},
    ),
    (
        "GET",
        "/sparql",
        {
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
            'FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i), STR(?l), "aaaaaaaaaaaaaaaaaaaa!"), "^(a+)+$")) }'
        },
    ),
]


@pytest.mark.slow
def test_bounded_load(server: LiveServer) -> None:
    """120 light and 6 heavy requests, 6 at a time from two addresses: no failure, light stays fast, heavy are
    cut off."""
    requests = [*(LIGHT * 30), *(HEAVY * 3)]
    requests = requests[::2] + requests[1::2]  # mix the heavy ones in
    with httpx.Client(base_url=server.url, timeout=30) as warm:
        for method, path, params in LIGHT:
            assert warm.request(method, path, params=params).status_code == 200
    rss_before = rss_kib(server.pid)

    heavy_queries = {params["query"] for _, _, params in HEAVY}

    def send(item: tuple[str, str, dict[str, str]]) -> tuple[str, int, float]:
        method, path, params = item
        # The heavy ones come from another loopback address: one client holds at most its share of the
        # workers, and every light request (its deadline counts from receipt) finds one free.
        address = "127.0.0.2" if params.get("query") in heavy_queries else "127.0.0.1"
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=server.url, timeout=30, transport=transport) as client:
            started = time.perf_counter()
            answer = client.request(method, path, params=params)
            return (params.get("query", path), answer.status_code, time.perf_counter() - started)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, requests))
    wall = time.perf_counter() - started
    light = [r for r in results if r[0] not in heavy_queries]
    heavy = [r for r in results if r[0] in heavy_queries]
    assert len(light) == 120 and len(heavy) == 6
    assert [r for r in light if r[1] != 200] == [], "every well-formed light request succeeds"
    assert {r[1] for r in heavy} == {503}, "every heavy query is stopped at the time limit"
    assert max(r[2] for r in heavy) < 15, "a heavy query is cut off near the 2 s limit"
    light_times = sorted(r[2] for r in light)
    median = statistics.median(light_times)
    p95 = light_times[int(len(light_times) * 0.95)]
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for _ in range(3):
            for method, path, params in LIGHT:
                client.request(method, path, params=params)
    rss_after = rss_kib(server.pid)
    print(
        f"\nload: {len(results)} requests in {wall:.1f} s ({len(results) / wall:.1f}/s); light median "
        f"{median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; heavy max {max(r[2] for r in heavy):.1f} s; "
        f"server RSS {rss_before / 1024:.1f} → {rss_after / 1024:.1f} MiB"
    )
    assert rss_after < rss_before * 1.25 + 10 * 1024, "memory stays flat"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_log_has_one_line_per_request(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.get("/api/queries", params={"marker": "log-line-check"})
    # the access log is written after the answer is sent: poll for it, with a deadline
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while not lines:
        assert time.monotonic() < deadline, "no log line for the request"
        lines = [line for line in Path(server.log).read_text().splitlines() if '"GET /api/queries?…"' in line]
        if not lines:
            time.sleep(0.02)  # polling with a deadline
    with httpx.Client(base_url=server.url, timeout=20) as client:  # a later request flushes any second line
        client.get("/api/queries")
    lines = [line for line in Path(server.log).read_text().splitlines() if '"GET /api/queries?…"' in line]
    assert len(lines) == 1
