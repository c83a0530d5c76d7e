"""The query machinery on small graphs written here: safety, binding, formats, limits, errors.

The stored queries on the real graph, and the Oxigraph server, are in ``test_queries_stored.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from fuzzing import within
from in_flight import query_in_flight
from xjkg.cli import main
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.rdf import rdflib_to_wire, sparql_term, wire_to_rdflib
from xjkg.core.sparql_safety import MAX_DEPTH, check_query, insert_values
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.remote import EndpointEngine
from xjkg.query.stored import Param, StoredQuery, bind_params, parse_stored_query

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SMALL = f"""@prefix ex: <{EX}> .
ex:a ex:value 155728.50 ; ex:name "Alpha" ; ex:count 3 ;
    ex:day "2009-12-31"^^<http://www.w3.org/2001/XMLSchema#date> .
ex:b ex:value 2610000000.00 ; ex:name "B \\"quoted\\"" ; ex:count 7 .
ex:c ex:name "Ce"@en .
"""
PREFIX = f"PREFIX ex: <{EX}>\n"

# Payloads that would change the query if they were pasted into its text.
INJECTIONS = [
    pytest.param('x" } UNION { ?s ?p ?o } #', id="quote-brace-union"),
    pytest.param("x\\u0022 } UNION { ?s ?p ?o } #", id="codepoint-escape"),
    pytest.param("x'} ; DROP ALL #", id="single-quote-drop"),
    pytest.param("line1\n} UNION { ?s ?p ?o }\n#", id="newlines"),
    pytest.param("# comment } }", id="hash"),
    pytest.param('\\" ) } #', id="backslash-quote"),
]


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def engine(small_graph: Path):
    with EmbeddedEngine(small_graph, workers=2) as running:
        yield running


def echo_query(param_type: str = "string") -> StoredQuery:
    text = PREFIX + "SELECT ?who ?s WHERE { OPTIONAL { ?s ex:name ?who } }"
    return StoredQuery("echo", Path("echo.rq"), "echo", "", (), (Param("who", param_type, None, "x"),), text, "SELECT")


# -- safety --------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "word"),
    [
        pytest.param("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE", id="service"),
        pytest.param("SELECT * WHERE { service silent ?x { ?s ?p ?o } }", "SERVICE", id="service-lower-var"),
        pytest.param("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD", id="load"),
        pytest.param("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT", id="insert"),
        pytest.param("DELETE WHERE { ?s ?p ?o }", "DELETE", id="delete"),
        pytest.param("DROP ALL", "DROP", id="drop"),
        pytest.param("SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1), "nesting", id="deep"),
        pytest.param("SELECT * WHERE { ?s ?p " + "(" * 6000 + "1" + ")" * 6000 + "}", "nesting", id="deep-crash"),
        pytest.param("\\u0053ELECT * WHERE { ?s ?p ?o }", "codepoint", id="escape-outside-string"),
    ],
)
def test_refused(engine: EmbeddedEngine, query: str, word: str) -> None:
    with pytest.raises(XjkgError) as caught:
        check_query(query)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert word in caught.value.message and "line 1" in caught.value.message
    with pytest.raises(XjkgError):  # the engine checks too, before the worker sees anything
        engine.query(query)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('SELECT ?s WHERE { ?s ?p "SERVICE LOAD FROM" } # SERVICE', id="words-in-string-comment"),
        pytest.param("SELECT ?s WHERE { ?s <http://example.org/service> ?o }", id="word-in-iri"),
        pytest.param(PREFIX + "SELECT ?s WHERE { ?s ex:from ?o FILTER(?o < 3 && ?o >= 1) }", id="prefixed-name"),
        pytest.param("SELECT ?load WHERE { ?load ?p ?o }", id="variable"),
    ],
)
def test_not_refused(query: str) -> None:
    assert check_query(query) == "SELECT"


def test_syntax_error_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str], small_graph: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?s\nWHERE { ?s ?p ?o }\nORDER ?s\n", encoding="utf-8")
    assert main(["query", str(broken), "--data", str(small_graph)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"{broken}: line 3, column " in err and "syntax error: expected BY" in err
    assert "Traceback" not in err


def test_insert_values_goes_into_the_where_group() -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    assert insert_values(text, "VALUES ?s { <http://a> }") == (
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { <http://a> } ?s ?p ?o } LIMIT 1"
    )


# -- binding and injection -----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_stays_data_embedded(engine: EmbeddedEngine, payload: str) -> None:
    query = echo_query()
    result = engine.query(query.text, bind_params(query, {"who": payload}))
    # One row, whose ?who is the payload itself: no name matched, nothing was added to the pattern.
    assert result.to_python() == [{"who": payload, "s": None}]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_text_is_one_literal(payload: str) -> None:
    """The VALUES text sent to endpoints parses back to exactly the payload (here with pyoxigraph)."""
    import pyoxigraph

    term = sparql_term(("literal", payload, "", ""))
    solutions = list(pyoxigraph.Store().query(f"SELECT ?x WHERE {{ VALUES ?x {{ {term} }} }}"))
    assert [s["x"].value for s in solutions] == [payload]


@pytest.mark.parametrize(
    ("param_type", "value", "expected"),
    [
        pytest.param("integer", "+42", Literal(42), id="integer"),
        pytest.param("decimal", "155728.50", Literal("155728.5", datatype=URIRef(XSD + "decimal")), id="decimal"),
        pytest.param("iri", "id:county/luopu", URIRef("https://w3id.org/xjkg/id/county/luopu"), id="prefixed-iri"),
        pytest.param("iri", "http://example.org/a", URIRef("http://example.org/a"), id="iri"),
        pytest.param("boolean", "TRUE", Literal(True), id="boolean"),
        pytest.param("date", "2008-12-31", Literal("2008-12-31", datatype=URIRef(XSD + "date")), id="date"),
    ],
)
def test_typed_binding(param_type: str, value: str, expected: object) -> None:
    bound = bind_params(echo_query(param_type), {"who": value})["who"]
    assert bound == expected


@pytest.mark.parametrize(
    ("param_type", "value"),
    [
        pytest.param("integer", "3.5", id="integer-fraction"),
        pytest.param("integer", "1; DROP ALL", id="integer-injection"),
        pytest.param("decimal", "2,610", id="decimal-separator"),
        pytest.param("iri", "http://a> } UNION { ?s ?p ?o", id="iri-injection"),
        pytest.param("iri", "not an iri", id="iri-spaces"),
        pytest.param("date", "2009-02-30", id="date-impossible"),
        pytest.param("boolean", "yes", id="boolean"),
    ],
)
def test_wrong_parameter_type(param_type: str, value: str) -> None:
    with pytest.raises(XjkgError) as caught:
        bind_params(echo_query(param_type), {"who": value})
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert "parameter who" in caught.value.message and param_type in caught.value.message.lower()


def test_unknown_parameter() -> None:
    with pytest.raises(XjkgError, match="has no parameter 'whom'"):
        bind_params(echo_query(), {"whom": "x"})


def test_iri_parameter_selects(engine: EmbeddedEngine) -> None:
    query = echo_query("iri")
    text = PREFIX + "SELECT ?n WHERE { ?s ex:name ?n . FILTER(?s = ?who) }"
    result = engine.query(text, bind_params(query, {"who": "http://example.org/a"}))
    assert result.to_python() == [{"n": "Alpha"}]


# -- headers -------------------------------------------------------------------------------------------

GOOD_BODY = "SELECT ?x WHERE { ?x ?p ?o }\n"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        pytest.param("#+ description: no summary\n", "no '#+ summary:'", id="missing-summary"),
        pytest.param(
            "#+ summary: s\n#+ endpoint: http://dbpedia.org/sparql\n",
            "unknown header key 'endpoint'",
            id="unknown-key",
        ),
        pytest.param("#+ summary: s\n#+ tags: one\n", "'tags' must be a list", id="tags-not-list"),
        pytest.param(
            "#+ summary: s\n#+ params:\n#+   - name: x\n#+     type: float\n#+     description: d\n",
            "type 'float' is not one of",
            id="bad-param-type",
        ),
        pytest.param(
            "#+ summary: s\n#+ params:\n#+   - name: y\n#+     type: string\n#+     description: d\n",
            "?y is not in the query",
            id="param-not-in-query",
        ),
        pytest.param(
            "#+ summary: s\n#+ params:\n#+   - name: x\n#+     type: integer\n#+     default: ten\n"
            "#+     description: d\n",
            "default of parameter x",
            id="bad-default",
        ),
        pytest.param(
            "#+ summary: s\n#+ params:\n#+   - name: x\n#+     type: iri\n#+     label: d\n#+     description: d\n",
            "unknown parameter key 'label'",
            id="unknown-param-key",
        ),
        pytest.param("#+ summary: [unclosed\n", "not valid YAML", id="bad-yaml"),
    ],
)
def test_bad_header(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(header + GOOD_BODY, encoding="utf-8")
    with pytest.raises(XjkgError) as caught:
        parse_stored_query(path)
    assert message in caught.value.message and str(path) in caught.value.message


def test_good_header(tmp_path: Path) -> None:
    path = tmp_path / "good.rq"
    path.write_text(
        "#+ summary: A summary\n#+ description: >-\n#+   Two\n#+   lines.\n#+ tags: [a, b]\n#+ params:\n"
        "#+   - name: x\n#+     type: iri\n#+     default: id:county/luopu\n#+     description: the thing\n"
        + GOOD_BODY,
        encoding="utf-8",
    )
    query = parse_stored_query(path)
    assert (query.name, query.summary, query.description, query.tags, query.form) == (
        "good", "A summary", "Two lines.", ("a", "b"), "SELECT",
    )  # fmt: skip
    assert query.params == (Param("x", "iri", "id:county/luopu", "the thing"),)


# -- results and formats -------------------------------------------------------------------------------

VALUES_QUERY = PREFIX + "SELECT ?s ?value ?count WHERE { ?s ex:value ?value ; ex:count ?count } ORDER BY ?s"


def test_typed_python_values(engine: EmbeddedEngine) -> None:
    text = "SELECT * WHERE { ex:a ex:value ?value ; ex:count ?count ; ex:day ?day ; ex:name ?name }"
    rows = engine.query(PREFIX + text).to_python()
    import datetime

    assert rows == [{"value": Decimal("155728.5"), "count": 3, "day": datetime.date(2009, 12, 31), "name": "Alpha"}]
    assert type(rows[0]["count"]) is int


def test_decimals_have_one_spelling(engine: EmbeddedEngine) -> None:
    result = engine.query(VALUES_QUERY)
    assert [str(row["value"]) for row in result.rows] == ["155728.5", "2610000000"]
    assert (
        wire_to_rdflib(("literal", "155728.50", "http://www.w3.org/2001/XMLSchema#decimal", ""))
        == result.rows[0]["value"]
    )


def test_format_json(engine: EmbeddedEngine) -> None:
    document = json.loads(engine.query(VALUES_QUERY).serialize("json"))
    assert document["head"]["vars"] == ["s", "value", "count"]
    first = document["results"]["bindings"][0]
    assert first["s"] == {"type": "uri", "value": EX + "a"}
    assert first["value"] == {"type": "literal", "value": "155728.5",
                              "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}  # fmt: skip


def test_format_xml(engine: EmbeddedEngine) -> None:
    root = ElementTree.fromstring(engine.query(VALUES_QUERY).serialize("xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "value", "count"]
    assert [b.text for b in root.findall("r:results/r:result/r:binding/r:literal", ns)][:2] == [
        "155728.5",
        "3",
    ]


def test_format_csv_and_tsv(engine: EmbeddedEngine) -> None:
    result = engine.query(VALUES_QUERY)
    rows = list(csv.reader(io.StringIO(result.serialize("csv").decode())))
    assert rows == [["s", "value", "count"], [EX + "a", "155728.5", "3"], [EX + "b", "2610000000", "7"]]
    assert result.serialize("csv").count(b"\r\n") == 3
    assert result.serialize("tsv").decode().splitlines() == [
        "?s\t?value\t?count", f"<{EX}a>\t155728.5\t3", f"<{EX}b>\t2610000000\t7",
    ]  # fmt: skip


def test_format_table_and_md(engine: EmbeddedEngine) -> None:
    result = engine.query(PREFIX + "SELECT ?s ?name WHERE { ?s ex:name ?name } ORDER BY ?s")
    table = result.serialize("table").decode().splitlines()
    assert table[0].split() == ["s", "name"] and table[-1] == "3 rows"
    assert 'http://example.org/b  B "quoted"' in table[3]
    md = result.serialize("md").decode().splitlines()
    assert md[:2] == ["| s | name |", "|---|---|"] and md[2] == f"| {EX}a | Alpha |"


def test_ask(engine: EmbeddedEngine) -> None:
    result = engine.query(PREFIX + "ASK { ex:a ex:count 3 }")
    assert (result.form, result.boolean) == ("ASK", True)
    assert json.loads(result.serialize("json")) == {"head": {}, "boolean": True}
    assert b"<boolean>true</boolean>" in result.serialize("xml")


GRAPH_FORMATS = [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]


@pytest.mark.parametrize(("fmt", "rdflib_format"), GRAPH_FORMATS)
def test_construct_formats(engine: EmbeddedEngine, small_graph: Path, fmt: str, rdflib_format: str) -> None:
    result = engine.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert result.form == "CONSTRUCT"
    back = Graph().parse(data=result.serialize(fmt), format=rdflib_format)
    expected = Graph().parse(small_graph)
    assert len(back) == len(expected) == 8
    # the graph itself, decimals in their one spelling ("155728.50" is written "155728.5")
    normal = Graph()
    for triple in expected:
        normal.add(tuple(wire_to_rdflib(rdflib_to_wire(t)) for t in triple))  # type: ignore[arg-type]
    assert isomorphic(back, normal), back.serialize(format="nt")
    with pytest.raises(XjkgError, match="is a graph"):
        result.serialize("csv")


def test_row_cap(engine: EmbeddedEngine) -> None:
    result = engine.query("SELECT * WHERE { ?s ?p ?o }", max_rows=4)
    assert (len(result.rows), result.truncated) == (4, True)
    assert "truncated" in result.serialize("table").decode()
    assert not engine.query("SELECT * WHERE { ?s ?p ?o }", max_rows=10).truncated


def test_to_pandas(engine: EmbeddedEngine) -> None:
    pandas = pytest.importorskip("pandas", reason="pandas is optional (not a dependency of xjkg)")
    frame = engine.query(VALUES_QUERY).to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == ["s", "value", "count"]


# -- limits and failures -------------------------------------------------------------------------------

# 8 triples to the 9th power: minutes of work on any machine, so a 1 s limit always cuts it.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(9)) + " }"


@pytest.mark.slow
def test_timeout_kills_and_replaces_the_worker(engine: EmbeddedEngine) -> None:
    with within(60, "a query with a 1 s limit"), pytest.raises(XjkgError) as caught:
        engine.query(CARTESIAN, timeout=1.0)
    assert caught.value.exit_code == EXIT_FAILED
    assert "time limit of 1 s" in caught.value.message
    assert engine.query("ASK { ?s ?p ?o }").boolean is True  # a fresh worker answers


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill", "segfault"])
def test_worker_crash_is_an_error_not_a_crash(small_graph: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker dying mid-query (as pyoxigraph does on some inputs) gives an error; the next query runs.

    What the worker wrote on stderr before dying (here: Python's fault handler report) is in the message."""
    monkeypatch.setenv("PYTHONFAULTHANDLER", "1")  # the worker inherits it: a segfault prints a report
    with EmbeddedEngine(small_graph, workers=1) as single:
        with query_in_flight(single, CARTESIAN, timeout=20) as (worker, errors):
            if how == "kill":
                worker.process.kill()
            else:
                os.kill(worker.process.pid, signal.SIGSEGV)
        # Exit 3 (the engine crashed), or 2 when the worker had not yet said the text parsed (then the crash is
        # taken as the parser's, and the query is refused): either way one error, and the next query runs.
        assert errors and "crashed" in errors[0].message and errors[0].exit_code in (EXIT_FAILED, EXIT_BAD_INPUT)
        if how == "segfault":
            assert ": Fatal Python error: Segmentation fault" in errors[0].message
        assert single.query("ASK { ?s ?p ?o }").boolean is True


