"""Query results, whatever engine produced them, and their formats.

Engines hand over terms as plain tuples (``("uri", iri)``, ``("bnode", id)``, ``("literal", lexical,
datatype, lang)``); :func:`make_term` turns them into rdflib terms in ONE way: decimals in Oxigraph's
canonical spelling ("155728.5", never "155728.50"), ``xsd:string`` as a plain literal. So the embedded
store and any endpoint give rows that compare equal.

A result built from wire rows (:meth:`QueryResult.from_wire`) makes its rdflib terms only when
``rows`` is first read: the formats are written from the wire tuples, normalised exactly as
``wire_term(make_term(wire))`` would be (:func:`normal_wire`), so a server answering JSON or CSV never
builds an rdflib term (nor imports rdflib).

Formats: the SPARQL 1.1 result standards (``json``, ``xml``, ``csv``, ``tsv``), ``table`` for a terminal,
``md`` for a paper; ``turtle``, ``ntriples``, ``jsonld``, ``rdfxml`` for CONSTRUCT/DESCRIBE graphs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import EXIT_BAD_INPUT, XjkgError

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Identifier

__all__ = [
    "FORMAT_ALIASES",
    "GRAPH_FORMATS",
    "ROW_FORMATS",
    "QueryResult",
    "WireTerm",
    "format_decimal",
    "make_term",
    "normal_wire",
    "wire_term",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = XSD + "string"
_XSD_DECIMAL = XSD + "decimal"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BARE_IN_TSV = {XSD + "integer", _XSD_DECIMAL, XSD + "double", XSD + "boolean"}

#: A term as it crosses a process or network boundary.
WireTerm = tuple[str, ...]

ROW_FORMATS = ("table", "md", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
#: Short names the command line accepts.
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml", "markdown": "md"}
_OX_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}
_TABLE_CELL = 100  # characters; longer cells are shortened in ``table`` only


def format_decimal(lexical: str) -> str:
    """The one spelling of an ``xsd:decimal``: Oxigraph's canonical form, no trailing zeros.

    >>> [format_decimal(x) for x in ("155728.50", "2610000000.00", "-0.0", "1E+3")]
    ['155728.5', '2610000000', '0', '1000']
    """
    try:
        value = Decimal(lexical.strip())
    except InvalidOperation:
        return lexical  # an ill-typed literal stays as written
    if not value.is_finite():
        return lexical
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def make_term(wire: WireTerm | None) -> Identifier | None:
    """An rdflib term from a wire tuple, normalised (see the module docstring)."""
    if wire is None:
        return None
    from rdflib.term import BNode, URIRef

    kind = wire[0]
    if kind == "uri":
        return URIRef(wire[1])
    if kind == "bnode":
        return BNode(wire[1])
    return _make_literal(wire[1], wire[2], wire[3])


@lru_cache(maxsize=16_384)
def _make_literal(lexical: str, datatype: str, lang: str) -> Identifier:
    # Cached: building a typed Literal parses its value, and results repeat values (rdflib terms are immutable).
    from rdflib.term import Literal, URIRef

    if lang:
        return Literal(lexical, lang=lang)
    if not datatype or datatype in (_XSD_STRING, _RDF_LANGSTRING):
        return Literal(lexical)
    if datatype == _XSD_DECIMAL:
        lexical = format_decimal(lexical)
    return Literal(lexical, datatype=URIRef(datatype))


def wire_term(term: Any) -> WireTerm | None:
    """The wire tuple of an rdflib term (the inverse of :func:`make_term`)."""
    if term is None:
        return None
    from rdflib.term import BNode, Literal

    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else "", term.language or "")
    if isinstance(term, BNode):
        return ("bnode", str(term))
    return ("uri", str(term))


_PLAIN = ("", _XSD_STRING, _RDF_LANGSTRING)
_XSD_INTEGER = XSD + "integer"


_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*").fullmatch  # rdflib keeps these as written
_DECIMAL_LEXICAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)").fullmatch  # xsd:decimal's lexical space
_XSD_BOOLEAN = XSD + "boolean"


@lru_cache(maxsize=16_384)
def _normal_typed(lexical: str, datatype: str) -> WireTerm:
    # rdflib respells typed literals ("01" → "1", "1.5E0" → "1.5"): ask it, once per distinct value.
    wire = wire_term(make_term(("literal", lexical, datatype, "")))
    assert wire is not None
    return wire


def normal_wire(wire: WireTerm | None) -> WireTerm | None:
    """``wire_term(make_term(wire))``, without building a term for the common cases.

    >>> normal_wire(("literal", "155728.50", XSD + "decimal", ""))
    ('literal', '155728.5', 'http://www.w3.org/2001/XMLSchema#decimal', '')
    >>> normal_wire(("literal", "a", XSD + "string", ""))
    ('literal', 'a', '', '')
    """
    if wire is None or wire[0] != "literal":
        return wire
    lexical, datatype, lang = wire[1], wire[2], wire[3]
    if lang:
        return wire if not datatype else ("literal", lexical, "", lang)
    if datatype in _PLAIN:
        return wire if not datatype else ("literal", lexical, "", "")
    if datatype == _XSD_INTEGER and _CANONICAL_INTEGER(lexical):
        return wire
    # Sums and shares are decimals: spelled here as rdflib would, so JSON/CSV output never imports rdflib.
    if datatype == _XSD_DECIMAL and _DECIMAL_LEXICAL(lexical):
        return ("literal", format_decimal(lexical), datatype, "")
    if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
        return wire
    return _normal_typed(lexical, datatype)


@dataclass
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Identifier | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None
    truncated: bool = False
    elapsed: float = 0.0

    @classmethod
    def from_wire(
        cls, variables: list[str], rows: list[list[WireTerm | None]], *, truncated: bool = False, elapsed: float = 0.0
    ) -> QueryResult:
        """A SELECT result over wire rows (one tuple or ``None`` per variable); rdflib terms come on demand."""
        result = cls(form="SELECT", variables=list(variables), truncated=truncated, elapsed=elapsed)
        result._wire = rows
        result._rows = None
        return result

    @property
    def row_count(self) -> int:
        """How many rows, without converting them to rdflib terms."""
        return len(self._wire or []) if self._rows is None else len(self._rows)

    def _wires(self) -> list[list[WireTerm | None]]:
        """The rows as normalised wire tuples, in ``variables`` order (what every format writes)."""
        if self._rows is None:
            return [[normal_wire(term) for term in row] for row in self._wire or []]
        return [[wire_term(row.get(name)) for name in self.variables] for row in self._rows]

    # -- Python values ------------------------------------------------------------------------------
    def to_python(self) -> list[dict[str, object]]:
        """Rows with typed Python values: ``Decimal``, ``int``, ``date``, ``bool``, ``str`` (IRIs too)."""
        from rdflib.term import Literal

        def value(term: Identifier | None) -> object:
            if term is None:
                return None
            if isinstance(term, Literal):
                python = term.toPython()
                return str(term) if isinstance(python, Literal) else python
            return str(term)

        return [{name: value(row.get(name)) for name in self.variables} for row in self.rows]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` of :meth:`to_python` (needs pandas, which xjkg does not depend on)."""
        try:
            import pandas
        except ImportError:
            raise XjkgError("to_pandas() needs pandas: pip install pandas", EXIT_BAD_INPUT) from None
        return pandas.DataFrame(self.to_python(), columns=self.variables)

    # -- formats ------------------------------------------------------------------------------------
    def serialize(self, fmt: str = "table") -> bytes:
        """The result in ``fmt`` (see :data:`ROW_FORMATS`, :data:`GRAPH_FORMATS`, :data:`FORMAT_ALIASES`)."""
        fmt = FORMAT_ALIASES.get(fmt, fmt)
        if self.graph is not None:
            return self._serialize_graph(fmt)
        if fmt not in ROW_FORMATS:
            raise XjkgError(
                f"format {fmt!r} is for graphs; a {self.form} result is written as {', '.join(ROW_FORMATS)}",
                EXIT_BAD_INPUT,
            )
        if self.boolean is not None:
            return self._serialize_boolean(fmt)
        writer = getattr(self, f"_rows_{fmt}")
        return writer()

    def _serialize_graph(self, fmt: str) -> bytes:
        assert self.graph is not None
        if fmt in ("table", "md"):
            fmt = "turtle"
        elif fmt == "xml":
            fmt = "rdfxml"
        if fmt not in GRAPH_FORMATS:
            raise XjkgError(
                f"format {fmt!r} is for rows; a {self.form} result is a graph: use {', '.join(GRAPH_FORMATS)}",
                EXIT_BAD_INPUT,
            )
        # pyoxigraph writes decimals as the rows show them (rdflib's Turtle writer respells them).
        import pyoxigraph as ox

        from .namespaces import PREFIXES

        triples = [ox.Triple(*(_ox_term(wire_term(term)) for term in triple)) for triple in self.graph]
        data = ox.serialize(
            triples,
            format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]),
            prefixes=PREFIXES if fmt != "ntriples" else None,
        )
        return data or b""

    def _serialize_boolean(self, fmt: str) -> bytes:
        word = "true" if self.boolean else "false"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": self.boolean}).encode("utf-8")
        if fmt == "xml":
            return (
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"  <head/>\n  <boolean>{word}</boolean>\n</sparql>\n"
            ).encode()
        return f"{word}\n".encode()

    def _rows_json(self) -> bytes:
        bindings = []
        for row in self._wires():
            out: dict[str, dict[str, str]] = {}
            for name, wire in zip(self.variables, row, strict=True):
                if wire is None:
                    continue
                if wire[0] == "literal":
                    item = {"type": "literal", "value": wire[1]}
                    if wire[3]:
                        item["xml:lang"] = wire[3]
                    elif wire[2]:
                        item["datatype"] = wire[2]
                    out[name] = item
                else:
                    out[name] = {"type": wire[0], "value": wire[1]}
            bindings.append(out)
        # One binding a line: readable, and json's C encoder (indent= would use the pure-Python one).
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        lines = "".join(f"\n{json.dumps(b, ensure_ascii=False)}," for b in bindings)[:-1] + "\n" if bindings else ""
        return f'{{"head": {head},\n"results": {{"bindings": [{lines}]}}}}\n'.encode()

    def _rows_xml(self) -> bytes:
        from xml.sax.saxutils import escape, quoteattr  # imports urllib.request: only when asked for

        lines = [
            '<?xml version="1.0"?>',
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "  <head>",
        ]
        lines += [f"    <variable name={quoteattr(name)}/>" for name in self.variables]
        lines += ["  </head>", "  <results>"]
        for row in self._wires():
            lines.append("    <result>")
            for name, wire in zip(self.variables, row, strict=True):
                if wire is None:
                    continue
                if wire[0] == "uri":
                    inner = f"<uri>{escape(wire[1])}</uri>"
                elif wire[0] == "bnode":
                    inner = f"<bnode>{escape(wire[1])}</bnode>"
                elif wire[3]:
                    inner = f"<literal xml:lang={quoteattr(wire[3])}>{escape(wire[1])}</literal>"
                elif wire[2]:
                    inner = f"<literal datatype={quoteattr(wire[2])}>{escape(wire[1])}</literal>"
                else:
                    inner = f"<literal>{escape(wire[1])}</literal>"
                lines.append(f"      <binding name={quoteattr(name)}>{inner}</binding>")
            lines.append("    </result>")
        lines += ["  </results>", "</sparql>", ""]
        return "\n".join(lines).encode("utf-8")

    def _rows_csv(self) -> bytes:
        # SPARQL 1.1 CSV: plain values, CRLF line ends; blank nodes as _:id.
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self._wires():
            cells = []
            for wire in row:
                cells.append("" if wire is None else (f"_:{wire[1]}" if wire[0] == "bnode" else wire[1]))
            writer.writerow(cells)
        return buffer.getvalue().encode("utf-8")

    def _rows_tsv(self) -> bytes:
        # SPARQL 1.1 TSV: terms in Turtle syntax; numbers and booleans bare.
        lines = ["\t".join(f"?{name}" for name in self.variables)]
        for row in self._wires():
            lines.append("\t".join(_turtle_term(wire) for wire in row))
        return ("\n".join(lines) + "\n").encode("utf-8")

    def _display_rows(self, wires: list[list[WireTerm | None]], limit: int | None) -> list[list[str]]:
        from .namespaces import PREFIXES

        by_length = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

        def show(wire: WireTerm | None) -> str:
            if wire is None:
                return ""
            text = wire[1]
            if wire[0] == "uri":
                for prefix, namespace in by_length:
                    if text.startswith(namespace) and len(text) > len(namespace):
                        text = f"{prefix}:{text[len(namespace) :]}"
                        break
            elif wire[0] == "bnode":
                text = f"_:{text}"
            text = " ".join(text.split())  # newlines would break the layout
            if limit and len(text) > limit:
                text = text[: limit - 1] + "…"
            return text

        return [[show(wire) for wire in row] for row in wires]

    def _footer(self) -> str:
        count = f"{self.row_count} row{'s' if self.row_count != 1 else ''}"
        if self.truncated:
            count += " (truncated at the row limit; raise --max-rows for more)"
        return count

    def _rows_table(self) -> bytes:
        wires = self._wires()
        cells = self._display_rows(wires, _TABLE_CELL)
        widths = [len(name) for name in self.variables]
        for row in cells:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
        numeric = [
            all(_is_number(row[index]) or row[index] is None for row in wires) and bool(wires)
            for index in range(len(self.variables))
        ]

        def line(values: list[str]) -> str:
            parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
            return "  ".join(parts).rstrip()

        out = [line(self.variables), "  ".join("-" * w for w in widths)]
        out += [line(row) for row in cells]
        out.append(self._footer())
        return ("\n".join(out) + "\n").encode("utf-8")

    def _rows_md(self) -> bytes:
        def cell(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|")

        out = ["| " + " | ".join(self.variables) + " |", "|" + "|".join("---" for _ in self.variables) + "|"]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self._display_rows(self._wires(), None)]
        if self.truncated:
            out += ["", self._footer()]
        return ("\n".join(out) + "\n").encode("utf-8")


