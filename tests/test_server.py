"""``xjkg serve`` in-process: every route and status code, content negotiation, limits and escaping."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from server_graph import FIGURE, SENTENCE, write_fixture
from xjkg.query.stored import EmbeddedEngine, stored_queries
from xjkg.server import GRAPH_NAME, ServerConfig, allowed_hosts, create_app, negotiate

SELECT_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
LUOPU = "https://w3id.org/xjkg/id/county/luopu"
LABELS = f"SELECT ?l WHERE {{ <{LUOPU}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_fixture(tmp_path_factory.mktemp("server"))


@pytest.fixture(scope="module")
def engine(fixture_files: tuple[Path, Path]) -> Iterator[EmbeddedEngine]:
    with EmbeddedEngine(fixture_files[0], workers=2) as engine:
        yield engine


def _client(engine: EmbeddedEngine, queries: Path, **config: object) -> TestClient:
    settings = ServerConfig(allowed_hosts=("testserver", "127.0.0.1", "localhost"), **config)  # type: ignore[arg-type]
    return TestClient(create_app(engine, settings, queries=stored_queries(queries)))


@pytest.fixture(scope="module")
def client(engine: EmbeddedEngine, fixture_files: tuple[Path, Path]) -> Iterator[TestClient]:
    with _client(engine, fixture_files[1], timeout=5.0, max_rows=5, max_body=4096) as client:
        yield client


# -- /sparql -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        pytest.param(None, "application/sparql-results+json", id="default-json"),
        pytest.param("application/sparql-results+json", "application/sparql-results+json", id="json"),
        pytest.param("application/sparql-results+xml", "application/sparql-results+xml", id="xml"),
        pytest.param("text/csv", "text/csv", id="csv"),
        pytest.param("text/tab-separated-values", "text/tab-separated-values", id="tsv"),
        pytest.param("text/html;q=0.9, text/csv", "text/csv", id="q-values"),
        pytest.param("*/*", "application/sparql-results+json", id="wildcard"),
    ],
)
def test_select_formats(client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    answer = client.get(
        "/sparql",
        params={"query": LABELS},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)
    assert "Luopu County" in answer.text


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        pytest.param("GET", {"params": {"query": "ASK { ?s ?p ?o }"}}, id="get"),
        pytest.param("POST", {"data": {"query": "ASK { ?s ?p ?o }"}}, id="post-form"),
        pytest.param(
            "POST",
            {"content": b"ASK { ?s ?p ?o }", "headers": {"Content-Type": "application/sparql-query"}},
            id="post-direct",
        ),
        pytest.param(
            "POST",
            {
                "content": b"ASK { ?s ?p ?o }",
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-8"},
            },
            id="post-direct-utf8",
        ),
    ],
)
def test_query_operations(client: TestClient, method: str, kwargs: dict[str, object]) -> None:
    answer = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        pytest.param(None, "text/turtle", "turtle", id="turtle"),
        pytest.param("application/n-triples", "application/n-triples", "nt", id="ntriples"),
        pytest.param("application/ld+json", "application/ld+json", "json-ld", id="jsonld"),
        pytest.param("application/rdf+xml", "application/rdf+xml", "xml", id="rdfxml"),
    ],
)
def test_construct_formats(client: TestClient, accept: str | None, media: str, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    query = f"CONSTRUCT {{ <{LUOPU}> ?p ?o }} WHERE {{ <{LUOPU}> ?p ?o }}"
    answer = client.post("/sparql", data={"query": query}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    assert (URIRef(LUOPU), None, None) in graph


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        pytest.param("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, id="two-queries"),
        pytest.param("GET", {"params": {"query": "ASK {"}}, 400, id="syntax-error"),
        pytest.param("GET", {"params": {"query": "   "}}, 400, id="empty-query"),
        pytest.param(
            "GET",
            {"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}},
            400,
            id="service-refused",
        ),
        pytest.param(
            "GET",
            {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
            400,
            id="default-graph-not-an-iri",
        ),
        pytest.param("GET", {"params": {"query": "LOAD <http://example.org/>"}}, 400, id="load-refused"),
        pytest.param("GET", {"params": {"update": "CLEAR ALL"}}, 403, id="update-get"),
        pytest.param("POST", {"data": {"update": "CLEAR ALL"}}, 403, id="update-form"),
        pytest.param(
            "POST",
            {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
            403,
            id="update-direct",
        ),
        pytest.param(
            "POST",
            {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            id="wrong-content-type",
        ),
        pytest.param("POST", {"content": b"query=ASK%20%7B%7D"}, 415, id="missing-content-type"),
        pytest.param(
            "POST",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            id="utf16",
        ),
        pytest.param(
            "POST",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            id="invalid-utf8",
        ),
        pytest.param("PUT", {"params": {"query": "ASK {}"}}, 405, id="put"),
        pytest.param("DELETE", {}, 405, id="delete"),
        pytest.param(
            "GET",
            {"params": {"query": SELECT_ALL}, "headers": {"Accept": "image/png"}},
            406,
            id="not-acceptable",
        ),
        pytest.param(
            "POST",
            {"content": b"ASK {}" + b" " * 5000, "headers": {"Content-Type": "application/sparql-query"}},
            413,
            id="body-too-large",
        ),
        pytest.param(
            "GET",
            {"params": {"query": "ASK {}", "named-graph-uri": GRAPH_NAME}},
            400,
            id="own-graph-as-named",
        ),
    ],
)
def test_protocol_errors(client: TestClient, method: str, kwargs: dict[str, object], status: int) -> None:
    answer = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    assert answer.text.strip(), "an error says why"
    assert "Traceback" not in answer.text


def test_update_is_refused_and_data_unchanged(client: TestClient) -> None:
    before = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    refused = client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"})
    assert refused.status_code == 403
    assert "read-only" in refused.text
    after = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert before == after


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"default-graph-uri": GRAPH_NAME}, True, id="own-graph-by-name"),
        pytest.param({"default-graph-uri": "http://example.org/not-here"}, False, id="unknown-graph-is-empty"),
        pytest.param({"named-graph-uri": "http://example.org/not-here"}, False, id="only-named-graphs"),
    ],
)
def test_protocol_dataset(client: TestClient, params: dict[str, str], expected: bool) -> None:
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", **params})
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is expected


def test_service_description(client: TestClient) -> None:
    answer = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef("http://testserver/sparql")
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (None, URIRef(sd + "name"), URIRef(GRAPH_NAME)) in graph


def test_browser_at_sparql_goes_to_editor(client: TestClient) -> None:
    answer = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/#editor"


def test_row_cap_is_stated(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": SELECT_ALL})
    assert answer.status_code == 200
    assert answer.headers["x-xjkg-truncated"] == "max-rows=5"
    document = answer.json()
    assert len(document["results"]["bindings"]) == 5
    assert document["truncated"] == {"maxRows": 5}


def test_timeout_is_enforced_and_server_survives(engine: EmbeddedEngine, fixture_files: tuple[Path, Path]) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    with _client(engine, fixture_files[1], timeout=0.5) as client:
        answer = client.get("/sparql", params={"query": heavy})
        assert answer.status_code == 503, answer.text
        assert "time limit" in answer.text
        # The killed worker's replacement must start within the 0.5 s limit; on a loaded machine it may not, and the
        # server then says so (503). What matters: it goes on answering, with a worker of its own, within seconds.
        deadline = time.monotonic() + 20
        while (survivor := client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})).status_code == 503:
            assert time.monotonic() < deadline, survivor.text
            time.sleep(0.2)
        assert survivor.json()["boolean"] is True


# -- stored queries ------------------------------------------------------------------------------------


def test_query_listing(client: TestClient) -> None:
    listing = client.get("/api/queries").json()
    assert [q["name"] for q in listing] == ["funds-by-figure", "has-county"]
    assert listing[0]["params"][0] == {
        "name": "area",
        "type": "iri",
        "default": "id:county/luopu",
        "description": "the area the figures are about",
    }


def test_stored_query_json(client: TestClient) -> None:
    answer = client.get("/api/queries/funds-by-figure", params={"minimum": "1000"})
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["variables"] == ["figure", "label", "value"]
    assert [row["value"] for row in document["rows"]] == [2610000000, 270000]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        pytest.param("/api/queries/funds-by-figure?minimum=300000", {"Accept": "text/csv"}, id="accept"),
        pytest.param("/api/queries/funds-by-figure.csv?minimum=300000", {}, id="suffix"),
    ],
)
def test_stored_query_csv(client: TestClient, url: str, headers: dict[str, str]) -> None:
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["label"], r["value"]) for r in rows] == [("Funds for roads in Luopu", "2610000000")]


def test_stored_query_sparql_json_for_the_page(client: TestClient) -> None:
    answer = client.get("/api/queries/has-county", headers={"Accept": "application/sparql-results+json"})
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        pytest.param("/api/queries/no-such-query", 404, "no stored query", id="unknown-query"),
        pytest.param("/api/queries/funds-by-figure?minimum=lots", 400, "minimum", id="bad-decimal"),
        pytest.param("/api/queries/funds-by-figure?area=not%20an%20iri", 400, "area", id="bad-iri"),
        pytest.param("/api/queries/funds-by-figure?colour=red", 400, "colour", id="unknown-param"),
    ],
)
def test_stored_query_errors(client: TestClient, url: str, status: int, says: str) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert says in answer.text


def test_openapi_every_path_answers(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {"/api/queries", "/sparql", "/api/queries/funds-by-figure", "/api/queries/has-county"} <= set(paths)
    for path, item in paths.items():
        params = {p["name"]: p["schema"].get("default", "1") for p in item["get"].get("parameters", [])}
        params.pop("query", None)
        answer = client.get(path, params=params)
        assert answer.status_code == 200, (path, answer.text)


# -- resource pages ------------------------------------------------------------------------------------


def test_resource_html(client: TestClient) -> None:
    page = client.get("/id/county/luopu", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.text
    assert "<h1>Luopu County</h1>" in html and "洛浦县" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html
    assert 'href="/id/prefecture/hotan"' in html
    assert 'href="http://www.wikidata.org/entity/Q1"' in html
    before, after = SENTENCE.split(FIGURE)
    assert f"{before}<mark>{FIGURE}</mark>{after}" in html
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_figure_page_highlights_its_sentence(client: TestClient) -> None:
    html = client.get("/id/figure/roads-funds").text
    assert f"<mark>{FIGURE}</mark>" in html
    assert "<mark>270, 000</mark>" not in html


@pytest.mark.parametrize(
    ("url", "accept", "media", "rdflib_format"),
    [
        pytest.param("/id/county/luopu", "text/turtle", "text/turtle", "turtle", id="turtle"),
        pytest.param("/id/county/luopu", "application/ld+json", "application/ld+json", "json-ld", id="jsonld"),
        pytest.param("/id/county/luopu", "application/n-triples", "application/n-triples", "nt", id="nt"),
        pytest.param("/id/county/luopu.ttl", None, "text/turtle", "turtle", id="suffix-ttl"),
        pytest.param("/id/county/luopu.jsonld", None, "application/ld+json", "json-ld", id="suffix-jsonld"),
        pytest.param("/id/county/luopu.nt", None, "application/n-triples", "nt", id="suffix-nt"),
    ],
)
def test_resource_rdf(client: TestClient, url: str, accept: str | None, media: str, rdflib_format: str) -> None:
    answer = client.get(url, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    assert (URIRef(LUOPU), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in graph


@pytest.mark.parametrize(
    ("url", "accept", "status"),
    [
        pytest.param("/id/county/nowhere", "text/html", 404, id="absent-html"),
        pytest.param("/id/county/nowhere.ttl", None, 404, id="absent-turtle"),
        pytest.param("/id/county/../../etc/passwd", None, 404, id="dot-dot"),
        pytest.param("/id/county/luopu", "image/png", 406, id="not-acceptable"),
    ],
)
def test_resource_errors(client: TestClient, url: str, accept: str | None, status: int) -> None:
    answer = client.get(url, headers={"Accept": accept} if accept else {})
    assert answer.status_code == status


@pytest.mark.slow
def test_ontology(client: TestClient) -> None:
    page = client.get("/ontology", follow_redirects=True)
    assert page.status_code == 200 and "html" in page.headers["content-type"]
    turtle = client.get("/ontology.ttl")
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) > 10


# -- the web page --------------------------------------------------------------------------------------


def test_home_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert 'id="gallery"' in html and 'data-query="funds-by-figure"' in html
    assert 'id="editor"' in html and '<script src="/static/app.js" defer>' in html
    assert "Funds and counts by figure" in html
    assert "https://" not in html.split("<main>")[0].replace('"https://', ""), "nothing from another origin"
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200


# -- safety --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        pytest.param("127.0.0.1:8000", 200, id="loopback"),
        pytest.param("localhost", 200, id="localhost"),
        pytest.param("evil.example", 400, id="rebinding"),
    ],
)
def test_host_header_check(client: TestClient, host: str, status: int) -> None:
    assert client.get("/api/queries", headers={"Host": host}).status_code == status


def test_allowed_hosts() -> None:
    assert set(allowed_hosts("0.0.0.0", "https://kg.example.org/xjkg")) == {
        "127.0.0.1",
        "localhost",
        "[::1]",
        "kg.example.org",
    }
    assert "10.0.0.5" in allowed_hosts("10.0.0.5", None)


def test_cors_off_by_default(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://other.example"})
    assert "access-control-allow-origin" not in answer.headers


def test_cors_for_reads_when_asked(engine: EmbeddedEngine, fixture_files: tuple[Path, Path]) -> None:
    origin = "https://yasgui.example"
    with _client(engine, fixture_files[1], cors=origin) as client:
        read = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
        assert read.headers["access-control-allow-origin"] == origin
        preflight = client.options("/sparql", headers={"Origin": origin, "Access-Control-Request-Method": "PUT"})
        assert preflight.status_code == 400
        allowed = client.options("/sparql", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert allowed.status_code == 200


def test_one_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="xjkg.server"):
        client.get("/api/queries")
        client.get("/id/county/nowhere")
    lines = [r.getMessage() for r in caplog.records if r.name == "xjkg.server"]
    assert len(lines) == 2
    assert '"GET /api/queries" 200' in lines[0] and '"GET /id/county/nowhere" 404' in lines[1]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(None, "json", id="none"),
        pytest.param("text/csv;q=0.5, application/sparql-results+xml", "xml", id="q"),
        pytest.param("text/*", "csv", id="family"),
        pytest.param("image/png", None, id="none-fit"),
        pytest.param("application/json;q=0, text/csv", "csv", id="q-zero"),
    ],
)
def test_negotiate(header: str | None, expected: str | None) -> None:
    offered = {
        "application/sparql-results+json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
    }
    assert negotiate(header, offered, "json") == expected


def test_query_text_is_not_pasted(client: TestClient) -> None:
    """A parameter value with SPARQL in it stays a value (no injection)."""
    evil = quote('x" } ; DROP ALL ; SELECT * { "')
    answer = client.get(f"/api/queries/funds-by-figure?area=https://w3id.org/xjkg/id/{evil}")
    # refused as a parameter value that is not an IRI, before any query text is written
    assert answer.status_code == 400, answer.text
    assert "area" in answer.text
