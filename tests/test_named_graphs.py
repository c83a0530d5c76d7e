"""Each report's statements as a named graph of the query store: ``FROM``, ``FROM NAMED``, ``GRAPH`` and the
protocol's ``default-graph-uri``/``named-graph-uri``, embedded, in ``xjkg query`` and on a real ``xjkg serve``.

The corpus is the made-up series (tests/data/series: Gansu and Tibet, 2009 and 2010), built once per module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

from server_graph import LiveServer, live_server
from xjkg.core.paths import QUERIES_DIR as QUERIES
from xjkg.core.report_graphs import REPORT_GRAPH_BASE
from xjkg.core.sparql_safety import refuse_from, tokenize, uses_named_graphs
from xjkg.mapping.corpus import report_statements
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.store_cache import open_graph
from xjkg.server import GRAPH_NAME

SERIES = Path(__file__).parent / "data" / "series"
REPORTS = ("gansu-2009", "gansu-2010", "tibet-2009", "tibet-2010")
GANSU = REPORT_GRAPH_BASE + "gansu-2009"
TIBET = REPORT_GRAPH_BASE + "tibet-2010"
COUNT = "SELECT (COUNT(*) AS ?n) {from_} WHERE {{ ?s ?p ?o }}"
BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) {from_} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, series_graph: Path) -> Path:
    """A copy of the series with its graph beside it, as ``xjkg build`` leaves a corpus."""
    folder = tmp_path_factory.mktemp("named") / "series"
    shutil.copytree(SERIES, folder)
    shutil.copyfile(series_graph, folder / "xjkg.ttl")
    return folder


@pytest.fixture(scope="module")
def parts(corpus: Path) -> dict[str, Graph]:
    return report_statements(Graph().parse(corpus / "xjkg.ttl", format="turtle"))


@pytest.fixture(scope="module")
def engine(corpus: Path) -> Iterator[EmbeddedEngine]:
    running = EmbeddedEngine(corpus / "xjkg.ttl")
    try:
        yield running
    finally:
        running.close()


def _graph(store: ox.Store, name: str | None) -> Graph:
    chosen = ox.DefaultGraph() if name is None else ox.NamedNode(name)
    data = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, chosen)],
        format=ox.RdfFormat.N_TRIPLES,
    )
    return Graph().parse(data=data, format="nt")


def test_the_store_names_each_report_graph_and_its_size(corpus: Path, parts: dict[str, Graph], tmp_path: Path) -> None:
    """The fast lane's part of the test below (which compares each graph whole, in memory and cached)."""
    store, triples = open_graph(corpus / "xjkg.ttl", cache=tmp_path, min_bytes=1 << 40)
    assert sorted(g.value for g in store.named_graphs()) == [REPORT_GRAPH_BASE + r for r in REPORTS]
    assert triples == sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for report, statements in parts.items():
        held = store.quads_for_pattern(None, None, None, ox.NamedNode(REPORT_GRAPH_BASE + report))
        assert sum(1 for _ in held) == len(statements), report


@pytest.mark.slow  # each run over 2 s
@pytest.mark.parametrize("cached", [False, True], ids=["in-memory", "cached-store"])
def test_the_store_holds_each_report_as_the_exports_do(
    corpus: Path, parts: dict[str, Graph], tmp_path: Path, cached: bool
) -> None:
    """The same rule as the quad exports (report_statements), in memory and in a store built for the cache;
    the default graph is the file's triples, and the count is the file's. (The store writes a decimal in its
    canonical form, ``2083`` for ``2083.0``: its graphs are compared with what it holds as the default graph.)"""
    store, triples = open_graph(corpus / "xjkg.ttl", cache=tmp_path, min_bytes=0 if cached else 1 << 40)
    assert (tmp_path / "stores").is_dir() is cached
    default = _graph(store, None)
    assert triples == len(default) == len(Graph().parse(corpus / "xjkg.ttl", format="turtle"))
    names = sorted(g.value for g in store.named_graphs())
    assert names == [REPORT_GRAPH_BASE + r for r in REPORTS]
    expected = report_statements(default)
    assert sorted(expected) == sorted(parts) == list(REPORTS)
    for report, statements in expected.items():
        assert len(statements) == len(parts[report])
        assert isomorphic(_graph(store, REPORT_GRAPH_BASE + report), statements), report


