"""The RDF core: terms across pyoxigraph, rdflib and the wire; prefixed names; formats. One place each.

- **Terms.** A term crosses a process or network boundary as a *wire tuple* (:data:`WireTerm`):
  ``("uri", iri)``, ``("bnode", id)`` or ``("literal", lexical, datatype, lang)``. :func:`ox_to_wire`,
  :func:`wire_to_ox`, :func:`wire_to_rdflib`, :func:`rdflib_to_wire`, :func:`rdflib_to_ox` and
  :func:`rdflib_literal` convert between the three forms; :func:`normal_wire` is the one normal form
  (decimals in Oxigraph's canonical spelling, ``xsd:string`` as a plain literal), so the embedded store
  and any endpoint give answers that compare equal. :func:`sparql_term` writes a term as SPARQL text,
  :func:`wire_to_json` / :func:`json_to_wire` as a binding of SPARQL 1.1 JSON results.
- **Prefixed names.** :data:`PREFIX_TABLE` is the one table of prefixes; :data:`PREFIXES` the part bound on
  the data and on query answers, :data:`ALL_PREFIXES` all of it (catalogue, ontology and shapes too).
  :class:`Prefixes` shortens IRIs and expands prefixed names.
- **Formats.** :data:`RDF_FORMATS`: each RDF serialization's name, aliases, file extensions, media type and
  its names in rdflib and pyoxigraph; :func:`rdf_format` and :func:`format_by_extension` look one up.
- **Language tags.** :func:`check_lang` accepts a ``--lang`` value or refuses it (exit 2).

Light to import: neither rdflib nor pyoxigraph is imported at module level (the query worker imports this
module, and a worker's start-up is most of the cost of opening a small graph); a function imports what it
converts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from rdflib.term import Identifier, Literal

__all__ = [
    "ALL_PREFIXES",
    "MEDIA_TYPES",
    "PREFIXES",
    "PREFIX_TABLE",
    "RDF_FORMATS",
    "XSD",
    "Prefixes",
    "RdfFormat",
    "WireTerm",
    "check_lang",
    "format_by_extension",
    "format_decimal",
    "json_to_wire",
    "normal_wire",
    "ox_format",
    "ox_to_wire",
    "rdf_format",
    "rdflib_literal",
    "rdflib_to_ox",
    "rdflib_to_wire",
    "sparql_term",
    "wire_to_json",
    "wire_to_ox",
    "wire_to_rdflib",
]


# BCP 47 in the shape `--lang` accepts: a 2-8 letter language and subtags of 1-8 letters or digits
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def check_lang(lang: str) -> str:
    """``lang`` when it is a language tag; else :class:`~xjkg.core.errors.XjkgError` (exit 2).

    >>> check_lang("zh-Hans")
    'zh-Hans'
    """
    if not _LANG_TAG.match(lang):
        from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError

        raise XjkgError(f"--lang {lang!r} is not a language tag (e.g. en, zh, zh-Hans)", EXIT_BAD_INPUT)
    return lang


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_DECIMAL = XSD + "decimal"
XSD_INTEGER = XSD + "integer"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: A term as it crosses a process or network boundary (see the module docstring).
WireTerm = tuple[str, ...]

# ------------------------------------------------------------------------------------------- prefixes

#: Every prefix xjkg reads or writes: (prefix, namespace, where it is bound). ``data``: on the graph, the
#: stored queries and every query answer; ``catalogue``: also on the release metadata; ``schema``: also on
#: the ontology and shapes exports.
PREFIX_TABLE: tuple[tuple[str, str, str], ...] = (
    ("xjkg", "https://w3id.org/xjkg/ontology#", "data"),
    ("id", "https://w3id.org/xjkg/id/", "data"),
    ("qb", "http://purl.org/linked-data/cube#", "data"),
    ("sdmx-dimension", "http://purl.org/linked-data/sdmx/2009/dimension#", "data"),
    ("sdmx-attribute", "http://purl.org/linked-data/sdmx/2009/attribute#", "data"),
    ("sdmx-measure", "http://purl.org/linked-data/sdmx/2009/measure#", "data"),
    ("oa", "http://www.w3.org/ns/oa#", "data"),
    ("prov", "http://www.w3.org/ns/prov#", "data"),
    ("org", "http://www.w3.org/ns/org#", "data"),
    ("skos", "http://www.w3.org/2004/02/skos/core#", "data"),
    ("time", "http://www.w3.org/2006/time#", "data"),
    ("unit", "http://qudt.org/vocab/unit/", "data"),
    ("cur", "http://qudt.org/vocab/currency/", "data"),
    ("schema", "https://schema.org/", "data"),
    ("wd", "http://www.wikidata.org/entity/", "data"),
    ("dct", "http://purl.org/dc/terms/", "data"),
    ("dcat", "http://www.w3.org/ns/dcat#", "data"),
    ("void", "http://rdfs.org/ns/void#", "data"),
    ("foaf", "http://xmlns.com/foaf/0.1/", "data"),
    ("owl", "http://www.w3.org/2002/07/owl#", "data"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "data"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "data"),
    ("xsd", XSD, "data"),
    ("sh", "http://www.w3.org/ns/shacl#", "data"),
    ("spdx", "http://spdx.org/rdf/terms#", "catalogue"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#", "catalogue"),
    ("adms", "http://www.w3.org/ns/adms#", "catalogue"),
    ("dcatap", "http://data.europa.eu/r5r/", "catalogue"),
    ("locn", "http://www.w3.org/ns/locn#", "catalogue"),
    ("geo", "http://www.opengis.net/ont/geosparql#", "catalogue"),
    ("vann", "http://purl.org/vocab/vann/", "schema"),
    ("qudt", "http://qudt.org/schema/qudt/", "schema"),
    ("dash", "http://datashapes.org/dash#", "schema"),
    ("xjkgsh", "https://w3id.org/xjkg/shapes#", "schema"),
)
#: Prefix → namespace bound on the data and on every query answer, so that outputs read the same everywhere.
PREFIXES: dict[str, str] = {prefix: ns for prefix, ns, where in PREFIX_TABLE if where == "data"}
#: The data's prefixes and the release catalogue's.
CATALOGUE_PREFIXES: dict[str, str] = {prefix: ns for prefix, ns, where in PREFIX_TABLE if where != "schema"}
#: All of :data:`PREFIX_TABLE`.
ALL_PREFIXES: dict[str, str] = {prefix: ns for prefix, ns, _ in PREFIX_TABLE}


class Prefixes:
    """IRIs to and from prefixed names, over one prefix → namespace table (longest namespace wins).

    >>> names = Prefixes(PREFIXES)
    >>> names.shorten("https://w3id.org/xjkg/id/county/luopu"), names.expand("xjkg:County")
    ('id:county/luopu', 'https://w3id.org/xjkg/ontology#County')
    >>> names.shorten("http://example.org/x"), names.expand("nope:x"), names.expand("http://example.org/x")
    (None, None, None)
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = dict(table)
        self._by_length = sorted(((ns, p) for p, ns in self.table.items() if ns), key=lambda item: -len(item[0]))

    def shorten(self, iri: str, local_ok: Callable[[str], bool] | None = None) -> str | None:
        """``prefix:local`` for the longest namespace ``iri`` starts with (a non-empty local part that
        ``local_ok`` accepts, when given), else None."""
        for namespace, prefix in self._by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if local_ok is None or local_ok(local):
                    return f"{prefix}:{local}"
        return None

    def namespace_of(self, iri: str) -> str | None:
        """The longest known namespace ``iri`` starts with (the IRI itself may be that namespace)."""
        return next((ns for ns, _ in self._by_length if iri.startswith(ns)), None)

    def expand(self, name: str) -> str | None:
        """The IRI of ``prefix:local`` for a known prefix; None for an unknown prefix or a full IRI
        (``http://…``: a local part starting ``//``)."""
        prefix, colon, local = name.partition(":")
        if not colon or prefix not in self.table or local.startswith("//"):
            return None
        return self.table[prefix] + local


