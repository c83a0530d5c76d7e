"""Computed DCAT/VoID metadata: DCAT-AP 3.0.1 conformance, counts, sizes and checksums (issue 5)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg_sample import sample_graph
from xjkg.core.namespaces import DCAT, DCTERMS, RDF, SH
from xjkg.publish.metadata import DATASETS, RIGHTS_TYPES, SPDX, VOID, build_metadata, reports_in
from xjkg.publish.release import release
from xjkg.validation.validate import validate_graph

BASE = "https://example.org/xjkg/1.0/"
REPORT = URIRef("https://w3id.org/xjkg/id/report/iprcc-xinjiang-2009")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    folder = tmp_path_factory.mktemp("rel") / "release"
    release(
        folder,
        graph=sample_graph(),
        validate=False,
        release_date=date(2024, 5, 1),
        base_url=BASE,
        endpoint_url="https://example.org/sparql",
    )
    return folder, Graph().parse(folder / "catalog.ttl")


@pytest.mark.slow
@pytest.mark.parametrize(
    "files",
    [("shapes.ttl", "shapes_recommended.ttl", "range.ttl"), ("dcat-ap-SHACL.ttl",)],
    ids=["mandatory+recommended+ranges", "combined"],
)
def test_release_metadata_conforms_to_dcat_ap(
    shared: Path, released: tuple[Path, Graph], files: tuple[str, ...]
) -> None:
    shapes = Graph()
    for name in files:
        shapes.parse(shared / "dcat-ap" / name)
    # The combined file names one property shape of dcat:DataService it does not define (pyshacl refuses the
    # whole file then); that dangling reference is dropped, every defined shape is kept.
    for shape, _, prop in list(shapes.triples((None, SH.property, None))):
        if not any(shapes.predicate_objects(prop)):
            shapes.remove((shape, SH.property, prop))
    outcome = validate_graph(released[1], shapes=shapes, ontology=False)
    assert outcome.results == [], "\n".join(
        f"{r.severity} {r.focus_node} {r.path} {r.message}" for r in outcome.results
    )


def test_dcat_ap_check_can_fail(shared: Path) -> None:
    shapes = Graph().parse(shared / "dcat-ap" / "shapes.ttl")
    broken = build_metadata(sample_graph())
    broken.remove((None, DCTERMS.title, None))
    assert not validate_graph(broken, shapes=shapes, ontology=False).conforms


def test_sizes_checksums_and_urls_match_the_files(released: tuple[Path, Graph]) -> None:
    folder, catalog = released
    report_texts = set(catalog.objects(REPORT, DCAT.distribution))  # the text in the corpus, not in the release
    assert len(report_texts) == 1
    distributions = set(catalog.subjects(RDF.type, DCAT.Distribution)) - report_texts
    assert len(distributions) == 7
    for node in distributions:
        url = str(catalog.value(node, DCAT.downloadURL))
        assert url.startswith(BASE)
        data = (folder / url[len(BASE) :]).read_bytes()
        assert int(catalog.value(node, DCAT.byteSize)) == len(data)
        checksum = catalog.value(node, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_void_counts_match_the_graph(released: tuple[Path, Graph]) -> None:
    """The VoID figures against SPARQL COUNTs over the released file, by another engine (pyoxigraph)."""
    folder, catalog = released
    store = ox.Store()
    store.load(path=str(folder / "xjkg.nt"), format=ox.RdfFormat.N_TRIPLES)

    def count(where: str, what: str = "*") -> int:
        [row] = list(store.query(f"SELECT (COUNT({what}) AS ?n) WHERE {{ {where} }}"))
        return int(row["n"].value)

    def grouped(query: str) -> dict[str, int]:
        return {row["key"].value: int(row["n"].value) for row in store.query(query)}

    dataset = DATASETS["graph"]
    counts = {
        VOID.triples: count("?s ?p ?o"),
        VOID.entities: count("?s ?p ?o FILTER(isIRI(?s))", "DISTINCT ?s"),
        VOID.classes: count("?s a ?c", "DISTINCT ?c"),
        VOID.properties: count("?s ?p ?o", "DISTINCT ?p"),
        VOID.distinctSubjects: count("?s ?p ?o", "DISTINCT ?s"),
        VOID.distinctObjects: count("?s ?p ?o", "DISTINCT ?o"),
    }
    assert counts[VOID.triples] > 10 and counts[VOID.classes] > 1  # the graph is there
    for prop, expected in counts.items():
        assert int(catalog.value(dataset, prop)) == expected, prop
    by_class = grouped("SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?key } GROUP BY ?key")
    partitions = {
        str(catalog.value(p, VOID["class"])): int(catalog.value(p, VOID.entities))
        for p in catalog.objects(dataset, VOID.classPartition)
    }
    assert partitions == by_class
    by_property = grouped("SELECT ?key (COUNT(*) AS ?n) WHERE { ?s ?key ?o } GROUP BY ?key")
    partitions = {
        str(catalog.value(p, VOID.property)): int(catalog.value(p, VOID.triples))
        for p in catalog.objects(dataset, VOID.propertyPartition)
    }
    assert partitions == by_property
    assert (dataset, VOID.sparqlEndpoint, URIRef("https://example.org/sparql")) in catalog
    assert (dataset, DCTERMS.modified, Literal(date(2024, 5, 1))) in catalog


def test_the_source_rights_come_from_the_graph() -> None:
    """Each report's rights notice is the one its report.yaml quotes (and the build found in the text), typed as
    what it says: all rights reserved; a report that states none has rights unknown, never a licence."""
    graph = sample_graph()
    rights = graph.value(REPORT, DCTERMS.rights)
    assert [r.rights for r in reports_in(graph)] == [rights]
    metadata = build_metadata(graph)
    licence = metadata.value(REPORT, DCTERMS.license)
    assert (licence, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), rights) in metadata
    assert metadata.value(licence, DCTERMS.type) == RIGHTS_TYPES["all-rights-reserved"]
    assert metadata.value(metadata.value(REPORT, DCTERMS.rights), DCTERMS.type) == RIGHTS_TYPES["all-rights-reserved"]
    assert URIRef("http://purl.org/adms/licencetype/NoDerivativeWork") not in set(metadata.all_nodes())
    graph.remove((REPORT, DCTERMS.rights, None))
    unknown = build_metadata(graph)
    assert unknown.value(unknown.value(REPORT, DCTERMS.license), DCTERMS.type) == RIGHTS_TYPES["unknown"]
    assert unknown.value(unknown.value(REPORT, DCTERMS.rights), DCTERMS.type) == RIGHTS_TYPES["unknown"]
    graph.add((REPORT, DCTERMS.rights, Literal("Free to reuse with attribution.", lang="en")))
    stated = build_metadata(graph)
    assert stated.value(stated.value(REPORT, DCTERMS.license), DCTERMS.type) == RIGHTS_TYPES["as-stated"]


def test_report_title_and_publisher_are_read_from_the_graph() -> None:
    """The source dataset's title and its publisher's names come from the built graph, not from code."""
    from xjkg.core.errors import XjkgError

    graph = sample_graph()
    catalog = build_metadata(graph)
    assert catalog.value(REPORT, DCTERMS.title) == graph.value(REPORT, DCTERMS.title)
    publisher = catalog.value(REPORT, DCTERMS.publisher)
    names = set(catalog.objects(publisher, URIRef("http://xmlns.com/foaf/0.1/name")))
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert names == set(graph.objects(graph.value(REPORT, DCTERMS.publisher), rdfs_label))
    graph.remove((REPORT, DCTERMS.title, None))
    with pytest.raises(XjkgError, match="no title"):
        build_metadata(graph)
