"""Fuzzing the RDF reader (issue 8, part 4): mutated Turtle, N-Triples, TriG, JSON-LD and RDF/XML files.

Whatever the bytes, :func:`xjkg.core.readers.read_rdf` returns a graph or raises :class:`XjkgError` whose
one-line message starts with the file's name (and its line and column where the parser gives one):
never another exception, never a hang. Kept inputs: ``tests/fuzz_corpus/readers/`` (the extension
names the format).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph

from fuzzing import corpus_files, fuzz_settings, within
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.readers import read_rdf

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

# Seeds that use much of each syntax, so that mutations land in interesting places.
SEEDS: dict[str, bytes] = {
    ".ttl": """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://example.org/base/> .
PREFIX p: <http://example.org/p#>
ex:a ex:p "x", "y"@en-GB, 3, -4.5, 6e7, true, "01"^^xsd:integer ;
  ex:q [ ex:r <rel> ; p:s ( 1 "two" [ ex:t ex:u ] ) ] ;
  ex:long \"\"\"line one
line "two" \\u00e9\\U0001F600\"\"\" ;
  ex:esc "tab\\t\\"q\\"" , 'single' , '''triple 'single''' ;
  ex:local ex:with\\~escape, ex:a.b, p:%41 .
_:b1 a ex:Thing ; ex:label "洛浦县"@zh .
""".encode(),
    ".nt": (
        b'<http://example.org/a> <http://example.org/p> "x\\u00e9\\n" .\n'
        b'<http://example.org/a> <http://example.org/p> "y"@en .\n'
        b'<http://example.org/a> <http://example.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        b"_:n1 <http://example.org/r> <http://example.org/b> . # comment\n"
    ),
    ".nq": (
        b'<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n'
        b"_:n1 <http://example.org/r> <http://example.org/b> _:g .\n"
        b'<http://example.org/a> <http://example.org/p> "y"@en .\n'
        b'<http://example.org/a> <http://example.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
    ),
    ".trig": b"""@prefix ex: <http://example.org/> .
