"""Validation against our SHACL shapes: a report a researcher can act on, and ``xjkg validate``.

The shapes are evaluated in one place, :func:`xjkg.validation.engine.check`: by default (``engine="fast"``)
pySHACL checks the core constraints and the SHACL-SPARQL constraints (``sh:sparql``) run once each on
pyoxigraph for all their focus nodes; ``engine="pyshacl"`` runs everything in pySHACL, the reference the
tests compare against. Either gives one standard ``sh:ValidationReport``, read here into results.

pySHACL runs on an in-memory rdflib graph, with **no inference** (RDFS inference changes results:
a ``rdfs:range`` would turn a wrongly linked node into an instance of the range class and hide the
violation). Subclass reasoning that ``sh:class`` needs comes from mixing the ontology into
the data graph, which SHACL does by walking ``rdfs:subClassOf`` itself.

Shapes always come from ``ontology/shapes.ttl`` unless the caller passes others; shapes embedded in the
data are never used (the sender does not choose the rules). Background (the ontology and, in the CLI,
the built graph) is mixed into the data graph so new data may refer to existing counties and programs,
but only results whose focus node occurs in the new data are reported.

``conforms`` means *no result of severity* ``sh:Violation`` (warnings and infos are reported but do not
fail, like pySHACL's ``--allow-warnings``); :attr:`ValidationOutcome.shacl_conforms` is the SHACL
specification's stricter "no results at all".
"""

from __future__ import annotations

import argparse
import logging
import os
from collections import Counter
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from xjkg.core import paths
from xjkg.core.atomic import check_output_file
from xjkg.core.bounded import run_bounded
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_NOT_CONFORMING, EXIT_OK, XjkgError
from xjkg.core.iris import check_base_iri
from xjkg.core.namespaces import OA, PREFIXES, PROV, RDF, SH, XJKG
from xjkg.core.options import add_corpus_argument, add_limit_arguments, check_limits, corpus_graph_file
from xjkg.core.output import emit
from xjkg.core.progress import stage
from xjkg.core.readers import DEFAULT_MAX_BYTES, DEFAULT_MAX_TRIPLES, FORMATS, TooManyTriplesError, read_rdf
from xjkg.validation.engine import ENGINES, check
from xjkg.validation.report import (
    Names,
    ReportSentence,
    ValidationOutcome,
    ValidationResult,
    format_json,
    format_text,
)
from xjkg.validation.shacl_sparql import sparql_path

__all__ = [
    "ENGINES",
    "ReportSentence",
    "ValidationOutcome",
    "ValidationResult",
    "configure_validate",
    "run_validate",
    "validate_graph",
]

log = logging.getLogger(__name__)

SEVERITIES = ("Violation", "Warning", "Info")
#: ``xjkg validate --timeout``: far above our shapes on the largest input allowed (--max-triples), far below
#: a backtracking ``sh:pattern``'s hours.
VALIDATE_TIMEOUT = 600.0


_cache: dict[tuple[str, int, int], Graph] = {}