#: The project's own prefixes, for shortening and expanding.
NAMES = Prefixes(PREFIXES)

# ------------------------------------------------------------------------------------------------ terms


def format_decimal(lexical: str) -> str:
    """The one spelling of an ``xsd:decimal``: Oxigraph's canonical form, no trailing zeros.

    >>> [format_decimal(x) for x in ("155728.50", "2610000000.00", "-0.0", "1E+3")]
    ['155728.5', '2610000000', '0', '1000']
    """
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(lexical.strip())
    except InvalidOperation:
        return lexical  # an ill-typed literal stays as written
    if not value.is_finite():
        return lexical
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def ox_to_wire(term: Any) -> WireTerm | None:
    """A pyoxigraph term as a wire tuple (an RDF-star triple term becomes its text)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("literal", str(term), "", "")


def wire_to_ox(wire: WireTerm) -> Any:
    """A pyoxigraph term from a wire tuple."""
    import pyoxigraph as ox

    if wire[0] == "uri":
        return ox.NamedNode(wire[1])
    if wire[0] == "bnode":
        return ox.BlankNode(wire[1])
    if wire[3]:
        return ox.Literal(wire[1], language=wire[3])
    return ox.Literal(wire[1], datatype=ox.NamedNode(wire[2])) if wire[2] else ox.Literal(wire[1])


def wire_to_rdflib(wire: WireTerm | None) -> Identifier | None:
    """An rdflib term from a wire tuple, normalised (see the module docstring)."""
    if wire is None:
        return None
    from rdflib.term import BNode, URIRef

    kind = wire[0]
    if kind == "uri":
        return URIRef(wire[1])
    if kind == "bnode":
        return BNode(wire[1])
    return _normal_literal(wire[1], wire[2], wire[3])


@lru_cache(maxsize=16_384)
def _normal_literal(lexical: str, datatype: str, lang: str) -> Literal:
    # Cached: building a typed Literal parses its value, and results repeat values (rdflib terms are immutable).
    from rdflib.term import Literal, URIRef

    if lang:
        return Literal(lexical, lang=lang)
    if not datatype or datatype in (XSD_STRING, RDF_LANGSTRING):
        return Literal(lexical)
    if datatype == XSD_DECIMAL:
        lexical = format_decimal(lexical)
    _quiet_rdflib_conversions()
    try:
        term: Literal | None = Literal(lexical, datatype=URIRef(datatype))
    except Exception:  # an rdflib converter that raises instead of marking the literal ill-typed
        term = None
    if term is None or term.ill_typed:
        # Shown as the text it is (never a traceback): e.g. Virtuoso's "12"^^xsd:duration for "P1Y".
        import logging  # here: the one-shot query worker imports this module, and rarely needs it

        logging.getLogger(__name__).warning(
            "a result holds %s, which is not a valid <%s>: shown as text",
            json.dumps(lexical[:80], ensure_ascii=False),
            datatype,
        )
    return term if term is not None else Literal(lexical)


def _not_a_conversion_failure(record: Any) -> bool:
    """rdflib logs a traceback for every ill-typed literal it meets; xjkg says it in one line instead."""
    return not str(record.msg).startswith("Failed to convert Literal lexical form")


@lru_cache(maxsize=1)
def _quiet_rdflib_conversions() -> None:
    import logging

    logging.getLogger("rdflib.term").addFilter(_not_a_conversion_failure)


def rdflib_literal(lexical: str, datatype: str, lang: str, *, as_written: bool = False) -> Literal:
    """An rdflib literal: normalised like :func:`wire_to_rdflib`, or with ``as_written`` its lexical form
    kept exactly ("1"^^xsd:boolean is not "true"^^xsd:boolean); ``xsd:string`` is the plain literal either way
    (RDF 1.1 says they are one; rdflib treats them as different)."""
    if not as_written:
        return _normal_literal(lexical, datatype, lang)
    from rdflib.term import Literal, URIRef

    if lang:
        return Literal(lexical, lang=lang)
    if not datatype or datatype == XSD_STRING:
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


def rdflib_to_wire(term: Any) -> WireTerm | None:
    """The wire tuple of an rdflib term (the inverse of :func:`wire_to_rdflib`)."""
    if term is None:
        return None
    from rdflib.term import BNode, Literal

    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else "", term.language or "")
    if isinstance(term, BNode):
        return ("bnode", str(term))
    return ("uri", str(term))


def rdflib_to_ox(term: Any, blank_label: Callable[[Any], str] = str) -> Any:
    """A pyoxigraph term from an rdflib term; a blank node is named ``blank_label(node)``."""
    from rdflib.term import BNode

    if isinstance(term, BNode):
        import pyoxigraph as ox

        return ox.BlankNode(blank_label(term))
    wire = rdflib_to_wire(term)
    assert wire is not None
    return wire_to_ox(wire)


_PLAIN = ("", XSD_STRING, RDF_LANGSTRING)


def _canonical_integer(text: str) -> bool:
    """``0`` or ``-?[1-9][0-9]*``: rdflib keeps these as written (no ``re`` here: the worker imports this)."""
    digits = text[1:] if text.startswith("-") else text
    return text == "0" or (digits.isascii() and digits.isdigit() and digits[0] != "0")


@lru_cache(maxsize=16_384)
def _normal_typed(lexical: str, datatype: str) -> WireTerm:
    # rdflib respells typed literals ("01" → "1", "1.5E0" → "1.5"): ask it, once per distinct value.
    wire = rdflib_to_wire(_normal_literal(lexical, datatype, ""))
    assert wire is not None
    return wire


def normal_wire(wire: WireTerm | None) -> WireTerm | None:
    """``rdflib_to_wire(wire_to_rdflib(wire))``, without building a term for the common cases.

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
    if datatype == XSD_INTEGER and _canonical_integer(lexical):
        return wire
    # Sums and shares are decimals: spelled here as rdflib would, so JSON/CSV output never imports rdflib.
    if datatype == XSD_DECIMAL and _decimal_lexical(lexical):
        return ("literal", format_decimal(lexical), datatype, "")
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return wire
    if datatype == XSD + "date" and _canonical_date(lexical):  # periods: rdflib keeps these as written
        return wire
    return _normal_typed(lexical, datatype)


