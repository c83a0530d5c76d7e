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
from .atomic import atomic_write_bytes, check_output_file, exclusive_lock
from .corpus import Corpus, ReportInfo, open_corpus
from .errors import EXIT_NOT_CONFORMING, EXIT_OK, XjkgError
from .mapping import (
    FORMULAS,
    Derived,
    Entity,
    Mapping,
    Resolved,
    Span,
    Vocabulary,
    Where,
    load_mapping,
    load_vocabulary,
    resolve,
)
from .namespaces import (
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
    XJKG,
    XSD,
)
from .paths import ONTOLOGY_FILE
from .progress import stage
from .rdf import NAMES
from .source import Report

__all__ = ["BuildResult", "build", "build_graph", "configure_build", "run_build", "serialize"]

log = logging.getLogger(__name__)

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
    """What a build made: the graph, each report tied to its mapping, and the figures to print."""

    graph: Graph
    reports: list[Resolved]
    counts: Counter[str] = field(default_factory=Counter)
    validation: Any = None
    #: Coverage counts of each report, by report id.
    per_report: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def resolved(self) -> Resolved:
        """The first report (a corpus of one report: that report)."""
        return self.reports[0]


def _curie(value: str, where: Where) -> URIRef:
    """``xjkg:County`` → IRI; ``county/luopu`` (no colon) → ``https://w3id.org/xjkg/id/county/luopu``."""
    if ":" not in value:
        return ID[value]
    iri = NAMES.expand(value)
    if iri is None:
        prefix = value.split(":", 1)[0]
        raise XjkgError(f"{where}: unknown prefix {prefix!r} in {value!r}; known: {', '.join(sorted(PREFIXES))}")
    return URIRef(iri)


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
    """Builds the corpus graph: the vocabularies once, then each report (:meth:`begin`) in turn."""

    def __init__(self, ontology: Graph, vocab: Vocabulary, mappings: list[Mapping]) -> None:
        self.g = Graph()
        for prefix, namespace in PREFIXES.items():
            self.g.bind(prefix, namespace, override=True, replace=True)
        self.ontology = ontology
        self.vocab = vocab
        defined: dict[str, Where] = {e.id: e.where for e in vocab.entities.values()}
        self.labels: dict[str, str] = {e.id: e.label for e in vocab.entities.values()}
        for mapping in mappings:
            for ent in mapping.entities:
                if ent.cites_only:
                    continue
                if ent.id in defined:
                    raise XjkgError(
                        f"{ent.where}: {ent.id!r} is already defined at {defined[ent.id]}; a report cites a "
                        "shared entity with only id and quote(s), and an entity two reports name belongs in vocab/"
                    )
                defined[ent.id] = ent.where
                self.labels[ent.id] = ent.label
        self.known_ids = set(defined)
        self.indicator_units: dict[str, tuple[URIRef, Where]] = {}
        #: The unit IRI and datatype of each unit code of the extractor (vocab/units.yaml).
        self.units: dict[str, tuple[URIRef, URIRef]] = {
            code: (_curie(u.iri, u.where), _curie(u.datatype, u.where)) for code, u in vocab.units.items()
        }
        self.r: Resolved
        self.report: Report
        self.info: ReportInfo
        self.report_iri: URIRef

    def begin(self, resolved: Resolved) -> None:
        """Build the statements of ``resolved``'s report from here on."""
        self.r = resolved
        self.report = resolved.report
        self.info = resolved.mapping.report
        self.report_iri = self.info.iri
        for ent in resolved.mapping.entities:
            if ent.cites_only and ent.id not in self.known_ids:
                raise XjkgError(f"{ent.where}: cites {ent.id!r}, which neither vocab/ nor a report defines")

    # -- helpers -------------------------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    def ref(self, value: str, where: Where) -> URIRef:
        """A link to a thing the mapping defines (checked), or a CURIE of another vocabulary."""
        if ":" not in value and value not in self.known_ids:
            raise XjkgError(f"{where}: refers to {value!r}, which no entity of the mapping or vocab/ defines")
        return _curie(value, where)

    def figure_ref(self, value: str, where: Where) -> URIRef:
        if value not in self.r.figures and value not in {d.id for d in self.r.mapping.derived}:
            raise XjkgError(f"{where}: refers to figure {value!r}, which the report's mapping does not define")
        return self.figure_iri(value)

    def figure_iri(self, fid: str) -> URIRef:
        """``id/report/<report>/figure/<fid>``: under the report's IRI, so two reports never collide."""
        return ID[f"report/{self.info.id}/figure/{fid}"]

    def one_unit(self, indicator: str, unit: URIRef, where: Where) -> None:
        """One indicator, one kind of unit, in every report (ontology/README.md, "Indicators that compare")."""
        first = self.indicator_units.setdefault(indicator, (unit, where))
        if first[0] != unit:
            raise XjkgError(
                f"{where}: {indicator} is measured in {self.g.namespace_manager.normalizeUri(unit)} here but in "
                f"{self.g.namespace_manager.normalizeUri(first[0])} at {first[1]}: one indicator measures one thing "
                "in one kind of unit (person-times are not people); use or define another indicator"
            )

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
        node = ID[f"report/{self.info.id}/span/{start}-{end}"]
        if (node, RDF.type, XJKG.ReportSpan) in self.g:
            return node
        self._selectors(node, start, end, XJKG.ReportSpan)
        if start < self.report.body_end:  # the footer is not body: it has no sentences
            self.add(node, XJKG.inSentence, self.sentence(self.report.sentence_at(start).number))
        return node

    def sentence(self, number: int) -> URIRef:
        node = ID[f"report/{self.info.id}/sentence/{number}"]
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
        info = self.info
        where = Where(info.settings_file, 0, "report")
        node = self.report_iri
        self.typed(node, XJKG.Report)
        self.add(node, DCTERMS.title, Literal(info.title, lang="en"))
        self.add(node, RDFS.label, Literal(info.title, lang="en"))
        if info.title_zh:
            self.add(node, DCTERMS.title, Literal(info.title_zh, lang="zh-Hans"))
        self.add(node, DCTERMS.publisher, self.ref(info.publisher, where))
        self.add(node, DCTERMS.language, Literal(info.language))
        for period in info.period:
            self.add(node, DCTERMS.temporal, self.ref(period, where))
        self.add(node, XJKG.sha256, Literal(self.report.sha256))
        self.add(node, XJKG.characterCount, Literal(len(self.report.text)))
        self.add(node, XJKG.bodyCharacterCount, Literal(self.report.body_end))
        span = _locate_anywhere(self.report.text, info.rights_quote, where)
        self.add(node, DCTERMS.rights, Literal(info.rights_quote, lang="zh-Hans"))
        self.add(node, XJKG.rightsSpan, self.span(span.start, span.end))
        self.add(node, PROV.wasAttributedTo, self.ref(info.publisher, where))
        title_span = _locate_anywhere(self.report.text, info.title, where)
        self.add(node, PROV.wasDerivedFrom, self.span(title_span.start, title_span.end))

    def entity(self, ent: Entity) -> None:
        """An entity's own statements (from vocab/ or a report's mapping); a citation adds none."""
        where = ent.where
        node = ID[ent.id]
        classes = [_curie(t, where) for t in ent.types]
        for cls in classes:
            self.typed(node, cls)
        self.add(node, RDFS.label, Literal(ent.label, lang="en"))
        if ent.label_zh:
            self.add(node, RDFS.label, Literal(ent.label_zh, lang="zh-Hans"))
        for alt in ent.alt_labels:
            self.add(node, SKOS.altLabel, Literal(alt, lang="en"))
        if ent.comment:
            self.add(node, RDFS.comment, Literal(ent.comment, lang="en"))
        for cls in [c for c in classes if c in SCHEMES]:
            scheme_id, _ = SCHEMES[cls]
            self.add(node, SKOS.inScheme, ID[scheme_id])
            self.add(node, SKOS.prefLabel, Literal(ent.label, lang="en"))
            if ent.label_zh:
                self.add(node, SKOS.prefLabel, Literal(ent.label_zh, lang="zh-Hans"))
            if not ent.broader:
                self.add(ID[scheme_id], SKOS.hasTopConcept, node)
        for broader in ent.broader:
            self.add(node, SKOS.broader, self.ref(broader, where))
        if ent.code:
            self.add(node, XJKG.divisionCode, Literal(ent.code))
        if ent.reference:
            self.add(node, DCTERMS.source, self.ref(ent.reference, where))
        for parent in ent.part_of:
            self.add(node, self._part_of_property(classes), self.ref(parent, where))
        for same in ent.same_as:
            self.add(node, OWL.sameAs, _curie(same, where))
        for match in ent.close_match:
            self.add(node, SKOS.closeMatch, _curie(match, where))
        for predicate, values in ent.links.items():
            for value in values:
                self.add(node, _curie(predicate, where), self.ref(value, where))
        for predicate, values in ent.texts.items():
            for value in values:
                self.add(node, _curie(predicate, where), Literal(value, lang="en"))
        for predicate, values in ent.data.items():
            for value in values:
                self.add(node, _curie(predicate, where), _typed(value, where))

    def cited(self, ent: Entity) -> None:
        """Where the current report names ``ent``: its provenance in this report."""
        node = ID[ent.id]
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
        f, where, mention = mapped.figure, mapped.figure.where, mapped.mention
        node = self.figure_iri(fid)
        self.typed(node, _curie(f"xjkg:{f.type}", where))
        self.typed(node, XJKG.ReportedFigure)
        self.add(node, QB.dataSet, DATASET_REPORTED)
        if mention.unit not in self.units:
            raise XjkgError(
                f"{where}: the report states {mention.text!r} in unit {mention.unit}, "
                "which no entry of vocab/units.yaml defines"
            )
        unit, datatype = self.units[mention.unit]
        if datatype == XSD.integer and mention.value != mention.value.to_integral_value():
            raise XjkgError(f"{where}: a count must be a whole number, the text says {mention.text!r}")
        value = str(int(mention.value)) if datatype == XSD.integer else canonical_decimal(mention.value)
        self.add(node, SDMX_MEASURE.obsValue, Literal(value, datatype=datatype))
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, unit)
        self.add(node, XJKG.indicator, self.ref(f.indicator, where))
        self.one_unit(f.indicator, unit, where)
        defaults = self.info.defaults
        for key, value_, predicate in (("area", f.area, SDMX_DIMENSION.refArea),
                                       ("period", f.period, SDMX_DIMENSION.refPeriod)):  # fmt: skip
            chosen = value_ or defaults.get(key)
            if chosen is None:
                raise XjkgError(f"{where}: no {key}, and {self.info.settings_file} has no default {key}")
            self.add(node, predicate, self.ref(chosen, where))
        links = (
            (f.program, XJKG.program),
            (f.fund_type, XJKG.fundType),
            (f.funder, XJKG.funder),
            (f.beneficiary, XJKG.beneficiaryGroup),
            (f.designation, XJKG.designation),
        )
        for values, predicate in links:
            for value_ in values:
                self.add(node, predicate, self.ref(value_, where))
        if f.purpose is not None:
            quote_text = self.report.text[mapped.quote.start : mapped.quote.end]
            if f.purpose not in quote_text:
                raise XjkgError(f"{where}: the purpose must be quoted from the entry's quote: {f.purpose!r}")
            self.add(node, XJKG.purpose, Literal(f.purpose, lang="en"))
        if f.component_of is not None:
            self.add(node, XJKG.componentOf, self.figure_ref(f.component_of, where))
        if f.exhaustive is not None:
            self.add(node, XJKG.exhaustive, Literal(f.exhaustive))
        if f.share_of is not None:
            self.add(node, XJKG.sharePart, self.figure_ref(f.share_of[0], where))
            self.add(node, XJKG.shareWhole, self.figure_ref(f.share_of[1], where))
        if f.restates is not None:
            self.add(node, XJKG.restates, self.figure_ref(f.restates, where))
        for other in f.comparable_with:
            self.add(node, XJKG.comparableWith, self.figure_ref(other, where))
        if f.note is not None:
            self.add(node, RDFS.comment, Literal(f.note, lang="en"))
        if mention.qualifier:
            self.add(node, XJKG.qualifier, Literal(mention.qualifier, lang="en"))
        label = f"{mention.text} — {self.labels.get(f.indicator, f.indicator)}"
        self.add(node, RDFS.label, Literal(label, lang="en"))
        self.add(node, PROV.wasDerivedFrom, self.span(mapped.quote.start, mapped.quote.end))
        self.add(node, XJKG.figureSpan, self.span(mention.start, mention.end))
        self.add(node, PROV.wasAttributedTo, self.report_iri)

    def derived(self, d: Derived) -> None:
        where = d.where
        node = self.figure_iri(d.id)
        inputs = [self.figure_ref(i, where) for i in d.inputs]
        values = []
        for i in d.inputs:
            if i not in self.r.figures:
                raise XjkgError(f"{where}: input {i!r} must be a reported figure")
            values.append(self.r.figures[i].mention.value)
        formula = d.formula
        if formula == "sum":
            value = sum(values, Decimal(0))
        elif len(values) != 2:
            raise XjkgError(f"{where}: formula {formula!r} takes two inputs, a and b")
        elif formula == "ratio":
            value = values[0] / values[1]
        else:
            value = values[0] / values[1] * 100
        places = Decimal(1).scaleb(-d.decimals)
        value = value.quantize(places, rounding=ROUND_HALF_EVEN)
        first = self.r.figures[d.inputs[0]]
        unit_code = d.unit or ("PERCENT" if formula == "share" else first.mention.unit)
        if unit_code not in self.units:
            raise XjkgError(f"{where}: unknown unit {unit_code!r}; vocab/units.yaml defines {', '.join(self.units)}")
        unit, _ = self.units[unit_code]
        self.typed(node, XJKG.DerivedFigure)
        self.add(node, QB.dataSet, DATASET_DERIVED)
        self.add(node, SDMX_MEASURE.obsValue, Literal(canonical_decimal(value), datatype=XSD.decimal))
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, unit)
        self.add(node, XJKG.indicator, self.ref(d.indicator, where))
        self.one_unit(d.indicator, unit, where)
        first_node = inputs[0]
        for predicate in (SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, XJKG.program):
            for obj in self.g.objects(first_node, predicate):
                self.add(node, predicate, obj)
        for source in inputs:
            self.add(node, PROV.wasDerivedFrom, source)
        self.add(node, XJKG.derivation, Literal(FORMULAS[formula]))
        if formula in ("ratio", "share"):
            self.add(node, XJKG.numerator, inputs[0])
            self.add(node, XJKG.denominator, inputs[1])
        if d.derived_for is not None:
            self.add(node, XJKG.derivedFor, self.figure_ref(d.derived_for, where))
        label = d.label or f"{self.labels.get(d.indicator, d.indicator)} (derived)"
        self.add(node, RDFS.label, Literal(label, lang="en"))
        if d.note is not None:
            self.add(node, RDFS.comment, Literal(d.note, lang="en"))

    def structure(self, reports: list[URIRef]) -> None:
        """The Data Cube data sets and their structure: dimensions, measure, attributes."""
        for dataset, label in ((DATASET_REPORTED, "Figures stated by the report"),
                               (DATASET_DERIVED, "Figures computed from the report's figures")):  # fmt: skip
            self.add(dataset, RDF.type, QB.DataSet)
            self.add(dataset, RDFS.label, Literal(label, lang="en"))
            self.add(dataset, QB.structure, STRUCTURE)
            for report_iri in reports:
                self.add(dataset, DCTERMS.source, report_iri)
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
            for report_iri in reports:
                self.add(scheme, DCTERMS.source, report_iri)


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


