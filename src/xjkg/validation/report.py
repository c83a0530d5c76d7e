"""The result of a validation and how it is shown: the model and its text and JSON forms.

:class:`ValidationOutcome` holds the results (:class:`ValidationResult`, each with the report's sentence its
focus node came from, :class:`ReportSentence`) and the standard ``sh:ValidationReport`` graph;
:func:`format_text` groups them by focus node with short names (:class:`Names`), :func:`format_json` gives
them as SPARQL-JSON terms. :mod:`xjkg.validation.validate` runs the validation and is the ``xjkg validate`` command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from xjkg.core.namespaces import PREFIXES
from xjkg.core.rdf import Prefixes, rdflib_to_wire, wire_to_json

__all__ = [
    "Names",
    "ReportSentence",
    "ValidationOutcome",
    "ValidationResult",
    "format_json",
    "format_text",
]


@dataclass(frozen=True)
class ReportSentence:
    """The sentence of the report a focus node was derived from (our own graph's provenance)."""

    iri: URIRef
    number: int | None
    text: str


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:result``: what is wrong (message), where (focus node, path, value) and by which rule."""

    focus_node: Node
    path: str | None  # SHACL path as a SPARQL property path, full IRIs in <>
    path_node: Node | None
    value: Node | None
    message: str
    severity: str  # "Violation", "Warning", "Info" (or a custom severity's local name)
    source_shape: Node | None
    constraint: URIRef | None  # sh:sourceConstraintComponent
    sentence: ReportSentence | None = None
    parent_shape: Node | None = None  # the node shape holding a blank-node property shape (a name to show)


@dataclass
class ValidationOutcome:
    """The results of one validation, the standard ``sh:ValidationReport`` graph, and counts by severity."""

    conforms: bool
    results: list[ValidationResult]
    report_graph: Graph
    counts: dict[str, int] = field(default_factory=dict)
    data_triples: int = 0

    @property
    def shacl_conforms(self) -> bool:
        """Conformance as the SHACL specification defines it: no result of any severity."""
        return not self.results


class Names:
    """Short names for IRIs (our prefixes, then those of the data and shapes files) for text output."""

    def __init__(self, *graphs: Graph) -> None:
        table = dict(PREFIXES)
        for graph in graphs:
            for prefix, namespace in graph.namespaces():
                table.setdefault(prefix, str(namespace))
        self.prefixes = Prefixes(table)

    def __call__(self, term: Node | None) -> str:
        if term is None:
            return "-"
        if isinstance(term, URIRef):
            return self.prefixes.shorten(str(term), _plain_local) or f"<{term}>"
        if isinstance(term, Literal):
            text = str(term)
            text = text if len(text) <= 80 else text[:77] + "..."
            shown = json.dumps(text, ensure_ascii=False)
            if term.language:
                return f"{shown}@{term.language}"
            if term.datatype is not None:
                return f"{shown}^^{self(term.datatype)}"
            return shown
        return f"_:{term}"

    def path(self, text: str | None) -> str:
        if text is None:
            return "(the node itself)"
        out = text
        for iri in set(_iris_in(text)):
            out = out.replace(f"<{iri}>", self(URIRef(iri)))
        return out


def _plain_local(local: str) -> bool:
    return all(c.isalnum() or c in "-_./" for c in local)


def _iris_in(text: str) -> list[str]:
    parts, rest = [], text
    while "<" in rest:
        start = rest.index("<")
        end = rest.index(">", start)
        parts.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return parts


def format_text(outcome: ValidationOutcome, names: Names, header: str) -> str:
    """Results grouped by focus node: path, value, message, severity and shape; then a summary."""
    lines = [header, ""]
    by_focus: dict[Node, list[ValidationResult]] = {}
    for result in outcome.results:
        by_focus.setdefault(result.focus_node, []).append(result)
    for focus, results in by_focus.items():
        lines.append(names(focus))
        sentence = results[0].sentence
        if sentence is not None:
            number = f" {sentence.number}" if sentence.number is not None else ""
            text = sentence.text if len(sentence.text) <= 240 else sentence.text[:237] + "..."
            lines.append(f"  from report sentence{number}: {json.dumps(text, ensure_ascii=False)}")
        for r in results:
            value = f" = {names(r.value)}" if r.value is not None and r.value != r.focus_node else ""
            lines.append(f"  {r.severity}: {names.path(r.path)}{value}")
            lines.append(f"    {r.message}")
            rule = names(r.constraint).removeprefix("sh:").removesuffix("ConstraintComponent")
            shape = names(r.source_shape)
            if isinstance(r.source_shape, BNode) and r.parent_shape is not None:
                shape = f"{names(r.parent_shape)}, its property shape for {names.path(r.path)}"
            lines.append(f"    shape {shape} ({rule})")
        lines.append("")
    c = outcome.counts
    summary = (
        f"Summary: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s) "
        f"on {len(by_focus)} focus node(s), {outcome.data_triples} triple(s) checked."
    )
    lines.append(summary)
    if outcome.conforms:
        note = " (warnings and infos do not stop data from conforming)" if outcome.results else ""
        lines.append(f"Conforms{note}: exit 0.")
    else:
        lines.append("Does not conform: fix the violations above (exit 1).")
    return "\n".join(lines) + "\n"


def _term_json(term: Node | None) -> dict[str, str] | None:
    """A term as in SPARQL 1.1 JSON results: ``{"type": "uri"|"bnode"|"literal", "value": ...}``."""
    wire = rdflib_to_wire(term)
    return None if wire is None else wire_to_json(wire)


def format_json(outcome: ValidationOutcome, files: list[str]) -> str:
    """The outcome as JSON: conforms, counts by severity, and each result with its terms."""
    document: dict[str, Any] = {
        "conforms": outcome.conforms,
        "shacl_conforms": outcome.shacl_conforms,
        "files": files,
        "triples": outcome.data_triples,
        "counts": outcome.counts,
        "results": [
            {
                "focus_node": _term_json(r.focus_node),
                "path": r.path,
                "value": _term_json(r.value),
                "message": r.message,
                "severity": r.severity,
                "source_shape": _term_json(r.source_shape),
                "parent_shape": _term_json(r.parent_shape),
                "constraint": _term_json(r.constraint),
                "sentence": None
                if r.sentence is None
                else {"iri": str(r.sentence.iri), "number": r.sentence.number, "text": r.sentence.text},
            }
            for r in outcome.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
