"""Our overrides of other packages' internals install on the versions pyproject.toml pins them to.

pySHACL (xjkg.validation.pyshacl_tuning): the changes install on the pinned version, they are on only inside
``tuned()``, and pySHACL's results with them are those without, on every shape example, invalid and valid
(tests/shapes/). (The focus-node change is compared with plain pySHACL in test_validate_focus.py; the SPARQL
constraints' engine in test_shacl_sparql.py.) uvicorn (xjkg.server.lifecycle): the server's HTTP protocol
overrides methods the pinned uvicorn has; its behaviour (431 past the head limit, a slow head cut off) is
tested on a live server in test_hostile_server.py."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import tomllib
from pathlib import Path

import pyshacl
import pytest
from pyshacl.shape import Shape
from rdflib import BNode, Graph
from rdflib.namespace import SH

from xjkg.core import paths
from xjkg.core.readers import read_rdf
from xjkg.validation import pyshacl_tuning
from xjkg.validation.engine import _pyshacl
from xjkg.validation.shacl_sparql import sparql_path, split_shapes


def copy(graph: Graph) -> Graph:
    """A new graph with the same triples (pySHACL validates in place)."""
    new = Graph()
    new += graph
    return new


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "shapes"


def test_the_pinned_pyshacl_is_installed_and_tuned() -> None:
    assert pyshacl.__version__.startswith(_pinned("pyshacl") + "."), pyshacl.__version__
    with pyshacl_tuning.tuned() as on:
        assert on  # every patch found the internals it was written for
    assert Shape.validate.__module__ == pyshacl_tuning.__name__


def test_the_changes_are_on_only_inside_tuned() -> None:
    with pyshacl_tuning.tuned():
        assert pyshacl_tuning._state.on is True
    assert pyshacl_tuning._state.on is False


def _rows(report: Graph, shapes: Graph) -> list[tuple[str, ...]]:
    """The top-level results: a blank property shape by the node shape holding it."""
    rows = []
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, BNode):
            shape = shapes.value(None, SH.property, shape)
        path = report.value(result, SH.resultPath)
        rows.append(
            (
                str(report.value(result, SH.focusNode)),
                "" if path is None else str(sparql_path(report, path)),
                str(report.value(result, SH.value)),
                str(report.value(result, SH.resultSeverity)),
                str(shape),
                str(report.value(result, SH.sourceConstraintComponent)),
                " | ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
            )
        )
    return sorted(rows)


CORE = split_shapes(Graph().parse(paths.SHAPES_FILE, format="turtle")).core  # what pySHACL runs, tuned


@pytest.mark.slow
def test_results_equal_plain_pyshacl() -> None:
    """pySHACL on our shapes (those it runs: all but the SPARQL constraints), with the changes and without, on
    every example at once (their nodes are their own: one validation sees each as its own would)."""
    data = Graph().parse(EXAMPLES / "_context.ttl", format="turtle")
    for example in sorted(EXAMPLES.glob("*.*valid.ttl")):
        data.parse(example, format="turtle")
    data += read_rdf(paths.ONTOLOGY_FILE)
    with pyshacl_tuning.tuned() as on:
        assert on
        tuned = _pyshacl(copy(data), CORE, None)
    plain = _pyshacl(copy(data), CORE, None)
    rows = _rows(tuned, CORE)
    assert len(rows) > 50  # the invalid examples' results are there
    assert rows == _rows(plain, CORE)


# -- uvicorn: the server's HTTP protocol (xjkg.server.lifecycle._protocol_class) ---------------------------


def _pinned(package: str) -> str:
    """The ``major.minor`` pyproject.toml pins ``package`` to."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [spec] = [d.split(";")[0].replace(" ", "") for d in project["project"]["dependencies"] if d.startswith(package)]
    found = re.fullmatch(rf"{package}>=(\d+)\.(\d+),<(\d+)\.(\d+)", spec)
    assert found, f"{package} is not pinned to one minor version: {spec}"
    major, minor, next_major, next_minor = map(int, found.groups())
    assert (next_major, next_minor) == (major, minor + 1), spec
    return f"{major}.{minor}"


def _self_names(function: object) -> set[str]:
    """The names a method reaches through ``self.`` (its source read as Python)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
    }


def test_the_uvicorn_protocol_override_matches_the_pinned_uvicorn() -> None:
    """The head limit overrides uvicorn's ``data_received`` (a copy with the head counted) and hooks its parser
    callbacks: on the pinned uvicorn every method it relies on is there, and uvicorn's own ``data_received``
    does nothing the copy leaves out."""
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from xjkg.server.lifecycle import _protocol_class

    assert uvicorn.__version__.startswith(_pinned("uvicorn") + "."), uvicorn.__version__
    ours = _protocol_class()
    assert issubclass(ours, HttpToolsProtocol)
    hooked = ("on_message_begin", "on_url", "on_header", "on_headers_complete", "on_message_complete")
    for name in (*hooked, "on_response_complete", "connection_made", "connection_lost", "data_received"):
        assert callable(getattr(HttpToolsProtocol, name, None)), name
    upstream, copy_ = _self_names(HttpToolsProtocol.data_received), _self_names(ours.data_received)
    assert upstream <= copy_, sorted(upstream - copy_)
    for name in copy_ - {"_in_head", "_head_bytes", "_head_exact", "_refuse_head"}:
        assert hasattr(HttpToolsProtocol, name) or name in ("parser", "transport", "logger"), name
