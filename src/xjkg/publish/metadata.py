"""Dataset metadata computed from the graph and the files of a release: DCAT (DCAT-AP 3.0.1) and VoID.

What never changes (titles of the catalogue and its datasets, keywords, themes, licence, the controlled
vocabularies' concepts) is the Turtle template ``ontology/catalog.ttl`` (:data:`xjkg.core.paths.CATALOG_TEMPLATE`);
the code adds only what is computed: counts and partitions from the graph, sizes and checksums from the
files, the version from :data:`xjkg.__version__`, the publisher and home page from the package metadata,
the period from the figures' reference periods, the catalogue's title and description from the corpus's regions
and years, and each report's title, publisher, region, periods and rights from the built graph and its
``report.yaml``. The dates are inputs (the release date, default today), so that a test, or a rebuilt release,
gets the same bytes.

Licences, file by file: the graph's files, the ontology, the shapes, the documentation and this catalogue are
CC BY 4.0 (they hold no report text beyond a number's own surface and the names of things:
:func:`xjkg.publish.export.split_text`); a report's sentences and quotes (``text/<id>.ttl``, written only by
``xjkg release --include-text``) and its text itself are under the report's own rights, typed from its rights
notice: all rights reserved, as stated, or unknown when the report states none.

The catalogue holds three datasets (the graph, the ontology, the shapes) and the report they come
from, itself a ``dcat:Dataset`` because DCAT-AP wants ``dct:source`` to point at one. The graph's
``dcat:Dataset`` is also its ``void:Dataset``. Given the public SPARQL endpoint, the catalogue lists it as a
``dcat:DataService`` serving the graph (and as the graph's ``void:sparqlEndpoint``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from xjkg import __version__
from xjkg.build.graph_writer import RIGHTS_NOT_STATED
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.namespaces import (
    BASE_ID,
    DCAT,
    DCATAP,
    DCTERMS,
    FOAF,
    ID,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDMX_DIMENSION,
    SKOS,
    SPDX,
    VCARD,
    VOID,
    XJKG,
    XSD,
    mint,
    slugify,
)
from xjkg.core.paths import CATALOG_TEMPLATE
from xjkg.core.phrases import and_joined, year_runs
from xjkg.core.rdf import CATALOGUE_PREFIXES, MEDIA_TYPES, Prefixes
from xjkg.mapping.corpus import Corpus, open_corpus, report_id_of, report_iri, report_statements

__all__ = [
    "DistributionFile",
    "ReportFacts",
    "VoidStatistics",
    "build_metadata",
    "corpus_scope",
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
_CATALOGUE_NAMES = Prefixes(CATALOGUE_PREFIXES)
_SUBJECT = "poverty alleviation"  # what every report of a corpus is about: a keyword of each
#: The kinds of rights a report's text can have (ontology/catalog.ttl describes them, with the words of a notice
#: that reserve every right as the hidden labels of ``all-rights-reserved``).
RIGHTS_TYPES = {kind: mint("rights-type", kind) for kind in ("all-rights-reserved", "as-stated", "unknown")}
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")


@dataclass(frozen=True)
class DistributionFile:
    """A file of a release: its path relative to the release folder, the dataset it distributes
    (``graph``, ``ontology`` or ``shapes``) and a one-line description."""

    path: Path
    relpath: str
    dataset: str  # ``graph``, ``ontology``, ``shapes``, or ``report/<id>`` (that report's text, under its rights)
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
    """What the built graph says of one report (``xjkg:Report``): read from the graph, never typed here.

    ``rights`` is the report's rights notice as it states it (None: it states none); ``periods`` its
    ``dct:temporal`` (the periods of its ``report.yaml``)."""

    iri: URIRef
    id: str
    title: Literal
    rights: Literal | None
    publisher: URIRef
    publisher_names: tuple[Literal, ...]
    sha256: str | None
    periods: tuple[URIRef, ...] = ()

    @property
    def rights_type(self) -> URIRef:
        """All rights reserved, as stated (a notice in other words) or unknown (no notice)."""
        if self.rights is None:
            return RIGHTS_TYPES["unknown"]
        notice = str(self.rights).casefold()
        reserved = (
            str(w).casefold() for w in _template().objects(RIGHTS_TYPES["all-rights-reserved"], SKOS.hiddenLabel)
        )
        return RIGHTS_TYPES["all-rights-reserved" if any(w in notice for w in reserved) else "as-stated"]


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
        if report_id is None or not isinstance(title, Literal):
            raise XjkgError(f"the graph has no title for {iri}: run `xjkg build`", EXIT_BAD_INPUT)
        if not isinstance(publisher, URIRef) or not any(n.language == "en" for n in names):
            raise XjkgError(f"the graph has no publisher name in English for {iri}: run `xjkg build`", EXIT_BAD_INPUT)
        digest = graph.value(iri, XJKG.sha256)
        periods = tuple(sorted(p for p in graph.objects(iri, DCTERMS.temporal) if isinstance(p, URIRef)))
        found.append(
            ReportFacts(
                iri,
                report_id,
                title,
                # the build's words for "no notice" are not a notice
                rights if isinstance(rights, Literal) and str(rights) != RIGHTS_NOT_STATED else None,
                publisher,
                names,
                None if digest is None else str(digest),
                periods,
            )
        )
    return found


def _period(graph: Graph, periods: set[Node] | None = None) -> tuple[date, date] | None:
    """First and last day covered by ``periods`` (default: the figures' reference periods,
    ``sdmx-dimension:refPeriod``)."""
    days: list[date] = []
    periods = set(graph.objects(None, SDMX_DIMENSION.refPeriod)) if periods is None else periods
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
    if not days:  # periods without dates (or none): no period is claimed
        return None
    return min(days), max(days)


@lru_cache(maxsize=1)
def _template() -> Graph:
    """The static part of the catalogue (``ontology/catalog.ttl``), parsed once."""
    return Graph().parse(CATALOG_TEMPLATE, format="turtle")


def _file_facts(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def _years(start: date, end: date) -> str:
    """A period's years as a title says them: ``2009`` or ``2009–2010``."""
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def _year_list(spans: Sequence[tuple[date, date]]) -> str:
    """The years of several periods, as a title says them.

    >>> _year_list([(date(2009, 1, 1), date(2009, 12, 31)), (date(2010, 1, 1), date(2010, 12, 31))])
    '2009–2010'
    """
    return year_runs(y for start, end in spans for y in range(start.year, end.year + 1))


