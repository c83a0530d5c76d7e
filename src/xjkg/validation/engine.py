"""The one seam between xjkg and the SHACL engines: :func:`check` takes the data (with its background) and the
shapes, and gives one standard ``sh:ValidationReport``.

With ``engine="fast"`` (the default) the shapes are split once (:func:`xjkg.validation.shacl_sparql.split_shapes`):
the SHACL-SPARQL constraints (``sh:sparql``) run once each on pyoxigraph for all their focus nodes
(:func:`~xjkg.validation.shacl_sparql.evaluate_sparql`), the rest runs in pySHACL with our few changes on
(:mod:`xjkg.validation.pyshacl_tuning`), and both results are merged here. ``engine="pyshacl"`` runs every shape
in plain pySHACL: the reference the tests compare the fast engine against. Why the split, and what the
changes to pySHACL are, is in ``docs/validation.md``.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import RDF, RDFS, SH
from xjkg.validation.pyshacl_tuning import tuned
from xjkg.validation.shacl_sparql import evaluate_sparql, focus_nodes, split_shapes

__all__ = ["ENGINES", "check"]

log = logging.getLogger(__name__)

#: ``check(engine=...)``: pySHACL + pyoxigraph for SPARQL constraints, or pySHACL alone.
ENGINES = ("fast", "pyshacl")


def check(
    union: Graph,
    shapes: Graph,
    *,
    name: str = "shapes",
    keep: set[Node] | None = None,
    only_new_focus: bool = True,
    engine: str = "fast",
) -> Graph:
    """Validate ``union`` (the data and its background; pySHACL may add to it) against ``shapes``, no inference.

    ``keep``: the new data's nodes, when ``union`` holds background too; with ``only_new_focus`` only their
    focus nodes are validated where that gives the same results (the others' results are dropped by the
    caller anyway). ``name`` names the shapes in errors. Returns pySHACL's report with the SPARQL
    constraints' results merged in.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    split = split_shapes(shapes, name) if engine == "fast" else None
    core = shapes if split is None else split.core
    started = time.perf_counter()
    with tuned() if split is not None else nullcontext(False) as tuning:  # the reference runs pySHACL as it is
        focus = _focus_restriction(keep, union, core) if tuning and keep is not None and only_new_focus else None
        # No IRI among the new data's nodes (and no targeted blank node): nothing for pySHACL to check.
        report = _empty_report() if focus == [] else _pyshacl(union, core, focus)
    log.info("pySHACL validated %d triples in %.2f s", len(union), time.perf_counter() - started)
    if split is not None and split.constraints:
        started = time.perf_counter()
        only = None if focus is None else keep
        _merge(report, evaluate_sparql(split.constraints, union, shapes, only=only))
        log.info("%d SPARQL constraints in %.2f s", len(split.constraints), time.perf_counter() - started)
    return report


def _pyshacl(union: Graph, shapes: Graph, focus: list[URIRef] | None) -> Graph:
    """pySHACL on ``union`` (no inference, nothing fetched), on every focus node or on ``focus``."""
    try:
        _conforms, report, _text = pyshacl.validate(
            union,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=False,
            allow_warnings=False,
            meta_shacl=False,
            advanced=True,  # SHACL-AF targets and functions, if our shapes use them
            js=False,
            do_owl_imports=False,  # never fetched
            inplace=True,  # `union` is our own copy
            focus_nodes=None if focus is None else list[str | URIRef](focus),
        )
    except RecursionError:
        raise XjkgError("the data is nested too deeply for validation") from None
    except ReportableRuntimeError as exc:  # the base of pySHACL's errors for shapes it cannot use
        raise XjkgError(f"the shapes could not be used: {type(exc).__name__}: {exc}") from None
    if not isinstance(report, Graph):  # pyshacl returns a ValidationFailure (e.g. a broken SPARQL constraint)
        raise XjkgError(f"validation failed: {getattr(report, 'message', report)}")
    return report


def _empty_report() -> Graph:
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(True)))
    return report


#: Above this many (focus candidates x targets) pySHACL's focus filter (a list scan per target) costs more
#: than validating the background: big new data is validated whole, as before.
_FOCUS_SCAN_LIMIT = 2_000_000
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


def _focus_restriction(keep: set[Node], union: Graph, shapes: Graph) -> list[URIRef] | None:
    """The new data's nodes as pySHACL ``focus_nodes``, or None to validate every focus node.

    pySHACL keeps, of each shape's targets, those in ``focus_nodes``: the results on the new data's
    nodes are then exactly those of a whole validation. It takes IRIs only, so when a blank node of
    the new data is a target of some shape (or targets are SHACL-AF ``sh:target``, which we do not
    compute here) everything is validated, as before.
    """
    if any(True for _ in shapes.subject_objects(SH.target)):
        return None
    targeted: set[Node] = set()
    holders = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    class_types = set(shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class))
    holders |= {s for t in class_types for s in shapes.subjects(RDF.type, t)}
    for shape in holders:
        targeted |= focus_nodes(shape, shapes, union)
    if any(isinstance(node, BNode) and node in targeted for node in keep):
        return None
    # Every IRI of the new data, not only those found targeted here: pySHACL decides what its targets are.
    focus = [node for node in keep if isinstance(node, URIRef)]
    if len(focus) * max(len(targeted), 1) > _FOCUS_SCAN_LIMIT:
        return None
    # pySHACL takes focus IRIs verbatim only for these schemes; any other it tries to expand as a prefixed
    # name (and fails on a URIRef): validate everything then.
    if not all(str(node).lower().startswith(_VERBATIM_SCHEMES) for node in focus):
        return None
    return focus


_VERBATIM_SCHEMES = ("http:", "https:", "urn:", "file:")


def _merge(report: Graph, results: Graph) -> None:
    """Add the SPARQL constraints' results to pySHACL's ``sh:ValidationReport``."""
    root = report.value(None, RDF.type, SH.ValidationReport)
    assert root is not None  # pySHACL always writes one
    report += results
    for result in results.subjects(RDF.type, SH.ValidationResult):
        report.add((root, SH.result, result))