def test_missing_graph_file(tmp_path: Path) -> None:
    with pytest.raises(XjkgError, match="no such graph file") as caught:
        EmbeddedEngine(tmp_path / "absent.ttl")
    assert caught.value.exit_code == EXIT_FAILED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(XjkgError) as caught:
        EndpointEngine(url, timeout=2).query("ASK { ?s ?p ?o }")
    assert caught.value.exit_code == EXIT_FAILED
    assert f"cannot reach the SPARQL endpoint {url}" in caught.value.message


@pytest.mark.slow
def test_hanging_endpoint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A socket that accepts and never answers: a clear error after the time limit, exit 3."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                held.append(server.accept()[0])
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    try:
        with within(60, "a query with a 1 s limit"):
            code = main(["query", str(query), "--endpoint", url, "--timeout", "1"])
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert code == EXIT_FAILED
    assert f"the SPARQL endpoint {url} did not answer within 1 s" in capsys.readouterr().err


def test_endpoint_url_must_be_http() -> None:
    with pytest.raises(XjkgError, match="not an http"):
        EndpointEngine("file:///etc/passwd")


# -- command line --------------------------------------------------------------------------------------


def test_cli_params_formats_and_output(tmp_path: Path, small_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "named.rq"
    query.write_text(
        "#+ summary: names\n#+ params:\n#+   - name: who\n#+     type: string\n#+     description: a name\n"
        + PREFIX + "SELECT ?s WHERE { ?s ex:name ?who }\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "out.csv"
    assert main(["query", str(query), "--data", str(small_graph), "-p", "who=Alpha", "-f", "csv", "-o", str(out)]) == 0
    assert out.read_bytes() == f"s\r\n{EX}a\r\n".encode()
    assert main(["query", str(query), "--data", str(small_graph), "-p", "who"]) == EXIT_BAD_INPUT
    assert "write NAME=VALUE" in capsys.readouterr().err
    assert main(["query", str(query), "--data", str(small_graph), "-f", "ttl"]) == EXIT_BAD_INPUT
    assert "a SELECT query gives rows" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "absent.rq")]) == EXIT_BAD_INPUT
    assert "no such file" in capsys.readouterr().err
    assert main(["query", "no-such-stored-query"]) == EXIT_BAD_INPUT
    assert "no stored query named 'no-such-stored-query'" in capsys.readouterr().err


