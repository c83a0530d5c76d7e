"""The W3C SHACL Core test suite (``shared/w3c/data-shapes-test-suite/tests/core/``) through
:func:`xjkg.validation.validate.validate_graph`, the code path of ``xjkg validate``.

Each test file holds data, shapes and the expected report; we check the SHACL conformance and the
results as a multiset of (focus node, path, severity, source shape, constraint component, value).
Tests we cannot pass are listed with the reason in ``known_failures/w3c_shacl.tsv`` (strict xfails).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from conftest import known_failures, shared_dir
from xjkg.core.namespaces import RDF, SH
from xjkg.core.readers import read_rdf
from xjkg.validation.validate import ValidationResult, _path_text, validate_graph

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

SUITE = "w3c/data-shapes-test-suite/tests/core"
BASE = "http://www.w3.org/ns/shacl-test-suite/core/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@cache
def _read(folder: Path, rel: str) -> Graph:
    """Each suite file parsed once per session (data, shapes and expected report share blank nodes)."""
    return read_rdf(folder / rel, "turtle", base=BASE + rel, allow_empty=True)


def _entries(folder: Path, rel: str) -> list[tuple[str, str, URIRef]]:
    """(test id, file, test node) for every test reachable from the manifest ``rel``."""
    graph = _read(folder, rel)
    out = []
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(manifest, MF.include):
            out.extend(_entries(folder, str(include).removeprefix(BASE)))
        for head in graph.objects(manifest, MF.entries):
            for test in Collection(graph, head):
                test_id = str(test).removeprefix(BASE)
                out.append((test_id, rel, test))
    return out


def _cases() -> list:  # type: ignore[type-arg]
    found = shared_dir()
    if found is None or not (found / SUITE / "manifest.ttl").is_file():
        return [pytest.param(None, None, None, id="suite-absent")]
    folder = found / SUITE
    known = known_failures("w3c_shacl")
    cases = []
    for test_id, rel, test in _entries(folder, "manifest.ttl"):
        marks = [pytest.mark.xfail(reason=known[test_id], strict=True)] if test_id in known else []
        cases.append(pytest.param(folder, rel, test, id=test_id, marks=marks))
    return cases


CASES = _cases()


def test_suite_is_complete(shared: Path) -> None:
    """Every test of SHACL Core was found, and every known failure names a real test."""
    names = {case.id for case in CASES}
    assert len(CASES) == 98
    assert set(known_failures("w3c_shacl")) <= names


def _term(graph: Graph, node: Node | None) -> object:
    """A comparable form: a blank-node shape by its path; IRIs, literals and other blank nodes as they are."""
    if isinstance(node, BNode) and graph.value(node, SH.path) is not None:
        return ("shape with path", _path_text(graph, graph.value(node, SH.path)))
    return node


def _key(report: Graph, result: Node, shapes: Graph) -> tuple[object, ...]:
    path = report.value(result, SH.resultPath)
    return (
        report.value(result, SH.focusNode),
        None if path is None else _path_text(report, path),
        report.value(result, SH.resultSeverity),
        _term(shapes, report.value(result, SH.sourceShape)),
        report.value(result, SH.sourceConstraintComponent),
        report.value(result, SH.value),
    )


@pytest.mark.parametrize(("folder", "rel", "test"), CASES)
def test_shacl_core(shared: Path, folder: Path, rel: str, test: URIRef) -> None:
    manifest = _read(folder, rel)
    action = manifest.value(test, MF.action)
    data = _read(folder, str(manifest.value(action, SHT.dataGraph)).removeprefix(BASE))
    shapes = _read(folder, str(manifest.value(action, SHT.shapesGraph)).removeprefix(BASE))
    expected = manifest.value(test, MF.result)
    assert expected is not None and (expected, RDF.type, SH.ValidationReport) in manifest

    outcome = validate_graph(data, shapes=shapes, ontology=False)

    wanted_conforms = manifest.value(expected, SH.conforms)
    assert isinstance(wanted_conforms, Literal)
    assert outcome.shacl_conforms == wanted_conforms.toPython()
    wanted = Counter(_key(manifest, r, shapes) for r in manifest.objects(expected, SH.result))
    report = outcome.report_graph
    got = Counter(_key(report, r, shapes) for r in report.objects(None, SH.result))
    assert got == wanted, f"missing: {wanted - got}\nunexpected: {got - wanted}"
    assert len(outcome.results) == sum(wanted.values())


def _agreement_key(r: ValidationResult) -> tuple[object, ...]:
    """The result with its message as a bag of words: pySHACL lists several classes etc. in set order."""
    words = sorted(r.message.replace(",", " ").replace("(", " ").replace(")", " ").split())
    return (r.focus_node, r.path, r.value, r.severity, r.source_shape, r.constraint, " ".join(words))


# Both engines on every test, known failures included: where they fail, they must fail alike (issue 8).
AGREEMENT = [pytest.param(*case.values, id=case.id) for case in CASES]


@pytest.mark.parametrize(("folder", "rel", "test"), AGREEMENT)
def test_engines_agree_on_shacl_core(shared: Path, folder: Path, rel: str, test: URIRef) -> None:
    """The fast engine and pySHACL alone give the same results and messages on each suite test."""
    manifest = _read(folder, rel)
    action = manifest.value(test, MF.action)
    data = _read(folder, str(manifest.value(action, SHT.dataGraph)).removeprefix(BASE))
    shapes = _read(folder, str(manifest.value(action, SHT.shapesGraph)).removeprefix(BASE))
    fast = validate_graph(data, shapes=shapes, ontology=False, engine="fast")
    reference = validate_graph(data, shapes=shapes, ontology=False, engine="pyshacl")
    got = Counter(_agreement_key(r) for r in fast.results)
    wanted = Counter(_agreement_key(r) for r in reference.results)
    assert got == wanted, f"fast only: {got - wanted}\npySHACL only: {wanted - got}"
    assert fast.conforms == reference.conforms
