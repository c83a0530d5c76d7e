"""Every stored query gives the same rows on the embedded store, Oxigraph server, Virtuoso 7 and rdflib 7.

The servers are real (tests/stores.py starts them on loopback ports with throw-away databases, the same
helper the README shows) and are filled with ``xjkg load`` as a user would: Virtuoso with ``--user dba``
(digest, ``/sparql-graph-crud-auth``) into a named graph, queried with ``--default-graph``. Rows are
compared by value (decimals as numbers) and as a multiset; a store that is not installed is skipped,
saying why. The queries folder is read, so a new stored query is held to the same rules.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import stores
from conftest import known_failures
from xjkg.cli import main
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.core.rdf import rdflib_to_wire as wire_term
from xjkg.core.sparql_safety import insert_values
from xjkg.query.engines import EmbeddedEngine, values_block
from xjkg.query.remote import PASSWORD_VARIABLE, EndpointEngine
from xjkg.query.results import QueryResult
from xjkg.query.stored import StoredQuery, bind_params, stored_queries

QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))

#: Example parameter values (those of tests/test_queries_stored.py); each query also runs with its defaults.
EXAMPLES: dict[str, list[dict[str, str]]] = {
    "programs": [{"program": "id:program/pilot-border-areas"}],
    "explain-number": [
        {"value": "2610000000"},
        {"resource": "id:report/iprcc-xinjiang-2009/figure/derived/relocation-funds-per-household"},
    ],
    "describe-resource": [{"resource": "id:county/luopu"}, {"resource": "id:period/2009"}],
    "beneficiary-groups": [
        {"group": "id:beneficiary-group/poor-villages"},
        {"group": "id:beneficiary-group/relocated-people"},
    ],
}

pytestmark = [  # a whole suite against real stores: ./dev test-fast (unit tests) leaves it to ./dev test
    pytest.mark.server,
    pytest.mark.slow,
    pytest.mark.skipif(not GRAPH_FILE.is_file(), reason="data/xjkg.ttl is not built (run `xjkg build`)"),
]


#: Queries that need two periods of one area, which the project's one report does not have: run on the series.
SERIES_ONLY = {"change-over-time"}


def cases() -> list[Any]:
    out = []
    for path in QUERY_FILES:
        if path.stem in SERIES_ONLY:
            continue
        out.append(pytest.param(path.stem, {}, id=f"{path.stem}-defaults"))
        for number, values in enumerate(EXAMPLES.get(path.stem, []), start=1):
            out.append(pytest.param(path.stem, values, id=f"{path.stem}-example{number}"))
    return out


def test_there_are_queries_and_examples_name_real_queries() -> None:
    assert len(QUERY_FILES) >= 14
    assert set(EXAMPLES) <= {p.stem for p in QUERY_FILES}


# -- the rules of queries/README.md that can be read from the text --------------------------------------


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_portable_text(path: Path) -> None:
    query = stored_queries()[path.stem]
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    concatenated = set(re.findall(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", body, re.S | re.I))
    assert concatenated <= set(query.lists), "declare every GROUP_CONCAT column in `#+ lists:`"
    for match in re.finditer(r"\?\w+\s*/\s*\?\w+", body):
        pytest.fail(f"divide numbers cast with xsd:decimal(…), not {match.group(0)!r} (Virtuoso truncates)")


# -- the four engines ----------------------------------------------------------------------------------


def comparable(result: QueryResult) -> list[tuple[object, ...]]:
    """Rows by value, as a sorted multiset; decimals normalised (1.50 = 1.5), so spelling never matters."""

    def cell(value: object) -> object:
        if isinstance(value, Decimal):
            return ("number", value.normalize())
        if isinstance(value, bool):
            return ("boolean", value)
        if isinstance(value, int):
            return ("number", Decimal(value))
        return (type(value).__name__, value)

    rows = [tuple(cell(row[name]) for name in result.variables) for row in result.to_python()]
    return sorted(rows, key=repr)


class RdflibEngine:
    """rdflib 7 on the same graph file, given the same text as the other engines."""

    def __init__(self, graph_file: Path) -> None:
        import rdflib

        self.graph = rdflib.Graph()
        self.graph.parse(graph_file, format="turtle")

    def query(self, text: str, bindings: dict[str, Any]) -> QueryResult:
        if bindings:
            text = insert_values(text, values_block(bindings))
        answer = self.graph.query(text)
        names = [str(v) for v in answer.vars or []]
        rows = [[wire_term(row[name]) for name in names] for row in answer]
        return QueryResult.from_wire(names, rows)


@pytest.fixture(scope="module")
def embedded() -> Iterator[EmbeddedEngine]:
    with EmbeddedEngine(GRAPH_FILE) as engine:
        yield engine


@contextlib.contextmanager
def _started(name: str) -> Iterator[tuple[stores.Store, EndpointEngine]]:
    try:
        store = stores.STARTERS[name]()
    except stores.StoreUnavailableError as exc:
        pytest.skip(str(exc))
    try:
        saved = os.environ.get(PASSWORD_VARIABLE)
        if store.password is not None:
            os.environ[PASSWORD_VARIABLE] = store.password
        try:
            assert main(stores.load_command(store)) == 0
        finally:
            if saved is None:
                os.environ.pop(PASSWORD_VARIABLE, None)
            else:
                os.environ[PASSWORD_VARIABLE] = saved
        default_graph = store.query_args[1] if store.query_args else None
        yield store, EndpointEngine(store.query_url, timeout=60, default_graph=default_graph)
    finally:
        store.stop()  # even when loading or a test failed


@pytest.fixture(scope="module")
def virtuoso_store() -> Iterator[tuple[stores.Store, EndpointEngine]]:
    with _started("virtuoso") as started:
        yield started


@pytest.fixture(scope="module")
def virtuoso(virtuoso_store) -> EndpointEngine:
    return virtuoso_store[1]


@pytest.fixture(scope="module")
def oxigraph_store() -> Iterator[tuple[stores.Store, EndpointEngine]]:
    with _started("oxigraph") as started:
        yield started


@pytest.fixture(scope="module")
def oxigraph(oxigraph_store) -> EndpointEngine:
    return oxigraph_store[1]


@pytest.fixture(scope="module")
def rdflib_engine() -> RdflibEngine:
    return RdflibEngine(GRAPH_FILE)


@pytest.fixture(scope="module")
def queries() -> dict[str, StoredQuery]:
    return stored_queries()


def _same(name: str, values: dict[str, str], embedded, other, queries) -> None:
    query = queries[name]
    bindings = bind_params(query, values)
    expected = query.finish(embedded.query(query.text, bindings))
    got = query.finish(other.query(query.text, bindings))
    assert got.variables == expected.variables
    assert expected.row_count > 0, f"{name} {values} returned no rows on the embedded store"
    mine, theirs = comparable(expected), comparable(got)
    if mine != theirs:
        only_mine = [r for r in mine if r not in theirs][:3]
        only_theirs = [r for r in theirs if r not in mine][:3]
        pytest.fail(
            f"{len(mine)} rows embedded, {len(theirs)} there; only embedded {only_mine}; only there {only_theirs}"
        )


#: engine/query → why that store does not give the embedded rows yet (tests/known_failures/stores.tsv).
KNOWN = known_failures("stores")


def _known(engine: str, name: str) -> None:
    reason = KNOWN.get(f"{engine}/{name}")
    if reason is not None:
        pytest.xfail(reason)  # not run: some of these never finish


@pytest.mark.parametrize(("name", "values"), cases())
def test_same_rows_on_virtuoso(name: str, values: dict[str, str], embedded, virtuoso, queries) -> None:
    _known("virtuoso", name)
    _same(name, values, embedded, virtuoso, queries)


@pytest.mark.parametrize(("name", "values"), cases())
def test_same_rows_on_oxigraph_server(name: str, values: dict[str, str], embedded, oxigraph, queries) -> None:
    _known("oxigraph", name)
    _same(name, values, embedded, oxigraph, queries)


@pytest.mark.parametrize(("name", "values"), cases())
def test_same_rows_on_rdflib(name: str, values: dict[str, str], embedded, rdflib_engine, queries) -> None:
    _known("rdflib", name)
    _same(name, values, embedded, rdflib_engine, queries)


# -- two reports: the one-report graph cannot show a wrong pairing ---------------------------------------

#: The graph the two-report corpus is loaded into beside the project's own (Virtuoso and Oxigraph server).
TWO_REPORTS_IRI = stores.GRAPH_IRI + "-two-reports"
#: (query, parameters) run on the two-report graph: every side-by-side pairing, and the restated figure.
TWO_REPORT_CASES = [
    ("reports-side-by-side", {}),
    ("reports-side-by-side", {"left": "id:report/xinjiang-2010"}),
    ("reports-side-by-side", {"right": "id:report/xinjiang-2010", "indicator": "id:indicator/anti-poverty-investment"}),
]


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory) -> Path:
    """The project's corpus with the made-up 2010 section added and reviewed (as tests/test_drafting.py), built."""
    import shutil

    from test_drafting import FIXTURE, review
    from xjkg.core.paths import DATA_DIR

    corpus = tmp_path_factory.mktemp("two-reports") / "corpus"
    shutil.copytree(DATA_DIR / "reports", corpus / "reports")
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    review(corpus / "reports" / "xinjiang-2010")
    assert main(["build", "--corpus", str(corpus)]) == 0
    return corpus / "xjkg.ttl"


