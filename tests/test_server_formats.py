"""``xjkg serve`` in-process: the ``format``/``output`` values and media types clients send, JSON-LD's
``@context``, ``Vary`` and ``rel="alternate"`` on resource pages."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from server_graph import write_fixture
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.stored import stored_queries
from xjkg.server import ServerConfig, create_app

LUOPU = "https://w3id.org/xjkg/id/county/luopu"
CONSTRUCT = f"CONSTRUCT {{ <{LUOPU}> ?p ?o }} WHERE {{ <{LUOPU}> ?p ?o }}"
SELECT = f"SELECT ?p ?o WHERE {{ <{LUOPU}> ?p ?o }}"
RDFLIB = {
    "text/turtle": "turtle",
    "text/n3": "n3",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    graph_file, queries = write_fixture(tmp_path_factory.mktemp("formats"))
    with EmbeddedEngine(graph_file, workers=1) as engine:
        settings = ServerConfig(allowed_hosts=("testserver",), timeout=10.0)
        with TestClient(create_app(engine, settings, queries=stored_queries(queries))) as client:
            yield client


def _reference(client: TestClient) -> Graph:
    answer = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    return Graph().parse(data=answer.content, format="nt")


@pytest.mark.parametrize(
    ("params", "accept", "media"),
    [
        pytest.param({"format": "json-ld"}, None, "application/ld+json", id="format=json-ld"),
        pytest.param({"format": "jsonld"}, None, "application/ld+json", id="format=jsonld"),
        pytest.param({"format": "json"}, None, "application/ld+json", id="format=json-is-jsonld"),
        pytest.param({"output": "json"}, None, "application/ld+json", id="output=json-fuseki"),
        pytest.param({"format": "rdf+xml"}, None, "application/rdf+xml", id="format=rdf+xml"),
        pytest.param({"format": "rdf"}, None, "application/rdf+xml", id="format=rdf"),
        pytest.param({"format": "xml"}, None, "application/rdf+xml", id="format=xml-is-rdfxml"),
        pytest.param({"format": "n3"}, None, "text/n3", id="format=n3"),
        pytest.param({"format": "turtle"}, None, "text/turtle", id="format=turtle"),
        pytest.param({"output": "ttl"}, None, "text/turtle", id="output=ttl"),
        pytest.param({"format": "nt"}, None, "application/n-triples", id="format=nt"),
        pytest.param({"format": "text/turtle"}, None, "text/turtle", id="format=media-type-virtuoso"),
        pytest.param({"format": "no-such"}, "application/rdf+xml", "application/rdf+xml", id="unknown-to-accept"),
        pytest.param({"format": "csv"}, "text/n3", "text/n3", id="rows-format-to-accept"),
        pytest.param({}, "text/n3", "text/n3", id="accept-n3"),
        pytest.param({}, "application/json", "application/ld+json", id="accept-json-is-jsonld"),
        pytest.param({}, "application/x-json+ld", "application/ld+json", id="accept-x-json+ld"),
        pytest.param({}, "application/turtle", "text/turtle", id="accept-application-turtle"),
    ],
)
def test_construct_format_words(client: TestClient, params: dict[str, str], accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    answer = client.get("/sparql", params={"query": CONSTRUCT, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["vary"] == "Accept"
    assert isomorphic(Graph().parse(data=answer.content, format=RDFLIB[media]), _reference(client))


@pytest.mark.parametrize(
    ("params", "accept", "media"),
    [
        pytest.param({"format": "json"}, None, "application/sparql-results+json", id="format=json"),
        pytest.param({"output": "xml"}, None, "application/sparql-results+xml", id="output=xml"),
        pytest.param({"results": "csv"}, None, "text/csv", id="results=csv"),
        pytest.param({"format": "tsv"}, None, "text/tab-separated-values", id="format=tsv"),
        # SPARQLWrapper sends format=tsv&format=text/tab-separated-values, the same for output and results.
        pytest.param(
            [("format", "tsv"), ("format", "text/tab-separated-values"), ("output", "tsv")],
            None,
            "text/tab-separated-values",
            id="sparqlwrapper-tsv",
        ),
        pytest.param(
            {"format": "json-ld"},
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            id="graph-format-to-accept",
        ),
        pytest.param({"format": "no-such"}, None, "application/sparql-results+json", id="unknown-to-default"),
        pytest.param({"format": "srx"}, None, "application/sparql-results+xml", id="format=srx"),
    ],
)
def test_select_format_words(client: TestClient, params: object, accept: str | None, media: str) -> None:
    query = [("query", SELECT), *(params.items() if isinstance(params, dict) else params)]  # type: ignore[attr-defined]
    answer = client.get("/sparql", params=query, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["vary"] == "Accept"
    assert "rdfs" in answer.text or "rdf-schema" in answer.text


@pytest.mark.parametrize(
    ("fmt", "body"),
    [("csv", "_askResult\r\ntrue\r\n"), ("tsv", "?_askResult\ntrue\n")],
)
def test_ask_as_csv_and_tsv(client: TestClient, fmt: str, body: str) -> None:
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": fmt})
    assert answer.status_code == 200 and answer.text == body


def test_jsonld_has_the_project_context(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    document = json.loads(answer.content)
    context = document["@context"]
    assert context["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    assert context["id"] == "https://w3id.org/xjkg/id/"
    assert any(node["@id"] == "id:county/luopu" for node in document["@graph"])
    assert any("rdfs:label" in node for node in document["@graph"])
    assert isomorphic(Graph().parse(data=answer.content, format="json-ld"), _reference(client))


def test_resource_page_says_vary_and_its_alternates(client: TestClient) -> None:
    for accept in ("text/html", "text/turtle"):
        answer = client.get("/id/county/luopu", headers={"Accept": accept})
        assert answer.status_code == 200
        assert answer.headers["vary"] == "Accept"
        link = answer.headers["link"]
        for suffix, media in (
            (".ttl", "text/turtle"),
            (".jsonld", "application/ld+json"),
            (".rdf", "application/rdf+xml"),
        ):
            assert f'</id/county/luopu{suffix}>; rel="alternate"; type="{media}"' in link
    html = client.get("/id/county/luopu", headers={"Accept": "text/html"}).text
    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="text/turtle" href="/id/county/luopu.ttl"' in head
    for href in ("/id/county/luopu.ttl", "/id/county/luopu.jsonld", "/id/county/luopu.nt", "/id/county/luopu.rdf"):
        answer = client.get(href)
        assert answer.status_code == 200, href
        graph = Graph().parse(data=answer.content, format=RDFLIB[answer.headers["content-type"].split(";")[0]])
        assert (URIRef(LUOPU), None, None) in graph


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        pytest.param("/sparql", {"query": SELECT}, "text/csv", id="select"),
        pytest.param("/sparql", {"query": "ASK {}"}, None, id="ask"),
        pytest.param("/sparql", {"query": CONSTRUCT}, "text/turtle", id="construct"),
        pytest.param("/sparql", {}, "text/turtle", id="service-description"),
        pytest.param("/sparql", {}, "text/html", id="editor-redirect"),
        pytest.param("/id/county/luopu", {}, "text/html", id="resource-html"),
        pytest.param("/id/county/luopu", {}, "application/ld+json", id="resource-jsonld"),
        pytest.param("/ontology", {}, "text/html", id="ontology-html"),
        pytest.param("/ontology", {}, "text/turtle", id="ontology-turtle"),
        pytest.param("/api/queries/funds-by-figure", {}, "text/csv", id="api-csv"),
        pytest.param("/api/queries/funds-by-figure", {}, "application/json", id="api-json"),
    ],
)
def test_every_negotiated_answer_says_vary_accept(
    client: TestClient, path: str, params: dict[str, str], accept: str | None
) -> None:
    answer = client.get(path, params=params, headers={"Accept": accept} if accept else {}, follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text
    assert answer.headers.get("vary") == "Accept"


def test_api_page_describes_every_path_of_the_openapi_document(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    page = client.get("/api")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for path, operations in document["paths"].items():
        assert f"<code>GET {path}</code>" in page.text
        for parameter in operations["get"].get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in page.text
    assert "<script" not in page.text.split("</head>")[1] and "https://cdn" not in page.text