def test_cli_stdin(monkeypatch: pytest.MonkeyPatch, small_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:name ?o }"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))  # as a real stdin
    assert main(["query", "-", "--data", str(small_graph), "-f", "tsv"]) == 0
    assert capsys.readouterr().out == "?n\n3\n"


@pytest.mark.slow
def test_cli_timeout(tmp_path: Path, small_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "slow.rq"
    query.write_text(CARTESIAN, encoding="utf-8")
    assert main(["query", str(query), "--data", str(small_graph), "--timeout", "1"]) == EXIT_FAILED
    assert "query exceeded the time limit of 1 s" in capsys.readouterr().err


@pytest.mark.slow
def test_console_script_lists_and_runs(small_graph: Path) -> None:
    """The installed ``xjkg`` command, as a user runs it (a fresh process)."""
    import subprocess
    import sys

    xjkg = Path(sys.executable).with_name("xjkg")
    listing = subprocess.run([str(xjkg), "queries"], capture_output=True, text=True, timeout=60, check=True)
    assert "investment-by-fund-type" in listing.stdout and "--param period=<iri>" in listing.stdout
    ran = subprocess.run(
        [str(xjkg), "query", "-", "--data", str(small_graph), "-f", "csv"],
        input="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "n\n8\n", "")  # text mode reads CRLF as LF


@pytest.mark.slow  # a fresh interpreter
def test_the_worker_imports_neither_rdflib_nor_the_formats() -> None:
    """A server's worker is a fresh interpreter: it imports pyoxigraph and the pipe protocol, not rdflib or the
    result formats (they would double a worker's start-up, paid again for each worker replaced)."""
    code = "import sys, xjkg.query.worker; print(sorted(m for m in sys.modules if m.startswith(('rdflib', 'xjkg'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = done.stdout.strip()
    assert "xjkg.query.worker" in imported
    assert "rdflib" not in imported and "xjkg.query.results" not in imported, imported
