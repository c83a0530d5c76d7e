"""The graph writer of the build: checked mapping entries and vocabularies → triples.

:class:`GraphWriter` turns what :mod:`xjkg.mapping.model` read and checked (entities, figures, derived
figures, each tied to its span of the report) into RDF: the Data Cube structure, every entity, every
figure with its Web Annotation selectors (character offsets and the quote), every derived figure naming
its inputs. :func:`xjkg.build.build.build` drives it report by report and checks, validates and writes the result.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import (
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
    TIME,
    XJKG,
    XSD,
)
from xjkg.core.rdf import NAMES, _quiet_rdflib_conversions
from xjkg.core.textfiles import shown
from xjkg.mapping.corpus import ReportInfo
from xjkg.mapping.model import (
    FORMULAS,
    Derived,
    Entity,
    Mapping,
    Resolved,
    Span,
    Vocabulary,
    Where,
    check_id,
)
from xjkg.text.source import Report

__all__ = ["GraphWriter", "canonical_decimal"]

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
CNY = URIRef("http://qudt.org/vocab/currency/CNY")
#: Denominators of the per-head figures: the count's indicator → the derived indicator, IRI segment, who is counted.
PER_HEAD = {
    "indicator/poor-population": ("indicator/funds-per-poor-person", "per-poor-person", "poor people"),
    "indicator/population": ("indicator/funds-per-capita", "per-capita", "people (population)"),
}
#: The amounts divided per head: the funds a report totals (by fund type and funder), the like-for-like question.
PER_HEAD_AMOUNTS = {"indicator/anti-poverty-investment", "indicator/foreign-funds"}
#: dct:rights of a report whose report.yaml has ``rights_quote: null``: the report states no rights.
RIGHTS_NOT_STATED = "not stated: the report states no rights, so its rights are unknown"
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _curie(value: str, where: Where) -> URIRef:
    """``xjkg:County`` → IRI; ``county/luopu`` (no colon) → ``https://w3id.org/xjkg/id/county/luopu``."""
    if ":" not in value:
        return ID[check_id(value, where, "reference")]
    iri = NAMES.expand(value)
    if iri is None:
        prefix = value.split(":", 1)[0]
        raise XjkgError(f"{where}: unknown prefix {prefix!r} in {value!r}; known: {', '.join(sorted(PREFIXES))}")
    if _NOT_IN_IRI.search(iri):  # it would end the IRI in Turtle ("<…>…") or break the file
        raise XjkgError(f"{where}: {shown(value)} holds a character an IRI cannot (space, <, >, quote, braces…)")
    return URIRef(iri)


def _typed(value: Any, where: Where) -> Literal:
    """A literal from the mapping: ``"2009^^xsd:gYear"``, a bool, a number, or plain text (English)."""
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, str) and "^^" in value:
        text, datatype = value.rsplit("^^", 1)
        _quiet_rdflib_conversions()  # an ill-typed value is said in one line below, not as rdflib's traceback
        literal = Literal(text, datatype=_curie(datatype, where))
        if literal.ill_typed:
            raise XjkgError(f"{where}: {shown(text)} is not a valid {datatype}")
        return literal
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


