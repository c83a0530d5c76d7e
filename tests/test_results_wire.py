"""Results kept as wire tuples (the fast path) must read and write exactly like rdflib rows.

An embedded engine hands :meth:`QueryResult.from_wire` its rows; the formats are written from the wire
tuples through :func:`normal_wire`. Here every format of such a result is compared, byte for byte, with
the same result built from rdflib terms the old way, on hand-picked and generated terms.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xjkg.core.errors import XjkgError
from xjkg.core.rdf import normal_wire, rdflib_to_wire, wire_to_rdflib
from xjkg.core.sparql_safety import check_query, clear_caches, insert_values
from xjkg.query.results import ROW_FORMATS, QueryResult

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

TERMS = [
    pytest.param(None, id="unbound"),
    pytest.param(("uri", "http://example.org/a"), id="iri"),
    pytest.param(("bnode", "b0"), id="bnode"),
    pytest.param(("literal", "Alpha", "", ""), id="plain"),
    pytest.param(("literal", "Alpha", XSD + "string", ""), id="xsd-string"),
    pytest.param(("literal", "Ce", RDF_LANGSTRING, "en"), id="langstring"),
    pytest.param(("literal", "Ce", "", "EN-us"), id="lang-case"),
    pytest.param(("literal", "155728.50", XSD + "decimal", ""), id="decimal-trailing-zero"),
    pytest.param(("literal", "1000.0", XSD + "decimal", ""), id="decimal-integral"),
    pytest.param(("literal", "01", XSD + "integer", ""), id="integer-leading-zero"),
    pytest.param(("literal", "-0", XSD + "integer", ""), id="integer-minus-zero"),
    pytest.param(("literal", "42", XSD + "integer", ""), id="integer"),
    pytest.param(("literal", "1.5E0", XSD + "double", ""), id="double"),
    pytest.param(("literal", "1", XSD + "boolean", ""), id="boolean-one"),
    pytest.param(("literal", "2009-12-31", XSD + "date", ""), id="date"),
    pytest.param(("literal", "2009-02-30", XSD + "date", ""), id="date-no-such-day"),
    pytest.param(("literal", "0999-01-01", XSD + "date", ""), id="date-early-year"),
    pytest.param(("literal", "2009-01-01Z", XSD + "date", ""), id="date-zone"),
    pytest.param(("literal", "x", XSD + "integer", ""), id="ill-typed"),
    pytest.param(("literal", 'a "b" | c\nd\te', "", ""), id="specials"),
]


@pytest.mark.parametrize("wire", TERMS)
def test_normal_wire_is_the_rdflib_round_trip(wire: tuple[str, ...] | None) -> None:
    assert normal_wire(wire) == rdflib_to_wire(wire_to_rdflib(wire))


def _both(variables: list[str], rows: list[list[tuple[str, ...] | None]]) -> tuple[QueryResult, QueryResult]:
    lazy = QueryResult.from_wire(variables, rows, truncated=True)
    eager = QueryResult(
        form="SELECT",
        variables=variables,
        rows=[{n: wire_to_rdflib(t) for n, t in zip(variables, row, strict=True) if t is not None} for row in rows],
        truncated=True,
    )
    return lazy, eager


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_every_format_matches_rdflib_rows(fmt: str) -> None:
    wires = [p.values[0] for p in TERMS]
    rows = [[w, wires[(i + 3) % len(wires)]] for i, w in enumerate(wires)]
    lazy, eager = _both(["s", "o"], rows)
    assert lazy.serialize(fmt) == eager.serialize(fmt)


def test_rows_are_made_on_demand_and_equal() -> None:
    wires = [p.values[0] for p in TERMS]
    lazy, eager = _both(["v"], [[w] for w in wires])
    assert lazy._rows is None  # nothing converted yet
    assert lazy.serialize("json") == eager.serialize("json")
    assert lazy.row_count == len(wires)
    assert lazy._rows is None  # writing a format or counting did not convert either
    assert lazy.rows == eager.rows
    assert lazy == eager
    assert lazy.to_python() == eager.to_python()
    assert lazy.serialize("csv") == eager.serialize("csv")  # after conversion too


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_wire = st.one_of(
    st.none(),
    st.tuples(st.just("uri"), st.from_regex(r"http://example\.org/[a-z0-9]{0,8}", fullmatch=True)),
    st.tuples(st.just("literal"), _text, st.just(""), st.sampled_from(["", "en", "zh-Hans"])),
    st.tuples(
        st.just("literal"),
        st.one_of(st.from_regex(r"[+-]?[0-9]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9])?", fullmatch=True), _text),
        st.sampled_from([XSD + t for t in ("integer", "decimal", "double", "boolean", "date", "string")]),
        st.just(""),
    ),
)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::UserWarning")  # rdflib warns on ill-typed booleans
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_wire, min_size=2, max_size=2), max_size=4))
def test_generated_rows_match(rows: list[list[tuple[str, ...] | None]]) -> None:
    lazy, eager = _both(["a", "b"], rows)
    for fmt in ROW_FORMATS:
        assert lazy.serialize(fmt) == eager.serialize(fmt), fmt
    assert lazy.rows == eager.rows


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }", id="service"),
        pytest.param("SELECT * WHERE { ?s ?p ", id="syntax"),
    ],
)
def test_refusals_are_not_cached(query: str) -> None:
    clear_caches()
    for where in ("first.rq", "second.rq"):
        with pytest.raises(XjkgError, match=where):
            check_query(query, where)


def test_accepted_queries_are_cached_and_insert_values_is_unchanged() -> None:
    clear_caches()
    text = "SELECT ?x WHERE { ?x ?p ?o }"
    assert check_query(text) == "SELECT"
    assert check_query(text, "again") == "SELECT"
    block = "VALUES ?x { <http://a> }"
    assert (
        insert_values(text, block)
        == insert_values(text, block)
        == "SELECT ?x WHERE { VALUES ?x { <http://a> } ?x ?p ?o }"
    )


@given(st.text())
def test_xml_escaping_is_saxutils(text: str) -> None:
    """The XML result writer escapes as ``xml.sax.saxutils`` (not imported: it costs a one-shot query)."""
    from xml.sax.saxutils import escape, quoteattr

    from xjkg.query.results import xml_escape, xml_quoteattr

    assert xml_escape(text) == escape(text)
    assert xml_quoteattr(text) == quoteattr(text)
    for edge in ("'\"", "a\n\r\tb", "&<>", "\"'&\n"):
        assert xml_quoteattr(edge) == quoteattr(edge)


@pytest.mark.filterwarnings("ignore::UserWarning")  # rdflib warns on ill-typed literals
@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?", fullmatch=True),
        st.text(max_size=11),
    )
)
def test_dates_spelled_without_rdflib_are_rdflib_s(lexical: str) -> None:
    """A period's dates are written without rdflib (a one-shot query would import it for them, issue 14)."""
    wire = ("literal", lexical, XSD + "date", "")
    assert normal_wire(wire) == rdflib_to_wire(wire_to_rdflib(wire))
