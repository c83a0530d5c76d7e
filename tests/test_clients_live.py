"""Every return format of SPARQLWrapper, with the library's defaults, GET and POST, for every query form,
and rdflib's SPARQLStore, against a real ``xjkg serve`` on a loopback port."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from server_graph import LiveServer, live_server, write_fixture

pytestmark = [pytest.mark.server, pytest.mark.slow]

LUOPU = URIRef("https://w3id.org/xjkg/id/county/luopu")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
QUERIES = {
    "SELECT": f"SELECT ?l WHERE {{ <{LUOPU}> <{LABEL}> ?l }} ORDER BY ?l",
    "ASK": f"ASK {{ <{LUOPU}> <{LABEL}> ?l }}",
    "CONSTRUCT": f"CONSTRUCT {{ <{LUOPU}> <{LABEL}> ?l }} WHERE {{ <{LUOPU}> <{LABEL}> ?l }}",
    "DESCRIBE": f"DESCRIBE <{LUOPU}>",
}
FORMATS = [JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD]
LABELS = {"Luopu County", "洛浦县"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("clients")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", "--timeout", "10", "--workers", "2", queries=queries) as live:
        yield live


def _labels_in(converted: object, form: str) -> set[str] | bool:
    """What the client's converted answer says: the labels (SELECT, graphs) or the answer (ASK)."""
    if isinstance(converted, Graph):
        return {str(o) for o in converted.objects(LUOPU, LABEL)}
    if isinstance(converted, dict):  # SPARQL JSON
        if "boolean" in converted:
            return bool(converted["boolean"])
        return {b["l"]["value"] for b in converted["results"]["bindings"]}
    if isinstance(converted, Document):  # SPARQL XML
        if converted.getElementsByTagName("boolean"):
            return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
        return {n.firstChild.data for n in converted.getElementsByTagName("literal")}  # type: ignore[union-attr]
    assert isinstance(converted, (bytes, str)), type(converted)
    text = converted.decode() if isinstance(converted, bytes) else converted
    if form == "ASK":  # csv/tsv: a one-column table _askResult
        assert text.splitlines()[0].lstrip("?") == "_askResult", text
        return text.splitlines()[1] == "true"
    if form == "SELECT":
        return {line.split("@")[0].strip('"') for line in text.splitlines()[1:]}
    graph = Graph().parse(data=text, format="turtle")  # Turtle/N3 (SPARQLWrapper hands N3 back as text)
    return {str(o) for o in graph.objects(LUOPU, LABEL)}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sparqlwrapper_return_format(server: LiveServer, fmt: str, form: str, method: str) -> None:
    client = SPARQLWrapper(server.url + "sparql")  # the library's defaults, but for its format and method
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setTimeout(30)
    with warnings.catch_warnings():
        # SPARQLWrapper warns when it asks for a format the form has not (SELECT as Turtle): Accept */* then.
        warnings.simplefilter("ignore", RuntimeWarning)
        answer = client.query()
        converted = answer.convert()
    assert answer.response.status == 200
    assert answer.response.headers["Vary"] == "Accept"
    assert _labels_in(converted, form) == (True if form == "ASK" else LABELS)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", ["xml", "json", "csv"])
def test_rdflib_sparqlstore_reads_rows_and_answers(server: LiveServer, return_format: str, method: str) -> None:
    graph = Graph(store=SPARQLStore(server.url + "sparql", returnFormat=return_format, method=method))
    assert {str(o) for o in graph.objects(LUOPU, LABEL)} == LABELS
    if return_format != "csv":  # rdflib's CSV reader reads no boolean (the standard has none)
        assert graph.query(QUERIES["ASK"]).askAnswer is True


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore_with_its_defaults(server: LiveServer, method: str) -> None:
    # rdflib reads a graph answer only with its default (xml: Accept application/rdf+xml among others).
    graph = Graph(store=SPARQLStore(server.url + "sparql", method=method))
    assert (LUOPU, LABEL, Literal("Luopu County", lang="en")) in graph
    assert graph.query(QUERIES["ASK"]).askAnswer is True
    constructed = Graph()
    for triple in graph.query(QUERIES["CONSTRUCT"]):
        constructed.add(triple)  # type: ignore[arg-type]
    expected = Graph()
    for label in (Literal("Luopu County", lang="en"), Literal("洛浦县", lang="zh")):
        expected.add((LUOPU, LABEL, label))
    assert isomorphic(constructed, expected)
