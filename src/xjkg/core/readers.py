"""The one RDF reader that ``validate``, ``load`` and the build use: strict, safe, clear on bad input.

Turtle, N-Triples, N-Quads, TriG and RDF/XML are parsed by pyoxigraph (strict, with line and column;
rdflib accepts some invalid Turtle) and converted to rdflib terms; JSON-LD goes through rdflib with every
remote or relative ``@context`` refused before parsing and its context loader blocked as well. RDF/XML
with a DTD (the door to entity expansion and external entities) is refused before any RDF is parsed.
Nothing is ever fetched: not ``owl:imports``, not contexts, not entities.

Decisions (README, "Reading RDF"):

* the result is an :class:`rdflib.Graph`: the triples of every graph in the file, named-graph names
  dropped, because validation, the build and the store work on one graph;
* literals keep their lexical form as written (rdflib would rewrite ``"01"^^xsd:integer`` to ``"1"``),
  and ``"x"^^xsd:string`` becomes the plain literal ``"x"`` (the same term in RDF 1.1; not in rdflib);
* a UTF-8 byte order mark is accepted and skipped (Windows editors write one; it is not content);
* a relative IRI needs an ``@base`` in the file or ``base=`` (``--base IRI`` on the command line): we do
  not invent one from the file's location, and the error says so and names the option;
* an empty file, or one with no triples, is an error unless ``allow_empty=True``;
* files over ``max_bytes`` (512 MB by default) are refused before reading; raise it with ``--max-bytes``;
* memory grows with the triples read (about 1 KB each in an rdflib graph, whatever their size in the file:
  a Turtle object list costs 3 bytes a triple), so ``max_triples`` stops the parse as soon as it is passed
  (``--max-triples`` on the command line; README "Robustness" has the measured figures).
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import warnings
import xml.parsers.expat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from xjkg.core.errors import XjkgError
from xjkg.core.rdf import (
    RDF_FORMATS,
    XSD_STRING,
    RdfFormat,
    _quiet_rdflib_conversions,
    format_by_extension,
    ox_format,
    rdf_format,
)
from xjkg.core.textfiles import shown

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TRIPLES",
    "FORMATS",
    "TooManyTriplesError",
    "format_for",
    "read_all",
    "read_rdf",
    "read_rdf_text",
]

log = logging.getLogger(__name__)

#: Default size limit for one input file (bytes); ``--max-bytes`` raises it.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: Default triple limit of the commands that read a user's files (``--max-triples``): about 0.6 GB read,
#: about 1.8 GB validated (README "Robustness"). The library's own default is no limit.
DEFAULT_MAX_TRIPLES = 500_000
#: Deepest JSON nesting accepted in JSON-LD (real data stays far below; the JSON parsers recurse).
JSON_MAX_DEPTH = 200

#: The formats read (names, aliases and extensions: :data:`xjkg.core.rdf.RDF_FORMATS`).
FORMATS: dict[str, RdfFormat] = RDF_FORMATS
_BOM = codecs.BOM_UTF8
#: What the command line offers for a relative IRI with no base (the message names it).
BASE_ADVICE = "give a base IRI to resolve it against with --base IRI (or @base in the file)"
#: Control characters a parser's message may quote from the input, shown escaped to keep messages on one line.
_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\x00"})


class TooManyTriplesError(XjkgError):
    """The input holds more triples than ``max_triples`` allows (exit 2); the parse stopped there."""


def _too_many(name: str, max_triples: int) -> TooManyTriplesError:
    return TooManyTriplesError(
        f"{name}: more than {max_triples:,} triples, the limit that bounds memory; "
        "raise it with --max-triples if you mean to read this much"
    )


def format_for(name: str, fmt: str | None = None) -> str:
    """The canonical format name from an explicit ``fmt`` (aliases allowed) or the file extension.

    >>> format_for("new.ttl"), format_for("x.data", "N-Quads"), format_for("a.jsonld")
    ('turtle', 'nquads', 'jsonld')
    """
    if fmt:
        found = rdf_format(fmt)
        if found is None:
            raise XjkgError(f"{name}: unknown input format {fmt!r} (one of: {', '.join(FORMATS)})")
        return found.name
    suffix = Path(name).suffix.lower()
    found = format_by_extension(suffix)
    if found is None:
        raise XjkgError(
            f"{name}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
            f"use --input-format ({', '.join(FORMATS)})"
        )
    return found.name


def read_rdf(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    base: str | None = None,
    allow_empty: bool = False,
    graph: Graph | None = None,
    max_triples: int | None = None,
) -> Graph:
    """Parse one RDF file into an rdflib Graph (added to ``graph`` if given); bad input raises XjkgError.

    Blank nodes get fresh rdflib identities, so reading several files into one graph never merges
    two files' ``_:b1``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
    >>> _ = p.write_text("@prefix ex: <http://example.org/> . ex:a ex:b 1 .")
    >>> len(read_rdf(p))
    1
    """
    path = Path(path)
    name = str(path)
    kind = format_for(name, fmt)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise XjkgError(f"{name}: no such file") from None
    except OSError as exc:
        raise XjkgError(f"{name}: cannot read ({exc.strerror})") from None
    if not path.is_file():
        raise XjkgError(f"{name}: not a file")
    if size > max_bytes:
        raise XjkgError(
            f"{name}: {size:,} bytes is over the size limit of {max_bytes:,} bytes; "
            "raise it with --max-bytes if you mean to read this file"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XjkgError(f"{name}: cannot read ({exc.strerror})") from None
    return read_rdf_text(
        data, kind, name, base=base, allow_empty=allow_empty, graph=graph, max_bytes=max_bytes, max_triples=max_triples
    )


def read_rdf_text(
    data: bytes | str,
    fmt: str,
    name: str = "<input>",
    *,
    base: str | None = None,
    allow_empty: bool = False,
    graph: Graph | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_triples: int | None = None,
) -> Graph:
    """Parse in-memory RDF (bytes or text) in format ``fmt``; ``name`` is used in error messages.

    >>> g = read_rdf_text(b'<http://example.org/a> <http://example.org/b> "x" .', "nt")
    >>> next(iter(g))[2].datatype is None  # plain literal, not xsd:string
    True
    """
    kind = format_for(name, fmt)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise XjkgError(f"{name}: {len(data):,} bytes is over the size limit of {max_bytes:,} bytes")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]  # accepted: a BOM is an encoding mark, not content
    _check_utf8(data, name)
    target = Graph() if graph is None else graph
    if not data.strip():
        if allow_empty:
            return target
        raise XjkgError(f"{name}: the file is empty (no triples to read)")
    if kind == "jsonld":  # through rdflib, after a safety scan (pyoxigraph would fetch remote contexts)
        count = _read_jsonld(data, name, base, target, max_triples)
    else:
        if kind == "rdfxml":
            _check_xml(data, name)
        count = _read_oxigraph(data, ox_format(FORMATS[kind]), name, base, target, max_triples)
    if count == 0 and not allow_empty:
        raise XjkgError(f"{name}: no triples in the file (only prefixes, comments or empty structures)")
    return target


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _check_utf8(data: bytes, name: str) -> None:
    """Refuse bytes that are not UTF-8, naming line and column; decodes in chunks, keeping nothing."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    chunk = 1 << 22
    for start in range(0, len(data), chunk):
        try:
            decoder.decode(view[start : start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as exc:
            # The decoder may hold back up to 3 bytes of an incomplete sequence from the previous chunk.
            offset = max(0, start + exc.start - len(decoder.getstate()[0]))
            while offset < len(data) and not _is_bad_at(data, offset):
                offset += 1
            line, column = _position(data, offset)
            raise XjkgError(
                f"{name}:{line}:{column}: not UTF-8 text (byte 0x{data[offset]:02x}); save the file as UTF-8"
                if offset < len(data)
                else f"{name}: not UTF-8 text (truncated character at the end); save the file as UTF-8"
            ) from None


def _is_bad_at(data: bytes, offset: int) -> bool:
    try:
        data[offset : offset + 4].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start == 0
    return False


def _check_xml(data: bytes, name: str) -> None:
    """Refuse a DTD or entity declaration and any XML that is not well formed, before any RDF parsing.

    expat runs with handlers that stop at the first ``<!DOCTYPE``, so no entity is ever declared, let
    alone expanded or fetched (defusedxml's approach, with the position kept for the message).
    """
    parser = xml.parsers.expat.ParserCreate(encoding="utf-8")  # checked above; a declared one is ignored
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    class _RefusedError(Exception):
        pass

    def refuse(*_args: Any) -> None:
        raise _RefusedError

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except _RefusedError:
        raise XjkgError(
            f"{name}:{parser.CurrentLineNumber}:{parser.CurrentColumnNumber + 1}: RDF/XML with a DTD "
            "(<!DOCTYPE>/<!ENTITY>) is refused: entities are never expanded or fetched; remove the DTD"
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        raise XjkgError(f"{name}:{exc.lineno}:{exc.offset + 1}: XML is not well formed: {message}") from None


def _read_oxigraph(
    data: bytes, fmt: ox.RdfFormat, name: str, base: str | None, target: Graph, max_triples: int | None = None
) -> int:
    """Strict parsing with pyoxigraph, terms converted to rdflib's (plain literals stay plain)."""
    convert = _Converter(name)
    named = False
    count = 0
    limit = max_triples if max_triples is not None else -1
    try:
        quads = ox.parse(data, fmt, base_iri=base)
        add = target.add
        for quad in quads:
            if count == limit:  # stop before the graph grows past what the limit allows
                raise _too_many(name, limit)
            add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
            named = named or not isinstance(quad.graph_name, ox.DefaultGraph)
            count += 1
    except SyntaxError as exc:
        message = str(exc.msg)
        if message.startswith("Parser error at line"):
            message = message.split(": ", 1)[-1]
        message = message.removesuffix(f" (line {exc.lineno})")
        message = message.translate(_ONE_LINE)  # the parser may quote the input's line breaks
        if base is None and "No scheme found" in message:
            message = f"a relative IRI and no base IRI: {BASE_ADVICE}"
        where = f"{name}:{exc.lineno}:{exc.offset or 1}" if exc.lineno else name
        raise XjkgError(f"{where}: {message}") from None
    except (ValueError, OSError) as exc:
        raise XjkgError(f"{name}: {str(exc).translate(_ONE_LINE)}") from None
    for prefix, namespace in quads.prefixes.items():  # kept so reports and outputs can use the file's names
        target.bind(prefix, namespace, override=False)
    if named:
        log.info("%s: named graphs merged into one graph (their names are dropped)", name)
    return count


class _Converter:
    """pyoxigraph term → rdflib term, with fresh blank nodes per file and interned IRIs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.iris: dict[str, URIRef] = {}
        self.bnodes: dict[str, BNode] = {}
        self.warned = False
        _quiet_rdflib_conversions()  # rdflib logs a traceback for each ill-typed literal: one line said instead

    def __call__(self, term: Any) -> Node:
        if isinstance(term, ox.NamedNode):
            value = term.value
            found = self.iris.get(value)
            if found is None:
                found = self.iris[value] = URIRef(value)
            return found
        if isinstance(term, ox.BlankNode):
            bnode = self.bnodes.get(term.value)
            if bnode is None:
                bnode = self.bnodes[term.value] = BNode()
            return bnode
        if isinstance(term, ox.Literal):
            if getattr(term, "direction", None):
                raise XjkgError(f"{self.name}: base-direction literals (RDF 1.2) are not supported: {term}")
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            # xsd:string is the plain literal in RDF 1.1; rdflib treats "x" and "x"^^xsd:string as different.
            if datatype == XSD_STRING:
                return Literal(term.value)
            # normalize=False keeps the lexical form as written ("1"^^xsd:boolean is not "true"^^xsd:boolean).
            literal = Literal(term.value, datatype=self.iris.get(datatype) or URIRef(datatype), normalize=False)
            if literal.ill_typed and not self.warned:
                # Kept as written (validation reports it where a shape asks for the datatype); said once per file.
                self.warned = True
                log.warning("%s: %s is not a valid <%s>; kept as written", self.name, shown(term.value), datatype)
            return literal
        raise XjkgError(f"{self.name}: triple terms (RDF 1.2 / RDF-star) are not supported: {term}")


def _read_jsonld(data: bytes, name: str, base: str | None, target: Graph, max_triples: int | None = None) -> int:
    """JSON-LD through rdflib, after a scan that refuses remote contexts and deep nesting."""
    from rdflib.plugins.parsers.jsonld import Parser as JsonLdParser
    from rdflib.plugins.shared.jsonld.context import Context

    try:
        # Decoded first: json.loads would guess UTF-16/32 from bytes that start with a NUL (checked UTF-8 above).
        document = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise XjkgError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except ValueError:  # a number past Python's 4,300-digit limit for int()
        raise XjkgError(f"{name}: a JSON number too long to read; write it as a string with a datatype") from None
    except RecursionError:
        raise XjkgError(f"{name}: JSON nested too deeply (limit {JSON_MAX_DEPTH} levels)") from None
    _scan_json(document, name)
    dataset = Dataset()
    context = Context(base=base)
    context._context_cache = _NoFetch(name)  # every context fetch asks this cache first; it refuses
    try:
        with warnings.catch_warnings():  # rdflib's own use of its deprecated Dataset.default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            JsonLdParser().parse(document, context, dataset)
    except XjkgError:
        raise
    except RecursionError:
        raise XjkgError(f"{name}: JSON-LD nested too deeply") from None
    except Exception as exc:  # rdflib's JSON-LD errors have no common base class
        raise XjkgError(f"{name}: invalid JSON-LD: {str(exc).translate(_ONE_LINE)}") from None
    count = 0
    if max_triples is not None and sum(1 for _ in dataset.quads((None, None, None, None))) > max_triples:
        raise _too_many(name, max_triples)  # after the parse: JSON costs more bytes a triple than Turtle
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        for term in (s, p, o):
            if isinstance(term, URIRef) and ":" not in term:
                raise XjkgError(f"{name}: relative IRI {str(term)!r} and no base IRI: {BASE_ADVICE}")
        target.add((s, p, o))
        count += 1
    return count


class _NoFetch(dict[str, Any]):
    """rdflib's JSON-LD context cache; a lookup means rdflib is about to fetch a context: refuse."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    @staticmethod
    def refusal(url: object) -> str:
        return f"remote JSON-LD context {url!r} is never fetched; put the context inline"

    def __contains__(self, url: object) -> bool:
        raise XjkgError(f"{self.name}: {self.refusal(url)}")


def _scan_json(document: Any, name: str) -> None:
    """Refuse a string ``@context`` or ``@import`` anywhere (a fetch) and nesting over the limit."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > JSON_MAX_DEPTH:
            raise XjkgError(f"{name}: JSON-LD nested too deeply (over {JSON_MAX_DEPTH} levels)")
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    refs = value if isinstance(value, list) else [value]
                    for ref in refs:
                        if isinstance(ref, str):
                            raise XjkgError(f"{name}: {_NoFetch.refusal(ref)}")
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


def read_all(paths: Iterable[str | os.PathLike[str]], fmt: str | None = None, **options: Any) -> Graph:
    """Read several files into one graph (blank nodes kept apart per file)."""
    graph = Graph()
    for path in paths:
        read_rdf(path, fmt, graph=graph, **options)
    return graph
