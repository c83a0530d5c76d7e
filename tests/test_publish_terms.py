"""A release says true things about its terms, file by file, and about its corpus; built twice, it is the same.

- Every literal of every file the catalogue licenses CC BY 4.0 is checked against the texts of the reports: once the
  names of things are taken out (rdfs:label, skos:prefLabel, skos:altLabel, dct:title, foaf:name of the graph and
  the ontology: names are facts), no run of report text is longer than the longest number surface of the corpus.
  Notes (rdfs:comment, skos:note, skos:definition: our own words) may name a thing as the report does without
  a label saying so ("the rural minimum living security system"): a run in them may be as long as the longest
  name of the graph, never longer (a sentence is).
- The reports' sentences and quotes are in the release only when asked (``--include-text``), each report's in its
  own file under that report's rights; with the facts they make up the whole built graph.
- On the made-up series corpus (tests/data/series: Gansu and Tibet, 2009 and 2010) the catalogue's title,
  description, places, periods and keywords are the corpus's, nothing names Xinjiang, and the catalogue conforms
  to DCAT-AP 3.0.1 with the endpoint as a ``dcat:DataService``.
- ``xjkg release`` run twice (two processes, other hash seeds) writes the same ``SHA256SUMS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import REPO
from xjkg.build.build import build_graph
from xjkg.build.graph_writer import RIGHTS_NOT_STATED
from xjkg.core.namespaces import DCAT, DCTERMS, FOAF, OA, RDF, RDFS, SH, SKOS, XJKG
from xjkg.core.paths import ONTOLOGY_FILE
from xjkg.mapping.corpus import open_corpus
from xjkg.publish.export import read_graph
from xjkg.publish.metadata import CATALOG, CC_BY_4, DATASETS, RIGHTS_TYPES, build_metadata
from xjkg.publish.release import release
from xjkg.validation.validate import validate_graph

pytestmark = pytest.mark.slow  # each builds a corpus and writes a release

SERIES = REPO / "tests" / "data" / "series"
NAMES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, FOAF.name)
NOTES = (RDFS.comment, SKOS.note, SKOS.definition)
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".trig": "trig"}
ENDPOINT = "https://example.org/xjkg/sparql"
ONTOLOGY = read_graph(ONTOLOGY_FILE)


def _parse(path: Path) -> Graph:
    dataset = Dataset()
    dataset.parse(path, format=FORMATS[path.suffix])
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


class ReportText:
    """The texts of a corpus's reports, and what of them a CC BY file may hold."""

    def __init__(self, corpus: Path, graph: Graph, ontology: Graph) -> None:
        self.texts = [info.text() for info in open_corpus(corpus).reports]
        numbers = [
            str(exact)
            for span in graph.objects(None, XJKG.figureSpan)
            for selector in graph.objects(span, OA.hasSelector)
            for exact in graph.objects(selector, OA.exact)
        ]
        assert numbers, "the graph has no number surfaces: nothing to measure against"
        self.limit = max(len(n) for n in numbers)
        names = {str(o).lower() for g in (graph, ontology) for p in NAMES for o in g.objects(None, p)}
        self.names = sorted(names, key=len, reverse=True)
        self.note_limit = max(len(str(o)) for p in NAMES for o in graph.objects(None, p))
        self.texts_lower = [t.lower() for t in self.texts]
        width = self.limit + 1
        self.grams = {t[i : i + width] for t in self.texts_lower for i in range(len(t) - width + 1)}

    def quoted(self, value: str, note: bool = False) -> str | None:
        """The first run of report text in ``value`` longer than a number's surface (in a note: than a name), names
        taken out."""
        value = value.lower()  # a name written in a sentence starts with a small letter
        for name in self.names:
            if name in value:
                value = value.replace(name, "\x00")
        width = self.limit + 1
        found = next(
            (value[i : i + width] for i in range(len(value) - width + 1) if value[i : i + width] in self.grams), None
        )
        if found is None or not note:
            return found
        width = self.note_limit + 1
        return next(
            (
                value[i : i + width]
                for i in range(len(value) - width + 1)
                if any(value[i : i + width] in t for t in self.texts_lower)
            ),
            None,
        )

    def findings(self, path: Path) -> list[str]:
        graph = _parse(path)
        found = []
        for s, p, o in graph:
            if isinstance(o, Literal):
                run = self.quoted(str(o), note=p in NOTES)
                if run is not None:
                    found.append(f"{path.name}: {s.n3()} {p.n3()} quotes {run!r}")
        return found


def _catalog(folder: Path) -> Graph:
    return Graph().parse(folder / "catalog.ttl")


