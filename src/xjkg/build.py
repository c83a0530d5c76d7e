"""The build: report + mapping + ontology → the graph, written to ``data/xjkg.ttl``.

Every figure's value comes from :mod:`xjkg.extract` (read from the text), every reported statement
carries the span of the report that states it (Web Annotation selectors, character offsets), and a
value we compute is a separate :class:`xjkg:DerivedFigure` naming its inputs. The output is
deterministic (two builds give the same bytes), written atomically, and refused if it does not
conform to the shapes.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from . import __version__
from .atomic import atomic_write_bytes, exclusive_lock
from .errors import EXIT_NOT_CONFORMING, EXIT_OK, XjkgError
from .mapping import FORMULAS, Mapping, Resolved, Span, Where, load_mapping, resolve
from .namespaces import (
    CUR,
    DCTERMS,
    ID,
    OA,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    UNIT,
    XJKG,
    XSD,
)
from .paths import GRAPH_FILE, MAPPING_DIR, ONTOLOGY_FILE
from .progress import stage

__all__ = ["BuildResult", "build", "build_graph", "configure_build", "run_build", "serialize"]

log = logging.getLogger(__name__)

#: The unit IRI and datatype of each unit code of the extractor.
UNITS: dict[str, tuple[URIRef, URIRef]] = {
    "CNY": (CUR.CNY, XSD.decimal),
    "KM2": (UNIT.KiloM2, XSD.decimal),
    "PERCENT": (UNIT.PERCENT, XSD.decimal),
    "PERCENTAGE_POINT": (XJKG.PercentagePoint, XSD.decimal),
    "PERSON_TIME": (XJKG.PersonTime, XSD.integer),
    "COUNT": (UNIT.NUM, XSD.integer),
}
#: Concept classes and the scheme each one's concepts belong to.
SCHEMES: dict[URIRef, tuple[str, str]] = {
    XJKG.Indicator: ("scheme/indicators", "Indicators"),
    XJKG.FundType: ("scheme/fund-types", "Fund types"),
    XJKG.ProgramType: ("scheme/program-types", "Program types"),
    XJKG.BeneficiaryGroup: ("scheme/beneficiary-groups", "Beneficiary groups"),
    XJKG.Designation: ("scheme/designations", "Designations"),
}
#: Classes from other vocabularies that a query without inference expects to find asserted.
_EXTERNAL_SUPERCLASSES = {QB.Observation, SKOS.Concept, ORG.Organization, ORG.FormalOrganization, PROV.Activity}
DATASET_REPORTED = ID["dataset/reported"]
DATASET_DERIVED = ID["dataset/derived"]
STRUCTURE = ID["structure/figures"]
CONTEXT_CHARS = 32  # prefix/suffix length of a TextQuoteSelector


@dataclass
class BuildResult:
    """What a build made: the graph and the figures to print."""

    graph: Graph
    resolved: Resolved
    counts: Counter[str] = field(default_factory=Counter)
    validation: Any = None


def _curie(value: str, where: Where) -> URIRef:
    """``xjkg:County`` → IRI; ``county/luopu`` (no colon) → ``https://w3id.org/xjkg/id/county/luopu``."""
    if ":" not in value:
        return ID[value]
    prefix, local = value.split(":", 1)
    if prefix not in PREFIXES:
        raise XjkgError(f"{where}: unknown prefix {prefix!r} in {value!r}; known: {', '.join(sorted(PREFIXES))}")
    return URIRef(PREFIXES[prefix] + local)


def _typed(value: Any, where: Where) -> Literal:
    """A literal from the mapping: ``"2009^^xsd:gYear"``, a bool, a number, or plain text (English)."""
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, str) and "^^" in value:
        text, datatype = value.rsplit("^^", 1)
        return Literal(text, datatype=_curie(datatype, where))
    if isinstance(value, str):
        return Literal(value, lang="en")
    raise XjkgError(f"{where}: cannot make a literal of {value!r}; write 'text' or 'value^^xsd:type'")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def canonical_decimal(value: Decimal) -> str:
    """The XSD canonical form of a decimal, so that every writer and reader keeps the same lexical form.

    >>> canonical_decimal(Decimal("5000000")), canonical_decimal(Decimal("2050.00")), canonical_decimal(Decimal("45.2"))
    ('5000000.0', '2050.0', '45.2')
    """
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


