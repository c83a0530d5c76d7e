"""``xjkg export``: the ontology, shapes, data, provenance and metadata in every standard RDF format.

Outputs are deterministic (two exports are byte-identical, so they diff cleanly): blank nodes get
labels from a hash of what hangs below them and the path that leads to them (``_bnode_labels``),
triples are handed to the writers in sorted order, N-Triples and
N-Quads lines are sorted and JSON-LD nodes are sorted by ``@id``. Every output carries the prefixes of
:data:`xjkg.core.rdf.PREFIX_TABLE`; JSON-LD embeds the shipped context (``xjkg/publish/context.jsonld``), so no
reader fetches anything. Files are written atomically (:mod:`xjkg.core.atomic`), and an output that would
name a local path (``file:``) is refused.

Parts and named graphs (quad formats: N-Quads, TriG, JSON-LD of several parts): ``ontology``, ``shapes``,
``metadata`` are their own graphs; the built graph (``data``) is split in two, ``provenance`` holding
every triple whose subject is the report, a span or sentence of it, or a selector (see
:data:`PROVENANCE_CLASSES`), and ``data`` the rest (the figures keep their links *to* the spans).
Each report's statements are also in a named graph of their own, ``report/<id>``
(:func:`xjkg.mapping.corpus.report_statements`),
written after the parts. Triple formats hold the union of the parts asked for.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from xjkg import __version__
from xjkg.core.atomic import atomic_write_bytes, check_output_file
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.namespaces import OA, PROV, RDF, RDFS, XJKG
from xjkg.core.options import add_corpus_argument, corpus_graph_file
from xjkg.core.paths import ONTOLOGY_FILE, SHAPES_FILE
from xjkg.core.rdf import ALL_PREFIXES, CATALOGUE_PREFIXES, RDF_FORMATS, RdfFormat, check_lang, format_by_extension
from xjkg.core.report_graphs import GRAPH_BASE

__all__ = [
    "FORMATS",
    "GRAPH_BASE",
    "PARTS",
    "ExportResult",
    "RdfFormat",
    "export",
    "jsonld_context",
    "load_parts",
    "read_graph",
    "serialize",
    "split_provenance",
    "split_text",
]

log = logging.getLogger(__name__)

#: Parts in the order they are written.
PARTS: tuple[str, ...] = ("ontology", "shapes", "data", "provenance", "metadata")
#: A subject typed with one of these (or a subclass in the ontology) belongs to the provenance graph.
PROVENANCE_CLASSES: frozenset[URIRef] = frozenset(
    {
        XJKG.Report,
        XJKG.ReportSpan,
        XJKG.Sentence,
        OA.SpecificResource,
        OA.TextQuoteSelector,
        OA.TextPositionSelector,
    }
)
#: Properties whose values quote the report beyond a number's own surface: the context around a quote, a sentence's
#: section heading, a purpose or objective quoted from the report. With the quote selectors of every span that is
#: not a figure's own number (:func:`split_text`) they are the report's text in the graph.
QUOTING_PROPERTIES: frozenset[URIRef] = frozenset({OA.prefix, OA.suffix, XJKG.section, XJKG.purpose, XJKG.objective})
_BASE = "https://w3id.org/xjkg/"  # relative IRIs resolve here, never to a file: path
CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"


#: The formats written (names, extensions, media types: :data:`xjkg.core.rdf.RDF_FORMATS`).
FORMATS: dict[str, RdfFormat] = RDF_FORMATS


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file (None for stdout), format, parts and triple count."""

    path: Path | None
    format: str
    parts: tuple[str, ...]
    triples: int
    size: int


def read_graph(path: Path, rdf_format: str = "turtle") -> Graph:
    """Parse one of the project's RDF files, with IRIs resolved against a w3id base, never ``file:``.

    Reads with the project's strict reader (:func:`xjkg.core.readers.read_rdf`).
    """
    from xjkg.core.readers import read_rdf

    path = Path(path)
    if not path.is_file():
        raise XjkgError(f"{path}: no such file (run `xjkg build` to make the graph)", EXIT_BAD_INPUT)
    return read_rdf(path, None if rdf_format == "turtle" else rdf_format, base=_BASE)