def _load_two_reports(store: stores.Store, graph: Path, iri: str = TWO_REPORTS_IRI) -> None:
    saved = os.environ.get(PASSWORD_VARIABLE)
    if store.password is not None:
        os.environ[PASSWORD_VARIABLE] = store.password
    try:
        args = ["load", "--endpoint", store.store_url, "--graph", iri, "--file", str(graph)]
        assert main(args + (["--user", store.user] if store.user else [])) == 0
    finally:
        if saved is None:
            os.environ.pop(PASSWORD_VARIABLE, None)
        else:
            os.environ[PASSWORD_VARIABLE] = saved


@pytest.mark.parametrize("engine", ["virtuoso", "oxigraph", "rdflib"])
def test_two_reports_same_rows(engine: str, two_reports: Path, queries, request) -> None:
    """Pairs, restated figures and one-sided figures agree on every store (a report never paired with itself)."""
    if engine == "rdflib":
        other: Any = RdflibEngine(two_reports)
    else:
        store = request.getfixturevalue("virtuoso_store")[0] if engine == "virtuoso" else _oxigraph_store(request)
        _load_two_reports(store, two_reports)
        other = EndpointEngine(store.query_url, timeout=60, default_graph=TWO_REPORTS_IRI)
    with EmbeddedEngine(two_reports) as embedded:
        for name, values in TWO_REPORT_CASES:
            _known(engine, f"{name}@two-reports")
            _same(name, values, embedded, other, queries)
            rows = embedded.query(queries[name].text, bind_params(queries[name], values)).to_python()
            assert all(row["right_report"] is not None for row in rows)  # two reports: always a pair


