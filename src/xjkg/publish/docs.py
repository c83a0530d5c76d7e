"""``xjkg docs``: HTML documentation of the ontology, the shapes and the stored queries, offline.

The ontology page is pyLODE's (labels, comments, domains, ranges, hierarchy); before handing it the
ontology we add what it cannot know: examples from the graph for every class and property
(``skos:example``), and the preferred label language (``--lang``: that label becomes the title, the
others are listed in a note, none is dropped). pyLODE reads only the graph we pass and its own bundled
background vocabularies: it makes no network request (a test runs it with sockets blocked). The pages
for the shapes and the stored queries are ours; every value in them is HTML-escaped.
"""

from __future__ import annotations

import argparse
import html
import importlib.metadata
import logging
import sys
import types
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from xjkg.core.atomic import atomic_write_bytes
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.namespaces import DCTERMS, OWL, PREFIXES, RDF, RDFS, SH, SKOS
from xjkg.core.options import add_corpus_argument, corpus_graph_file
from xjkg.core.paths import GRAPH_FILE, ONTOLOGY_FILE, QUERIES_DIR, SHAPES_FILE
from xjkg.core.rdf import check_lang
from xjkg.query.stored import StoredQuery, stored_queries

__all__ = ["configure_docs", "preferred", "queries_html", "run_docs", "write_docs"]

log = logging.getLogger(__name__)

_LABELS = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
_TEXTS = (RDFS.comment, DCTERMS.description, SKOS.definition, SKOS.note, SKOS.scopeNote)
_EXAMPLES_PER_TERM = 3
_CSS = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;
line-height:1.45}
nav a{margin-right:1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
code,pre{background:#f5f5f5}pre{padding:.5rem;overflow-x:auto}h2{margin-top:2rem}"""


def preferred(values: Iterable[Node], lang: str = "en") -> Literal | None:
    """The literal in ``lang`` (or a sub-tag of it), else English, else untagged, else the first.

    >>> str(preferred([Literal("地点", lang="zh-Hans"), Literal("place", lang="en")], "zh"))
    '地点'
    """
    literals = sorted((v for v in values if isinstance(v, Literal)), key=lambda v: (v.language or "", str(v)))

    def rank(value: Literal) -> int:
        tag = (value.language or "").lower()
        if tag == lang.lower() or tag.startswith(lang.lower() + "-"):
            return 0
        if tag == "en" or tag.startswith("en-"):
            return 1
        return 2 if not tag else 3

    return min(literals, key=rank, default=None)


def label(graph: Graph, node: Node, lang: str = "en") -> str:
    """The preferred label of ``node``, else its prefixed name."""
    found = preferred((o for p in _LABELS for o in graph.objects(node, p)), lang)
    if found is not None:
        return str(found)
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(node).startswith(namespace):
                return f"{prefix}:{str(node)[len(namespace) :]}"
    return str(node)


def _terms(ontology: Graph, kinds: Iterable[URIRef]) -> list[URIRef]:
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}, key=str)


def _value_text(graph: Graph, value: Node, lang: str) -> str:
    if isinstance(value, Literal):
        return str(value)
    return f"{label(graph, value, lang)} ({value})" if isinstance(value, URIRef) else label(graph, value, lang)


def _doc_graph(ontology: Graph, data: Graph | None, lang: str) -> Graph:
    """The ontology as pyLODE should show it: preferred labels, escaped texts, examples from ``data``."""
    doc = Graph(bind_namespaces="none")
    for prefix, namespace in ontology.namespaces():
        doc.bind(prefix, namespace)
    others: dict[Node, list[Literal]] = {}
    for s, p, o in ontology:
        if p in _LABELS and isinstance(o, Literal):
            best = preferred(ontology.objects(s, p), lang)
            if o != best:  # kept, as a note: choosing a language never drops a label
                others.setdefault(s, []).append(o)
                continue
        if p in _TEXTS and isinstance(o, Literal):  # pyLODE renders these as Markdown with raw HTML
            o = Literal(html.escape(str(o), quote=False), lang=o.language)
        doc.add((s, p, o))
    for s, labels in others.items():
        text = "; ".join(f"{v} ({v.language or 'no language'})" for v in sorted(labels, key=str))
        doc.add((s, SKOS.note, Literal(html.escape("Other labels: " + text, quote=False))))
    if data is None:
        return doc
    for cls in _terms(ontology, (OWL.Class, RDFS.Class)):
        instances = sorted((s for s in data.subjects(RDF.type, cls) if isinstance(s, URIRef)), key=str)
        for node in instances[:_EXAMPLES_PER_TERM]:
            # "label — IRI": a literal starting with "http" would become a bare link in pyLODE
            doc.add((cls, SKOS.example, Literal(f"{label(data, node, lang)} — {node}")))
    for prop in _terms(ontology, (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)):
        uses = sorted(data.subject_objects(prop), key=lambda so: (str(so[0]), str(so[1])))
        for subject, value in uses[:_EXAMPLES_PER_TERM]:
            text = f"{label(data, subject, lang)} → {_value_text(data, value, lang)}"
            doc.add((prop, SKOS.example, Literal(text)))
    return doc