def split_provenance(data: Graph, ontology: Graph | None = None) -> tuple[Graph, Graph]:
    """The built graph as (data, provenance): provenance is every triple about the report, its spans
    and their selectors; blank nodes follow the subject that points to them."""
    classes = set(PROVENANCE_CLASSES)
    if ontology is not None:  # subclasses declared in the ontology count too
        changed = True
        while changed:
            found = {s for c in classes for s in ontology.subjects(RDFS.subClassOf, c) if isinstance(s, URIRef)}
            changed = not found <= classes
            classes |= found
    prov_subjects: set[Node] = {s for c in classes for s in data.subjects(RDF.type, c)}
    frontier = list(prov_subjects)
    while frontier:  # blank nodes hanging off a provenance subject
        for obj in data.objects(frontier.pop(), None):
            if isinstance(obj, BNode) and obj not in prov_subjects:
                prov_subjects.add(obj)
                frontier.append(obj)
    facts, provenance = _new_graph(), _new_graph()
    for triple in data:
        (provenance if triple[0] in prov_subjects else facts).add(triple)
    return facts, provenance


def split_text(graph: Graph) -> tuple[Graph, dict[str, Graph]]:
    """The built graph as (facts, the report's text by report id): a partition, nothing dropped or added.

    The text is what quotes a report beyond a number's own surface: every quote selector (``oa:exact``) of a span
    that is not a figure's number (``xjkg:figureSpan``) with the link to it, and every value of
    :data:`QUOTING_PROPERTIES`. The facts keep everything else: figures, entities and their names, links, the
    spans' character offsets, the numbers' own surfaces and the report's checksum, title and rights notice. Text
    goes to the report its subject is minted under, else to the source of its span.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix oa: <http://www.w3.org/ns/oa#> .
    ... @prefix xjkg: <https://w3id.org/xjkg/ontology#> .
    ... <https://w3id.org/xjkg/id/report/r/figure/f> xjkg:figureSpan <https://w3id.org/xjkg/id/report/r/span/3-5> .
    ... <https://w3id.org/xjkg/id/report/r/span/3-5> oa:hasSelector <https://w3id.org/xjkg/id/report/r/span/3-5/q> .
    ... <https://w3id.org/xjkg/id/report/r/span/3-5/q> a oa:TextQuoteSelector ; oa:exact "42" ; oa:prefix "It is ".
    ... <https://w3id.org/xjkg/id/report/r/sentence/1> oa:hasSelector <https://w3id.org/xjkg/id/report/r/sentence/1/q> .
    ... <https://w3id.org/xjkg/id/report/r/sentence/1/q> a oa:TextQuoteSelector ; oa:exact "It is 42." .
    ... ''', format="turtle")
    >>> facts, text = split_text(g)
    >>> from rdflib import Literal
    >>> sorted(str(o) for o in facts.objects(None, OA.exact))
    ['42']
    >>> sorted(str(o) for o in text["r"].objects() if isinstance(o, Literal))
    ['It is ', 'It is 42.']
    """
    from xjkg.mapping.corpus import report_id_of

    numbers = {
        selector for span in graph.objects(None, XJKG.figureSpan) for selector in graph.objects(span, OA.hasSelector)
    }
    quotes = {s for s in graph.subjects(RDF.type, OA.TextQuoteSelector) if s not in numbers}
    facts = _new_graph()
    text: dict[str, Graph] = {}

    def report_of(subject: Node) -> str:
        # the subject's own IRI, the source of the span that holds it or that it is derived from
        spans = [subject, *graph.subjects(OA.hasSelector, subject), *graph.objects(subject, PROV.wasDerivedFrom)]
        for node in spans:
            for candidate in (node, *sorted(graph.objects(node, OA.hasSource), key=str)):
                found = report_id_of(str(candidate))
                if found is not None:
                    return found
        raise XjkgError(f"{subject.n3()} quotes a report but names no report it comes from", EXIT_FAILED)

    for s, p, o in graph:
        if s in quotes or (p == OA.hasSelector and o in quotes) or p in QUOTING_PROPERTIES:
            text.setdefault(report_of(s), _new_graph()).add((s, p, o))
        else:
            facts.add((s, p, o))
    return facts, dict(sorted(text.items()))