# -- the made-up series (tests/data/series): the questions across regions and years ------------------------

SERIES_IRI = stores.GRAPH_IRI + "-series"
#: (query, parameters) run on the series graph: the queries about the series with their defaults, and the questions
#: of docs/series.md. (The other stored queries are about the project's report: run above on its graph.)
SERIES_CASES = [
    ("change-over-time", {}),
    ("change-over-time", {"indicator": "id:indicator/anti-poverty-investment", "area": "id:region/gansu"}),
    (
        "change-over-time",
        {
            "indicator": "id:indicator/anti-poverty-investment",
            "area": "id:region/gansu",
            "from_period": "id:period/2009",
        },
    ),
    ("change-over-time", {"from_report": "id:report/tibet-2009", "to_report": "id:report/tibet-2010"}),
    ("investment-by-fund-type", {}),
    ("investment-by-fund-type", {"period": "id:period/2009"}),
    ("investment-by-fund-type", {"area": "id:region/tibet", "report": "id:report/tibet-2010"}),
    ("program-type", {}),
    ("program-type", {"program_type": "id:program-type/training"}),
    ("program-type", {"program_type": "id:program-type/village-development", "area": "id:region/gansu"}),
    ("entire-village-advancement", {}),
    ("entire-village-advancement", {"period": "id:period/2010"}),
    ("training", {"area": "id:region/tibet"}),
    ("consistency", {}),
    ("indicator-over-time", {}),
]