def _rows(engine: EmbeddedEngine, text: str, **kwargs: object) -> list[dict[str, object]]:
    return engine.query(text, **kwargs).to_python()


def test_from_selects_reports_and_no_from_the_default_graph(engine: EmbeddedEngine, parts: dict[str, Graph]) -> None:
    whole = _rows(engine, COUNT.format(from_=""))[0]["n"]
    assert whole == engine.triples
    assert _rows(engine, COUNT.format(from_=f"FROM <{GANSU}>")) == [{"n": len(parts["gansu-2009"])}]
    both = _rows(engine, COUNT.format(from_=f"FROM <{GANSU}> FROM <{TIBET}>"))[0]["n"]
    assert both == len(parts["gansu-2009"] + parts["tibet-2010"])  # merged, as FROM says
    named = _rows(engine, BY_GRAPH.format(from_=f"FROM NAMED <{TIBET}>"))
    assert named == [{"g": TIBET, "n": len(parts["tibet-2010"])}]
    every = _rows(engine, BY_GRAPH.format(from_=""))
    assert [(str(r["g"]), r["n"]) for r in every] == [(REPORT_GRAPH_BASE + r, len(parts[r])) for r in REPORTS]


@pytest.mark.parametrize(
    "iri", ["file:///etc/passwd", "http://127.0.0.1:9/g", GRAPH_NAME], ids=["file", "network", "own-name"]
)
def test_a_graph_not_in_the_store_is_empty_never_fetched(engine: EmbeddedEngine, iri: str) -> None:
    assert _rows(engine, COUNT.format(from_=f"FROM <{iri}>")) == [{"n": 0}]
    assert _rows(engine, BY_GRAPH.format(from_=f"FROM NAMED <{iri}>")) == []


def test_a_dataset_replaces_the_query_s_from(engine: EmbeddedEngine, parts: dict[str, Graph]) -> None:
    text = COUNT.format(from_=f"FROM <{GANSU}>")
    assert _rows(engine, text, dataset=((TIBET,), ())) == [{"n": len(parts["tibet-2010"])}]
    assert _rows(engine, text, dataset=((None,), ()))[0]["n"] == engine.triples  # None: the default graph
    assert _rows(engine, BY_GRAPH.format(from_=""), dataset=((), ())) == []


def test_a_dataset_alone_brings_the_report_graphs(corpus: Path, parts: dict[str, Graph]) -> None:
    """A fresh worker adds the report graphs on first need: here a protocol dataset, no FROM or GRAPH in the text."""
    with EmbeddedEngine(corpus / "xjkg.ttl") as fresh:
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert fresh.query(text, dataset=((TIBET,), ())).to_python() == [{"n": len(parts["tibet-2010"])}]
        assert fresh.query(text).to_python() == [{"n": fresh.triples}]


def test_only_a_keyword_brings_the_report_graphs() -> None:
    """The words in a header, a comment or a string do not (copying the report graphs costs a second load);
    no stored query reads a named graph, so none pays for them."""
    prose = "#+ summary: figures from every report graph\n# from each GRAPH\nSELECT ?s WHERE { ?s ?p 'from graph' }"
    assert not uses_named_graphs(prose)
    assert uses_named_graphs(prose.replace("WHERE {", "FROM <x:g> WHERE {"))
    assert uses_named_graphs(prose.replace("?s ?p", "graph ?g { ?s ?p ?o } ?s ?p"))
    for path in sorted(QUERIES.glob("*.rq")):
        assert not uses_named_graphs(path.read_text(encoding="utf-8")), path.name