def load_parts(
    parts: Iterable[str],
    *,
    graph: Graph | None = None,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    metadata: Graph | None = None,
    corpus: Path | None = None,
) -> dict[str, Graph]:
    """The graphs of ``parts`` (``all`` for every part), read from the project's files unless given.

    ``data`` means the built graph: in quad formats it is written as the ``data`` and ``provenance``
    named graphs. ``corpus`` is the corpus folder the graph was built from (default: the project's): its
    built graph unless ``graph`` is given, and its report texts for the metadata.
    """
    wanted = list(PARTS) if "all" in parts else list(dict.fromkeys(parts))
    if "data" in wanted and "provenance" not in wanted:
        wanted.append("provenance")
    out: dict[str, Graph] = {}
    if "ontology" in wanted or {"data", "provenance"} & set(wanted):
        ontology = ontology if ontology is not None else read_graph(ONTOLOGY_FILE)
    if "ontology" in wanted:
        out["ontology"] = ontology  # type: ignore[assignment]
    if "shapes" in wanted:
        out["shapes"] = shapes if shapes is not None else read_graph(SHAPES_FILE)
    if {"data", "provenance"} & set(wanted):
        built = graph = graph if graph is not None else read_graph(corpus_graph_file(corpus))
        facts, provenance = split_provenance(built, ontology)
        if "data" in wanted:
            out["data"] = facts
        out["provenance"] = provenance
        if "data" in wanted:  # each report's statements again, as its own named graph in the quad formats
            from xjkg.mapping.corpus import report_statements

            for report_id, statements in report_statements(built).items():
                out[f"report/{report_id}"] = statements
    if "metadata" in wanted:
        if metadata is None:
            from xjkg.publish.metadata import build_metadata

            described = graph if graph is not None else read_graph(corpus_graph_file(corpus))
            metadata = build_metadata(described, corpus=corpus)
        out["metadata"] = metadata
    ordered = {name: out[name] for name in PARTS if name in out}
    ordered.update(sorted((name, g) for name, g in out.items() if name not in ordered))
    return ordered


def jsonld_context(lang: str | None = None) -> dict[str, object]:
    """The JSON-LD context shipped with the package; ``lang`` becomes its default ``@language``."""
    context: dict[str, object] = dict(json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"])
    if lang:
        context["@language"] = lang
    return context


def _new_graph(identifier: URIRef | None = None) -> Graph:
    graph = Graph(identifier=identifier, bind_namespaces="none") if identifier else Graph(bind_namespaces="none")
    _bind(graph)
    return graph


def _bind(graph: Graph) -> None:
    for prefix, namespace in CATALOGUE_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for prefix, namespace in ALL_PREFIXES.items():  # the ontology's and shapes' own, where not bound already
        graph.bind(prefix, namespace, override=False)
    graph.bind("xml", "http://www.w3.org/XML/1998/namespace")  # RDF/XML writes xml:lang


def _sort_key(term: Node) -> tuple[int, str]:
    return ({URIRef: 0, BNode: 1}.get(type(term), 2), term.n3())


def _bnode_labels(graph: Graph) -> dict[BNode, str]:
    """Deterministic labels for blank nodes: a hash of what hangs below a node and of the path that
    leads to it (the tree-shaped blank nodes of shapes and OWL lists are told apart in linear time;
    rdflib's full canonicalisation took seconds on our shapes)."""
    below: dict[Node, list[tuple[Node, Node]]] = {}
    above: dict[Node, list[tuple[Node, Node]]] = {}
    for s, p, o in graph:
        if isinstance(s, BNode):
            below.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            above.setdefault(o, []).append((s, p))
    down: dict[Node, str] = {}

    def digest(lines: Iterable[str]) -> str:
        return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()

    def sig_down(node: Node, depth: int = 0) -> str:
        if node not in down:
            down[node] = "cycle"  # a guard; our blank nodes are trees
            down[node] = digest(
                f"{p.n3()} {sig_down(o, depth + 1) if isinstance(o, BNode) and depth < 200 else o.n3()}"
                for p, o in below.get(node, [])
            )
        return down[node]

    labels: dict[BNode, str] = {}
    seen: dict[str, int] = {}

    def label(node: BNode) -> str:
        # what hangs below the node, and the labels of the nodes pointing at it (parents first), so
        # that children of identical twins follow their own parent
        if node not in labels:
            labels[node] = "cycle"
            above_text = digest(
                f"{label(s) if isinstance(s, BNode) else s.n3()} {p.n3()}" for s, p in above.get(node, [])
            )
            base = hashlib.sha256((sig_down(node) + above_text).encode()).hexdigest()[:20]
            count = seen.get(base, 0)  # identical twins are interchangeable: either order, same output
            seen[base] = count + 1
            labels[node] = f"{base}{count}" if count else base
        return labels[node]

    nodes = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, BNode)}
    for node in sorted(nodes, key=sig_down):
        label(node)
    return labels