def _ontpub() -> type:
    """pyLODE's OntPub class. pyLODE 3.4.1's ``version.py`` reads a ``pyproject.toml`` that its wheel
    does not ship (import fails when installed from PyPI); we supply that one module first."""
    if "pylode.version" not in sys.modules:
        try:
            version = importlib.metadata.version("pylode")
        except importlib.metadata.PackageNotFoundError as exc:
            raise XjkgError("pyLODE is not installed: pip install pylode", EXIT_FAILED) from exc
        stub = types.ModuleType("pylode.version")
        stub.__version__ = version  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = stub
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    from pylode import OntPub  # its supermodel module calls logging.basicConfig(DEBUG) on import

    root.setLevel(level)
    for handler in root.handlers[len(handlers) :] if root.handlers[: len(handlers)] == handlers else []:
        root.removeHandler(handler)
    return cast(type, OntPub)


def ontology_html(ontology: Graph, data: Graph | None = None, lang: str = "en") -> str:
    """pyLODE's page for the ontology, with examples from ``data`` and labels in ``lang`` first."""
    ont_pub = _ontpub()
    try:
        # sort_subjects: pyLODE otherwise lists terms in the graph's hash order, so two runs differ
        return str(ont_pub(ontology=_doc_graph(ontology, data, lang), sort_subjects=True).make_html())
    except Exception as exc:  # pyLODE raises its own error for an ontology without a title
        raise XjkgError(f"{ONTOLOGY_FILE}: pyLODE could not document it: {exc}", EXIT_BAD_INPUT) from exc