def _files_under(catalog: Graph, folder: Path, base: str, licence: URIRef) -> list[Path]:
    """The RDF files of the release that the catalogue puts under ``licence``."""
    found = []
    for distribution in catalog.subjects(DCTERMS.license, licence):
        url = catalog.value(distribution, DCAT.downloadURL)
        if url is not None and Path(str(url)).suffix in FORMATS:
            found.append(folder / str(url)[len(base) :])
    return sorted(found)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    """The project's corpus (the real report), released with the defaults: no report text."""
    folder = tmp_path_factory.mktemp("seed") / "release"
    release(folder, release_date=date(2026, 1, 1), base_url="https://example.org/r/")
    return folder, build_graph(None)


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Graph]:
    """The made-up series corpus released with its text (the fixtures' rights holder is ourselves)."""
    root = tmp_path_factory.mktemp("series")
    corpus = root / "corpus"
    shutil.copytree(SERIES, corpus)
    folder = root / "release"
    release(
        folder,
        corpus=corpus,
        release_date=date(2026, 1, 1),
        base_url="https://example.org/r/",
        endpoint_url=ENDPOINT,
        include_text=True,
    )
    return folder, corpus, build_graph(corpus)


def test_the_cc_by_files_hold_no_report_text_of_the_seed_report(seed: tuple[Path, Graph]) -> None:
    folder, graph = seed
    catalog = _catalog(folder)
    files = _files_under(catalog, folder, "https://example.org/r/", CC_BY_4)
    assert {p.name for p in files} >= {"xjkg.ttl", "xjkg.nt", "xjkg.jsonld", "xjkg.trig", "ontology.ttl"}
    text = ReportText(REPO / "data", graph, ONTOLOGY)
    findings = [f for path in [*files, folder / "catalog.ttl"] for f in text.findings(path)]
    assert findings == []
    assert not (folder / "text").exists()


def test_the_check_finds_the_text_the_built_graph_holds(seed: tuple[Path, Graph], tmp_path: Path) -> None:
    """The local built graph keeps the sentences: the same check finds them there (so it can fail)."""
    _, graph = seed
    text = ReportText(REPO / "data", graph, ONTOLOGY)
    assert text.limit == len("1.6649 million square kilometers")  # the longest number surface of the seed report
    local = tmp_path / "built.ttl"
    graph.serialize(local, format="turtle")
    findings = text.findings(local)
    assert len(findings) > 50
    assert any("/sentence/" in f and "oa#exact" in f for f in findings)  # whole sentences
    assert any("/span/" in f and "oa#exact" in f for f in findings)  # the quotes of figures
    assert any("ontology#objective" in f for f in findings)  # objectives quoted from the report


def test_the_text_goes_only_where_asked_under_each_reports_rights(series: tuple[Path, Path, Graph]) -> None:
    folder, corpus, graph = series
    catalog = _catalog(folder)
    reports = [info.id for info in open_corpus(corpus).reports]
    assert sorted(p.name for p in (folder / "text").iterdir()) == [f"{r}.ttl" for r in reports]
    text = ReportText(corpus, graph, ONTOLOGY)
    cc_by = _files_under(catalog, folder, "https://example.org/r/", CC_BY_4)
    assert [f for path in [*cc_by, folder / "catalog.ttl"] for f in text.findings(path)] == []
    union = _parse(folder / "xjkg.nt")
    for report in reports:
        path = folder / "text" / f"{report}.ttl"
        assert path not in cc_by
        assert text.findings(path), f"{path.name} holds no report text"
        iri = URIRef(f"https://w3id.org/xjkg/id/report/{report}")
        distribution = next(d for d in catalog.objects(iri, DCAT.distribution) if str(d).endswith(f"text-{report}-ttl"))
        licence = catalog.value(distribution, DCTERMS.license)
        assert licence == catalog.value(iri, DCTERMS.license)
        assert catalog.value(licence, DCTERMS.type) == RIGHTS_TYPES["all-rights-reserved"]
        union += _parse(path)
    assert isomorphic(union, graph)


def test_readme_and_licence_name_every_file_and_its_terms(series: tuple[Path, Path, Graph]) -> None:
    folder, corpus, _ = series
    readme = (folder / "README.md").read_text(encoding="utf-8")
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    for name in ("xjkg.ttl", "xjkg.nt", "xjkg.jsonld", "xjkg.trig", "ontology.ttl", "shapes.ttl", "catalog.ttl"):
        assert f"`{name}`" in readme
    for info in open_corpus(corpus).reports:
        assert f"`text/{info.id}.ttl`" in readme
        assert f"“{info.rights_quote}”" in readme and f"“{info.rights_quote}”" in licence
    assert "all rights reserved" in readme and "NOT licensed CC BY" in licence