def build(corpus: Corpus | Path | None = None, *, draft: bool = False) -> BuildResult:
    """Read the corpus (default: the project's ``data/``) and make the graph of every report (nothing is written).

    With ``draft`` the proposals of ``xjkg report new`` are built too (:func:`xjkg.mapping.load_mapping`).

    >>> result = build()
    >>> result.counts["unmapped"]
    0
    """
    corpus = corpus if isinstance(corpus, Corpus) else open_corpus(corpus)
    vocab = load_vocabulary(corpus.vocab_files)
    mappings = [load_mapping(info, draft=draft) for info in corpus.reports]
    resolved_all = [resolve(mapping) for mapping in mappings]
    builder = _Builder(_load_ontology(), vocab, mappings)
    builder.structure([m.report.iri for m in mappings])
    for ent in vocab.entities.values():
        builder.entity(ent)
    counts: Counter[str] = Counter()
    per_report: dict[str, Counter[str]] = {}
    for resolved in resolved_all:
        mapping = resolved.mapping
        builder.begin(resolved)
        builder.report_node()
        for ent in mapping.entities:
            if not ent.cites_only:
                builder.entity(ent)
            builder.cited(ent)
        for fid in resolved.figures:
            builder.figure(fid)
        for d in mapping.derived:
            builder.derived(d)
        mine: Counter[str] = Counter(status for _, status, _ in resolved.coverage())
        per_report[mapping.report.id] = mine
        counts.update(mine)
        if mine["unmapped"] and not draft:
            missing = [m for m, status, _ in resolved.coverage() if status == "unmapped"]
            listed = "; ".join(f"{m.text!r} at line {resolved.report.line_of(m.start)}" for m in missing[:10])
            raise XjkgError(
                f"{mapping.report.source_file}: {len(missing)} quantities of the report are neither mapped nor "
                f"excluded: {listed} (see `xjkg coverage --report {mapping.report.id} --unmapped`)"
            )
    if any(isinstance(term, BNode) for triple in builder.g for term in triple):
        raise XjkgError("the build made a blank node; every node of the graph must have an IRI")
    if not draft:
        _keep_published(builder.g, corpus)
    return BuildResult(builder.g, resolved_all, counts, per_report=per_report)