def _canonical(graph: Graph, tag: str) -> list[tuple[Node, Node, Node]]:
    """The triples of ``graph`` with deterministic blank-node labels (prefixed by ``tag`` so that
    graphs written into one quad document never share a blank node), sorted."""
    labels = _bnode_labels(graph)
    triples: list[tuple[Node, Node, Node]] = [
        (*(BNode(f"{tag}{labels[t]}") if isinstance(t, BNode) else t for t in triple),)  # type: ignore[misc]
        for triple in graph
    ]
    return sorted(triples, key=lambda tr: tuple(_sort_key(t) for t in tr))


def _header(fmt: RdfFormat, parts: Iterable[str], lang: str | None) -> str:
    extra = f", preferred language {lang}" if lang else ""
    return (
        f"Generated by xjkg {__version__} (export of {', '.join(parts)} as {fmt.name}{extra}); "
        "do not edit: regenerate it."
    )


def serialize(parts: Mapping[str, Graph], fmt: str, *, lang: str | None = None) -> bytes:
    """The parts in format ``fmt``, deterministic bytes.

    ``lang`` never drops a triple: JSON-LD gets it as the context's default ``@language`` (labels in that
    language read as plain strings, others keep their tag) and every format names it in its header.

    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph()
    >>> label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    >>> _ = g.add((URIRef("https://w3id.org/xjkg/id/x"), label, Literal("x", lang="en")))
    >>> print(serialize({"data": g}, "ntriples").decode().splitlines()[1])
    <https://w3id.org/xjkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .
    """
    if fmt not in FORMATS:
        raise XjkgError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", EXIT_BAD_INPUT)
    if lang is not None:
        check_lang(lang)
    rdf_format = FORMATS[fmt]
    header = _header(rdf_format, parts, lang)
    if rdf_format.quads:  # always named graphs, even for one part
        dataset = Dataset(default_union=False)
        dataset.namespace_manager = _new_graph().namespace_manager
        for name, graph in parts.items():
            named = dataset.graph(URIRef(GRAPH_BASE + name))
            for triple in _canonical(graph, f"{name}"):
                named.add(triple)
        target: Graph = dataset
    else:
        target = _new_graph()
        for name, graph in parts.items():
            for triple in _canonical(graph, name):
                target.add(triple)
    if fmt in ("ntriples", "nquads"):
        text = target.serialize(format=rdf_format.rdflib, encoding="utf-8").decode("utf-8")
        lines = sorted({line for line in text.splitlines() if line.strip()})
        data = ("\n".join([f"# {header}", *lines]) + "\n").encode("utf-8")
    elif fmt == "jsonld":
        data = _jsonld(target, lang)
    elif fmt == "rdfxml":
        text = target.serialize(format="xml", encoding="utf-8").decode("utf-8")  # pretty-xml drops list triples
        declaration, _, rest = _sorted_xml(text).partition("\n")
        data = f"{declaration}\n<!-- {header} -->\n{rest}".encode()
    elif fmt == "trig":  # one block per part, in PARTS order (rdflib orders graphs by hash)
        blocks = []
        for name in parts:
            single = Dataset(default_union=False)
            single.namespace_manager = _new_graph().namespace_manager
            named = single.graph(URIRef(GRAPH_BASE + name))
            for triple in _canonical(parts[name], name):
                named.add(triple)
            blocks.append(single.serialize(format="trig", encoding="utf-8").decode("utf-8"))
        data = (f"# {header}\n" + "\n".join(blocks)).encode()
    else:
        body = target.serialize(format=rdf_format.rdflib, encoding="utf-8").decode("utf-8")
        data = f"# {header}\n{body}".encode()
    _refuse_local_paths(data, fmt)
    return data