ex:g { ex:a ex:p "x", "y"@en . }
GRAPH ex:h { ex:a ex:q [ ex:r ex:b ] }
{ ex:c ex:d ( 1 2 ) }
""",
    ".jsonld": json.dumps(
        {
            "@context": {
                "ex": "http://example.org/",
                "@base": "http://example.org/base/",
                "@vocab": "http://example.org/vocab#",
                "n": {"@id": "ex:n", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
                "l": {"@id": "ex:l", "@container": "@list"},
                "lang": {"@id": "ex:lang", "@container": "@language"},
                "rev": {"@reverse": "ex:knows"},
            },
            "@graph": [
                {
                    "@id": "ex:a",
                    "@type": "ex:T",
                    "n": "5",
                    "l": [1, "a", {"@id": "rel"}],
                    "lang": {"en": "hello", "zh": "你好"},
                    "rev": {"@id": "ex:b"},
                    "ex:nested": {"ex:deep": {"@value": "v", "@language": "en"}},
                },
                {"@id": "_:b", "name": True, "ex:num": 1.5e3},
            ],
        },
        ensure_ascii=False,
        indent=1,
    ).encode(),
    ".rdf": b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
         xml:base="http://example.org/base/">
  <rdf:Description rdf:about="a" ex:attr="v">
    <ex:p xml:lang="en">x</ex:p>
    <ex:n rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">3</ex:n>
    <ex:q rdf:parseType="Resource"><ex:r rdf:resource="#b"/></ex:q>
    <ex:list rdf:parseType="Collection"><rdf:Description rdf:about="c"/></ex:list>
    <ex:lit rdf:parseType="Literal"><b>bold</b></ex:lit>
    <ex:node><ex:T rdf:nodeID="n1"/></ex:node>
  </rdf:Description>
</rdf:RDF>
""",
}
# Bytes and tokens that parsers treat specially; mutations splice them in.
SPECIAL = [
    b"<",
    b">",
    b'"',
    b"'",
    b'"""',
    b"\\",
    b"\\u",
    b"\\U0010FFFF",
    b"\\uD800",
    b"@",
    b"@prefix",
    b"@base",
    b"PREFIX",
    b"^^",
    b".",
    b";",
    b",",
    b"[",
    b"]",
    b"(",
    b")",
    b"{",
    b"}",
    b":",
    b"_:",
    b"#",
    b"\n",
    b"\r",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xf0\x9f",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
    b"&e;",
    b"<![CDATA[",
    b"]]>",
    b"rdf:",
    b"xml:lang",
    b"rdf:parseType",
    b"<<",
    b">>",
    b"~",
    b'"@context"',
    b'"@id"',
    b'"@type"',
    b'"@list"',
    b'"@graph"',
    b'"@reverse"',
    b'"@value"',
    b'"@language"',
    b'"@base"',
    b'"@vocab"',
    b'"@import"',
    b'"@version"',
    b'"@nest"',
    b'"@included"',
    b'"@json"',
    b"null",
    b"1e999",
    b"-0",
    b"9" * 400,
    b"[" * 300,
    b"{" * 300,
    b"(" * 300,
    b'"http://example.org/x"',
    b"file:///etc/passwd",
    b"http://127.0.0.1:1/ctx",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed document with a few byte-level edits: splice, delete, duplicate, flip or truncate."""
    suffix = draw(st.sampled_from(sorted(SEEDS)), label="format")
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 6), label="edits")):
        kind = draw(st.sampled_from(["splice", "delete", "duplicate", "byte", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "splice":
            piece = draw(st.sampled_from(SPECIAL) | st.binary(max_size=8))
            data[at:at] = piece
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))] * draw(st.integers(1, 50))
        elif kind == "byte" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
    return suffix, bytes(data)


def read_checked(path: Path) -> Graph | None:
    """Read ``path``: a graph, or an XjkgError naming the file in one line (exit 2); anything else fails."""
    with within(10, f"reading {path.name}"):
        try:
            return read_rdf(path)
        except XjkgError as exc:
            message = exc.message
            assert message.startswith(str(path)), message
            assert "\n" not in message and "Traceback" not in message, message
            assert exc.exit_code == EXIT_BAD_INPUT, message
            return None


@fuzz_settings(400)
@given(case=mutated())
def test_mutated_files_give_a_graph_or_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]
) -> None:
    suffix, data = case
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    read_checked(path)


@fuzz_settings(200)
@given(suffix=st.sampled_from(sorted(SEEDS)), data=st.binary(max_size=400))
def test_random_bytes_give_a_graph_or_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    read_checked(path)


# JSON-LD by structure: any JSON made of JSON-LD keywords and odd values.
KEYS = st.sampled_from(
    [
        "@context",
        "@id",
        "@type",
        "@value",
        "@language",
        "@list",
        "@set",
        "@graph",
        "@reverse",
        "@base",
        "@vocab",
        "@container",
        "@index",
        "@nest",
        "@included",
        "@json",
        "@version",
        "@direction",
        "@none",
        "@protected",
        "@prefix",
        "ex",
        "ex:p",
        "p",
        "http://example.org/q",
        "",
        "_:b",
        "@",
        "@ignored",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["http://example.org/", "ex:a", "rel", "_:b", "@id", "@vocab", "en", "1.1", "@list", ""]),
    st.text(max_size=10),
)
JSON_LD = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)


@fuzz_settings(250)
@given(document=st.dictionaries(KEYS, JSON_LD, min_size=1, max_size=6))
def test_any_json_ld_structure_gives_a_graph_or_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, object]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    read_checked(path)


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_seeds_are_read(tmp_path: Path, suffix: str) -> None:
    """The seeds themselves are valid: the fuzzers start from documents that parse."""
    path = tmp_path / f"seed{suffix}"
    path.write_bytes(SEEDS[suffix])
    graph = read_checked(path)
    assert graph is not None and len(graph) > 3


@pytest.mark.parametrize("path", corpus_files("readers"), ids=lambda p: p.name)
def test_corpus(path: Path) -> None:
    read_checked(path)