#: IRI kinds that were minted without the report in release 0.1.0 (``id/figure/…``) and are now under it.
_REPORT_KINDS = ("figure/", "span/", "sentence/")


def _keep_published(graph: Graph, corpus: Corpus) -> None:
    """Every IRI a release published (``<corpus>/releases/*.yaml``) stays a subject of the graph, or is answered
    with ``dct:isReplacedBy`` its new IRI (the figures, spans and sentences minted before the report was part of
    their IRI); a published IRI that would dangle stops the build."""
    folder = corpus.root / "releases"
    if not folder.is_dir():
        return
    from .yamlfiles import read_yaml, strip_lines

    report_ids = {info.id for info in corpus.reports}
    for path in sorted(folder.glob("*.yaml")):
        raw = strip_lines(read_yaml(path))
        if not isinstance(raw, dict) or not isinstance(raw.get("iris"), list) or "release" not in raw:
            raise XjkgError(f"{path}: expected release, report and a list of iris")
        report_id = raw.get("report")
        replaced_by = raw.get("replaced_by") or {}
        for item in raw["iris"]:
            iri = ID[str(item)]
            if (iri, None, None) in graph:
                continue
            kind = next((k for k in _REPORT_KINDS if str(item).startswith(k)), None)
            new = ID[f"report/{report_id}/{item}"] if kind and report_id in report_ids else None
            if item in replaced_by:  # no longer what it was: answered by what the release file names
                new = ID[str(replaced_by[item])]
            if new is None or (new, None, None) not in graph:
                raise XjkgError(
                    f"{path}: {iri} was published in release {raw['release']} and would no longer resolve: keep it, "
                    "or map what replaces it"
                )
            graph.add((iri, DCTERMS.isReplacedBy, new))