def _english(graph: Graph, node: Node) -> str:
    labels = sorted(o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "en")
    label = labels[0] if labels else None
    if label is None:
        raise XjkgError(f"the graph has no English label for {node.n3()}: run `xjkg build`", EXIT_BAD_INPUT)
    return str(label)


def corpus_scope(graph: Graph, corpus: Corpus | Path | None = None) -> tuple[str, str]:
    """What the corpus is about, as a title says it: its regions (short English names from the graph) and its
    years (of each report's first period in its ``report.yaml``).

    >>> from xjkg.build.build import build_graph
    >>> corpus_scope(build_graph())
    ('Xinjiang', '2009')
    """
    corpus = corpus if isinstance(corpus, Corpus) else open_corpus(corpus)
    infos = {info.id: info for info in corpus.reports}
    reports = [r for r in reports_in(graph) if r.id in infos]
    regions = sorted({_short_name(graph, ID[infos[r.id].region]) for r in reports})
    years = [_period(graph, {ID[infos[r.id].period[0]]}) for r in reports]
    return and_joined(regions) if regions else "", _year_list([y for y in years if y is not None])


def _short_name(graph: Graph, node: Node) -> str:
    """A place's short English name, as the reports call it (its shortest English ``skos:altLabel``), else its
    label; the site's title says the same names."""
    alternatives = sorted(
        (str(o) for o in graph.objects(node, SKOS.altLabel) if isinstance(o, Literal) and o.language in ("en", None)),
        key=lambda name: (len(name), name),
    )
    return alternatives[0] if alternatives else _english(graph, node)


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
    text_included: bool = False,
) -> Graph:
    """The DCAT catalogue and VoID description of ``graph`` as published in ``files``.

    ``base_url`` is where the release folder is published (download URLs are ``base_url + relpath``);
    ``release_date`` is ``dct:modified`` (default today) and ``issued`` the first release's date
    (default the release date). Every report of the graph is a source dataset with its region, periods and
    rights, read from the graph and its ``report.yaml`` in ``corpus`` (default: the project's), which also gives
    the size and checksum of each report's text. ``text_included``: whether the release carries the reports'
    sentences and quotes (``files`` then lists them under ``report/<id>``). ``endpoint_url``: the public SPARQL
    endpoint serving the graph, described as a ``dcat:DataService``.
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
    infos = {info.id: info for info in corpus.reports}
    missing = [r.id for r in reports if r.id not in infos]
    if missing:
        raise XjkgError(
            f"the graph's report(s) {', '.join(missing)} are not in the corpus {corpus.root}: give its --corpus",
            EXIT_BAD_INPUT,
        )
    g = Graph(bind_namespaces="none")
    for prefix, namespace in CATALOGUE_PREFIXES.items():
        g.bind(prefix, namespace)
    regions = {r.id: ID[infos[r.id].region] for r in reports}
    places = sorted(set(regions.values()), key=str)
    template = _template()
    # the template also describes places' extents: only those of the corpus's places are copied
    described = set(template.subjects(RDF.type, DCTERMS.Location))
    for triple in template:
        if triple[0] not in described or triple[0] in places:
            g.add(triple)

    def typed(node: URIRef, *classes: URIRef) -> URIRef:
        for cls in classes:
            g.add((node, RDF.type, cls))
        return node

    def period_of_time(periods: set[Node]) -> tuple[URIRef, date, date] | None:
        found = _period(graph, periods)
        if found is None:
            return None
        start, end = found
        node = typed(mint("period", f"coverage/{start.isoformat()}-to-{end.isoformat()}"), DCTERMS.PeriodOfTime)
        g.add((node, DCAT.startDate, Literal(start)))
        g.add((node, DCAT.endDate, Literal(end)))
        return node, start, end

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
    where_text = (
        "in text/<report id>.ttl beside them, under each report's own rights"
        if text_included
        else "left out of this release (`xjkg release --include-text` adds them, for whoever holds the rights)"
    )
    g.add(
        (
            rights_node,
            RDFS.label,
            Literal(
                "The graph's files, the ontology, the shapes, the documentation and this catalogue are licensed "
                "CC BY 4.0. They hold the facts (figures, entities and their names as the reports give them, links, "
                "character offsets and checksums of the reports) and no report text beyond each number's own "
                f"surface, each report's title and its rights notice. The reports' sentences and quotes are "
                f"{where_text}; each report's "
                "text remains its publisher's ("
                + "; ".join(f"{r.title}: {r.rights if r.rights is not None else 'no rights notice'}" for r in reports)
                + ").",
                lang="en",
            ),
        )
    )

    # Each report's region and periods (its report.yaml); the corpus's are their union.
    for place in places:
        typed(place, DCTERMS.Location)
        g.add((place, RDFS.label, Literal(_english(graph, place), lang="en")))
    coverage = period_of_time(set(graph.objects(None, SDMX_DIMENSION.refPeriod)))
    # the years a report is about: those of the first period of its report.yaml (the others are reference dates)
    years = {r.id: _period(graph, {ID[infos[r.id].period[0]]}) for r in reports}
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

    # The reports: the sources the datasets are derived from, each a dcat:Dataset with its own region, periods and
    # rights. Titles, rights notices, publishers' names and places' labels are read from the built graph
    # (report.yaml and vocab/), never typed here.
    report_licences: dict[str, URIRef] = {}
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
        node = report.iri
        g.add((node, DCTERMS.title, Literal(str(report.title), lang="en")))
        g.add(
            (
                node,
                DCTERMS.description,
                Literal(
                    f"The report {report.title!s} ({report.id}), from which the figures attributed to it are read.",
                    lang="en",
                ),
            )
        )
        g.add((node, DCTERMS.publisher, agent))
        g.add((node, DCAT.contactPoint, agent_contact))
        g.add((node, DCTERMS.spatial, regions[report.id]))
        g.add((node, DCAT.keyword, Literal(_SUBJECT, lang="en")))
        g.add((node, DCAT.keyword, Literal(_english(graph, regions[report.id]), lang="en")))
        span = years[report.id]
        if span is not None:
            g.add((node, DCAT.keyword, Literal(_years(*span), lang="en")))
        own = period_of_time({ID[p] for p in infos[report.id].period})  # its report.yaml's periods
        if own is not None:
            g.add((node, DCTERMS.temporal, own[0]))
        for theme in themes:
            g.add((node, DCAT.theme, theme))
        g.add((node, DCTERMS.language, english))

        # The report's rights, typed as what they are; the notice's own words are the label.
        kind = report.rights_type
        report_licence = typed(mint("licence", f"report/{report.id}"), DCTERMS.LicenseDocument)
        report_licences[report.id] = report_licence
        g.add((report_licence, DCTERMS.type, kind))
        rights = typed(mint("rights", f"report/{report.id}"), DCTERMS.RightsStatement)
        g.add((rights, DCTERMS.type, kind))
        if report.rights is not None:
            for target in (report_licence, rights):
                g.add((target, RDFS.label, report.rights))
            g.add(
                (
                    report_licence,
                    RDFS.comment,
                    Literal(f"The rights notice of the report, as the report states it: {report.rights}", lang="en"),
                )
            )
        else:
            g.add(
                (
                    report_licence,
                    RDFS.label,
                    Literal("Rights unknown: the report states none; ask its publisher before reuse", lang="en"),
                )
            )
        g.add((node, DCTERMS.rights, rights))
        g.add((node, DCTERMS.license, report_licence))
        text_file = infos[report.id].source_file
        if text_file.is_file():
            report_copy = typed(mint("distribution", f"report-text/{report.id}"), DCAT.Distribution)
            size, digest = _file_facts(text_file)
            g.add((node, DCAT.distribution, report_copy))
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

    # The catalogue and its datasets: the template gives what does not change, here what is computed. Title and
    # description name the corpus's regions and years.
    region_names, year_text = corpus_scope(graph, corpus)
    g.add(
        (
            CATALOG,
            DCTERMS.title,
            Literal(f"xjkg: {_SUBJECT} in {region_names}" + (f", {year_text}" if year_text else ""), lang="en"),
        )
    )
    g.add(
        (
            CATALOG,
            DCTERMS.description,
            Literal(
                f"A release of the xjkg knowledge graph of {_SUBJECT} in {region_names}"
                + (f" ({year_text})" if year_text else "")
                + f", its ontology and its SHACL shapes, computed by xjkg {__version__} from {len(reports)} "
                "report(s): " + "; ".join(f"{r.title} ({r.id})" for r in reports) + ".",
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
        "tied to the span of the report that states it (character offsets, and the number as the report writes "
        "it); each report's statements are a VoID subset of the graph (void:subset). The reports' sentences and "
        "quotes are not part of it: they are each report's own, under its rights."
    )
    g.add((DATASETS["graph"], DCTERMS.description, Literal(graph_description, lang="en")))
    for node in DATASETS.values():
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.contactPoint, contact))
        for place in places:
            g.add((node, DCTERMS.spatial, place))
            g.add((node, DCAT.keyword, Literal(_english(graph, place), lang="en")))
        if coverage is not None:
            g.add((node, DCTERMS.temporal, coverage[0]))
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
        if item.dataset.startswith("report/") and item.dataset[len("report/") :] in report_licences:
            owner, terms = report_iri(item.dataset[len("report/") :]), report_licences[item.dataset[len("report/") :]]
        elif item.dataset in DATASETS:
            owner, terms = DATASETS[item.dataset], licence
        else:
            raise ValueError(f"unknown dataset {item.dataset!r} for {item.relpath}")
        node = typed(mint("distribution", slugify(item.relpath)), DCAT.Distribution)
        g.add((owner, DCAT.distribution, node))
        g.add((node, DCTERMS.title, Literal(item.relpath)))
        g.add((node, DCTERMS.description, Literal(item.description, lang="en")))
        g.add((node, DCAT.accessURL, URIRef(base_url)))
        g.add((node, DCAT.downloadURL, URIRef(base_url + item.relpath)))
        g.add((node, DCTERMS.issued, Literal(modified)))
        size, digest = _file_facts(item.path)
        _describe_file(g, node, item.media_type, size, digest, terms, availability, typed)

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
        # The endpoint as DCAT-AP harvesters see it. The data it serves is the operator's built graph, which
        # may hold the reports' text: no licence is claimed for the service itself.
        service = typed(mint("service", "sparql"), DCAT.DataService)
        g.add((CATALOG, DCAT.service, service))
        g.add((service, DCTERMS.title, Literal("xjkg SPARQL endpoint", lang="en")))
        g.add(
            (
                service,
                DCTERMS.description,
                Literal(
                    "A SPARQL 1.1 endpoint serving the graph of this release (the operator's copy may also hold "
                    "the reports' sentences and quotes, under each report's rights).",
                    lang="en",
                ),
            )
        )
        g.add((service, DCAT.endpointURL, URIRef(endpoint_url)))
        g.add((service, DCTERMS.conformsTo, typed(SPARQL_PROTOCOL, DCTERMS.Standard)))
        g.add((service, DCAT.servesDataset, dataset))
        g.add((service, DCTERMS.publisher, publisher))
        g.add((service, DCAT.contactPoint, contact))
        for theme in themes:
            g.add((service, DCAT.theme, theme))
        for keyword in (_SUBJECT, *(_english(graph, place) for place in places)):
            g.add((service, DCAT.keyword, Literal(keyword, lang="en")))
        description = _endpoint_description(endpoint_url)
        if description is not None:
            g.add((service, DCAT.endpointDescription, URIRef(description)))
    return g


def _endpoint_description(endpoint_url: str) -> str | None:
    """Where an endpoint describes itself: ``xjkg serve`` answers SPARQL at ``/sparql`` and describes its API at
    ``/api/openapi.json``; another server's description is not known.

    >>> _endpoint_description("https://example.org/xjkg/sparql")
    'https://example.org/xjkg/api/openapi.json'
    >>> _endpoint_description("https://example.org/query") is None
    True
    """
    found = re.fullmatch(r"(https?://.+/)sparql/?", endpoint_url)
    return found.group(1) + "api/openapi.json" if found else None


def _describe_file(
    g: Graph,
    node: URIRef,
    media_type: str,
    size: int,
    digest: str,
    licence: URIRef,
    availability: URIRef,
    typed: Callable[..., URIRef],
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