def _page(title: str, body: str, lang: str) -> bytes:
    nav = (
        '<nav><a href="index.html">Ontology</a><a href="shapes.html">Shapes</a>'
        '<a href="queries.html">Stored queries</a></nav>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{nav}<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    ).encode()


def _term_cell(graph: Graph, node: Node | None, lang: str) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return f"<code>{html.escape(str(node))}</code>"
    if isinstance(node, BNode) and (node, RDF.first, None) in graph:
        return ", ".join(_term_cell(graph, item, lang) for item in Collection(graph, node))
    if isinstance(node, BNode):
        return "<code>[complex path]</code>"
    return f'<a href="{html.escape(str(node))}">{html.escape(label(graph, node, lang))}</a>'


def shapes_html(shapes: Graph, lang: str = "en") -> bytes:
    """A page listing every node shape: its target, message, severity and property constraints."""
    parts: list[str] = []
    constraint_keys = (
        SH.datatype,
        SH["class"],
        SH.minCount,
        SH.maxCount,
        SH.pattern,
        SH.minInclusive,
        SH.maxInclusive,
        SH["in"],
        SH.nodeKind,
        SH.hasValue,
    )
    node_shapes = sorted((s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str)
    for shape in node_shapes:
        targets = ", ".join(
            _term_cell(shapes, t, lang) for p in (SH.targetClass, SH.targetNode) for t in shapes.objects(shape, p)
        )
        parts.append(
            f'<h2 id="{html.escape(str(shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1])}">'
            f"{html.escape(label(shapes, shape, lang))}</h2>"
        )
        parts.append(f"<p><code>{html.escape(str(shape))}</code> — targets: {targets or '(none)'}</p>")
        message = preferred(shapes.objects(shape, SH.message), lang)
        if message is not None:
            parts.append(f"<p>{html.escape(str(message))}</p>")
        rows = []
        for prop in sorted(shapes.objects(shape, SH.property), key=lambda n: str(shapes.value(n, SH.path))):
            constraints = "; ".join(
                f"{html.escape(label(shapes, key, lang))} {_term_cell(shapes, value, lang)}"
                for key in constraint_keys
                for value in shapes.objects(prop, key)
            )
            severity = shapes.value(prop, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
            rows.append(
                "<tr>"
                f"<td>{_term_cell(shapes, shapes.value(prop, SH.path), lang)}</td>"
                f"<td>{constraints}</td>"
                f"<td>{html.escape(str(preferred(shapes.objects(prop, SH.message), lang) or ''))}</td>"
                f"<td>{html.escape(str(severity).rsplit('#', 1)[-1])}</td>"
                "</tr>"
            )
        if rows:
            parts.append("<table><tr><th>path</th><th>constraints</th><th>message</th><th>severity</th></tr>")
            parts.extend(rows)
            parts.append("</table>")
    if not node_shapes:
        parts.append("<p>No shapes.</p>")
    return _page("xjkg SHACL shapes", "\n".join(parts), lang)


def queries_html(queries: Iterable[StoredQuery], lang: str = "en") -> bytes:
    """A page with every stored query: summary, description, tags, parameters and text.

    The queries come from :func:`xjkg.query.stored.stored_queries`, the one reader of the ``#+`` header.
    """
    parts: list[str] = []
    for query in queries:
        parts.append(f'<h2 id="{html.escape(query.name)}">{html.escape(query.name)}</h2>')
        parts.append(f"<p><strong>{html.escape(query.summary)}</strong></p>")
        entries = [
            ("description", query.description),
            ("tags", ", ".join(query.tags)),
            ("lists", ", ".join(query.lists)),
            *(
                (
                    f"parameter {p.name}",
                    f"{p.type}{f' (default {p.default})' if p.default is not None else ''}: {p.description}",
                )
                for p in query.params
            ),
        ]
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in entries if v)
        if rows:
            parts.append(f"<table>{rows}</table>")
        parts.append(f"<pre>{html.escape(query.text)}</pre>")
        parts.append(f"<p>Run it: <code>xjkg query {html.escape(query.name)}</code></p>")
    if not parts:
        parts.append("<p>No stored queries.</p>")
    return _page("xjkg stored queries", "\n".join(parts), lang)


def write_docs(
    out_dir: Path,
    lang: str = "en",
    *,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    data: Graph | None = None,
    queries_dir: Path = QUERIES_DIR,
    graph_file: Path | None = None,
) -> list[Path]:
    """Write ``index.html`` (the ontology), ``shapes.html`` and ``queries.html`` into ``out_dir``.

    Reads the project's ontology, shapes and built graph unless given (no examples when the graph has
    not been built). Returns the files written, each written atomically.
    """
    from xjkg.publish.export import read_graph

    check_lang(lang)
    ontology = ontology if ontology is not None else read_graph(ONTOLOGY_FILE)
    shapes = shapes if shapes is not None else (read_graph(SHAPES_FILE) if SHAPES_FILE.is_file() else Graph())
    graph_file = graph_file if graph_file is not None else GRAPH_FILE
    if data is None and graph_file.is_file():
        data = read_graph(graph_file)
    elif data is None:
        log.warning("%s is not built yet: the documentation has no examples from the graph", graph_file)
    index = ontology_html(ontology, data, lang)
    nav = (
        '<nav style="padding:.5rem 1rem"><a href="shapes.html">Shapes</a> · '
        '<a href="queries.html">Stored queries</a></nav>'
    )
    index = index.replace("<body>", "<body>" + nav, 1)
    pages = {
        "index.html": index.encode("utf-8"),
        "shapes.html": shapes_html(shapes, lang),
        "queries.html": queries_html(stored_queries(queries_dir).values(), lang),
    }
    Path(out_dir).mkdir(exist_ok=True)  # the folder itself, never its parents (checked by run_docs)
    written = []
    for name, content in pages.items():
        target = Path(out_dir) / name
        atomic_write_bytes(target, content)
        written.append(target)
    return written


def configure_docs(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``xjkg docs``."""
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("xjkg-docs"),
        help="folder: an existing one, or a new one in an existing folder (default: ./xjkg-docs)",
    )
    parser.add_argument("--lang", default="en", help="preferred label language (default: en); others are kept")
    add_corpus_argument(parser, graph=True)


def run_docs(args: argparse.Namespace) -> int:
    """Run ``xjkg docs``."""
    from xjkg.core.atomic import check_output_folder

    graph_file = corpus_graph_file(args.corpus)  # before the folder is made: a wrong --corpus costs nothing
    written = write_docs(check_output_folder(args.output), args.lang, graph_file=graph_file)
    for path in written:
        print(path)
    return 0