def _sorted_xml(text: str) -> str:
    """rdflib's RDF/XML with its top-level descriptions sorted (it writes subjects in hash order)."""
    lines = text.split("\n")
    head, blocks, tail, current = [], [], [], None
    for line in lines:
        if current is None and line.startswith("  <rdf:Description"):
            current = [line]
            if line.endswith("/>"):
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
            if line == "  </rdf:Description>":
                blocks.append(current)
                current = None
        elif blocks:
            tail.append(line)
        else:
            head.append(line)
    body = ["\n".join(block) for block in sorted(blocks, key=lambda b: "\n".join(b))]
    return "\n".join([*head, *body, *tail])


def _jsonld(target: Graph, lang: str | None) -> bytes:
    context = jsonld_context(lang)
    text = target.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        for node in doc["@graph"]:  # named graphs nest a @graph of their own
            if isinstance(node, dict) and isinstance(node.get("@graph"), list):
                node["@graph"].sort(key=lambda n: str(n.get("@id", "")))
        doc["@graph"].sort(key=lambda n: str(n.get("@id", "")) if isinstance(n, dict) else "")
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _refuse_local_paths(data: bytes, fmt: str) -> None:
    found = re.search(rb"file:/[^\s\"'<>]*", data)
    if found:
        raise XjkgError(
            f"the {fmt} output would name a local path ({found.group(0).decode(errors='replace')}); "
            "a relative IRI in an input was resolved against a file: fix the input",
            EXIT_FAILED,
        )


def export(
    output: Path | None,
    fmt: str,
    parts: Mapping[str, Graph],
    *,
    lang: str | None = None,
) -> ExportResult:
    """Serialize ``parts`` and write them atomically to ``output`` (stdout when None)."""
    data = serialize(parts, fmt, lang=lang)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(output, data)
    triples = sum(len(g) for g in parts.values())
    return ExportResult(output, fmt, tuple(parts), triples, len(data))


def _format_for(output: Path | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    found = format_by_extension(output.suffix) if output is not None else None
    return found.name if found else "turtle"


def configure_export(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``xjkg export``."""
    parser.add_argument("--format", choices=list(FORMATS), help="default: from the output's extension, or turtle")
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE_OR_FOLDER",
        help="a file (in an existing folder), or an existing folder (writes <part>.<ext> in it); "
        "default: standard output",
    )
    parser.add_argument(
        "--part",
        default="data",
        help="ontology, shapes, data (the built graph: facts and provenance), provenance, metadata or all; "
        "several separated by commas (default: data)",
    )
    parser.add_argument(
        "--lang",
        help="preferred label language (JSON-LD default @language); never drops labels in other languages",
    )
    parser.add_argument("--graph", type=Path, help="the data graph to export (default: the corpus's xjkg.ttl)")
    add_corpus_argument(parser, graph=True)


def run_export(args: argparse.Namespace) -> int:
    """Run ``xjkg export``."""
    names = [p.strip() for p in args.part.split(",") if p.strip()]
    unknown = [p for p in names if p not in (*PARTS, "all")]
    if unknown or not names:
        raise XjkgError(f"--part {args.part!r}: choose from {', '.join((*PARTS, 'all'))}", EXIT_BAD_INPUT)
    output: Path | None = None
    if args.output is not None and Path(args.output).is_dir():
        fmt = _format_for(None, args.format)
        stem = names[0] if len(names) == 1 else "xjkg"
        output = check_output_file(Path(args.output) / f"{stem}.{FORMATS[fmt].extension}")
    elif args.output is not None:
        output = check_output_file(args.output)  # before any work: never a folder made, never one replaced
        fmt = _format_for(output, args.format)
    else:
        fmt = _format_for(None, args.format)
    graph = read_graph(args.graph) if args.graph else None
    parts = load_parts(names, graph=graph, corpus=args.corpus)
    result = export(output, fmt, parts, lang=args.lang)
    if output is not None:
        log.info("wrote %s (%s, %d triples, %d bytes)", output, fmt, result.triples, result.size)
    return 0