def _load(path: Path, what: str) -> Graph:
    """Read shapes or ontology once per process (keyed on path, size and modification time)."""
    try:
        stat = path.stat()
    except OSError:
        raise XjkgError(f"{path}: the {what} file is missing") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _cache:
        _cache[key] = read_rdf(path)
    return _cache[key]


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | Path | None = None,
    ontology: Graph | Path | bool = True,
    background: Graph | None = None,
    engine: str = "fast",
    take_background: bool = False,
    only_new_focus: bool = True,
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes`` (default: our shapes file), no inference.

    ``ontology``: True for our ontology, False for none, or a graph/file. ``background``: more triples
    the data may refer to (the built graph). With either, only results on nodes of ``data`` are kept.
    ``engine``: ``"fast"`` (default) runs the ``sh:sparql`` constraints once each on pyoxigraph
    (:mod:`xjkg.validation.shacl_sparql`) and the rest with pySHACL; ``"pyshacl"`` runs everything with pySHACL
    (the reference, one SPARQL query per focus node: minutes on our graph).
    ``take_background``: the caller gives ``background`` and ``data`` away: the smaller is added into
    the larger instead of both being copied into a new graph. ``only_new_focus`` (default): with
    background, validate only the focus nodes that occur in ``data`` (the results of the others are
    dropped anyway); False validates every focus node, as the tests do to show the results are the same.

    >>> from rdflib import Graph
    >>> shapes = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> a sh:NodeShape ; sh:targetNode <urn:a> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> data = Graph().parse(format="nt", data='<urn:a> <urn:q> "x" .')
    >>> out = validate_graph(data, shapes=shapes, ontology=False)
    >>> out.conforms, out.counts["Violation"], out.results[0].path
    (False, 1, '<urn:p>')
    """
    shapes_source = shapes if shapes is not None else paths.SHAPES_FILE
    shapes_graph = _as_graph(shapes_source, "shapes")
    extra: list[Graph] = []
    if ontology is True:
        if paths.ONTOLOGY_FILE.is_file():
            extra.append(_load(paths.ONTOLOGY_FILE, "ontology"))
        else:
            log.warning("%s is missing: validating without the ontology", paths.ONTOLOGY_FILE)
    elif ontology is not False:
        extra.append(_as_graph(ontology, "ontology"))
    if background is not None:
        extra.append(background)

    keep = _data_nodes(data) if extra else None
    data_triples = len(data)
    if take_background and background is not None and extra[-1] is background:
        # Both graphs are ours to change: the smaller is added into the larger (no copy of the bigger one).
        union, smaller = (background, data) if len(background) >= len(data) else (data, background)
        union += smaller
        for graph in extra[:-1]:
            union += graph
    else:
        union = Graph()
        union += data
        for graph in extra:
            union += graph
    name = str(shapes_source) if isinstance(shapes_source, Path) else "shapes"
    report = check(union, shapes_graph, name=name, keep=keep, only_new_focus=only_new_focus, engine=engine)

    results: list[ValidationResult] = []
    kept_nodes: list[Node] = []
    for result_node in report.objects(None, SH.result):  # top level only: sh:detail would inflate counts
        focus_node = report.value(result_node, SH.focusNode)
        if focus_node is None or (keep is not None and focus_node not in keep):
            continue
        kept_nodes.append(result_node)
        results.append(_result(report, result_node, focus_node, union, shapes_graph))
    results.sort(key=_sort_key)
    counts = Counter(r.severity for r in results)
    outcome_counts = {severity: counts.get(severity, 0) for severity in SEVERITIES} | dict(counts)
    # A custom severity (SHACL allows any IRI) counts as a violation; only warnings and infos are allowed.
    conforms = all(r.severity in ("Warning", "Info") for r in results)
    return ValidationOutcome(
        conforms=conforms,
        results=results,
        report_graph=_report_graph(report, kept_nodes, conforms),
        counts=outcome_counts,
        data_triples=data_triples,
    )


def _as_graph(source: Graph | Path, what: str) -> Graph:
    return source if isinstance(source, Graph) else _load(Path(source), what)


def _data_nodes(data: Graph) -> set[Node]:
    nodes: set[Node] = set()
    for s, _p, o in data:
        nodes.add(s)
        nodes.add(o)
    return nodes


def _sort_key(result: ValidationResult) -> tuple[str, int, str, str]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else -1
    return (str(result.focus_node), rank, result.path or "", result.message)


def _result(report: Graph, node: Node, focus: Node, union: Graph, shapes: Graph) -> ValidationResult:
    severity = report.value(node, SH.resultSeverity)
    shape = report.value(node, SH.sourceShape)
    parent = shapes.value(None, SH.property, shape) if isinstance(shape, BNode) else None
    path = report.value(node, SH.resultPath)
    constraint = report.value(node, SH.sourceConstraintComponent)
    return ValidationResult(
        focus_node=focus,
        path=None if path is None else _path_text(report, path),
        path_node=path,
        value=report.value(node, SH.value),
        message=_message(report, node, {str(m) for m in shapes.objects(shape, SH.message)}),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        source_shape=shape,
        constraint=constraint if isinstance(constraint, URIRef) else None,
        sentence=_sentence(union, focus),
        parent_shape=parent,
    )


def _message(report: Graph, node: Node, general: frozenset[str] | set[str] = frozenset()) -> str:
    """The English ``sh:resultMessage`` (from the shape's ``sh:message``), else any.

    A SPARQL constraint's result carries its own message and its shape's (``general``): its own,
    the more precise, is shown.
    """
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    messages.sort(key=lambda m: (str(m) in general, str(m)))
    for wanted in ("en", None):
        for message in messages:
            if message.language == wanted or (wanted == "en" and (message.language or "").startswith("en-")):
                return str(message)
    return str(messages[0]) if messages else "(no message)"


def _path_text(graph: Graph, node: Node) -> str:
    """A SHACL path as SPARQL property-path text, as the reports show it."""
    return sparql_path(graph, node) or "(path)"


def _sentence(graph: Graph, focus: Node) -> ReportSentence | None:
    """The report sentence a figure was derived from: ``prov:wasDerivedFrom`` span → ``xjkg:inSentence``."""
    for span in graph.objects(focus, PROV.wasDerivedFrom):
        is_sentence = (span, RDF.type, XJKG.Sentence) in graph
        sentence = span if is_sentence else graph.value(span, XJKG.inSentence)
        if not isinstance(sentence, URIRef):
            continue
        text = _exact(graph, sentence)
        if text is None:
            continue
        number = graph.value(sentence, XJKG.sentenceNumber)
        return ReportSentence(
            iri=sentence,
            number=int(number) if isinstance(number, Literal) and str(number).isdigit() else None,
            text=text,
        )
    return None


def _exact(graph: Graph, span: Node) -> str | None:
    for selector in graph.objects(span, OA.hasSelector):
        exact = graph.value(selector, OA.exact)
        if exact is not None:
            return str(exact)
    return None


def _report_graph(report: Graph, kept: list[Node], conforms: bool) -> Graph:
    """A standard ``sh:ValidationReport`` holding the kept results; ``sh:conforms`` means no violations."""
    out = Graph()
    for prefix in ("sh", "xsd", "rdf", "rdfs", "xjkg", "id"):
        out.bind(prefix, PREFIXES[prefix])
    root = BNode()
    out.add((root, RDF.type, SH.ValidationReport))
    out.add((root, SH.conforms, Literal(conforms)))
    for node in kept:
        out.add((root, SH.result, node))
        todo, seen = [node], set()
        while todo:  # the result and the blank nodes it holds (paths, nested details)
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for p, o in report.predicate_objects(subject):
                out.add((subject, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
    return out


# ---------------------------------------------------------------------------------------------- CLI


def configure_validate(parser: argparse.ArgumentParser) -> None:
    """``xjkg validate FILE...``: the arguments."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="RDF files to validate (read together)")
    parser.add_argument(
        "--input-format",
        metavar="F",
        help=f"format of the files ({', '.join(FORMATS)}); default: from each file's extension",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "turtle"), default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the report here, a file in an existing folder (default: stdout)"
    )
    parser.add_argument("--shapes", type=Path, metavar="FILE", help="use these shapes instead of ours")
    parser.add_argument(
        "--base",
        metavar="IRI",
        help="resolve relative IRIs in the files against this IRI (without it, a relative IRI is refused)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="accept a file with no triples (valid RDF; refused by default as a likely mistake)",
    )
    parser.add_argument(
        "--no-graph",
        action="store_true",
        help="do not use the built graph as background (by default new data may refer to its counties...)",
    )
    add_corpus_argument(parser, graph=True)
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse input larger than this, all files together (default {DEFAULT_MAX_BYTES:,})",
    )
    parser.add_argument(
        "--max-triples",
        type=int,
        default=DEFAULT_MAX_TRIPLES,
        metavar="N",
        help=f"stop past this many triples, all files together: bounds memory (default {DEFAULT_MAX_TRIPLES:,})",
    )
    add_limit_arguments(parser, what="the validation", timeout=VALIDATE_TIMEOUT)
    parser.epilog = (
        "Exit codes: 0 conforms (warnings allowed), 1 does not conform, 2 bad input or error, "
        "3 time or memory limit reached."
    )


