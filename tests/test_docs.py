"""`xjkg docs`: pyLODE + our pages, offline, every label present, everything escaped (issue 5)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg_sample import sample_graph
from xjkg.core.namespaces import OWL, RDF, RDFS, SH
from xjkg.core.paths import ONTOLOGY_FILE
from xjkg.publish.docs import preferred, write_docs
from xjkg.publish.export import read_graph

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
    queries.mkdir(parents=True, exist_ok=True)
    (queries / "evil.rq").write_text(f"#+ summary: a {EVIL} summary\nSELECT * WHERE {{ ?s ?p ?o }}\n")
    shapes = Graph()
    shape = URIRef("https://w3id.org/xjkg/shapes#CountyShape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.message, Literal(f"a county {EVIL}", lang="en")))
    written = write_docs(
        tmp_path / "out", lang, ontology=ontology, shapes=shapes, data=sample_graph(), queries_dir=queries
    )
    return {p.name: p.read_text(encoding="utf-8") for p in written}


@pytest.mark.slow
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


def _heading(index: str, iri: str) -> str:
    """The heading pyLODE gives the term ``iri``: the ``<h3>`` just before its IRI."""
    at = index.index(f"<code>{iri}</code>")
    start = index.rindex("<h3>", 0, at) + len("<h3>")
    return index[start : index.index("<", start)].strip()


@pytest.mark.slow
def test_lang_puts_the_preferred_label_first_and_keeps_the_others(tmp_path: Path, ontology: Graph) -> None:
    place = "https://w3id.org/xjkg/ontology#Place"
    chinese = _write(tmp_path / "zh", ontology, "zh-Hans")["index.html"]
    english = _write(tmp_path / "en", ontology, "en")["index.html"]
    assert _heading(chinese, place) == "地点"  # the term is named in the language asked for
    assert _heading(english, place) == "place"
    assert "place" in chinese and "地点" in english  # and no label is dropped


@pytest.mark.slow
def test_everything_is_escaped(tmp_path: Path, ontology: Graph) -> None:
    evil = Graph() + ontology
    evil.add((URIRef("https://w3id.org/xjkg/ontology#County"), RDFS.comment, Literal(f"comment {EVIL}", lang="en")))
    pages = _write(tmp_path, evil)
    for name, text in pages.items():
        assert EVIL not in text, name
    assert "&lt;script&gt;" in pages["queries.html"] and "&lt;script&gt;" in pages["shapes.html"]


@pytest.mark.slow
def test_docs_are_the_same_bytes_in_two_processes(tmp_path: Path) -> None:
    """Two runs of `xjkg docs` (other hash seeds, so other set orders) write the same bytes: a release's
    checksums change only when its content does."""
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"docs-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "xjkg", "docs", "-o", str(out)], check=True, env=env, timeout=300)
        pages.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert set(pages[0]) == {"index.html", "shapes.html", "queries.html"}
    assert pages[0] == pages[1]
