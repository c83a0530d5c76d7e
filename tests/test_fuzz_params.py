"""Fuzzing the query parameters (issue 8, part 4): any string is a typed term or a clear error, never code.

A parameter value is bound as an RDF term in a ``VALUES`` block. Whatever the string (quotes, braces,
``#``, ``\\u`` escapes, line breaks, ``} UNION { …``), the query returns it back as exactly one term
and the query's shape does not change: injection would show as a syntax error, more rows or another
value. The stored queries on the real graph take any string and answer a result or an XjkgError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from fuzzing import corpus_files, fuzz_settings, within
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.paths import GRAPH_FILE
from xjkg.query.stored import EmbeddedEngine, bind_params, parse_stored_query, run_stored, stored_queries

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

XSD = "http://www.w3.org/2001/XMLSchema#"

# One query per parameter type that only echoes the bound value: one row, the value, its datatype.
ECHO = """#+ summary: echo
#+ params:
#+   - name: v
#+     type: {kind}
#+     description: the value
SELECT ?v (STR(?v) AS ?lexical) (DATATYPE(?v) AS ?datatype) (isIRI(?v) AS ?iri) WHERE {{ }}
"""
KINDS = ("string", "iri", "integer", "decimal", "date", "boolean")

# Strings aimed at the query text: breaking out of the literal or the IRI, comments, escapes.
HOSTILE = st.sampled_from(
    [
        '"',
        "'",
        '"""',
        "\\",
        "\\u0022",
        "\\U00000022",
        "\\\\u0022",
        "\\n",
        "\n",
        "\r",
        "\t",
        "\x00",
        "#",
        "}",
        "{",
        ") }",
        '" } UNION { ?s ?p ?o } #',
        "> } UNION { ?s ?p ?o } #",
        '"@en',
        "^^<x:y>",
        "<",
        ">",
        " ",
        "?v",
        "$v",
        "VALUES",
        "SERVICE <http://127.0.0.1:1/>",
        "LOAD <file:///etc/passwd>",
        "id:",
        "xsd:",
        "http://example.org/",
        "urn:x",
        "1",
        "-0",
        "+1",
        "1.",
        ".5",
        "2024-02-29",
        "true",
        "FALSE",
        "\u2028",
        "\ufeff",
        "\U0001d7d9",
        "é",
    ]
)
VALUES = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(HOSTILE, st.text(max_size=3)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def echo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    graph = tmp_path_factory.mktemp("params") / "g.ttl"
    graph.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    with EmbeddedEngine(graph) as engine:
        yield engine


ECHOES = {kind: parse_stored_query(Path(f"echo-{kind}.rq"), ECHO.format(kind=kind)) for kind in KINDS}


@fuzz_settings(150)
@given(kind=st.sampled_from(KINDS), value=VALUES)
def test_a_value_comes_back_as_exactly_one_term(echo_engine: EmbeddedEngine, kind: str, value: str) -> None:
    query = ECHOES[kind]
    try:
        bound = bind_params(query, {"v": value})
    except XjkgError as exc:
        assert exc.exit_code == EXIT_BAD_INPUT and "parameter v" in exc.message, exc.message
        return
    term = bound["v"]
    with within(10, f"echo of {value!r}"):
        result = echo_engine.query(query.text, bound, timeout=10)
    assert result.variables == ["v", "lexical", "datatype", "iri"]
    assert len(result.rows) == 1, f"{value!r} changed the number of rows: {result.rows}"
    row = result.rows[0]
    assert row["v"] == term, f"{value!r} came back as {row['v']!r}, not {term!r}"
    if kind == "string":
        assert str(row["lexical"]) == value, "a string parameter is the value as given, character for character"
        assert row["iri"] == Literal(False)
    elif kind == "iri":
        assert isinstance(row["v"], URIRef)


@fuzz_settings(300)
@given(kind=st.sampled_from(KINDS), value=st.text(max_size=40))
def test_binding_gives_a_typed_term_or_names_the_parameter(kind: str, value: str) -> None:
    try:
        term = bind_params(ECHOES[kind], {"v": value})["v"]
    except XjkgError as exc:
        assert exc.exit_code == EXIT_BAD_INPUT and exc.message.startswith("parameter v:"), exc.message
        return
    if kind == "iri":
        assert isinstance(term, URIRef)
    else:
        assert isinstance(term, Literal)
        assert (str(term.datatype) if term.datatype else None) == (None if kind == "string" else XSD + kind)


@fuzz_settings(200)
@given(number=st.integers(-(10**40), 10**40), places=st.integers(0, 12))
def test_numbers_keep_their_value(number: int, places: int) -> None:
    integer = bind_params(ECHOES["integer"], {"v": str(number)})["v"]
    assert int(str(integer)) == number
    text = str(Decimal(number).scaleb(-places))
    if "E" not in text:
        decimal = bind_params(ECHOES["decimal"], {"v": text})["v"]
        assert Decimal(str(decimal)) == Decimal(text)


# -- the stored queries on the real graph ---------------------------------------------------------------

WITH_PARAMS = [q for q in stored_queries().values() if q.params]


@pytest.fixture(scope="module")
def graph_engine() -> Iterator[EmbeddedEngine]:
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built (run `xjkg build`)")
    with EmbeddedEngine(GRAPH_FILE) as engine:
        yield engine


def test_some_stored_queries_take_parameters() -> None:
    assert WITH_PARAMS, "no stored query has a parameter: nothing to fuzz"


@fuzz_settings(120)
@given(data=st.data(), index=st.integers(0, max(0, len(WITH_PARAMS) - 1)))
def test_stored_queries_take_any_string(graph_engine: EmbeddedEngine, data: st.DataObject, index: int) -> None:
    query = WITH_PARAMS[index]
    values = {p.name: data.draw(VALUES, label=p.name) for p in query.params if data.draw(st.booleans(), label="set")}
    try:
        with within(15, f"{query.name} with {values!r}"):
            result = run_stored(query.name, graph_engine, **values)
    except XjkgError as exc:
        assert exc.exit_code == EXIT_BAD_INPUT and "parameter" in exc.message, exc.message
        return
    assert result.form == query.form


@pytest.mark.parametrize("path", corpus_files("params"), ids=lambda p: p.name)
def test_corpus(echo_engine: EmbeddedEngine, path: Path) -> None:
    """Kept values: each is refused as a parameter error or echoed back as itself, never a syntax error."""
    case = json.loads(path.read_text(encoding="utf-8"))
    query = ECHOES[case["kind"]]
    try:
        bound = bind_params(query, {"v": case["value"]})
    except XjkgError as exc:
        assert exc.message.startswith("parameter v:"), exc.message
        return
    assert echo_engine.query(query.text, bound, timeout=10).rows[0]["v"] == bound["v"]