def _canonical_date(text: str) -> bool:
    """A real day written ``YYYY-MM-DD`` (no time zone): rdflib spells it so (``date.isoformat``).

    >>> _canonical_date("2009-12-31"), _canonical_date("2009-02-30"), _canonical_date("2009-1-01")
    (True, False, False)
    """
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
        return False
    if not text.isascii():
        return False
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _decimal_lexical(text: str) -> bool:
    """In xsd:decimal's lexical space, ``[+-]?(digits(.digits?)?|.digits)`` (no ``re``: the worker imports this)."""
    body = text[1:] if text[:1] in ("+", "-") else text
    whole, _, fraction = body.partition(".")
    digits = whole + fraction
    return bool(digits) and digits.isascii() and digits.isdigit() and (bool(whole) or bool(fraction))


def wire_to_json(wire: WireTerm) -> dict[str, str]:
    """A term as a binding of SPARQL 1.1 JSON results: ``{"type": "uri"|"bnode"|"literal", "value": …}``."""
    if wire[0] != "literal":
        return {"type": wire[0], "value": wire[1]}
    item = {"type": "literal", "value": wire[1]}
    if wire[3]:
        item["xml:lang"] = wire[3]
    elif wire[2]:
        item["datatype"] = wire[2]
    return item


def json_to_wire(value: Mapping[str, str]) -> WireTerm:
    """The wire tuple of a binding of SPARQL 1.1 JSON results (the inverse of :func:`wire_to_json`)."""
    kind = value.get("type", "literal")
    if kind == "uri":
        return ("uri", value["value"])
    if kind == "bnode":
        return ("bnode", value["value"])
    return ("literal", value["value"], value.get("datatype", ""), value.get("xml:lang", ""))