class _Builder:
    def __init__(self, resolved: Resolved, ontology: Graph) -> None:
        self.r = resolved
        self.report = resolved.report
        self.settings = resolved.mapping.settings
        self.g = Graph()
        for prefix, namespace in PREFIXES.items():
            self.g.bind(prefix, namespace, override=True, replace=True)
        self.ontology = ontology
        self.known_ids: set[str] = {e.id for e in resolved.mapping.entities}
        self.labels: dict[str, str] = {e.id: e.fields["label"] for e in resolved.mapping.entities}
        self.report_iri = ID[self.settings["report"]["id"]]
        self.defaults: dict[str, str] = self.settings.get("defaults", {})

    # -- helpers -------------------------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    def ref(self, value: str, where: Where) -> URIRef:
        """A link to a thing the mapping defines (checked), or a CURIE of another vocabulary."""
        if ":" not in value and value not in self.known_ids:
            raise XjkgError(f"{where}: refers to {value!r}, which no entity of the mapping defines")
        return _curie(value, where)

    def figure_ref(self, value: str, where: Where) -> URIRef:
        if value not in self.r.figures and value not in {d.id for d in self.r.mapping.derived}:
            raise XjkgError(f"{where}: refers to figure {value!r}, which the mapping does not define")
        return ID[f"figure/{value}"]

    def supertypes(self, cls: URIRef) -> set[URIRef]:
        """The class and its superclasses from the ontology, kept to ours and a few a query expects."""
        found = {cls}
        for sup in self.ontology.transitive_objects(cls, RDFS.subClassOf):
            if isinstance(sup, URIRef) and (str(sup).startswith(str(XJKG)) or sup in _EXTERNAL_SUPERCLASSES):
                found.add(sup)
        return found

    def typed(self, node: URIRef, cls: URIRef) -> None:
        for t in sorted(self.supertypes(cls)):
            self.add(node, RDF.type, t)

    def span(self, start: int, end: int) -> URIRef:
        """The span ``[start, end)`` of the report, with quote and position selectors and its sentence."""
        node = ID[f"span/{start}-{end}"]
        if (node, RDF.type, XJKG.ReportSpan) in self.g:
            return node
        self._selectors(node, start, end, XJKG.ReportSpan)
        if start < self.report.body_end:  # the footer is not body: it has no sentences
            self.add(node, XJKG.inSentence, self.sentence(self.report.sentence_at(start).number))
        return node

    def sentence(self, number: int) -> URIRef:
        node = ID[f"sentence/{number}"]
        if (node, RDF.type, XJKG.Sentence) not in self.g:
            sentence = self.report.sentences[number - 1]
            self._selectors(node, sentence.start, sentence.end, XJKG.Sentence)
            self.add(node, XJKG.sentenceNumber, Literal(number))
            if sentence.section:
                self.add(node, XJKG.section, Literal(sentence.section, lang="en"))
        return node

    def _selectors(self, node: URIRef, start: int, end: int, cls: URIRef) -> None:
        text = self.report.text
        self.typed(node, cls)
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.report_iri)
        quote = URIRef(f"{node}/quote")
        position = URIRef(f"{node}/position")
        self.add(node, OA.hasSelector, quote)
        self.add(node, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(text[start:end]))
        self.add(quote, OA.prefix, Literal(text[max(0, start - CONTEXT_CHARS) : start]))
        self.add(quote, OA.suffix, Literal(text[end : end + CONTEXT_CHARS]))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start))
        self.add(position, OA.end, Literal(end))

    def provenance(self, node: URIRef, spans: list[Span]) -> None:
        for span in spans:
            self.add(node, PROV.wasDerivedFrom, self.span(span.start, span.end))

    # -- the parts -----------------------------------------------------------------------------------------
    def report_node(self) -> None:
        meta = self.settings["report"]
        where = Where(MAPPING_DIR / "report.yaml", 0, "report")
        node = self.report_iri
        self.typed(node, XJKG.Report)
        self.add(node, DCTERMS.title, Literal(meta["title"], lang="en"))
        self.add(node, RDFS.label, Literal(meta["title"], lang="en"))
        if "title_zh" in meta:
            self.add(node, DCTERMS.title, Literal(meta["title_zh"], lang="zh-Hans"))
        self.add(node, DCTERMS.publisher, self.ref(meta["publisher"], where))
        self.add(node, DCTERMS.language, Literal(meta["language"]))
        for period in _as_list(meta["period"]):
            self.add(node, DCTERMS.temporal, self.ref(period, where))
        self.add(node, XJKG.sha256, Literal(self.report.sha256))
        self.add(node, XJKG.characterCount, Literal(len(self.report.text)))
        self.add(node, XJKG.bodyCharacterCount, Literal(self.report.body_end))
        rights = meta["rights_quote"]
        span = _locate_anywhere(self.report.text, rights, where)
        self.add(node, DCTERMS.rights, Literal(rights, lang="zh-Hans"))
        self.add(node, XJKG.rightsSpan, self.span(span.start, span.end))
        self.add(node, PROV.wasAttributedTo, self.ref(meta["publisher"], where))
        title_span = _locate_anywhere(self.report.text, meta["title"], where)
        self.add(node, PROV.wasDerivedFrom, self.span(title_span.start, title_span.end))

    def entity(self, ent: Any) -> None:
        f, where = ent.fields, ent.where
        node = ID[ent.id]
        classes = [_curie(t, where) for t in _as_list(f["type"])]
        for cls in classes:
            self.typed(node, cls)
        self.add(node, RDFS.label, Literal(f["label"], lang="en"))
        if "label_zh" in f:
            self.add(node, RDFS.label, Literal(f["label_zh"], lang="zh-Hans"))
        for alt in _as_list(f.get("alt_labels", [])):
            self.add(node, SKOS.altLabel, Literal(alt, lang="en"))
        if "comment" in f:
            self.add(node, RDFS.comment, Literal(f["comment"], lang="en"))
        concept_classes = [c for c in classes if c in SCHEMES]
        for cls in concept_classes:
            scheme_id, _ = SCHEMES[cls]
            self.add(node, SKOS.inScheme, ID[scheme_id])
            self.add(node, SKOS.prefLabel, Literal(f["label"], lang="en"))
            if "label_zh" in f:
                self.add(node, SKOS.prefLabel, Literal(f["label_zh"], lang="zh-Hans"))
            if "broader" not in f:
                self.add(ID[scheme_id], SKOS.hasTopConcept, node)
        for broader in _as_list(f.get("broader", [])):
            self.add(node, SKOS.broader, self.ref(broader, where))
        if "code" in f:
            self.add(node, XJKG.divisionCode, Literal(str(f["code"])))
        if "reference" in f:
            self.add(node, DCTERMS.source, self.ref(f["reference"], where))
        for parent in _as_list(f.get("part_of", [])):
            self.add(node, self._part_of_property(classes), self.ref(parent, where))
        for same in _as_list(f.get("same_as", [])):
            self.add(node, OWL.sameAs, _curie(same, where))
        for match in _as_list(f.get("close_match", [])):
            self.add(node, SKOS.closeMatch, _curie(match, where))
        for predicate, values in (f.get("links") or {}).items():
            for value in _as_list(values):
                self.add(node, _curie(predicate, where), self.ref(value, where))
        for predicate, values in (f.get("texts") or {}).items():
            for value in _as_list(values):
                self.add(node, _curie(predicate, where), Literal(value, lang="en"))
        for predicate, values in (f.get("data") or {}).items():
            for value in _as_list(values):
                self.add(node, _curie(predicate, where), _typed(value, where))
        self.provenance(node, self.r.entity_spans.get(ent.id, []))
        if self.r.entity_spans.get(ent.id):
            self.add(node, PROV.wasAttributedTo, self.report_iri)

    def _part_of_property(self, classes: list[URIRef]) -> URIRef:
        supers = set().union(*(self.supertypes(c) for c in classes))
        if XJKG.Program in supers:
            return XJKG.subProgramOf
        if ORG.Organization in supers or XJKG.OrganisationGroup in supers:
            return ORG.subOrganizationOf
        return XJKG.partOf

    def figure(self, fid: str) -> None:
        mapped = self.r.figures[fid]
        f, where, mention = mapped.figure.fields, mapped.figure.where, mapped.mention
        node = ID[f"figure/{fid}"]
        self.typed(node, _curie(f"xjkg:{f['type']}", where))
        self.typed(node, XJKG.ReportedFigure)
        self.add(node, QB.dataSet, DATASET_REPORTED)
        unit, datatype = UNITS[mention.unit]
        if datatype == XSD.integer and mention.value != mention.value.to_integral_value():
            raise XjkgError(f"{where}: a count must be a whole number, the text says {mention.text!r}")
        value = str(int(mention.value)) if datatype == XSD.integer else canonical_decimal(mention.value)
        self.add(node, SDMX_MEASURE.obsValue, Literal(value, datatype=datatype))
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, unit)
        self.add(node, XJKG.indicator, self.ref(f["indicator"], where))
        self.add(node, SDMX_DIMENSION.refArea, self.ref(f.get("area", self.defaults["area"]), where))
        self.add(node, SDMX_DIMENSION.refPeriod, self.ref(f.get("period", self.defaults["period"]), where))
        links = {
            "program": XJKG.program,
            "fund_type": XJKG.fundType,
            "funder": XJKG.funder,
            "beneficiary": XJKG.beneficiaryGroup,
            "designation": XJKG.designation,
        }
        for key, predicate in links.items():
            for value in _as_list(f.get(key, [])):
                self.add(node, predicate, self.ref(value, where))
        if "purpose" in f:
            quote_text = self.report.text[mapped.quote.start : mapped.quote.end]
            if f["purpose"] not in quote_text:
                raise XjkgError(f"{where}: the purpose must be quoted from the entry's quote: {f['purpose']!r}")
            self.add(node, XJKG.purpose, Literal(f["purpose"], lang="en"))
        if "component_of" in f:
            self.add(node, XJKG.componentOf, self.figure_ref(f["component_of"], where))
        if "exhaustive" in f:
            self.add(node, XJKG.exhaustive, Literal(bool(f["exhaustive"])))
        if "share_of" in f:
            self.add(node, XJKG.sharePart, self.figure_ref(f["share_of"]["part"], where))
            self.add(node, XJKG.shareWhole, self.figure_ref(f["share_of"]["whole"], where))
        if "restates" in f:
            self.add(node, XJKG.restates, self.figure_ref(f["restates"], where))
        if "note" in f:
            self.add(node, RDFS.comment, Literal(f["note"], lang="en"))
        if mention.qualifier:
            self.add(node, XJKG.qualifier, Literal(mention.qualifier, lang="en"))
        label = f"{mention.text} — {self.labels.get(f['indicator'], f['indicator'])}"
        self.add(node, RDFS.label, Literal(label, lang="en"))
        self.add(node, PROV.wasDerivedFrom, self.span(mapped.quote.start, mapped.quote.end))
        self.add(node, XJKG.figureSpan, self.span(mention.start, mention.end))
        self.add(node, PROV.wasAttributedTo, self.report_iri)

    def derived(self, d: Any) -> None:
        f, where = d.fields, d.where
        node = ID[f"figure/{d.id}"]
        inputs = [self.figure_ref(i, where) for i in f["inputs"]]
        values = []
        for i in f["inputs"]:
            if i not in self.r.figures:
                raise XjkgError(f"{where}: input {i!r} must be a reported figure")
            values.append(self.r.figures[i].mention.value)
        formula = f["formula"]
        if formula == "sum":
            value = sum(values, Decimal(0))
        elif len(values) != 2:
            raise XjkgError(f"{where}: formula {formula!r} takes two inputs, a and b")
        elif formula == "ratio":
            value = values[0] / values[1]
        else:
            value = values[0] / values[1] * 100
        places = Decimal(1).scaleb(-int(f.get("decimals", 2)))
        value = value.quantize(places, rounding=ROUND_HALF_EVEN)
        first = self.r.figures[f["inputs"][0]]
        unit_code = f.get("unit", "PERCENT" if formula == "share" else first.mention.unit)
        unit, _ = UNITS[unit_code]
        self.typed(node, XJKG.DerivedFigure)
        self.add(node, QB.dataSet, DATASET_DERIVED)
        self.add(node, SDMX_MEASURE.obsValue, Literal(canonical_decimal(value), datatype=XSD.decimal))
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, unit)
        self.add(node, XJKG.indicator, self.ref(f["indicator"], where))
        first_node = ID[f"figure/{f['inputs'][0]}"]
        for predicate in (SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, XJKG.program):
            for obj in self.g.objects(first_node, predicate):
                self.add(node, predicate, obj)
        for source in inputs:
            self.add(node, PROV.wasDerivedFrom, source)
        self.add(node, XJKG.derivation, Literal(FORMULAS[formula]))
        if formula in ("ratio", "share"):
            self.add(node, XJKG.numerator, inputs[0])
            self.add(node, XJKG.denominator, inputs[1])
        if "derived_for" in f:
            self.add(node, XJKG.derivedFor, self.figure_ref(f["derived_for"], where))
        label = f.get("label") or f"{self.labels.get(f['indicator'], f['indicator'])} (derived)"
        self.add(node, RDFS.label, Literal(label, lang="en"))
        if "note" in f:
            self.add(node, RDFS.comment, Literal(f["note"], lang="en"))

    def structure(self) -> None:
        """The Data Cube data sets and their structure: dimensions, measure, attributes."""
        for dataset, label in ((DATASET_REPORTED, "Figures stated by the report"),
                               (DATASET_DERIVED, "Figures computed from the report's figures")):  # fmt: skip
            self.add(dataset, RDF.type, QB.DataSet)
            self.add(dataset, RDFS.label, Literal(label, lang="en"))
            self.add(dataset, QB.structure, STRUCTURE)
            self.add(dataset, DCTERMS.source, self.report_iri)
        self.add(STRUCTURE, RDF.type, QB.DataStructureDefinition)
        self.add(STRUCTURE, RDFS.label, Literal("Structure of xjkg figures", lang="en"))
        components = [
            ("dimension", XJKG.indicator, True),
            ("dimension", SDMX_DIMENSION.refArea, True),
            ("dimension", SDMX_DIMENSION.refPeriod, True),
            ("measure", SDMX_MEASURE.obsValue, True),
            ("attribute", SDMX_ATTRIBUTE.unitMeasure, True),
            ("attribute", XJKG.program, False),
            ("attribute", XJKG.fundType, False),
            ("attribute", XJKG.funder, False),
            ("attribute", XJKG.beneficiaryGroup, False),
            ("attribute", XJKG.designation, False),
            ("attribute", XJKG.qualifier, False),
        ]
        for order, (kind, prop, required) in enumerate(components, start=1):
            spec = ID[f"structure/figures/{kind}/{prop.split('#')[-1].split('/')[-1]}"]
            self.add(STRUCTURE, QB.component, spec)
            self.add(spec, RDF.type, QB.ComponentSpecification)
            self.add(spec, QB[kind], prop)
            self.add(spec, QB.order, Literal(order))
            if kind == "attribute":
                self.add(spec, QB.componentRequired, Literal(required))
        for scheme_id, label in SCHEMES.values():
            scheme = ID[scheme_id]
            self.add(scheme, RDF.type, SKOS.ConceptScheme)
            self.add(scheme, RDFS.label, Literal(label, lang="en"))
            self.add(scheme, SKOS.prefLabel, Literal(label, lang="en"))
            self.add(scheme, DCTERMS.source, self.report_iri)