def run_validate(args: argparse.Namespace) -> int:
    """Read the files, validate them with the ontology (and built graph) as background, print the report."""
    check_limits(args)
    output: Path | None = None
    if args.output is not None:
        output = check_output_file(args.output)
        _check_output(output, [Path(f) for f in args.files], args.corpus)
    base = check_base_iri(args.base) if args.base is not None else None
    if args.no_graph and args.corpus is not None:
        raise XjkgError("--corpus names the background graph and --no-graph leaves it out: give one of them")
    graph_file = None if args.no_graph else corpus_graph_file(args.corpus, required=args.corpus is not None)
    if args.max_bytes < 1 or args.max_triples < 1:
        raise XjkgError("--max-bytes and --max-triples must be positive")
    total = sum(os.stat(f).st_size for f in args.files if os.path.isfile(f))  # unreadable ones: named below
    if total > args.max_bytes:
        raise XjkgError(
            f"{', '.join(args.files)}: {total:,} bytes together, over the limit of {args.max_bytes:,} bytes; "
            "raise it with --max-bytes if you mean to read this much"
        )
    data = Graph()
    with stage("xjkg validate: reading"):
        for name in args.files:  # the limits hold for the files together: one command, one budget
            try:
                read_rdf(
                    name,
                    args.input_format,
                    max_bytes=args.max_bytes,
                    max_triples=args.max_triples - len(data),
                    base=base,
                    allow_empty=args.allow_empty,
                    graph=data,
                )
            except TooManyTriplesError:
                raise XjkgError(
                    f"{name}: more than {args.max_triples:,} triples"
                    + (" with the files before it" if len(data) else "")
                    + ", the limit that bounds memory; raise it with --max-triples if you mean to read this much"
                ) from None
    shapes_path = args.shapes if args.shapes is not None else paths.SHAPES_FILE
    if not shapes_path.is_file():
        raise XjkgError(f"{shapes_path}: the shapes file is missing" + ("" if args.shapes else "; pass --shapes"))
    shapes = read_rdf(shapes_path, max_bytes=args.max_bytes) if args.shapes else _load(shapes_path, "shapes")
    # The ontology and the built graph are read straight into the graph validation runs on (no copy).
    background = Graph()
    used = "the ontology"
    if paths.ONTOLOGY_FILE.is_file():
        read_rdf(paths.ONTOLOGY_FILE, graph=background)
    else:
        log.warning("%s is missing: validating without the ontology", paths.ONTOLOGY_FILE)
    if graph_file is not None:
        if graph_file.is_file():
            read_rdf(graph_file, graph=background)
            used += f" and the built graph ({graph_file})" if args.corpus is not None else " and the built graph"
        else:
            log.warning("%s is missing (run `xjkg build`): validating without it", graph_file)

    def work() -> tuple[bytes, bool]:
        outcome = validate_graph(
            data,
            shapes=shapes,
            ontology=False,
            background=background if len(background) else None,
            take_background=True,
        )
        if args.format == "json":
            text = format_json(outcome, [str(f) for f in args.files])
        elif args.format == "turtle":
            text = outcome.report_graph.serialize(format="turtle")
        else:
            header = f"Validated {', '.join(args.files)} against {shapes_path}, with {used} as background."
            text = format_text(outcome, Names(data, shapes), header)
        return text.encode("utf-8"), outcome.conforms

    # The shapes decide what runs (a user's sh:pattern, sh:sparql): in a child that is killed at the deadline.
    text, conforms = run_bounded(
        work,
        timeout=args.timeout,
        memory_mb=args.worker_memory,
        what="validation",
        showing="xjkg validate: validating",
    )
    emit(output, text)
    return EXIT_OK if conforms else EXIT_NOT_CONFORMING


def _check_output(output: Path, inputs: list[Path], corpus: Path | None = None) -> None:
    """Validation never writes into ``data/`` or the corpus it reads, and never over one of its inputs."""
    target = output.resolve()
    for data_dir in (paths.resource_dir("data").resolve(), *([corpus.resolve()] if corpus is not None else [])):
        if target == data_dir or data_dir in target.parents:
            raise XjkgError(
                f"{output}: validation never writes into {data_dir}; choose another --output", EXIT_BAD_INPUT
            )
    if any(target == p.resolve() for p in inputs):
        raise XjkgError(f"{output}: --output would overwrite an input file", EXIT_BAD_INPUT)
    if target.is_dir():
        raise XjkgError(f"{output}: is a folder; --output needs a file name", EXIT_BAD_INPUT)
