"""The calls a notebook needs: the graph as an rdflib graph, a stored query or a SPARQL text run on the
embedded store, each over the project's corpus or another corpus folder.

>>> import xjkg
>>> graph = xjkg.load_graph()
>>> len(graph) > 1000
True
>>> result = xjkg.run_sparql("SELECT ?report WHERE { ?report a <https://w3id.org/xjkg/ontology#Report> }")
>>> [str(v) for v in result.vars], len(result) >= 1
(['report'], True)
>>> for row in result:
...     assert str(row.report).startswith("https://w3id.org/xjkg/id/")
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

    from xjkg.query.engines import EmbeddedEngine
    from xjkg.query.results import QueryResult

__all__ = ["engine_for", "load_graph", "run_sparql", "run_stored"]

_engines: dict[Path, EmbeddedEngine] = {}
_lock = threading.Lock()


def _graph_file(corpus: str | os.PathLike[str] | None) -> Path:
    from xjkg.core.options import corpus_graph_file

    return corpus_graph_file(Path(corpus) if corpus is not None else None)


def load_graph(corpus: str | os.PathLike[str] | None = None) -> rdflib.Graph:
    """The built graph of ``corpus`` (a corpus folder built with ``xjkg build --corpus``; default: the
    project's ``data/xjkg.ttl``) as an :class:`rdflib.Graph`, with the project's prefixes bound."""
    from xjkg.core.readers import read_rdf

    return read_rdf(_graph_file(corpus))


def engine_for(corpus: str | os.PathLike[str] | None = None) -> EmbeddedEngine:
    """The embedded store over ``corpus``'s built graph, started once per process and corpus (a query
    runs in a worker process under a deadline; the workers end with the process)."""
    from xjkg.query.engines import EmbeddedEngine

    graph_file = _graph_file(corpus).resolve()
    with _lock:
        engine = _engines.get(graph_file)
        if engine is None:
            engine = _engines[graph_file] = EmbeddedEngine(graph_file)
            atexit.register(engine.close)
        return engine


def run_stored(name: str, corpus: str | os.PathLike[str] | None = None, **params: object) -> QueryResult:
    """Run the stored query ``name`` (``xjkg queries`` lists them) with keyword parameters, e.g.
    ``run_stored("figures-of-indicator", indicator="id:indicator/…")``; parameters left out are optional."""
    from xjkg.query.stored import run_stored as run

    return run(name, engine_for(corpus), **params)


def run_sparql(text: str, corpus: str | os.PathLike[str] | None = None) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on the embedded store."""
    return engine_for(corpus).query(text, where="query")