def _locate_anywhere(text: str, quote: str, where: Where) -> Span:
    if text.count(quote) != 1:
        raise XjkgError(f"{where}: {quote!r} must stand exactly once in the report")
    start = text.index(quote)
    return Span(start, start + len(quote))


def _load_ontology() -> Graph:
    ontology = Graph()
    try:
        ontology.parse(ONTOLOGY_FILE, format="turtle")
    except FileNotFoundError:
        raise XjkgError(f"{ONTOLOGY_FILE}: the ontology is missing") from None
    return ontology


def build(mapping_dir: Path = MAPPING_DIR) -> BuildResult:
    """Read the mapping and the report and make the graph (nothing is written).

    >>> result = build()
    >>> result.counts["unmapped"]
    0
    """
    mapping: Mapping = load_mapping(mapping_dir)
    resolved = resolve(mapping, mapping_dir)
    builder = _Builder(resolved, _load_ontology())
    builder.report_node()
    builder.structure()
    for ent in mapping.entities:
        builder.entity(ent)
    for fid in resolved.figures:
        builder.figure(fid)
    for d in mapping.derived:
        builder.derived(d)
    if any(isinstance(term, BNode) for triple in builder.g for term in triple):
        raise XjkgError("the build made a blank node; every node of the graph must have an IRI")
    counts: Counter[str] = Counter()
    for _, status, _ in resolved.coverage():
        counts[status] += 1
    result = BuildResult(builder.g, resolved, counts)
    if counts["unmapped"]:
        missing = [m for m, status, _ in resolved.coverage() if status == "unmapped"]
        listed = "; ".join(f"{m.text!r} at line {resolved.report.line_of(m.start)}" for m in missing[:10])
        raise XjkgError(
            f"{len(missing)} quantities of the report are neither mapped nor excluded: {listed} "
            "(see `xjkg coverage --unmapped`)"
        )
    return result