@pytest.mark.slow  # the command in a fresh process
def test_xjkg_query_with_from(corpus: Path, parts: dict[str, Graph], tmp_path: Path) -> None:
    query = tmp_path / "by-report.rq"
    query.write_text(BY_GRAPH.format(from_=f"FROM NAMED <{GANSU}> FROM NAMED <{TIBET}>"), encoding="utf-8")
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "xjkg", "query", "--corpus", str(corpus), str(query), "-f", "csv", "-o", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == ["g,n", f"{GANSU},{len(parts['gansu-2009'])}", f"{TIBET},{len(parts['tibet-2010'])}"]


@pytest.fixture(scope="module")
def server(corpus: Path) -> Iterator[LiveServer]:
    with live_server(corpus / "xjkg.ttl", corpus / "serve.log", corpus=True) as live:
        yield live


def _wrapper(server: LiveServer, text: str) -> list[dict[str, dict[str, str]]]:
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(text)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert isinstance(answer, dict)
    rows: list[dict[str, dict[str, str]]] = answer["results"]["bindings"]
    return rows


@pytest.mark.server
@pytest.mark.slow
def test_served_from_and_from_named_with_sparqlwrapper(
    server: LiveServer, engine: EmbeddedEngine, parts: dict[str, Graph]
) -> None:
    assert _wrapper(server, COUNT.format(from_=""))[0]["n"]["value"] == str(engine.triples)
    assert _wrapper(server, COUNT.format(from_=f"FROM <{GANSU}>"))[0]["n"]["value"] == str(len(parts["gansu-2009"]))
    named = _wrapper(server, BY_GRAPH.format(from_=f"FROM NAMED <{TIBET}>"))
    assert [(r["g"]["value"], r["n"]["value"]) for r in named] == [(TIBET, str(len(parts["tibet-2010"])))]


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_served_protocol_dataset(
    server: LiveServer, engine: EmbeddedEngine, parts: dict[str, Graph], method: str
) -> None:
    def count(text: str, params: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        pairs: list[tuple[str, str | int | float | bool | None]] = [("query", text), *params]
        headers = {"Accept": "text/csv"}
        if method == "GET":
            answer = httpx.get(server.url + "sparql", params=pairs, headers=headers)
        else:  # a form body may repeat a name (default-graph-uri twice): encoded as pairs
            form = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
            answer = httpx.post(server.url + "sparql", content=str(httpx.QueryParams(pairs)).encode(), headers=form)
        assert answer.status_code == 200, answer.text
        return [tuple(line.split(",")) for line in answer.text.splitlines()[1:]]

    gansu, tibet = str(len(parts["gansu-2009"])), str(len(parts["tibet-2010"]))
    plain = COUNT.format(from_=f"FROM <{GANSU}>")
    assert count(plain, [("default-graph-uri", TIBET)]) == [(tibet,)]  # the protocol's dataset wins over FROM
    assert count(plain, [("default-graph-uri", GRAPH_NAME)]) == [(str(engine.triples),)]
    assert count(plain, [("default-graph-uri", GANSU), ("default-graph-uri", TIBET)]) == [
        (str(len(parts["gansu-2009"] + parts["tibet-2010"])),)
    ]
    by_graph = BY_GRAPH.format(from_="")
    assert count(by_graph, [("named-graph-uri", GANSU)]) == [(GANSU, gansu)]
    assert count(by_graph, [("default-graph-uri", GANSU)]) == []  # a dataset with no named graph names none


@pytest.mark.server
@pytest.mark.slow
def test_service_description_lists_the_report_graphs(server: LiveServer) -> None:
    answer = httpx.get(server.url + "sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(graph.value(named, URIRef(sd + "name"))) for named in graph.objects(None, URIRef(sd + "namedGraph"))}
    assert names == {REPORT_GRAPH_BASE + r for r in REPORTS}


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_no_stored_query_uses_from(path: Path) -> None:
    """The stored queries must run on rdflib too (tests/test_stores.py), which would fetch a FROM IRI."""
    text = path.read_text(encoding="utf-8")
    refuse_from(text, tokenize(text, str(path)), str(path))