def test_the_catalogue_is_the_corpus_s(series: tuple[Path, Path, Graph]) -> None:
    """Title, description, places, periods and keywords from the series corpus; nothing names Xinjiang."""
    folder, corpus, graph = series
    catalog = _catalog(folder)
    title = str(catalog.value(CATALOG, DCTERMS.title))
    assert title == "xjkg: poverty alleviation in Gansu and Tibet, 2009–2010"
    assert "Gansu and Tibet (2009–2010)" in str(catalog.value(CATALOG, DCTERMS.description))
    for name in ("catalog.ttl", "README.md", "LICENSE"):
        assert "xinjiang" not in (folder / name).read_text(encoding="utf-8").lower(), name
    for info in open_corpus(corpus).reports:
        iri = info.iri
        region = URIRef(f"https://w3id.org/xjkg/id/{info.region}")
        assert set(catalog.objects(iri, DCTERMS.spatial)) == {region}
        year = str(info.period[0]).rsplit("/", 1)[-1]
        keywords = {str(k) for k in catalog.objects(iri, DCAT.keyword)}
        assert keywords == {"poverty alleviation", str(graph.value(region, RDFS.label)), year}
        [period] = catalog.objects(iri, DCTERMS.temporal)
        assert str(catalog.value(period, DCAT.endDate)) == f"{year}-12-31"
    assert set(catalog.objects(DATASETS["graph"], DCTERMS.spatial)) == {
        URIRef("https://w3id.org/xjkg/id/region/gansu"),
        URIRef("https://w3id.org/xjkg/id/region/tibet"),
    }


def test_the_endpoint_is_a_data_service_and_the_catalogue_conforms(
    series: tuple[Path, Path, Graph], shared: Path
) -> None:
    folder, _, _ = series
    catalog = _catalog(folder)
    [service] = catalog.objects(CATALOG, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in catalog
    assert catalog.value(service, DCAT.endpointURL) == URIRef(ENDPOINT)
    assert catalog.value(service, DCAT.servesDataset) == DATASETS["graph"]
    assert catalog.value(service, DCAT.endpointDescription) == URIRef("https://example.org/xjkg/api/openapi.json")
    shapes = Graph()
    for name in ("shapes.ttl", "shapes_recommended.ttl", "range.ttl"):
        shapes.parse(shared / "dcat-ap" / name)
    assert any(shapes.subjects(SH.targetClass, DCAT.DataService))
    outcome = validate_graph(catalog, shapes=shapes, ontology=False)
    # The catalogue template has an extent (dcat:bbox, dcat:centroid: recommended) for Xinjiang only; Gansu and Tibet
    # have none rather than a made-up one. Everything else must conform.
    no_extent = {
        (URIRef(f"https://w3id.org/xjkg/id/region/{place}"), f"<{DCAT}{prop}>")
        for place in ("gansu", "tibet")
        for prop in ("bbox", "centroid")
    }
    assert {(r.focus_node, r.path) for r in outcome.results if r.severity == "Warning"} <= no_extent
    others = [r for r in outcome.results if (r.focus_node, r.path) not in no_extent]
    assert others == [], "\n".join(f"{r.severity} {r.focus_node} {r.path} {r.message}" for r in outcome.results)


def test_release_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """`xjkg release` of the same corpus on the same date, in two processes with other hash seeds."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SERIES, corpus)
    sums = []
    for seed in ("1", "2"):
        folder = tmp_path / f"release-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "xjkg", "release", str(folder), "--corpus", str(corpus)]
        subprocess.run([*command, "--date", "2026-01-01", "--include-text"], check=True, env=env, timeout=600)
        sums.append((folder / "SHA256SUMS").read_bytes())
    assert b"docs/index.html" in sums[0] and b"text/tibet-2010.ttl" in sums[0]
    assert sums[0] == sums[1]


def test_a_report_without_a_rights_notice_has_rights_unknown(tmp_path: Path) -> None:
    """`rights_quote: null`: the graph states no rights for the report, the catalogue types them unknown."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SERIES, corpus)
    settings = corpus / "reports" / "gansu-2009" / "report.yaml"
    text = settings.read_text(encoding="utf-8")
    quote = open_corpus(corpus).report("gansu-2009").rights_quote
    assert quote is not None and text.count(f'rights_quote: "{quote}"') == 1
    settings.write_text(text.replace(f'rights_quote: "{quote}"', "rights_quote: null"), encoding="utf-8")
    graph = build_graph(corpus)
    report = URIRef("https://w3id.org/xjkg/id/report/gansu-2009")
    assert str(graph.value(report, DCTERMS.rights)) == RIGHTS_NOT_STATED
    catalog = build_metadata(graph, corpus=corpus)
    licence = catalog.value(report, DCTERMS.license)
    assert catalog.value(licence, DCTERMS.type) == RIGHTS_TYPES["unknown"]
    assert "Rights unknown" in str(catalog.value(licence, RDFS.label))
    other = catalog.value(URIRef("https://w3id.org/xjkg/id/report/tibet-2009"), DCTERMS.license)
    assert catalog.value(other, DCTERMS.type) == RIGHTS_TYPES["all-rights-reserved"]
