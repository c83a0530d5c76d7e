"""Which report a statement belongs to, and the named graph of each report.

One rule for the quad exports (:func:`xjkg.mapping.corpus.report_statements`) and for the embedded store
(:func:`add_report_graphs`): a triple belongs to the report whose IRI, or an IRI minted under it (its figures,
spans, sentences, selectors), is its subject; else to the report it cites (a shared entity
``prov:wasAttributedTo`` the report, or ``prov:wasDerivedFrom`` one of its spans). Shared vocabularies and the
data-set structure belong to no report. Plain strings, no rdflib: the query worker imports this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from xjkg.core.rdf import PREFIXES

__all__ = [
    "GRAPH_BASE",
    "REPORT_GRAPH_BASE",
    "REPORT_ID",
    "add_report_graphs",
    "owner_of",
    "report_id_of",
]

#: Named graphs of the quad formats and of the store: ``https://w3id.org/xjkg/graph/<part>``.
GRAPH_BASE = "https://w3id.org/xjkg/graph/"
#: A report's named graph is this followed by the report's id.
REPORT_GRAPH_BASE = GRAPH_BASE + "report/"
REPORT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")

_REPORT_PREFIX = PREFIXES["id"] + "report/"
_CITING = frozenset({PREFIXES["prov"] + "wasAttributedTo", PREFIXES["prov"] + "wasDerivedFrom"})


def report_id_of(iri: str) -> str | None:
    """The report id of a report IRI, or of a figure, span or sentence IRI minted under it.

    >>> report_id_of("https://w3id.org/xjkg/id/report/iprcc-xinjiang-2009/figure/training/people-trained")
    'iprcc-xinjiang-2009'
    >>> report_id_of("https://w3id.org/xjkg/id/county/luopu") is None
    True
    """
    if not iri.startswith(_REPORT_PREFIX):
        return None
    rest = iri[len(_REPORT_PREFIX) :].split("/", 1)[0]
    return rest if REPORT_ID.fullmatch(rest) else None


def owner_of(subject: str | None, predicate: str, obj: str | None) -> str | None:
    """The id of the report a triple belongs to, or None; ``subject``/``obj`` are IRIs, None for other terms.

    >>> owner_of("https://w3id.org/xjkg/id/county/luopu", "http://www.w3.org/ns/prov#wasAttributedTo",
    ...          "https://w3id.org/xjkg/id/report/r-1")
    'r-1'
    """
    owner = report_id_of(subject) if subject is not None else None
    if owner is None and obj is not None and predicate in _CITING:
        owner = report_id_of(obj)
    return owner


def add_report_graphs(store: Any, statements: Iterable[Any] | None = None) -> None:
    """Add to a pyoxigraph ``store`` each report's statements of its default graph as the named graph
    ``REPORT_GRAPH_BASE + id`` (what the quad exports hold), so that ``FROM`` and ``GRAPH`` select a report.

    ``statements``: the default graph's triples when the caller has them quicker than a walk of the store
    (a store on disk is slow to walk: parsing its file again is quicker).
    """
    import pyoxigraph as ox  # the caller has it loaded already

    named = ox.NamedNode
    if statements is None:
        statements = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    graphs: dict[str, Any] = {}
    quads = []
    for quad in statements:
        subject, obj = quad.subject, quad.object
        owner = owner_of(
            subject.value if type(subject) is named else None,
            quad.predicate.value,
            obj.value if type(obj) is named else None,
        )
        if owner is not None:
            graph = graphs.get(owner)
            if graph is None:
                graph = graphs[owner] = named(REPORT_GRAPH_BASE + owner)
            quads.append(ox.Quad(subject, quad.predicate, obj, graph))
    if quads:  # a read-only store (the cache's) with no report statements: nothing to write
        store.bulk_extend(quads)  # one write without a transaction: less memory and time on a store on disk
