"""A big graph is written by a forked child while the build validates it (``xjkg.build.build._serialize_aside``)."""

from __future__ import annotations

import os

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from xjkg.build import build


def _big_graph() -> Graph:
    graph = Graph()
    for n in range(build.ASIDE_FROM_TRIPLES + 10):
        graph.add((URIRef(f"https://w3id.org/xjkg/id/report/r{n % 7}/span/{n}"), RDFS.label, Literal(f"span {n}")))
    return graph


def test_the_child_writes_the_same_bytes() -> None:
    graph = _big_graph()
    written = build._serialize_aside(graph, draft=False)
    assert written() == build.serialize(graph)


def test_a_failing_child_is_made_good_here(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _big_graph()
    parent = os.getpid()
    real = build.serialize

    def fails_in_child(g: Graph, *, draft: bool = False) -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("the child cannot write")
        return real(g, draft=draft)

    monkeypatch.setattr(build, "serialize", fails_in_child)
    written = build._serialize_aside(graph, draft=True)
    assert written() == real(graph, draft=True)
