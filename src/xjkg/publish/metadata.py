"""Dataset metadata computed from the graph and the files of a release: DCAT (DCAT-AP 3.0.1) and VoID.

What never changes (titles of the catalogue and its datasets, keywords, themes, licence, the controlled
vocabularies' concepts) is the Turtle template ``ontology/catalog.ttl`` (:data:`xjkg.core.paths.CATALOG_TEMPLATE`);
the code adds only what is computed: counts and partitions from the graph, sizes and checksums from the
files, the version from :data:`xjkg.__version__`, the publisher and home page from the package metadata,
the period from the figures' reference periods, and each report's title, publisher and rights from the
built graph (which took them from ``report.yaml``). The dates are inputs (the release date, default
today), so that a test, or a rebuilt release, gets the same bytes.

The catalogue holds three datasets (the graph, the ontology, the shapes) and the report they come
from, itself a ``dcat:Dataset`` because DCAT-AP wants ``dct:source`` to point at one. The graph's
``dcat:Dataset`` is also its ``void:Dataset``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from xjkg import __version__
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.namespaces import (
    BASE_ID,
    DCAT,
    DCATAP,
    DCTERMS,
    FOAF,
    GEO,
    ID,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDMX_DIMENSION,
    SPDX,
    VCARD,
    VOID,
    XJKG,
    XSD,
    mint,
    slugify,
)
from xjkg.core.paths import CATALOG_TEMPLATE
from xjkg.core.rdf import CATALOGUE_PREFIXES, MEDIA_TYPES, Prefixes
from xjkg.mapping.corpus import Corpus, open_corpus, report_id_of, report_iri, report_statements

__all__ = [
    "DistributionFile",
    "ReportFacts",
    "VoidStatistics",
    "build_metadata",
    "reports_in",
    "void_statistics",
]


CATALOG = mint("catalog", "xjkg")
DATASETS = {
    "graph": mint("dataset", "xjkg"),
    "ontology": mint("dataset", "xjkg-ontology"),
    "shapes": mint("dataset", "xjkg-shapes"),
}
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; not in rdflib's closed DCAT namespace
DEFAULT_BASE_URL = "https://w3id.org/xjkg/release/latest/"
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
_EU = "http://publications.europa.eu/resource/authority/"
_IANA = "http://www.iana.org/assignments/media-types/"
_ADMS_LICENCE = "http://purl.org/adms/licencetype/"
_ADMS_PUBLISHER = "http://purl.org/adms/publishertype/"
#: media type → EU file-type authority code (``dct:format``).
FILE_TYPES: dict[str, str] = {
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/n-quads": "RDF_N_QUADS",
    "application/trig": "RDF_TRIG",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "text/html": "HTML",
    "text/plain": "TXT",
}
# Xinjiang's extent rounded outward to whole degrees (34 to 50° N, 73 to 97° E); centroid: the box's centre.
_XINJIANG_BBOX = "POLYGON((73 34, 97 34, 97 50, 73 50, 73 34))"
_XINJIANG_CENTROID = "POINT(85 42)"
_CATALOGUE_NAMES = Prefixes(CATALOGUE_PREFIXES)
_REPORT_KEYWORDS = ("poverty alleviation", "Xinjiang")  # the first two of the datasets' (ontology/catalog.ttl)


@dataclass(frozen=True)
class DistributionFile:
    """A file of a release: its path relative to the release folder, the dataset it distributes
    (``graph``, ``ontology`` or ``shapes``) and a one-line description."""

    path: Path
    relpath: str
    dataset: str
    description: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(self.path.suffix, "application/octet-stream")


@dataclass(frozen=True)
class VoidStatistics:
    """The VoID counts of a graph (``void:entities`` counts distinct IRI subjects)."""

    triples: int
    entities: int
    classes: int
    properties: int
    distinct_subjects: int
    distinct_objects: int
    class_partitions: dict[URIRef, int]
    property_partitions: dict[URIRef, int]
    vocabularies: tuple[str, ...]
    examples: tuple[URIRef, ...]


def void_statistics(graph: Graph) -> VoidStatistics:
    """Count what VoID describes.

    >>> from rdflib import Graph, URIRef, RDF
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/xjkg/id/x"), RDF.type, URIRef("https://w3id.org/xjkg/ontology#County")))
    >>> s = void_statistics(g); (s.triples, s.entities, s.classes, s.vocabularies)
    (1, 1, 1, ('http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'https://w3id.org/xjkg/ontology#'))
    """
    subjects: set[Node] = set()
    objects: set[Node] = set()
    predicates: Counter[URIRef] = Counter()
    instances: dict[URIRef, set[Node]] = {}
    for s, p, o in graph:
        subjects.add(s)
        objects.add(o)
        predicates[p] += 1  # type: ignore[index]
        if p == RDF.type and isinstance(o, URIRef):
            instances.setdefault(o, set()).add(s)
    used = set(predicates) | set(instances)
    # the longest known namespace a term starts with; things (``id:``) are not a vocabulary
    found = (_CATALOGUE_NAMES.namespace_of(str(term)) for term in used)
    vocabularies = sorted({ns for ns in found if ns} - {BASE_ID})
    examples: list[URIRef] = sorted(
        (s for s in graph.subjects(RDF.type, XJKG.Report) if isinstance(s, URIRef)), key=str
    )[:1]
    for cls in sorted(c for c in instances if str(c).startswith(str(XJKG))):
        first = min((s for s in instances[cls] if isinstance(s, URIRef)), default=None, key=str)
        if first is not None and first not in examples and len(examples) < 10:
            examples.append(first)
    return VoidStatistics(
        triples=len(graph),
        entities=sum(1 for s in subjects if isinstance(s, URIRef)),
        classes=len(instances),
        properties=len(predicates),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        class_partitions={c: len(v) for c, v in sorted(instances.items())},
        property_partitions=dict(sorted(predicates.items())),
        vocabularies=tuple(vocabularies),
        examples=tuple(examples),
    )


def _package_info() -> tuple[str, str]:
    """(publisher name, home page) from the installed package's metadata."""
    try:
        meta: Any = importlib.metadata.metadata("xjkg")
        author = meta.get("Author") or "xjkg developers"
        homepage = next(
            (u.split(",", 1)[1].strip() for u in meta.get_all("Project-URL") or [] if u.startswith("Homepage")),
            "https://w3id.org/xjkg",
        )
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that is not installed
        author, homepage = "xjkg developers", "https://w3id.org/xjkg"
    return author, homepage


@dataclass(frozen=True)
class ReportFacts:
    """What the built graph says of one report (``xjkg:Report``): read from the graph, never typed here."""

    iri: URIRef
    id: str
    title: Literal
    rights: Literal
    publisher: URIRef
    publisher_names: tuple[Literal, ...]
    sha256: str | None


def reports_in(graph: Graph) -> list[ReportFacts]:
    """Every report of the graph with its title, rights statement and publisher (as ``report.yaml`` gave them).

    >>> from xjkg.build.build import build_graph
    >>> [(r.id, str(r.rights)) for r in reports_in(build_graph())]
    [('iprcc-xinjiang-2009', '版权所有©中国国际扶贫中心 未经许可不得复制')]
    """
    found = []
    for iri in sorted(s for s in graph.subjects(RDF.type, XJKG.Report) if isinstance(s, URIRef)):
        report_id = report_id_of(str(iri))
        title, rights = graph.value(iri, DCTERMS.title), graph.value(iri, DCTERMS.rights)
        publisher = graph.value(iri, DCTERMS.publisher)
        names = tuple(sorted(n for n in graph.objects(publisher, RDFS.label) if isinstance(n, Literal)))
        if report_id is None or not isinstance(title, Literal) or not isinstance(rights, Literal):
            raise XjkgError(
                f"the graph has no title or no rights statement for {iri}: run `xjkg build`", EXIT_BAD_INPUT
            )
        if not isinstance(publisher, URIRef) or not any(n.language == "en" for n in names):
            raise XjkgError(f"the graph has no publisher name in English for {iri}: run `xjkg build`", EXIT_BAD_INPUT)
        digest = graph.value(iri, XJKG.sha256)
        found.append(
            ReportFacts(iri, report_id, title, rights, publisher, names, None if digest is None else str(digest))
        )
    return found


def _period(graph: Graph) -> tuple[date, date]:
    """First and last day covered by the figures' reference periods (``sdmx-dimension:refPeriod``)."""
    days: list[date] = []
    periods = set(graph.objects(None, SDMX_DIMENSION.refPeriod))
    nodes = set(periods)
    for period in periods:  # one hop further: time:hasBeginning / time:hasEnd instants
        nodes |= {o for o in graph.objects(period, None) if not isinstance(o, Literal)}
    for node in nodes:
        for value in graph.objects(node, None):
            if not isinstance(value, Literal):
                continue
            if value.datatype == XSD.gYear and re.fullmatch(r"\d{4}", str(value)):
                days += [date(int(str(value)), 1, 1), date(int(str(value)), 12, 31)]
            elif value.datatype in (XSD.date, XSD.dateTime) and re.match(r"\d{4}-\d\d-\d\d", str(value)):
                days.append(date.fromisoformat(str(value)[:10]))
    if not days:  # a graph with no figures: the report's reference period (data/reports/iprcc-xinjiang-2009/README.md)
        return date(2008, 12, 31), date(2009, 12, 31)
    return min(days), max(days)


@lru_cache(maxsize=1)
def _template() -> Graph:
    """The static part of the catalogue (``ontology/catalog.ttl``), parsed once."""
    return Graph().parse(CATALOG_TEMPLATE, format="turtle")


def _file_facts(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def build_metadata(
    graph: Graph,
    files: Sequence[DistributionFile] = (),
    *,
    base_url: str = DEFAULT_BASE_URL,
    release_date: date | None = None,
    issued: date | None = None,
    endpoint_url: str | None = None,
    landing_page: str | None = None,
    corpus: Corpus | Path | None = None,
) -> Graph:
    """The DCAT catalogue and VoID description of ``graph`` as published in ``files``.

    ``base_url`` is where the release folder is published (download URLs are ``base_url + relpath``);
    ``release_date`` is ``dct:modified`` (default today) and ``issued`` the first release's date
    (default the release date). Every report of the graph is a source dataset with its rights statement,
    read from the graph; ``corpus`` (default: the project's) gives the size and checksum of each report's text
    where the corpus holds it.
    """
    if not re.match(r"^https?://[^\s]+/$", base_url):
        raise XjkgError(f"--base-url {base_url!r}: give an http(s) URL ending with '/'", EXIT_BAD_INPUT)
    modified = release_date or date.today()
    issued = issued or modified
    author, homepage = _package_info()
    reports = reports_in(graph)
    if not reports:
        raise XjkgError("the graph has no report (xjkg:Report): run `xjkg build`", EXIT_BAD_INPUT)
    corpus = corpus if isinstance(corpus, Corpus) else open_corpus(corpus)
    g = Graph(bind_namespaces="none")
    for prefix, namespace in CATALOGUE_PREFIXES.items():
        g.bind(prefix, namespace)
    for triple in _template():
        g.add(triple)

    def typed(node: URIRef, *classes: URIRef) -> URIRef:
        for cls in classes:
            g.add((node, RDF.type, cls))
        return node

    # Publisher and contact (package metadata), rights, places, period and the build activity: computed. The
    # licence, themes, language and the controlled vocabularies' concepts are described by the template.
    publisher = typed(mint("agent", slugify(author)), FOAF.Agent, FOAF.Organization)
    g.add((publisher, FOAF.name, Literal(author)))
    g.add((publisher, FOAF.homepage, typed(URIRef(homepage), FOAF.Document)))
    g.add((publisher, DCTERMS.type, URIRef(_ADMS_PUBLISHER + "NonProfitOrganisation")))
    contact = typed(mint("contact", slugify(author)), VCARD.Kind, VCARD.Organization)
    g.add((contact, VCARD.fn, Literal(author)))
    g.add((contact, VCARD.hasURL, URIRef(homepage)))

    licence = CC_BY_4
    rights_node = mint("rights", "xjkg")
    g.add(
        (
            rights_node,
            RDFS.label,
            Literal(
                "The graph's own statements are licensed CC BY 4.0. Each figure cites a short quotation of "
                "the report it comes from as its provenance; each report's text remains its publisher's ("
                + "; ".join(f"{r.title}: {r.rights}" for r in reports)
                + ").",
                lang="en",
            ),
        )
    )

    places = sorted((s for s in graph.subjects(RDF.type, XJKG.Region) if isinstance(s, URIRef)), key=str) or [
        ID["region/xinjiang"]
    ]
    for place in places:
        typed(place, DCTERMS.Location)
        g.add((place, DCAT.bbox, Literal(_XINJIANG_BBOX, datatype=GEO.wktLiteral)))
        g.add((place, DCAT.centroid, Literal(_XINJIANG_CENTROID, datatype=GEO.wktLiteral)))
    start, end = _period(graph)
    period = typed(mint("period", f"coverage/{start.isoformat()}-to-{end.isoformat()}"), DCTERMS.PeriodOfTime)
    g.add((period, DCAT.startDate, Literal(start)))
    g.add((period, DCAT.endDate, Literal(end)))
    # IRIs the template describes, named here for the reports' datasets and the distributions
    themes = [URIRef(_EU + "data-theme/SOCI"), URIRef(_EU + "data-theme/ECON")]
    english = URIRef(_EU + "language/ENG")
    availability = URIRef(_EU + "planned-availability/STABLE")
    activity = typed(mint("activity", f"build/{slugify(__version__)}"), PROV.Activity)
    g.add((activity, RDFS.label, Literal(f"xjkg build {__version__}", lang="en")))
    software = typed(mint("software", f"xjkg/{slugify(__version__)}"), PROV.SoftwareAgent, PROV.Agent)
    g.add((software, RDFS.label, Literal(f"xjkg {__version__}")))
    g.add((software, OWL.versionInfo, Literal(__version__)))
    g.add((activity, PROV.wasAssociatedWith, software))
    for report in reports:
        g.add((activity, PROV.used, report.iri))

    def common(node: URIRef, title: str, description: str, by: URIRef, contact_point: URIRef) -> None:
        """What a report's dataset says as the release's datasets do (theirs is in the template)."""
        g.add((node, DCTERMS.title, Literal(title, lang="en")))
        g.add((node, DCTERMS.description, Literal(description, lang="en")))
        g.add((node, DCTERMS.publisher, by))
        g.add((node, DCAT.contactPoint, contact_point))
        for keyword in _REPORT_KEYWORDS:
            g.add((node, DCAT.keyword, Literal(keyword, lang="en")))
        for place in places:
            g.add((node, DCTERMS.spatial, place))
        g.add((node, DCTERMS.temporal, period))
        for theme in themes:
            g.add((node, DCAT.theme, theme))
        g.add((node, DCTERMS.language, english))

    # The reports: the sources the datasets are derived from, each a dcat:Dataset with its own rights. Titles,
    # rights and publishers' names are read from the built graph (report.yaml and vocab/), never typed here.
    no_derivatives = URIRef(_ADMS_LICENCE + "NoDerivativeWork")
    for report in reports:
        typed(report.iri, DCAT.Dataset)
        agent = typed(mint("agent", slugify(str(report.publisher).rsplit("/", 1)[-1])), FOAF.Agent, FOAF.Organization)
        for name in report.publisher_names:
            g.add((agent, FOAF.name, name))
        g.add((agent, DCTERMS.type, URIRef(_ADMS_PUBLISHER + "NationalAuthority")))
        agent_contact = typed(
            mint("contact", slugify(str(report.publisher).rsplit("/", 1)[-1])), VCARD.Kind, VCARD.Organization
        )
        g.add((agent_contact, VCARD.fn, next(n for n in report.publisher_names if n.language == "en")))
        g.add((agent_contact, VCARD.hasURL, URIRef(str(report.publisher))))
        common(
            report.iri,
            str(report.title),
            f"The report {report.title!s} ({report.id}), from which the figures attributed to it are read.",
            by=agent,
            contact_point=agent_contact,
        )
        report_licence = typed(mint("licence", f"report/{report.id}"), DCTERMS.LicenseDocument)
        g.add((report_licence, RDFS.label, report.rights))
        g.add(
            (
                report_licence,
                RDFS.label,
                Literal(f"The rights statement of the report, as the report states it: {report.rights}", lang="en"),
            )
        )
        g.add((report_licence, DCTERMS.type, no_derivatives))  # the closest ADMS type; the words are the label
        g.add((report.iri, DCTERMS.rights, typed(mint("rights", f"report/{report.id}"), DCTERMS.RightsStatement)))
        g.add((mint("rights", f"report/{report.id}"), RDFS.label, report.rights))
        g.add((report.iri, DCTERMS.license, report_licence))
        text_file = next((r.source_file for r in corpus.reports if r.id == report.id), None)
        if text_file is not None and text_file.is_file():
            report_copy = typed(mint("distribution", f"report-text/{report.id}"), DCAT.Distribution)
            size, digest = _file_facts(text_file)
            g.add((report.iri, DCAT.distribution, report_copy))
            g.add((report_copy, DCTERMS.title, Literal("The report as received (plain text, UTF-8)", lang="en")))
            g.add(
                (
                    report_copy,
                    DCTERMS.description,
                    Literal(
                        "The text of the report, byte for byte as received, kept in the corpus "
                        f"(reports/{report.id}/); not part of the release.",
                        lang="en",
                    ),
                )
            )
            g.add((report_copy, DCAT.accessURL, URIRef(homepage)))
            _describe_file(g, report_copy, "text/plain", size, digest, report_licence, availability, typed)

    # The catalogue and its datasets: the template gives what does not change, here what is computed.
    g.add(
        (
            CATALOG,
            DCTERMS.description,
            Literal(
                "A release of the xjkg knowledge graph, its ontology and its SHACL shapes, computed by "
                f"xjkg {__version__} from {len(reports)} report(s): " + "; ".join(str(r.title) for r in reports) + ".",
                lang="en",
            ),
        )
    )
    g.add((CATALOG, DCTERMS.publisher, publisher))
    g.add((CATALOG, DCTERMS.issued, Literal(issued)))
    g.add((CATALOG, DCTERMS.modified, Literal(modified)))
    g.add((CATALOG, FOAF.homepage, URIRef(homepage)))
    for place in places:
        g.add((CATALOG, DCTERMS.spatial, place))
    for report in reports:
        g.add((CATALOG, DCAT.dataset, report.iri))

    graph_description = (
        "Every figure of the reports of the corpus (" + "; ".join(str(r.title) for r in reports) + ") as an RDF "
        "Data Cube observation, with the places, organisations, programs and concepts it refers to, each "
        "tied to the span of the report that states it (quote and character offsets); each report's "
        "statements are a VoID subset of the graph (void:subset)."
    )
    g.add((DATASETS["graph"], DCTERMS.description, Literal(graph_description, lang="en")))
    for node in DATASETS.values():
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.contactPoint, contact))
        for place in places:
            g.add((node, DCTERMS.spatial, place))
        g.add((node, DCTERMS.temporal, period))
        for report in reports:
            g.add((node, DCTERMS.source, report.iri))
        g.add((node, PROV.wasGeneratedBy, activity))
        g.add((node, DCAT_VERSION, Literal(__version__)))
        g.add((node, OWL.versionInfo, Literal(__version__)))
        g.add((node, DCTERMS.issued, Literal(issued)))
        g.add((node, DCTERMS.modified, Literal(modified)))
        if landing_page:
            g.add((node, DCAT.landingPage, typed(URIRef(base_url + landing_page), FOAF.Document)))

    for item in sorted(files, key=lambda f: f.relpath):
        if item.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {item.dataset!r} for {item.relpath}")
        node = typed(mint("distribution", slugify(item.relpath)), DCAT.Distribution)
        g.add((DATASETS[item.dataset], DCAT.distribution, node))
        g.add((node, DCTERMS.title, Literal(item.relpath)))
        g.add((node, DCTERMS.description, Literal(item.description, lang="en")))
        g.add((node, DCAT.accessURL, URIRef(base_url)))
        g.add((node, DCAT.downloadURL, URIRef(base_url + item.relpath)))
        g.add((node, DCTERMS.issued, Literal(modified)))
        size, digest = _file_facts(item.path)
        _describe_file(g, node, item.media_type, size, digest, licence, availability, typed)

    # VoID, on the graph's dataset.
    stats = void_statistics(graph)
    dataset = DATASETS["graph"]
    g.add((dataset, VOID.triples, Literal(stats.triples)))
    g.add((dataset, VOID.entities, Literal(stats.entities)))
    g.add((dataset, VOID.classes, Literal(stats.classes)))
    g.add((dataset, VOID.properties, Literal(stats.properties)))
    g.add((dataset, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((dataset, VOID.distinctObjects, Literal(stats.distinct_objects)))
    for vocabulary in stats.vocabularies:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for example in stats.examples:
        g.add((dataset, VOID.exampleResource, example))
    for cls, count in stats.class_partitions.items():
        part = mint("void", f"class/{slugify(g.namespace_manager.normalizeUri(cls))}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in stats.property_partitions.items():
        part = mint("void", f"property/{slugify(g.namespace_manager.normalizeUri(prop))}")
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))
    # Each report's statements as a VoID subset of the graph (the quad exports' named graph report/<id>).
    for report_id, statements in report_statements(graph).items():
        subset = typed(mint("void", f"report/{report_id}"), VOID.Dataset)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, DCTERMS.source, report_iri(report_id)))
        g.add((subset, DCTERMS.title, Literal(f"The statements of report {report_id}", lang="en")))
        g.add((subset, VOID.triples, Literal(len(statements))))
        g.add((subset, VOID.entities, Literal(len({s for s in statements.subjects() if isinstance(s, URIRef)}))))
    for item in files:
        if item.dataset == "graph" and item.media_type in FILE_TYPES:
            g.add((dataset, VOID.dataDump, URIRef(base_url + item.relpath)))
    if endpoint_url:
        g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint_url)))
    return g


def _describe_file(
    g: Graph,
    node: URIRef,
    media_type: str,
    size: int,
    digest: str,
    licence: URIRef,
    availability: URIRef,
    typed,
) -> None:
    """Media type, format, size, checksum, licence and availability of one distribution."""
    g.add((node, DCAT.mediaType, typed(URIRef(_IANA + media_type), DCTERMS.MediaType)))
    if media_type in FILE_TYPES:
        g.add(
            (
                node,
                DCTERMS.format,
                typed(URIRef(_EU + "file-type/" + FILE_TYPES[media_type]), DCTERMS.MediaTypeOrExtent),
            )
        )
    g.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    checksum = typed(URIRef(f"{node}/checksum"), SPDX.Checksum)
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, SPDX.algorithm, typed(SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm)))
    g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCATAP.availability, availability))
