"""Query results, whatever engine produced them, and their formats.

An engine hands over answers in the form it has them, and nothing is converted before someone asks:
SELECT rows as wire tuples (:meth:`QueryResult.from_wire`; :data:`xjkg.core.rdf.WireTerm`), CONSTRUCT and
DESCRIBE graphs as pyoxigraph triples (:meth:`QueryResult.from_triples`). The formats are written from
those, normalised exactly as rdflib terms would be (:func:`xjkg.core.rdf.normal_wire`: decimals in Oxigraph's
canonical spelling, ``xsd:string`` as a plain literal), so a server answering JSON or CSV never builds an
rdflib term (nor imports rdflib), and the embedded store and any endpoint give answers that compare equal.
:attr:`QueryResult.rows` and :attr:`QueryResult.graph` make rdflib objects, once, when first read.

Formats: the SPARQL 1.1 result standards (``json``, ``xml``, ``csv``, ``tsv``), ``table`` for a terminal,
``md`` for a paper; ``turtle``, ``ntriples``, ``jsonld``, ``rdfxml`` for CONSTRUCT/DESCRIBE graphs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.rdf import (
    NAMES,
    PREFIXES,
    RDF_FORMATS,
    XSD,
    WireTerm,
    format_decimal,
    normal_wire,
    ox_format,
    ox_to_wire,
    rdflib_to_wire,
    wire_to_json,
    wire_to_ox,
    wire_to_rdflib,
)

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
    "jsonld_with_context",
]

_BARE_IN_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}

ROW_FORMATS = ("table", "md", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
#: Short names the command line accepts ("xml" and "json" name the SPARQL result formats here).
FORMAT_ALIASES = {
    **{alias: f.name for f in RDF_FORMATS.values() for alias in f.aliases if alias not in ROW_FORMATS},
    "markdown": "md",
}
_TABLE_CELL = 100  # characters; longer cells are shortened in ``table`` only

Row = dict[str, "Identifier | None"]


def xml_escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` without its import of ``urllib.request``, which a query command need not pay.

    >>> xml_escape("a < b & c > d")
    'a &lt; b &amp; c &gt; d'
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def xml_quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``: the value escaped and quoted for an attribute.

    >>> print(xml_quoteattr('say "hi"'))
    'say "hi"'
    """
    text = xml_escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        return '"{}"'.format(text.replace('"', "&quot;")) if "'" in text else f"'{text}'"
    return f'"{text}"'


