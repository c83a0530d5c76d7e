"""Validating new data against a background checks only the new data's focus nodes (issue 14, target 2),
with exactly the results of validating every focus node of data + background.

The background is the project's own ontology and built graph, the shapes are the project's shapes: the
restriction must hold for the real rules (sh:class through the background, SPARQL constraints, counts).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from xjkg.core import paths
from xjkg.core.namespaces import OA, RDF, XJKG
from xjkg.core.readers import read_rdf
from xjkg.validation.validate import ValidationOutcome, validate_graph

COUNTY = Path(__file__).parent / "data" / "validate" / "county-2010.ttl"


def _rows(outcome: ValidationOutcome) -> list[tuple[str, ...]]:
    return sorted(
        (str(r.focus_node), str(r.path), str(r.value), r.severity, str(r.source_shape), str(r.constraint), r.message)
        for r in outcome.results
        if not isinstance(r.source_shape, BNode)  # blank shape identities differ between runs
    ) + sorted(
        (str(r.focus_node), str(r.path), str(r.value), r.severity, str(r.parent_shape), str(r.constraint), r.message)
        for r in outcome.results
        if isinstance(r.source_shape, BNode)
    )


def _both(data: Graph) -> tuple[ValidationOutcome, ValidationOutcome]:
    if not paths.GRAPH_FILE.is_file():
        pytest.skip(f"{paths.GRAPH_FILE} is not built")
    background = read_rdf(paths.GRAPH_FILE)
    fast = validate_graph(data, background=background)
    whole = validate_graph(data, background=background, only_new_focus=False)
    reference = validate_graph(data, background=background, engine="pyshacl")  # pySHACL as it is
    assert _rows(whole) == _rows(reference)
    return fast, whole


def test_small_file_same_results_as_whole_validation() -> None:
    text = COUNTY.read_text(encoding="utf-8")
    # Mistakes that reach into the background: a second division code for a county the graph knows,
    # a figure whose area is a period, a negative count.
    text = text.replace('xjkg:divisionCode "653224"', 'xjkg:divisionCode "65322"')
    text = text.replace("sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue -84 ;")
    # A value checked by nested shapes (sh:or of datatypes on a literal): pySHACL's focus_nodes option
    # alone would filter the literal out of the nested check and let it pass.
    text = text.replace("sdmx-measure:obsValue 61350 ;", 'sdmx-measure:obsValue "61350" ;')
    text = text.replace(
        "refArea county:luopu ;\n    sdmx-dimension:refPeriod period:2010 ;\n    sdmx-measure:obsValue 30.9",
        "refArea period:2010 ;\n    sdmx-dimension:refPeriod period:2010 ;\n    sdmx-measure:obsValue 30.9",
    )
    data = Graph().parse(data=text, format="turtle")
    fast, whole = _both(data)
    assert not whole.conforms and len(whole.results) > 10  # the case is not trivially empty
    assert any(str(r.constraint).endswith("#OrConstraintComponent") for r in whole.results)
    assert _rows(fast) == _rows(whole)
    assert fast.counts == whole.counts


def test_blank_node_targets_fall_back_to_whole_validation() -> None:
    """pySHACL takes only IRIs as focus nodes: a targeted blank node of the new data must still be checked."""
    data = Graph()
    span, selector = URIRef("https://w3id.org/xjkg/id/span/test-0-1"), BNode()
    data.add((span, RDF.type, XJKG.ReportSpan))
    data.add((span, OA.hasSelector, selector))
    data.add((selector, RDF.type, OA.TextPositionSelector))
    data.add((selector, OA.start, Literal("nine")))
    fast, whole = _both(data)
    assert any(r.focus_node == selector for r in whole.results)
    assert _rows(fast) == _rows(whole)
