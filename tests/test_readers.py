"""The RDF reader: every format, and every kind of bad input gets a clear error naming file and line, exit 2.

Bad inputs are checked through ``xjkg validate`` in-process (the user's view: exit code and one-line
message) and, where a line exists, that the message names ``file:line:column``.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from fuzzing import within
from xjkg.cli import main
from xjkg.core.errors import XjkgError
from xjkg.core.readers import format_for, read_all, read_rdf, read_rdf_text

DATA = Path(__file__).parent / "data" / "validate"
SHAPES = DATA / "shapes-mini.ttl"
EX = "http://example.org/"

# One small graph in every format we read: same triples (a plain, a language-tagged and a typed literal,
# a blank node).
SAME_GRAPH = {
    "turtle": (
        ".ttl",
        '@prefix ex: <http://example.org/> .\nex:a ex:p "x", "y"@en, 3 ; ex:q [ ex:r ex:b ] .\n',
    ),
    "ntriples": (
        ".nt",
        '<http://example.org/a> <http://example.org/p> "x" .\n'
        '<http://example.org/a> <http://example.org/p> "y"@en .\n'
        '<http://example.org/a> <http://example.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<http://example.org/a> <http://example.org/q> _:n .\n"
        "_:n <http://example.org/r> <http://example.org/b> .\n",
    ),
    "nquads": (
        ".nq",
        '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n'
        '<http://example.org/a> <http://example.org/p> "y"@en .\n'
        '<http://example.org/a> <http://example.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<http://example.org/a> <http://example.org/q> _:n .\n"
        "_:n <http://example.org/r> <http://example.org/b> .\n",
    ),
    "trig": (
        ".trig",
        '@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p "x", "y"@en . }\nex:a ex:p 3 ; ex:q [ ex:r ex:b ] .\n',
    ),
    "jsonld": (
        ".jsonld",
        '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a",\n'
        ' "ex:p": ["x", {"@value": "y", "@language": "en"}, 3], "ex:q": {"ex:r": {"@id": "ex:b"}}}\n',
    ),
    "rdfxml": (
        ".rdf",
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n'
        '    <ex:p>x</ex:p><ex:p xml:lang="en">y</ex:p>\n'
        '    <ex:p rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">3</ex:p>\n'
        '    <ex:q><rdf:Description><ex:r rdf:resource="http://example.org/b"/></rdf:Description></ex:q>\n'
        "  </rdf:Description>\n</rdf:RDF>\n",
    ),
}


def _expected() -> Graph:
    g = Graph()
    a, p, n = URIRef(EX + "a"), URIRef(EX + "p"), BNode()
    g.add((a, p, Literal("x")))
    g.add((a, p, Literal("y", lang="en")))
    g.add((a, p, Literal("3", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    g.add((a, URIRef(EX + "q"), n))
    g.add((n, URIRef(EX + "r"), URIRef(EX + "b")))
    return g


@pytest.mark.parametrize("fmt", list(SAME_GRAPH), ids=list(SAME_GRAPH))
def test_every_format_gives_the_same_graph(tmp_path: Path, fmt: str) -> None:
    suffix, text = SAME_GRAPH[fmt]
    path = tmp_path / f"data{suffix}"
    path.write_text(text, encoding="utf-8")
    assert format_for(str(path)) == fmt
    graph = read_rdf(path)
    assert isomorphic(graph, _expected()), graph.serialize(format="nt")
    # The explicit format wins over the extension.
    other = tmp_path / "data.txt"
    other.write_text(text, encoding="utf-8")
    assert isomorphic(read_rdf(other, fmt), _expected())


def test_plain_literals_are_not_xsd_string() -> None:
    """pyoxigraph types plain literals as xsd:string; rdflib would then see them as different terms."""
    g = read_rdf_text(b'<http://e/a> <http://e/b> "x", "y"^^<http://www.w3.org/2001/XMLSchema#string> .', "turtle")
    assert {o for o in g.objects()} == {Literal("x"), Literal("y")}
    assert all(o.datatype is None for o in g.objects())


def test_lexical_forms_are_kept() -> None:
    g = read_rdf_text(b'<http://e/a> <http://e/b> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .', "nt")
    assert str(next(g.objects())) == "01"


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text("_:b1 <http://e/p> <http://e/o> .", encoding="utf-8")
    graph = read_all([tmp_path / "a.ttl", tmp_path / "b.ttl"])
    assert len(set(graph.subjects())) == 2


def test_prefixes_of_the_file_are_kept() -> None:
    g = read_rdf_text(b"@prefix ex: <http://example.org/> . ex:a ex:b ex:c .", "turtle")
    assert dict(g.namespaces())["ex"] == URIRef(EX)


def test_utf8_bom_is_accepted() -> None:
    """Decision: a BOM (Windows editors write one) is skipped, not refused."""
    text = b"<http://e/a> <http://e/b> <http://e/c> ."
    assert isomorphic(read_rdf_text(b"\xef\xbb\xbf" + text, "turtle"), read_rdf_text(text, "turtle"))


@pytest.mark.slow
def test_deep_nesting_is_read_without_recursion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """5,000 nested blank nodes and a 5,000-deep list: read and validated, no RecursionError (limit 1,000)."""
    n = 5_000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "<http://e/a> <http://e/p> " + "[ <http://e/p> " * n + "1" + " ]" * n + " .\n"
        "<http://e/b> <http://e/p> " + "( " * n + "1" + " )" * n + " .\n",
        encoding="utf-8",
    )
    assert len(read_rdf(path)) == (n + 1) + (2 * n + 1)
    assert main(["validate", str(path), "--shapes", str(SHAPES), "--no-graph"]) == 0
    assert "Conforms" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------- bad input
BAD: dict[str, tuple[str, bytes, str, str | None]] = {
    # id: (file name, content, expected message part, expected "line:column" or None when no line applies)
    "not-utf8": (
        "bad.ttl",
        b'<http://e/a> <http://e/b> "ok" .\n<http://e/a> <http://e/b> "caf\xe9" .\n',
        "not UTF-8",
        "2:31",
    ),
    "empty-file": ("empty.ttl", b"", "empty", None),
    "whitespace-only": ("blank.nt", b"\n  \n", "empty", None),
    "no-triples": ("prefixes.ttl", b"# only a prefix\n@prefix ex: <http://e/> .\n", "no triples", None),
    "bad-iri": ("iri.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b <http://e/has space> .\n", "IRI", "2:11"),
    "undefined-prefix": ("prefix.ttl", b"@prefix ex: <http://e/> .\n\nex:a foo:b ex:c .\n", "foo", "3:6"),
    "literal-subject": ("subject.ttl", b'"x" <http://e/b> <http://e/c> .\n', "", "1:1"),
    "truncated": ("cut.ttl", b'@prefix ex: <http://e/> .\nex:a ex:b "unfinished', "", "2:"),
    "relative-iri": ("rel.ttl", b"<a> <http://e/b> <http://e/c> .\n", "", "1:1"),
    "nt-syntax": ("x.nt", b"<http://e/a> <http://e/b> .\n", "", "1:"),
    "jsonld-syntax": ("x.jsonld", b'{"@id": "http://e/a"\n "http://e/b": 1}', "not valid JSON", "2:2"),
    "jsonld-deep": (
        "deep.jsonld",
        b'{"@id": "http://e/a", "http://e/p": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "nested too deeply",
        None,
    ),
    "xml-not-well-formed": (
        "x.rdf",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a></b>\n</rdf:RDF>',
        "not well formed",
        "3:",
    ),
    "xml-entity-bomb": (
        "lol.rdf",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
        b'<rdf:Description rdf:about="http://e/a"><ex:p>&d;&d;&d;&d;</ex:p></rdf:Description></rdf:RDF>',
        "DTD",
        "2:",
    ),
    "unknown-extension": ("data.csv", b"a,b\n", "--input-format", None),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_exit_2_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    name, content, expected, line = BAD[case]
    path = tmp_path / name
    path.write_bytes(content)
    code = main(["validate", str(path), "--shapes", str(SHAPES), "--no-graph"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    message = captured.err.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"xjkg validate: error: {path}"), message
    assert expected in message, message
    if line is not None:
        assert message.startswith(f"xjkg validate: error: {path}:{line}"), message


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.ttl"), "--no-graph", "--shapes", str(SHAPES)]) == 2
    assert "nope.ttl: no such file" in capsys.readouterr().err


def test_size_limit_is_clear_and_can_be_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.nt"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n" * 100, encoding="utf-8")
    args = ["validate", str(path), "--shapes", str(SHAPES), "--no-graph"]
    assert main([*args, "--max-bytes", "1000"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "--max-bytes" in err and "4,100 bytes" in err
    assert main([*args, "--max-bytes", "5000"]) == 0


def test_xml_entity_bomb_is_refused_fast(tmp_path: Path) -> None:
    """Billion laughs: refused at the DTD, long before any expansion (which would take minutes and GBs)."""
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "laughs.rdf"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{levels}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
        '<rdf:Description rdf:about="http://e/a"><ex:p>&l9;</ex:p></rdf:Description></rdf:RDF>',
        encoding="utf-8",
    )
    with within(30, "a billion laughs"), pytest.raises(XjkgError, match="DTD"):  # refused, never expanded
        read_rdf(path)


# ------------------------------------------------------------------------ nothing is ever fetched


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b'{"@context": {"name": "http://schema.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server on a free port that records every request (there must be none)."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("ctx.jsonld", '{"@context": "URL/context.jsonld", "@id": "http://e/a", "name": "x"}'),
        ("ctx-list.jsonld", '{"@context": [{"ex": "http://e/"}, "URL/c2"], "@id": "http://e/a", "ex:p": 1}'),
        (
            "import.jsonld",
            '{"@context": {"@version": 1.1, "@import": "URL/c3"}, "@id": "http://e/a", "http://e/p": 1}',
        ),
        (
            "external-entity.rdf",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "URL/entity">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
            '<rdf:Description rdf:about="http://e/a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>',
        ),
    ],
    ids=["remote-context", "remote-context-in-list", "context-import", "xml-external-entity"],
)
def test_remote_references_are_refused_not_fetched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    recorder: tuple[str, list[str]],
    name: str,
    template: str,
) -> None:
    url, hits = recorder
    path = tmp_path / name
    path.write_text(template.replace("URL", url), encoding="utf-8")
    assert main(["validate", str(path), "--shapes", str(SHAPES), "--no-graph"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and ("never fetched" in err or "DTD" in err), err
    assert hits == []


def test_owl_imports_are_never_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recorder: tuple[str, list[str]]
) -> None:
    url, hits = recorder
    path = tmp_path / "imports.ttl"
    path.write_text(
        f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<http://e/o> a owl:Ontology ; owl:imports <{url}/o.ttl> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "--shapes", str(SHAPES), "--no-graph"]) == 0
    assert hits == []