def sparql_term(wire: WireTerm) -> str:
    r"""A term as SPARQL text, for a VALUES block.

    Strings are escaped so that a value stays one literal whether or not the engine decodes
    ``\u`` escapes before parsing (SPARQL 1.1 §19.2 says it should; most do not): a backslash is
    written ``\\`` and a ``u``/``U`` right after one as ``\u0075``/``\u0055``. A blank node cannot be
    written (the caller refuses it or binds it otherwise).

    >>> sparql_term(("literal", 'a"} #\n\\u0022', "", ""))
    '"a\\"} #\\n\\\\\\u00750022"'
    """
    if wire[0] == "uri":
        return f"<{wire[1]}>"  # callers have refused characters an IRI may not hold
    if wire[0] == "bnode":
        from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError

        raise XjkgError("a blank node cannot be sent to an endpoint as a parameter", EXIT_BAD_INPUT)
    out = []
    previous = ""
    for char in wire[1]:
        if char == "\\":
            out.append("\\\\")
        elif char in "uU" and previous == "\\":
            out.append(f"\\u{ord(char):04X}")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
        previous = char
    quoted = '"' + "".join(out) + '"'
    if wire[3]:
        return f"{quoted}@{wire[3]}"
    return f"{quoted}^^<{wire[2]}>" if wire[2] else quoted


