"""The SHACL shapes, DASH style: every shape has a valid and an invalid example under tests/shapes/.

Each example is validated together with ``tests/shapes/_context.ttl`` (a small report, places, concepts)
through :func:`xjkg.validation.validate.validate_graph` (pySHACL, no inference, the ontology as background). A valid
example gives no result at all; an invalid one gives exactly the results its ``dash:expectedResult``
lists: that shape (or, for a property shape, the node shape holding it) on that focus node.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.namespace import SH

from xjkg.core import paths
from xjkg.validation.validate import ValidationOutcome, validate_graph

DASH = Namespace("http://datashapes.org/dash#")
XSH = "https://w3id.org/xjkg/shapes#"
EXAMPLES = Path(__file__).resolve().parent / "shapes"
CONTEXT = EXAMPLES / "_context.ttl"
VALID = sorted(EXAMPLES.glob("*.valid.ttl"))
INVALID = sorted(EXAMPLES.glob("*.invalid.ttl"))


def _shape_of(path: Path) -> str:
    """``TotalShape-units.invalid.ttl`` → ``TotalShape``."""
    return path.name.split(".")[0].split("-")[0]


def _named_shapes() -> set[str]:
    shapes = Graph().parse(paths.SHAPES_FILE, format="turtle")
    return {str(s)[len(XSH) :] for s in shapes.subjects(RDF.type, SH.NodeShape) if str(s).startswith(XSH)}


def _validate(example: Path) -> tuple[ValidationOutcome, Graph]:
    """Validate the example plus the context; the DASH test-case triples are taken out first."""
    data = Graph().parse(CONTEXT, format="turtle")
    example_graph = Graph().parse(example, format="turtle")
    for case in list(example_graph.subjects(RDF.type, DASH.GraphValidationTestCase)):
        for expected in list(example_graph.objects(case, DASH.expectedResult)):
            example_graph.remove((expected, None, None))
        example_graph.remove((case, None, None))
    data += example_graph
    return validate_graph(data), Graph().parse(example, format="turtle")


def _found(outcome: ValidationOutcome) -> set[tuple[str, str, str]]:
    found = set()
    for result in outcome.results:
        shape = result.parent_shape if isinstance(result.source_shape, BNode) else result.source_shape
        found.add((str(result.focus_node), str(shape), result.severity))
    return found


def test_examples_exist() -> None:
    assert CONTEXT.is_file()
    assert len(VALID) >= 40 and len(INVALID) >= 40


def test_every_shape_has_a_pair() -> None:
    shapes = _named_shapes()
    assert shapes, "no named shapes in shapes.ttl"
    valid = {_shape_of(p) for p in VALID}
    invalid = {_shape_of(p) for p in INVALID}
    assert shapes - valid == set(), "shapes without a valid example"
    assert shapes - invalid == set(), "shapes without an invalid example"
    assert valid | invalid <= shapes, "examples for shapes that do not exist"


def test_context_conforms() -> None:
    outcome = validate_graph(Graph().parse(CONTEXT, format="turtle"))
    assert outcome.results == []


@pytest.mark.slow
@pytest.mark.parametrize("example", VALID, ids=[p.name for p in VALID])
def test_valid_example_conforms(example: Path) -> None:
    outcome, _ = _validate(example)
    assert [(r.focus_node, r.message) for r in outcome.results] == []


@pytest.mark.slow
@pytest.mark.parametrize("example", INVALID, ids=[p.name for p in INVALID])
def test_invalid_example_fails_on_that_shape_and_node(example: Path) -> None:
    outcome, graph = _validate(example)
    cases = list(graph.subjects(RDF.type, DASH.GraphValidationTestCase))
    assert len(cases) == 1, "an invalid example describes its expected results in one dash:GraphValidationTestCase"
    expected = set()
    for node in graph.objects(cases[0], DASH.expectedResult):
        severity = graph.value(node, SH.resultSeverity)
        assert isinstance(severity, URIRef)
        expected.add(
            (str(graph.value(node, SH.focusNode)), str(graph.value(node, SH.sourceShape)), severity.split("#")[-1])
        )
    assert expected, "no dash:expectedResult"
    assert {shape for _, shape, _ in expected} >= {XSH + _shape_of(example)}
    assert _found(outcome) == expected
    for result in outcome.results:
        assert result.message, "every result carries a message in domain words"


def test_every_shape_has_message_and_severity() -> None:
    shapes = Graph().parse(paths.SHAPES_FILE, format="turtle")
    named = [n for n in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(n, URIRef)]
    assert len(named) >= 40
    # Named node shapes and their property shapes; shapes nested in sh:or / sh:not report through their parent.
    for node in named + [p for n in named for p in shapes.objects(n, SH.property)]:
        assert shapes.value(node, SH.severity) in {SH.Violation, SH.Warning}, node
        messages = list(shapes.objects(node, SH.message))
        assert any(getattr(m, "language", None) == "en" for m in messages), node
    for constraint in shapes.objects(None, SH.sparql):
        assert any(getattr(m, "language", None) == "en" for m in shapes.objects(constraint, SH.message)), constraint


#: Where the report does not add up: each (focus node, shape) the built graph is expected to warn about.
KNOWN_FINDINGS = {
    (
        "id/report/iprcc-xinjiang-2009/figure/village-advancement/share-involved",
        "ShareConsistencyShape",
    ): "2668 of 3606 villages stated as 70%",
    (
        "id/report/iprcc-xinjiang-2009/figure/pilot/two-systems-identified-share",
        "ShareConsistencyShape",
    ): "203,600 of 449,000 stated as 45.2%",
    (
        "id/report/iprcc-xinjiang-2009/figure/training/people-trained",
        "TotalShape",
    ): "410,000 people 'including' 250,000 person-times",
    ("id/report/iprcc-xinjiang-2009/figure/measures/assisting-units", "RestatementShape"): "6,432 units vs 6,520 units",
}
# No longer findings (issue 12): 428,000 and 111,000 trained are comparable, not a restatement; "averagely 182,000"
# is rounded to thousands, so 288 million / 1,580 = 182,278.48 agrees with it.


@pytest.mark.slow
def test_built_graph_conforms_and_warns_only_where_the_report_disagrees() -> None:
    if not paths.GRAPH_FILE.is_file():
        pytest.skip(f"{paths.GRAPH_FILE} is not built yet (run `xjkg build`)")
    outcome = validate_graph(Graph().parse(paths.GRAPH_FILE, format="turtle"))
    violations = [(str(r.focus_node), r.message) for r in outcome.results if r.severity != "Warning"]
    assert violations == []
    warnings = {
        (str(r.focus_node).removeprefix("https://w3id.org/xjkg/"), str(r.source_shape).removeprefix(XSH))
        for r in outcome.results
    }
    assert warnings == set(KNOWN_FINDINGS)