def build_graph() -> Graph:
    """The data graph, built in memory from the report and the mapping."""
    return build().graph


HEADER = (
    "# Generated by `xjkg build` (xjkg {version}) from data/source/ and data/mapping/: do not edit by hand.\n"
    "# Every figure's value is read from the report text; every statement cites its span of the report.\n"
)


def serialize(graph: Graph) -> bytes:
    """Deterministic Turtle: sorted by rdflib's writer, prefixes fixed, a generated-file header.

    >>> from rdflib import Graph
    >>> serialize(Graph()).startswith(b"# Generated by")
    True
    """
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    graph.namespace_manager = manager
    body = graph.serialize(format="turtle", encoding="utf-8")
    return HEADER.format(version=__version__).encode() + body


def configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, default=GRAPH_FILE, help="where to write the graph (%(default)s)")
    parser.add_argument("--check", action="store_true", help="build and validate, write nothing")


def run_build(args: argparse.Namespace) -> int:
    output: Path = args.output
    with exclusive_lock(output, "build"):
        with stage("xjkg build: mapping the report"):
            result = build()
        with stage("xjkg build: validating"):
            outcome = _validate(result.graph)
        data = serialize(result.graph)
        changed = not output.is_file() or output.read_bytes() != data
        if not args.check and outcome.conforms:
            atomic_write_bytes(output, data)
    _print_summary(result, outcome, output, changed, args.check)
    return EXIT_OK if outcome.conforms else EXIT_NOT_CONFORMING


