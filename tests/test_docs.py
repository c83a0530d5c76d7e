"""`xjkg docs`: pyLODE + our pages, offline, every label present, everything escaped (issue 5)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg_sample import sample_graph
from xjkg.docs import preferred, write_docs
from xjkg.export import read_graph
from xjkg.namespaces import OWL, RDF, RDFS, SH
from xjkg.paths import ONTOLOGY_FILE

EVIL = "<script>alert(1)</script>"


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("the documentation tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return read_graph(ONTOLOGY_FILE)


def _write(tmp_path: Path, ontology: Graph, lang: str = "en") -> dict[str, str]:
    queries = tmp_path / "queries"
    queries.mkdir(exist_ok=True)
    (queries / "evil.rq").write_text(f"#+ summary: a {EVIL} summary\nSELECT * WHERE {{ ?s ?p ?o }}\n")
    shapes = Graph()
    shape = URIRef("https://w3id.org/xjkg/shapes#CountyShape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.message, Literal(f"a county {EVIL}", lang="en")))
    written = write_docs(
        tmp_path / "out", lang, ontology=ontology, shapes=shapes, data=sample_graph(), queries_dir=queries
    )
    return {p.name: p.read_text(encoding="utf-8") for p in written}


def test_docs_are_written_offline_with_every_label(tmp_path: Path, ontology: Graph, no_network: None) -> None:
    pages = _write(tmp_path, ontology)
    assert set(pages) == {"index.html", "shapes.html", "queries.html"}
    terms = [
        s
        for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, k)
        if str(s).startswith("https://w3id.org/xjkg/ontology#")
    ]
    assert len(terms) > 20
    for term in terms:
        label = preferred(ontology.objects(term, RDFS.label), "en")
        assert label is not None and str(label) in pages["index.html"], term
    assert "Luopu County — https://w3id.org/xjkg/id/county/luopu" in pages["index.html"]  # an example


def test_lang_puts_the_preferred_label_first_and_keeps_the_others(tmp_path: Path, ontology: Graph) -> None:
    index = _write(tmp_path, ontology, "zh-Hans")["index.html"]
    assert "地点" in index and "place" in index


def test_everything_is_escaped(tmp_path: Path, ontology: Graph) -> None:
    evil = Graph() + ontology
    evil.add((URIRef("https://w3id.org/xjkg/ontology#County"), RDFS.comment, Literal(f"comment {EVIL}", lang="en")))
    pages = _write(tmp_path, evil)
    for name, text in pages.items():
        assert EVIL not in text, name
    assert "&lt;script&gt;" in pages["queries.html"] and "&lt;script&gt;" in pages["shapes.html"]
