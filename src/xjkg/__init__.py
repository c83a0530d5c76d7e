"""xjkg: a knowledge graph of poverty alleviation built from IPRCC reports, with character-level provenance.

In a notebook::

    import xjkg
    graph = xjkg.load_graph()                       # the built graph as an rdflib.Graph
    result = xjkg.run_stored("investment-by-fund-type")  # a stored query (`xjkg queries` lists them)
    for row in result:                              # rows as rdflib's: row.name, row["name"], row[0]
        ...
    result.to_pandas()                              # a DataFrame of Python values (needs pandas)
    xjkg.run_sparql("ASK { ?s ?p ?o }")             # any read-only SPARQL query
    xjkg.stored_queries()                           # the stored queries, with their parameters

Every call takes ``corpus=`` (a corpus folder built with ``xjkg build --corpus DIR``) to use another corpus.

Entry points: :func:`load_graph`, :func:`run_stored`, :func:`run_sparql`, :func:`stored_queries`,
:func:`engine_for` (the embedded store), :class:`QueryResult`, :class:`EndpointEngine` (a remote SPARQL
endpoint), :class:`XjkgError`. The command line is ``xjkg`` (``xjkg --help``); the web server ``xjkg serve``.

The pipeline, one module a stage: :mod:`xjkg.text.source` (the report) → :mod:`xjkg.text.extract` (quantity
mentions) → :mod:`xjkg.mapping.model` (what each mention means) → :mod:`xjkg.build.build` (the graph) →
shapes / store / queries / export / server.
"""

__version__ = "0.1.0"

# Imported on first use: ``import xjkg`` stays cheap (the one-shot ``xjkg query`` imports this package).
_LAZY = {
    "load_graph": "xjkg.notebook",
    "run_stored": "xjkg.notebook",
    "run_sparql": "xjkg.notebook",
    "engine_for": "xjkg.notebook",
    "stored_queries": "xjkg.query.stored",
    "StoredQuery": "xjkg.query.stored",
    "QueryResult": "xjkg.query.results",
    "EmbeddedEngine": "xjkg.query.engines",
    "EndpointEngine": "xjkg.query.remote",
    "XjkgError": "xjkg.core.errors",
}

__all__ = [
    "EmbeddedEngine",
    "EndpointEngine",
    "QueryResult",
    "StoredQuery",
    "XjkgError",
    "__version__",
    "engine_for",
    "load_graph",
    "run_sparql",
    "run_stored",
    "stored_queries",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