def build_graph(corpus: Corpus | Path | None = None) -> Graph:
    """The data graph, built in memory from the corpus."""
    return build(corpus).graph


HEADER = (
    "# Generated by `xjkg build` (xjkg {version}) from the corpus (vocab/ and reports/): do not edit by hand.\n"
    "# Every figure's value is read from the report text; every statement cites its span of the report.\n"
)
DRAFT_HEADER = (
    "# DRAFT: built by `xjkg build --draft` with mapping entries still marked `proposed:`; never released or\n"
    "# served by default. Review the proposals, then `xjkg build`.\n"
)
#: The draft graph's file name in the corpus folder.
DRAFT_FILE_NAME = "xjkg-draft.ttl"


def serialize(graph: Graph, *, draft: bool = False) -> bytes:
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
    header = HEADER.format(version=__version__) + (DRAFT_HEADER if draft else "")
    return header.encode() + body


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    """``--corpus DIR``, shared by every command that reads the corpus."""
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="the corpus folder: vocab/, reports/<id>/ (default: the project's data/ folder)",
    )


def configure_build(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    parser.add_argument(
        "--output",
        help="where to write the graph, a file in an existing folder (default: xjkg.ttl in the corpus folder)",
    )
    parser.add_argument("--check", action="store_true", help="build and validate, write nothing")
    parser.add_argument(
        "--draft",
        action="store_true",
        help=f"also build the entries still marked `proposed:`, into a draft graph ({DRAFT_FILE_NAME} in the corpus "
        "folder, never released or served by default); entries with a 'TODO: …' value are left out",
    )


def run_build(args: argparse.Namespace) -> int:
    corpus = open_corpus(args.corpus)
    draft = bool(getattr(args, "draft", False))
    output = check_output_file(args.output or (corpus.root / DRAFT_FILE_NAME if draft else corpus.graph_file))
    if draft and output.resolve() == corpus.graph_file.resolve():
        raise XjkgError(f"--draft writes a draft graph, never {corpus.graph_file}: choose another --output")
    with exclusive_lock(output, "build"):
        with stage("xjkg build: mapping the reports"):
            result = build(corpus, draft=draft)
        with stage("xjkg build: validating"):
            outcome = _validate(result.graph)
        data = serialize(result.graph, draft=True) if draft else serialize(result.graph)
        changed = not output.is_file() or output.read_bytes() != data
        if not args.check and (outcome.conforms or draft):
            atomic_write_bytes(output, data)
    _print_summary(result, outcome, output, changed, args.check, draft=draft)
    return EXIT_OK if outcome.conforms else EXIT_NOT_CONFORMING


def _validate(graph: Graph) -> Any:
    from .validate import validate_graph  # pyshacl is slow to import: only when we validate

    return validate_graph(graph)


def _print_summary(
    result: BuildResult, outcome: Any, output: Path, changed: bool, check: bool, *, draft: bool = False
) -> None:
    g = result.graph
    by_class = Counter(o for o in g.objects(None, RDF.type) if str(o).startswith(str(XJKG)))
    out = sys.stdout
    names = ", ".join(r.mapping.report.id for r in result.reports)
    print(f"xjkg build {__version__}: {len(g)} triples from {len(result.reports)} report(s): {names}", file=out)
    print("entities by class:", file=out)
    for cls, count in sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:5d}  xjkg:{str(cls).split('#')[-1]}", file=out)
    for report_id, c in result.per_report.items():
        total = sum(c.values())
        print(
            f"coverage of {report_id}: {total} numbers in the body: {c['figure']} figures, {c['entity']} identify "
            f"entities, {c['excluded']} excluded with a reason, {c['enumerator']} list-item numbers, "
            f"{c['unmapped']} unmapped",
            file=out,
        )
    if draft:
        proposals = sum(len(r.mapping.proposals) for r in result.reports)
        print(f"draft: {proposals} proposal(s) built; left out, a value still to fill in:", file=out)
        for r in result.reports:
            for where, todo in r.mapping.skipped:
                print(f"  {where}: {todo}", file=out)
    print(
        f"validation: {'conforms' if outcome.conforms else 'DOES NOT CONFORM'} "
        f"({outcome.counts.get('Violation', 0)} violations, {outcome.counts.get('Warning', 0)} warnings: "
        f"the report's own disagreements: `xjkg validate {output} --no-graph` lists them)",
        file=out,
    )
    if not outcome.conforms:
        for r in outcome.results:
            if r.severity not in ("Warning", "Info"):
                print(f"  {r.focus_node} {r.path or ''}: {r.message}", file=sys.stderr)
        if not draft:
            print(f"not written: {output} is unchanged", file=out)
    if check:
        print(f"--check: nothing written ({output} {'would change' if changed else 'is up to date'})", file=out)
    elif outcome.conforms or draft:
        print(f"wrote {output} ({'changed' if changed else 'unchanged'})", file=out)