# ---------------------------------------------------------------------------------------------- formats


class RdfFormat(NamedTuple):
    """One RDF serialization: its name, file extension, media type, names in rdflib and pyoxigraph,
    whether it holds named graphs, other names it is known by and other extensions it is read from."""

    name: str
    extension: str
    media_type: str
    rdflib: str
    oxigraph: str  # the attribute of ``pyoxigraph.RdfFormat``
    quads: bool
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()


#: Name → format, for every RDF serialization xjkg reads or writes.
RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", "ttl", "text/turtle", "turtle", "TURTLE", False, ("ttl",), (".turtle",)),
        RdfFormat("ntriples", "nt", "application/n-triples", "nt", "N_TRIPLES", False, ("nt", "n-triples")),
        RdfFormat("nquads", "nq", "application/n-quads", "nquads", "N_QUADS", True, ("nq", "n-quads")),
        RdfFormat("trig", "trig", "application/trig", "trig", "TRIG", True),
        RdfFormat(
            "jsonld", "jsonld", "application/ld+json", "json-ld", "JSON_LD", True, ("json-ld", "json"), (".json",)
        ),
        RdfFormat(
            "rdfxml",
            "rdf",
            "application/rdf+xml",
            "xml",
            "RDF_XML",
            False,
            ("xml", "rdf/xml", "rdf-xml", "rdf", "owl"),
            (".owl", ".xml"),
        ),
    )
}
_BY_NAME = {alias: f for f in RDF_FORMATS.values() for alias in (f.name, *f.aliases)}
_BY_EXTENSION = {ext: f for f in RDF_FORMATS.values() for ext in (f".{f.extension}", *f.extensions)}
#: File extension → media type, for the files a release holds.
MEDIA_TYPES: dict[str, str] = {
    **{f".{f.extension}": f.media_type for f in RDF_FORMATS.values()},
    ".html": "text/html",
    ".txt": "text/plain",
}


def rdf_format(name: str) -> RdfFormat | None:
    """The format called ``name`` (any of its aliases, any case).

    >>> rdf_format("N-Triples").name, rdf_format("json-ld").rdflib, rdf_format("csv")
    ('ntriples', 'json-ld', None)
    """
    return _BY_NAME.get(name.strip().lower())


def format_by_extension(suffix: str) -> RdfFormat | None:
    """The format of a file with this extension (``".ttl"``; any case)."""
    return _BY_EXTENSION.get(suffix.lower())


def ox_format(fmt: RdfFormat) -> Any:
    """The ``pyoxigraph.RdfFormat`` of a format."""
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, fmt.oxigraph)


def names_of(formats: Iterable[RdfFormat]) -> str:
    """``turtle, ntriples, …``: the names, for a message."""
    return ", ".join(f.name for f in formats)
