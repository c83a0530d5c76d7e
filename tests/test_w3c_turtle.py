"""The RDF 1.1 Turtle test suite (``shared/w3c/rdf/rdf11/rdf-turtle/``) through :func:`xjkg.core.readers.read_rdf`.

Positive syntax tests must parse, negative ones must fail with ``file:line:column``, evaluation tests
must give the expected N-Triples graph (compared as graphs). Tests we cannot pass are listed, with the
reason, in ``known_failures/w3c_turtle.tsv`` and run as strict xfails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import known_failures, shared_dir
from xjkg.core.errors import XjkgError
from xjkg.core.readers import read_rdf

SUITE = "w3c/rdf/rdf11/rdf-turtle"
BASE = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _cases() -> list:  # type: ignore[type-arg]
    """One pytest param per manifest entry, in manifest order, with the test name as id."""
    found = shared_dir()
    if found is None or not (found / SUITE / "manifest.ttl").is_file():
        return [pytest.param(None, None, None, None, id="suite-absent")]
    folder = found / SUITE
    manifest = read_rdf(folder / "manifest.ttl", base=BASE + "manifest.ttl")
    head = manifest.value(URIRef(BASE + "manifest.ttl"), MF.entries)
    known = known_failures("w3c_turtle")
    cases = []
    for entry in Collection(manifest, head):
        name = str(entry).rsplit("#", 1)[-1]
        kind = str(manifest.value(entry, RDF_TYPE)).rsplit("#", 1)[-1]
        action = str(manifest.value(entry, MF.action)).removeprefix(BASE)
        result = manifest.value(entry, MF.result)
        expected = str(result).removeprefix(BASE) if result is not None else None
        marks = [pytest.mark.xfail(reason=known[name], strict=True)] if name in known else []
        cases.append(pytest.param(kind, folder, action, expected, id=name, marks=marks))
    return cases


CASES = _cases()


def _lower_language_tags(graph: Graph) -> Graph:
    """RDF 1.1 compares language tags case-insensitively (pyoxigraph lower-cases them; rdflib does not)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def test_suite_is_complete(shared: Path) -> None:
    """The manifest was read: all 313 tests, and every known failure names a real test."""
    names = {case.id for case in CASES}
    assert len(CASES) == 313
    assert set(known_failures("w3c_turtle")) <= names


@pytest.mark.parametrize(("kind", "folder", "action", "expected"), CASES)
def test_turtle(
    shared: Path, monkeypatch: pytest.MonkeyPatch, kind: str, folder: Path, action: str, expected: str | None
) -> None:
    # Our reader keeps lexical forms as written; so must rdflib when it reads the expected N-Triples.
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    path = folder / action
    if kind in ("TestTurtlePositiveSyntax", "TestTurtleEval"):
        graph = read_rdf(path, "turtle", base=BASE + action, allow_empty=True)
        if kind == "TestTurtleEval":
            assert expected is not None
            wanted = _lower_language_tags(Graph().parse(folder / expected, format="nt"))
            graph = _lower_language_tags(graph)
            if not isomorphic(graph, wanted):
                _, missing, extra = graph_diff(to_isomorphic(wanted), to_isomorphic(graph))
                missing_nt, extra_nt = missing.serialize(format="nt"), extra.serialize(format="nt")
                pytest.fail(f"graphs differ\nmissing:\n{missing_nt}\nextra:\n{extra_nt}")
    else:
        assert kind in ("TestTurtleNegativeSyntax", "TestTurtleNegativeEval"), kind
        with pytest.raises(XjkgError) as caught:
            read_rdf(path, "turtle", base=BASE + action, allow_empty=True)
        # The message names the file, the line and the column.
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", caught.value.message), caught.value.message
        assert caught.value.exit_code == 2
