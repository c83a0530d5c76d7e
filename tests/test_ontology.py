"""The OWL ontology: parses strictly, its header is complete, every term is documented, nothing imported."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import xjkg
from xjkg.core import paths
from xjkg.core.namespaces import PREFIXES, XJKG

VANN = "http://purl.org/vocab/vann/"
ONTOLOGY = URIRef("https://w3id.org/xjkg/ontology")
README = paths.ONTOLOGY_FILE.parent / "README.md"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(paths.ONTOLOGY_FILE, format="turtle")


def _ours(onto: Graph) -> list[URIRef]:
    return sorted({s for t in TERM_TYPES for s in onto.subjects(RDF.type, t) if str(s).startswith(str(XJKG))})


def test_parses_strictly_with_pyoxigraph() -> None:
    quads = list(ox.parse(path=str(paths.ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    assert len(quads) > 300


def test_header_is_complete(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"https://w3id.org/xjkg/ontology/{xjkg.__version__}")
    assert str(onto.value(ONTOLOGY, OWL.versionInfo)) == xjkg.__version__
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert onto.value(ONTOLOGY, prop) is not None, prop
    assert onto.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(onto.value(ONTOLOGY, URIRef(VANN + "preferredNamespacePrefix"))) == "xjkg"
    assert str(onto.value(ONTOLOGY, URIRef(VANN + "preferredNamespaceUri"))) == str(XJKG)


def test_no_imports(onto: Graph) -> None:
    assert list(onto.triples((None, OWL.imports, None))) == []


def test_every_term_has_english_label_and_comment(onto: Graph) -> None:
    terms = _ours(onto)
    assert len(terms) > 60
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            values = [v for v in onto.objects(term, prop) if isinstance(v, Literal) and v.language == "en"]
            assert len(values) == 1, f"{term} needs one {prop} in English"


@pytest.mark.parametrize("unit", ["PercentagePoint", "PersonTime"])
def test_units_are_individuals(onto: Graph, unit: str) -> None:
    assert (XJKG[unit], RDF.type, OWL.NamedIndividual) in onto
    assert (XJKG[unit], RDF.type, OWL.Class) not in onto


def _readme_terms() -> set[str]:
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"`?\b([a-z][a-z-]*:[A-Za-z][A-Za-z0-9]*)\b", text))


def test_every_term_the_readme_names_is_defined(onto: Graph) -> None:
    """Our terms are defined; the other vocabularies' terms are declared (typed), never imported."""
    named = _readme_terms()
    ours = {t for t in named if t.startswith("xjkg:")}
    assert len(ours) > 40
    declared = set(onto.subjects())
    skip_prefixes = {"id", "xsd", "rdf", "rdfs", "owl", "https", "http", "sh", "xsh", "dash"}
    missing = []
    for term in sorted(named):
        prefix, local = term.split(":", 1)
        if prefix in skip_prefixes or prefix not in PREFIXES:
            continue
        if URIRef(PREFIXES[prefix] + local) not in declared:
            missing.append(term)
    assert missing == []


def test_every_class_has_a_shape(onto: Graph) -> None:
    shapes = Graph().parse(paths.SHAPES_FILE, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    targeted = set(shapes.objects(None, URIRef(sh + "targetClass")))
    classes = [c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(XJKG))]
    assert classes
    assert [c for c in classes if c not in targeted] == []


def _readme_query() -> str:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sparql\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def test_readme_query_answers_the_work_relief_question() -> None:
    if not paths.GRAPH_FILE.is_file():
        pytest.skip(f"{paths.GRAPH_FILE} is not built yet (run `xjkg build`)")
    store = ox.Store()
    store.load(path=str(paths.GRAPH_FILE), format=ox.RdfFormat.TURTLE)
    rows = list(store.query(_readme_query()))
    assert len(rows) == 1
    amount, unit, quote, number, sentence = (rows[0][i] for i in range(5))
    assert float(amount.value) == 220_000_000
    assert unit.value == "http://qudt.org/vocab/currency/CNY"
    assert quote.value == "220 million Yuan"
    assert "220 million Yuan was work-relief funds" in sentence.value
    assert int(number.value) >= 1