def _get_rows(self: QueryResult) -> list[dict[str, Identifier | None]]:
    if self._rows is None:
        self._rows = [
            {name: make_term(term) for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self._wire or []
        ]
        self._wire = None
    return self._rows


def _set_rows(self: QueryResult, rows: list[dict[str, Identifier | None]]) -> None:
    self._rows = rows
    self._wire = None


# ``rows`` is a dataclass field (init, repr, eq) read through a property, so that a result made by
# from_wire converts its rows to rdflib terms only when someone reads them.
QueryResult.rows = property(_get_rows, _set_rows)  # type: ignore[assignment]
QueryResult._rows = None
QueryResult._wire = None


def _ox_term(wire: WireTerm | None) -> Any:
    import pyoxigraph as ox

    assert wire is not None
    if wire[0] == "uri":
        return ox.NamedNode(wire[1])
    if wire[0] == "bnode":
        return ox.BlankNode(wire[1])
    if wire[3]:
        return ox.Literal(wire[1], language=wire[3])
    return ox.Literal(wire[1], datatype=ox.NamedNode(wire[2])) if wire[2] else ox.Literal(wire[1])


def _is_number(wire: WireTerm | None) -> bool:
    return wire is not None and wire[0] == "literal" and wire[2] in _BARE_IN_TSV - {XSD + "boolean"}


def _turtle_term(wire: WireTerm | None) -> str:
    if wire is None:
        return ""
    if wire[0] == "uri":
        return f"<{wire[1]}>"
    if wire[0] == "bnode":
        return f"_:{wire[1]}"
    quoted = (
        '"'
        + wire[1]
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        + '"'
    )
    if wire[3]:
        return f"{quoted}@{wire[3]}"
    if wire[2] in _BARE_IN_TSV and wire[1] and " " not in wire[1]:
        return wire[1]
    return f"{quoted}^^<{wire[2]}>" if wire[2] else quoted