class GraphWriter:
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
        #: Every report's figure ids: a restatement or a share may name another report's figure.
        self.report_figures: dict[str, set[str]] = {m.report.id: {f.id for f in m.figures} for m in mappings}
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

    # -- helpers -------------------------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    def ref(self, value: str, where: Where) -> URIRef:
        """A link to a thing the mapping defines (checked), or a CURIE of another vocabulary."""
        if ":" not in value and value not in self.known_ids:
            raise XjkgError(
                f"{where}: refers to {value!r}, which no entity of the mapping or vocab/ defines: use an id they "
                "define, or define it (in the report's mapping/entities.yaml, or in vocab/ if reports share it)"
            )
        return _curie(value, where)

    def figure_ref(self, value: str, where: Where, *, other_reports: bool = False) -> URIRef:
        """The figure ``value`` names: one of this report's, or (``other_reports``: a restatement, a share's part or
        whole) another report's, written ``report/<report id>/figure/<figure id>``."""
        other = re.fullmatch(r"report/([^/]+)/figure/(.+)", value) if other_reports else None
        if other is not None:
            report, fid = other.groups()
            if fid not in self.report_figures.get(report, set()):
                raise XjkgError(
                    f"{where}: refers to {value!r}, which is no figure of the corpus (report {report!r} has no figure "
                    f"{fid!r}): use report/<report id>/figure/<figure id> of a report in the corpus"
                )
            return ID[value]
        if value not in self.r.figures and value not in {d.id for d in self.r.mapping.derived}:
            raise XjkgError(
                f"{where}: refers to figure {value!r}, which the report's mapping does not define (or which is left "
                "out: see its own line): use the id of one of the report's figures"
            )
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
        # A field a draft's report.yaml still has as "TODO" is empty here: left out, listed by the build.
        if info.title:
            self.add(node, DCTERMS.title, Literal(info.title, lang="en"))
            self.add(node, RDFS.label, Literal(info.title, lang="en"))
        if info.title_zh:
            self.add(node, DCTERMS.title, Literal(info.title_zh, lang="zh-Hans"))
        if info.publisher:
            self.add(node, DCTERMS.publisher, self.ref(info.publisher, where))
        if info.language:
            self.add(node, DCTERMS.language, Literal(info.language))
        for period in info.period:
            self.add(node, DCTERMS.temporal, self.ref(period, where))
        if info.region:
            self.add(node, DCTERMS.spatial, self.ref(info.region, where))
        self.add(node, XJKG.sha256, Literal(self.report.sha256))
        self.add(node, XJKG.characterCount, Literal(len(self.report.text)))
        self.add(node, XJKG.bodyCharacterCount, Literal(self.report.body_end))
        if info.rights_quote is not None:
            span = _locate_anywhere(self.report.text, info.rights_quote, where, "rights_quote")
            self.add(node, DCTERMS.rights, Literal(info.rights_quote, lang="zh-Hans"))
            self.add(node, XJKG.rightsSpan, self.span(span.start, span.end))
        else:  # the report states no rights: say so, and quote nothing
            self.add(node, DCTERMS.rights, Literal(RIGHTS_NOT_STATED, lang="en"))
        if info.publisher:
            self.add(node, PROV.wasAttributedTo, self.ref(info.publisher, where))
        if info.title:
            title_span = _locate_anywhere(self.report.text, info.title, where, "title")
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

    def program_scope(self, ent: Entity) -> None:
        """A report's program is its instance for the report's region and period: where the mapping names
        neither, the report's default area and period (``report.yaml``) are stated, so that a program type can be
        followed across regions and years (``xjkg:programType``)."""
        node = ID[ent.id]
        if XJKG.Program not in set().union(*(self.supertypes(_curie(t, ent.where)) for t in ent.types)):
            return
        where = Where(self.info.settings_file, 0, "defaults")
        self.add(node, PROV.wasAttributedTo, self.report_iri)  # the report's own program, quoted or not
        for key, predicate in (("area", XJKG.implementedIn), ("period", XJKG.period)):
            default = self.info.defaults.get(key)
            if default is not None and (node, predicate, None) not in self.g:
                self.add(node, predicate, self.ref(default, where))

    def cited(self, ent: Entity) -> None:
        """Where the current report names ``ent``: its provenance in this report."""
        if ent.cites_only and ent.id not in self.known_ids:
            raise XjkgError(f"{ent.where}: cites {ent.id!r}, which neither vocab/ nor a report defines")
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
            self.add(node, XJKG.sharePart, self.figure_ref(f.share_of[0], where, other_reports=True))
            self.add(node, XJKG.shareWhole, self.figure_ref(f.share_of[1], where, other_reports=True))
        if f.restates is not None:
            self.add(node, XJKG.restates, self.figure_ref(f.restates, where, other_reports=True))
        # Computed, never mapped: "the total of I in R in Y" is the headline figure, counted once.
        role = XJKG.Restatement if f.restates else XJKG.Part if f.component_of else XJKG.Headline
        self.add(node, XJKG.role, role)
        for other in f.comparable_with:
            self.add(node, XJKG.comparableWith, self.figure_ref(other, where))
        if f.note is not None:
            self.add(node, RDFS.comment, Literal(f.note, lang="en"))
        if f.outside_region is not None:
            self.add(node, XJKG.outsideRegion, Literal(f.outside_region, lang="en"))
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

    def per_head(self) -> None:
        """The anti-poverty funds the report states, per poor person and per capita of their area, as derived figures.

        The denominator is the report's own headline figure of the area's poor people (``indicator/poor-population``)
        or population (``indicator/population``) counted latest but not after the amount's period ends (2009's funds
        over the poor people of 2009, or of the end of 2008 where that is the report's latest count); where two
        counts end on the same day, or none is early enough, nothing is derived (no guess at which count was meant).
        The derived figure keeps the amount's area, period, program, fund type and funder, so two regions' funds
        compare like for like; restatements are not derived again.
        """
        defaults = self.info.defaults

        def key(fid: str) -> tuple[str, str]:
            f = self.r.figures[fid].figure
            return (f.area or defaults.get("area") or "", f.period or defaults.get("period") or "")

        amounts = []
        heads: dict[tuple[str, str], list[str]] = {}
        for fid, mapped in self.r.figures.items():
            f = mapped.figure
            if f.restates is not None:
                continue
            if f.indicator in PER_HEAD and f.component_of is None:
                heads.setdefault((f.indicator, key(fid)[0]), []).append(fid)
            elif f.indicator in PER_HEAD_AMOUNTS and self.units.get(mapped.mention.unit, (None,))[0] == CNY:
                amounts.append(fid)
        for denominator_indicator, (indicator, slug, per) in PER_HEAD.items():
            for fid in amounts:
                area, period = key(fid)
                ends = self.period_end(period)
                counts = [(self.period_end(key(h)[1]), h) for h in heads.get((denominator_indicator, area), [])]
                early = sorted((end, h) for end, h in counts if end and ends and end <= ends)
                if early and (len(early) == 1 or early[-1][0] != early[-2][0]):
                    self._per_head(fid, early[-1][1], indicator, slug, per)

    def period_end(self, period: str) -> str | None:
        """The last day of a period of the graph (an instant's date, an interval's end), ISO, or None if unknown."""
        node = ID[period]
        for instant in (node, *self.g.objects(node, TIME.hasEnd)):
            for date in self.g.objects(instant, TIME.inXSDDate):
                return str(date)
        return None

    def _per_head(self, fid: str, head: str, indicator: str, slug: str, per: str) -> None:
        where = self.r.figures[fid].figure.where
        amount, count = self.figure_iri(fid), self.figure_iri(head)
        value = self.r.figures[fid].mention.value / self.r.figures[head].mention.value
        node = self.figure_iri(f"derived/{slug}/{fid}")
        self.typed(node, XJKG.DerivedFigure)
        self.add(node, QB.dataSet, DATASET_DERIVED)
        self.add(
            node,
            SDMX_MEASURE.obsValue,
            Literal(canonical_decimal(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)), datatype=XSD.decimal),
        )
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, CNY)
        self.add(node, XJKG.indicator, self.ref(indicator, where))
        self.one_unit(indicator, CNY, where)
        for predicate in (SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, XJKG.program, XJKG.fundType, XJKG.funder):
            for obj in self.g.objects(amount, predicate):
                self.add(node, predicate, obj)
        self.add(node, PROV.wasDerivedFrom, amount)
        self.add(node, PROV.wasDerivedFrom, count)
        self.add(node, XJKG.derivation, Literal(FORMULAS["ratio"]))
        self.add(node, XJKG.numerator, amount)
        self.add(node, XJKG.denominator, count)
        mention = self.r.figures[fid].mention.text
        label = f"{mention} / {self.r.figures[head].mention.text} {per} — {self.labels.get(indicator, indicator)}"
        self.add(node, RDFS.label, Literal(label, lang="en"))

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


def _locate_anywhere(text: str, quote: str, where: Where, key: str) -> Span:
    """Where ``report.yaml``'s ``key`` stands in the text (body or footer): exactly once."""
    count = text.count(quote)
    if count != 1:
        hint = "; null if the report states no rights" if key == "rights_quote" else ""
        raise XjkgError(
            f"{where.file}: report.{key}: {quote!r} stands {count} times in the report's text, it must stand exactly "
            f"once: copy it from the text as it stands{hint}"
        )
    start = text.index(quote)
    return Span(start, start + len(quote))