def _validate(graph: Graph) -> Any:
    from .validate import validate_graph  # pyshacl is slow to import: only when we validate

    return validate_graph(graph)


def _print_summary(result: BuildResult, outcome: Any, output: Path, changed: bool, check: bool) -> None:
    g = result.graph
    by_class = Counter(o for o in g.objects(None, RDF.type) if str(o).startswith(str(XJKG)))
    out = sys.stdout
    print(f"xjkg build {__version__}: {len(g)} triples from {result.resolved.report.path.name}", file=out)
    print("entities by class:", file=out)
    for cls, count in sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:5d}  xjkg:{str(cls).split('#')[-1]}", file=out)
    c = result.counts
    total = sum(c.values())
    print(
        f"coverage: {total} numbers in the body: {c['figure']} figures, {c['entity']} identify entities, "
        f"{c['excluded']} excluded with a reason, {c['enumerator']} list-item numbers, {c['unmapped']} unmapped",
        file=out,
    )
    print(
        f"validation: {'conforms' if outcome.conforms else 'DOES NOT CONFORM'} "
        f"({outcome.counts.get('Violation', 0)} violations, {outcome.counts.get('Warning', 0)} warnings: "
        "the report's own disagreements: `xjkg validate data/xjkg.ttl --no-graph` lists them)",
        file=out,
    )
    if not outcome.conforms:
        for r in outcome.results:
            if r.severity not in ("Warning", "Info"):
                print(f"  {r.focus_node} {r.path or ''}: {r.message}", file=sys.stderr)
        print(f"not written: {output} is unchanged", file=out)
    elif check:
        print(f"--check: nothing written ({output} {'would change' if changed else 'is up to date'})", file=out)
    else:
        print(f"wrote {output} ({'changed' if changed else 'unchanged'})", file=out)