class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE).

    Built from rdflib objects (``rows=``, ``graph=``), from wire rows (:meth:`from_wire`) or from pyoxigraph
    triples (:meth:`from_triples`); :attr:`rows` and :attr:`graph` are rdflib objects made on first reading.
    """

    def __init__(
        self,
        form: str,
        variables: list[str] | None = None,
        rows: list[Row] | None = None,
        boolean: bool | None = None,
        graph: rdflib.Graph | None = None,
        truncated: bool = False,
        elapsed: float = 0.0,
    ) -> None:
        self.form = form
        self.variables: list[str] = list(variables or [])
        self.boolean = boolean
        self.truncated = truncated
        self.elapsed = elapsed
        # Exactly one of each pair holds the answer: the rdflib form, or the engine's form until asked for.
        self._rows: list[Row] | None = list(rows or [])
        self._wire: list[list[WireTerm | None]] | None = None
        self._graph: rdflib.Graph | None = graph
        self._triples: list[tuple[WireTerm, WireTerm, WireTerm]] | None = None

    @classmethod
    def from_wire(
        cls, variables: list[str], rows: list[list[WireTerm | None]], *, truncated: bool = False, elapsed: float = 0.0
    ) -> QueryResult:
        """A SELECT result over wire rows (one tuple or ``None`` per variable); rdflib terms come on demand."""
        result = cls(form="SELECT", variables=variables, truncated=truncated, elapsed=elapsed)
        result._rows, result._wire = None, rows
        return result

    @classmethod
    def from_triples(
        cls, form: str, triples: Iterable[Any], *, truncated: bool = False, elapsed: float = 0.0
    ) -> QueryResult:
        """A graph result over pyoxigraph triples; an rdflib graph comes on demand.

        The triples are normalised like rows, kept once each, and grouped by subject then predicate in the
        order they came (Turtle then writes each subject once; it is also the order rdflib's store gives).
        """
        grouped: dict[WireTerm, dict[WireTerm, dict[WireTerm, None]]] = {}
        for triple in triples:
            s, p, o = (normal_wire(ox_to_wire(t)) for t in (triple.subject, triple.predicate, triple.object))
            assert s is not None and p is not None and o is not None
            grouped.setdefault(s, {}).setdefault(p, {})[o] = None
        result = cls(form=form, truncated=truncated, elapsed=elapsed)
        result._triples = [(s, p, o) for s, by_p in grouped.items() for p, objects in by_p.items() for o in objects]
        return result

    @classmethod
    def from_answer(cls, form: str, payload: tuple[Any, ...], elapsed: float = 0.0) -> QueryResult:
        """A result over a query worker's answer (:func:`xjkg.query.worker.evaluate`)."""
        kind = payload[0]
        if kind == "ASK":
            return cls(form="ASK", boolean=bool(payload[1]), elapsed=elapsed)
        if kind == "SELECT":
            variables, rows, truncated = payload[1], payload[2], payload[3]
            return cls.from_wire(variables, rows, truncated=bool(truncated), elapsed=elapsed)
        import pyoxigraph as ox

        triples = ox.parse(payload[1], format=ox.RdfFormat.N_TRIPLES)
        return cls.from_triples(form, triples, truncated=bool(payload[2]), elapsed=elapsed)

    @property
    def rows(self) -> list[Row]:
        """The rows as rdflib terms (an unbound variable is absent from its row)."""
        if self._rows is None:
            self._rows = [
                {name: wire_to_rdflib(term) for name, term in zip(self.variables, row, strict=True) if term is not None}
                for row in self._wire or []
            ]
            self._wire = None
        return self._rows

    @rows.setter
    def rows(self, rows: list[Row]) -> None:
        self._rows, self._wire = rows, None

    @property
    def graph(self) -> rdflib.Graph | None:
        """The graph of a CONSTRUCT or DESCRIBE result as an rdflib graph; None for rows or a boolean."""
        if self._graph is None and self._triples is not None:
            import rdflib

            graph = rdflib.Graph()
            for triple in self._triples:
                graph.add(tuple(wire_to_rdflib(t) for t in triple))  # type: ignore[arg-type]
            self._graph, self._triples = graph, None
        return self._graph

    @property
    def is_graph(self) -> bool:
        """Whether the answer is a graph (CONSTRUCT or DESCRIBE)."""
        return self._graph is not None or self._triples is not None

    @property
    def row_count(self) -> int:
        """How many rows, without converting them to rdflib terms."""
        return len(self._wire or []) if self._rows is None else len(self._rows)

    @property
    def triple_count(self) -> int:
        """How many triples a graph result holds, without converting them to rdflib terms."""
        if self._triples is not None:
            return len(self._triples)
        return len(self._graph) if self._graph is not None else 0

    # -- as rdflib's Result ----------------------------------------------------------------------------
    @property
    def type(self) -> str:
        """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (rdflib's ``Result.type``)."""
        return self.form

    @property
    def vars(self) -> list[rdflib.Variable]:
        """The projected variables as rdflib ``Variable`` objects (rdflib's ``Result.vars``)."""
        from rdflib import Variable

        return [Variable(name) for name in self.variables]

    @property
    def bindings(self) -> list[dict[rdflib.Variable, Identifier]]:
        """The rows as dicts keyed by ``Variable`` (rdflib's ``Result.bindings``); unbound variables absent."""
        from rdflib import Variable

        return [{Variable(name): term for name, term in row.items() if term is not None} for row in self.rows]

    @property
    def askAnswer(self) -> bool | None:  # noqa: N802 (rdflib's name)
        """The answer of an ASK query (rdflib's ``Result.askAnswer``); None for other forms."""
        return self.boolean

    def __len__(self) -> int:
        """Rows of a SELECT, triples of a CONSTRUCT or DESCRIBE, 1 for an ASK (as rdflib's ``Result``)."""
        if self.boolean is not None:
            return 1
        return self.triple_count if self.is_graph else self.row_count

    def __bool__(self) -> bool:
        """An ASK's answer; otherwise whether there is a row or a triple (as rdflib's ``Result``)."""
        if self.boolean is not None:
            return self.boolean
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        """As rdflib's ``Result``: ``ResultRow`` objects (``row.name``, ``row["name"]``, ``row[0]``) for a
        SELECT, the triples of a graph, the boolean of an ASK.

        >>> from rdflib import Literal
        >>> result = QueryResult("SELECT", ["n", "m"], [{"n": Literal(1)}])
        >>> [(int(row.n), row.m, row[0] == row["n"]) for row in result], len(result), [str(v) for v in result.vars]
        ([(1, None, True)], 1, ['n', 'm'])
        """
        if self.boolean is not None:
            yield self.boolean
        elif self.is_graph:
            yield from self.graph or ()
        else:
            from rdflib.query import ResultRow

            labels = self.vars
            for row in self.bindings:
                yield ResultRow(row, labels)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.form, self.variables, self.boolean, self.truncated, self.elapsed) == (
            other.form,
            other.variables,
            other.boolean,
            other.truncated,
            other.elapsed,
        ) and (self._wires(), self._graph_wires()) == (other._wires(), other._graph_wires())

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        size = f"{self.triple_count} triples" if self.is_graph else f"{self.row_count} rows"
        return f"QueryResult(form={self.form!r}, variables={self.variables!r}, {size}, boolean={self.boolean!r})"

    def _wires(self) -> list[list[WireTerm | None]]:
        """The rows as normalised wire tuples, in ``variables`` order (what every format writes)."""
        if self._rows is None:
            return [[normal_wire(term) for term in row] for row in self._wire or []]
        return [[rdflib_to_wire(row.get(name)) for name in self.variables] for row in self._rows]

    def _graph_wires(self) -> list[tuple[WireTerm, ...]]:
        """The triples of a graph result as wire tuples."""
        if self._triples is not None:
            return list(self._triples)
        if self._graph is None:
            return []
        return [tuple(rdflib_to_wire(t) for t in triple) for triple in self._graph]  # type: ignore[misc]

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
        if self.is_graph:
            return self._serialize_graph(fmt)
        if fmt not in ROW_FORMATS:
            raise XjkgError(
                f"format {fmt!r} is for graphs; a {self.form} result is written as {', '.join(ROW_FORMATS)}",
                EXIT_BAD_INPUT,
            )
        if self.boolean is not None:
            return self._serialize_boolean(fmt)
        writer: Callable[[], bytes] = getattr(self, f"_rows_{fmt}")
        return writer()

    def _serialize_graph(self, fmt: str) -> bytes:
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

        triples = [ox.Triple(*(wire_to_ox(term) for term in triple)) for triple in self._graph_wires()]
        data = ox.serialize(
            triples,
            format=ox_format(RDF_FORMATS[fmt]),
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
                if wire is not None:
                    out[name] = wire_to_json(wire)
            bindings.append(out)
        # One binding a line: readable, and json's C encoder (indent= would use the pure-Python one), made
        # once per answer (json.dumps makes one per call: a third of a small answer's time).
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        encode = _line_encoder()
        lines = "".join([f"\n{encode(b)}," for b in bindings])[:-1] + "\n" if bindings else ""
        return f'{{"head": {head},\n"results": {{"bindings": [{lines}]}}}}\n'.encode()

    def _rows_xml(self) -> bytes:
        escape, quoteattr = xml_escape, xml_quoteattr
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
        def show(wire: WireTerm | None) -> str:
            if wire is None:
                return ""
            text = wire[1]
            if wire[0] == "uri":
                text = NAMES.shorten(text) or text
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


def _line_encoder() -> Callable[[object], str]:
    """``json.dumps(value, ensure_ascii=False)`` for plain dicts of strings, with one encoder for many calls."""
    from json import encoder

    c_make_encoder = getattr(encoder, "c_make_encoder", None)  # not in typeshed: the C accelerator's
    if c_make_encoder is None:  # no C accelerator: json.dumps itself
        return lambda value: json.dumps(value, ensure_ascii=False)
    # The arguments json.dumps(ensure_ascii=False) gives it: no markers, no default, no indent, ": " and ", ".
    make = c_make_encoder(None, None, encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(make(value, 0))


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


_GEN_DELIMS = tuple(":/?#[]@")


def jsonld_with_context(body: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Expanded JSON-LD (a list of nodes, as pyoxigraph writes it) with a ``@context`` of ``prefixes`` and
    its IRIs written with them (``rdfs:label``); the same graph, shorter and readable.

    A prefix is left out when some IRI of the document has it as its scheme (it would be misread), or when
    its namespace does not end in a delimiter (JSON-LD 1.1 would not use it as a prefix).

    >>> body = b'[{"@id": "http://ex.org/a", "http://ex.org/p": [{"@value": "1", "@type": "http://ex.org/t"}]}]'
    >>> print(jsonld_with_context(body, {"ex": "http://ex.org/"}).decode())
    {"@context": {"ex": "http://ex.org/"}, "@graph": [{"@id": "ex:a", "ex:p": [{"@value": "1", "@type": "ex:t"}]}]}
    """
    nodes = json.loads(body) if body.strip() else []
    if isinstance(nodes, dict):
        nodes = nodes.get("@graph", [nodes])
    # pyoxigraph's expanded form: a list of nodes, each {"@id", property: [objects]}, an object {"@id"} or
    # {"@value", "@type" | "@language"}. IRIs are gathered once, then each is shortened once.
    iris: set[str] = set()
    for node in nodes:
        for key, objects in node.items():
            if key == "@id" or key == "@type":
                iris.update([objects] if isinstance(objects, str) else objects)
                continue
            iris.add(key)
            for item in objects:
                ref = item.get("@id", item.get("@type"))
                if isinstance(ref, str):
                    iris.add(ref)
    schemes = {iri.split(":", 1)[0] for iri in iris if ":" in iri}
    usable = {p: ns for p, ns in prefixes.items() if p not in schemes and ns.endswith(_GEN_DELIMS) and p != "_"}
    ordered = sorted(usable.items(), key=lambda item: -len(item[1]))
    short: dict[str, str] = {}
    for iri in iris:
        short[iri] = iri
        if iri.startswith("_:"):
            continue
        for prefix, namespace in ordered:
            if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                short[iri] = f"{prefix}:{iri[len(namespace) :]}"
                break

    def rewrite(value: Any) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if key[0] != "@":
                    out[short[key]] = [rewrite(one) for one in item]
                elif (key == "@id" or key == "@type") and isinstance(item, str):
                    out[key] = short.get(item, item)
                elif isinstance(item, list):
                    out[key] = [short.get(one, one) if isinstance(one, str) else one for one in item]
                else:
                    out[key] = item
            return out
        return value

    nodes = [rewrite(node) for node in nodes]
    used = {p: ns for p, ns in sorted(usable.items()) if any(i.startswith(ns) for i in iris)}
    document = {"@context": used, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
