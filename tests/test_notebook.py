"""The notebook API: ``import xjkg`` and its entry points, QueryResult read as rdflib's Result is read."""

from __future__ import annotations

import pydoc
import subprocess
import sys

import pytest
from rdflib import Graph, URIRef, Variable
from rdflib.query import ResultRow

import xjkg
from xjkg.core.paths import GRAPH_FILE
from xjkg.core.readers import read_rdf

SELECT = (
    "PREFIX xjkg: <https://w3id.org/xjkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?label WHERE { ?s a xjkg:Report . OPTIONAL { ?s rdfs:label ?label } } ORDER BY ?s"
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return read_rdf(GRAPH_FILE)


def test_public_names_resolve_and_help_lists_the_entry_points() -> None:
    for name in xjkg.__all__:
        assert getattr(xjkg, name) is not None, name
    text = pydoc.render_doc(xjkg, renderer=pydoc.plaintext)
    for entry in ("load_graph", "run_stored", "run_sparql", "stored_queries", "QueryResult"):
        assert entry in text, entry
    with pytest.raises(AttributeError):
        _ = xjkg.no_such_name  # type: ignore[attr-defined]


@pytest.mark.slow  # a fresh interpreter
def test_import_xjkg_imports_nothing_heavy() -> None:
    # The one-shot `xjkg query` imports the package: its names come on first use.
    code = "import sys, xjkg; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'xjkg.query') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_load_graph_is_the_built_graph(graph: Graph) -> None:
    loaded = xjkg.load_graph()
    assert isinstance(loaded, Graph)
    assert len(loaded) == len(graph)


def test_load_graph_refuses_a_folder_that_is_not_there(tmp_path) -> None:
    with pytest.raises(xjkg.XjkgError):
        xjkg.load_graph(tmp_path / "absent")


def test_select_reads_as_rdflibs_result(graph: Graph) -> None:
    ours = xjkg.run_sparql(SELECT)
    theirs = graph.query(SELECT)
    assert ours.vars == list(theirs.vars or []) == [Variable("s"), Variable("label")]
    assert len(ours) == len(theirs) > 0
    assert ours.bindings == theirs.bindings
    rows = list(ours)
    assert all(isinstance(row, ResultRow) for row in rows)
    assert [tuple(row) for row in rows] == [tuple(row) for row in theirs]
    assert rows[0].s == rows[0]["s"] == rows[0][0]
    assert bool(ours) and ours.type == "SELECT"


def test_ask_and_construct_read_as_rdflibs_result(graph: Graph) -> None:
    yes = xjkg.run_sparql("ASK { ?s ?p ?o }")
    no = xjkg.run_sparql("ASK { <urn:x:none> ?p ?o }")
    assert (list(yes), len(yes), bool(yes), yes.askAnswer) == ([True], 1, True, True)
    assert (list(no), bool(no)) == ([False], False)
    query = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c . FILTER(?c = <https://w3id.org/xjkg/ontology#Report>) }"
    ours = xjkg.run_sparql(query)
    theirs = graph.query(query)
    assert len(ours) == len(theirs) > 0
    assert set(ours) == set(theirs)
    assert all(isinstance(t[0], URIRef) for t in ours)


def test_run_stored_with_optional_parameters_left_out() -> None:
    stored = xjkg.stored_queries()
    name = next(n for n, q in sorted(stored.items()) if q.form == "SELECT" and q.params)
    result = xjkg.run_stored(name)
    assert isinstance(result, xjkg.QueryResult)
    assert [str(v) for v in result.vars] == result.variables
    assert len(result) == len(list(result)) == result.row_count