def test_the_readmes_series_questions_are_cases() -> None:
    """Each question the README answers on the made-up series is run on every store (a parameter at its default
    counts as left out)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\s*xjkg query (\S+) --corpus tests/data/series((?: -p \S+)*)\s*$", readme, re.M)
    assert len(commands) >= 4
    queries = stored_queries()
    for name, params in commands:
        defaults = {p.name: p.default for p in queries[name].params if p.default is not None}
        values = dict(pair.split("=", 1) for pair in params.split(" -p ")[1:])
        given = {k: v for k, v in values.items() if defaults.get(k) != v}
        assert (name, given) in SERIES_CASES, f"README's `xjkg query {name}{params}` is no case of SERIES_CASES"


def series_key(engine: str, name: str, values: dict[str, str]) -> str:
    """``engine/query@series`` with the parameters' names, the key of tests/known_failures/stores.tsv."""
    return f"{engine}/{name}@series" + (f":{','.join(sorted(values))}" if values else "")


@pytest.mark.parametrize("engine", ["virtuoso", "oxigraph", "rdflib"])
def test_series_same_rows(engine: str, series_graph: Path, queries, request) -> None:
    """The series' questions (change over time, funds per poor person, program types) agree on every store."""
    if engine == "rdflib":
        other: Any = RdflibEngine(series_graph)
    else:
        store = request.getfixturevalue("virtuoso_store")[0] if engine == "virtuoso" else _oxigraph_store(request)
        _load_two_reports(store, series_graph, SERIES_IRI)
        other = EndpointEngine(store.query_url, timeout=60, default_graph=SERIES_IRI)
    with EmbeddedEngine(series_graph) as embedded:
        ran = 0
        for name, values in SERIES_CASES:
            if series_key(engine, name, values) in KNOWN:  # not run: listed with its reason
                continue
            _same(name, values, embedded, other, queries)
            ran += 1
        listed = [case for case in SERIES_CASES if series_key(engine, *case) in KNOWN]
        assert ran == len(SERIES_CASES) - len(listed) and len(listed) <= 4  # one query's cases at most


def _oxigraph_store(request) -> stores.Store:
    return request.getfixturevalue("oxigraph_store")[0]


def test_virtuoso_without_default_graph_sees_other_graphs(virtuoso: EndpointEngine) -> None:
    """Why --default-graph exists: Virtuoso's /sparql otherwise queries its system graphs too."""
    ours = virtuoso.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").to_python()[0]["n"]
    everything = EndpointEngine(virtuoso.url, timeout=60).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert ours < everything.to_python()[0]["n"]


def test_every_literal_reads_back_from_virtuoso(virtuoso: EndpointEngine, caplog) -> None:
    """No term of the graph comes back as something xjkg or rdflib cannot read (the old P1Y duration did)."""
    result = virtuoso.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }", max_rows=100_000)
    with caplog.at_level("WARNING"):
        values = result.to_python()
    assert values and not [r for r in caplog.records if "not a valid" in r.getMessage()]


def test_virtuoso_refusals_in_its_own_words(virtuoso_store, monkeypatch, capsys) -> None:
    """Wrong password, and Virtuoso's missing default graph: one line each, its own text, no password."""
    store, _ = virtuoso_store
    monkeypatch.setenv(PASSWORD_VARIABLE, "not-the-password")
    assert main(["load", "--endpoint", store.store_url, "--user", "dba", "--graph", stores.GRAPH_IRI + "-x"]) == 3
    err = capsys.readouterr().err
    assert "answered HTTP 401" in err and "not-the-password" not in err and len(err.splitlines()) == 1
    monkeypatch.setenv(PASSWORD_VARIABLE, store.password or "")
    assert main(["load", "--endpoint", store.store_url, "--user", "dba"]) == 3
    err = capsys.readouterr().err
    assert 'contains "default" param' in err and "give --graph IRI" in err and len(err.splitlines()) == 1
