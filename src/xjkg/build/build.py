"""The build: report + mapping + ontology → the graph, written to ``data/xjkg.ttl``.

Every figure's value comes from :mod:`xjkg.text.extract` (read from the text), every reported statement
carries the span of the report that states it (Web Annotation selectors, character offsets), and a
value we compute is a separate :class:`xjkg:DerivedFigure` naming its inputs. The output is
deterministic (two builds give the same bytes), written atomically, and refused if it does not
conform to the shapes.

This module drives the build (the corpus read, each report in turn, the published IRIs kept), writes the
file and is the ``xjkg build`` command; the triples themselves are made by :mod:`xjkg.build.graph_writer`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import NamespaceManager

from xjkg import __version__
from xjkg.build.graph_writer import GraphWriter
from xjkg.core.atomic import atomic_write_bytes, check_output_file, exclusive_lock
from xjkg.core.errors import EXIT_NOT_CONFORMING, EXIT_OK, XjkgError
from xjkg.core.namespaces import (
    DCTERMS,
    ID,
    PREFIXES,
    RDF,
    XJKG,
)
from xjkg.core.options import add_corpus_argument
from xjkg.core.paths import ONTOLOGY_FILE
from xjkg.core.progress import stage
from xjkg.mapping.corpus import Corpus, open_corpus
from xjkg.mapping.model import (
    Resolved,
    ReviewError,
    collect,
    load_mapping,
    load_vocabulary,
    resolve,
)

__all__ = ["BuildResult", "build", "build_graph", "configure_build", "run_build", "serialize"]

log = logging.getLogger(__name__)

#: Unmapped quantities listed one by one per report; the rest are counted in one line.
MAX_UNMAPPED_LISTED = 50


@dataclass
class BuildResult:
    """What a build made: the graph, each report tied to its mapping, and the figures to print."""

    graph: Graph
    reports: list[Resolved]
    counts: Counter[str] = field(default_factory=Counter)
    validation: Any = None
    #: Coverage counts of each report, by report id.
    per_report: dict[str, Counter[str]] = field(default_factory=dict)
    #: What a draft build left out because it is wrong (one line each: file, line, entry, what to do).
    problems: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> Resolved:
        """The first report (a corpus of one report: that report)."""
        return self.reports[0]


def _load_ontology() -> Graph:
    ontology = Graph()
    try:
        ontology.parse(ONTOLOGY_FILE, format="turtle")
    except FileNotFoundError:
        raise XjkgError(f"{ONTOLOGY_FILE}: the ontology is missing") from None
    return ontology


def build(corpus: Corpus | Path | None = None, *, draft: bool = False) -> BuildResult:
    """Read the corpus (default: the project's ``data/``) and make the graph of every report (nothing is written).

    With ``draft`` the proposals of ``xjkg report new`` are built too (:func:`xjkg.mapping.model.load_mapping`).

    >>> result = build()
    >>> result.counts["unmapped"]
    0
    """
    corpus = corpus if isinstance(corpus, Corpus) else open_corpus(corpus, draft=draft)
    vocab = load_vocabulary(corpus.vocab_files)
    problems = list(vocab.problems)  # every problem of every report, listed at once (a reviewer fixes all in one go)
    # report.yaml read as a draft reads it, so that its TODOs are listed with the mapping's problems, not alone
    infos = replace(corpus, draft=True).reports
    if not draft:
        problems += [f"{where} is still to be filled in: {todo!r}" for info in infos for where, todo in info.todo]
    mappings = [load_mapping(info, draft=draft) for info in infos]
    resolved_all = []
    for mapping in mappings:
        problems += mapping.problems
        resolved = collect(problems, resolve, mapping)  # a changed text: the whole report is left out
        if resolved is not None:
            resolved_all.append(resolved)
            problems += resolved.problems
    builder = GraphWriter(_load_ontology(), vocab, [r.mapping for r in resolved_all])
    builder.structure([r.mapping.report.iri for r in resolved_all])
    for ent in vocab.entities.values():
        _written(problems, builder, ID[ent.id], builder.entity, ent)
    counts: Counter[str] = Counter()
    per_report: dict[str, Counter[str]] = {}
    for resolved in resolved_all:
        mapping = resolved.mapping
        builder.begin(resolved)
        _written(problems, builder, mapping.report.iri, builder.report_node)
        for ent in mapping.entities:
            if not ent.cites_only:
                _written(problems, builder, ID[ent.id], builder.entity, ent)
                collect(problems, builder.program_scope, ent)
            collect(problems, builder.cited, ent)
        for fid in resolved.figures:
            _written(problems, builder, builder.figure_iri(fid), builder.figure, fid)
        collect(problems, builder.per_head)
        for d in mapping.derived:
            _written(problems, builder, builder.figure_iri(d.id), builder.derived, d)
        mine: Counter[str] = Counter(status for _, status, _ in resolved.coverage())
        per_report[mapping.report.id] = mine
        counts.update(mine)
        if mine["unmapped"] and not draft:
            missing = [m for m, status, _ in resolved.coverage() if status == "unmapped"]
            listing = f"`xjkg coverage --report {mapping.report.id} --unmapped`"
            problems += [
                f"{mapping.report.source_file}:{resolved.report.line_of(m.start)}: the quantity {m.text!r} is neither "
                f"mapped nor excluded: map it as a figure or exclude it with a reason, unless an entry listed here "
                f"does ({listing})"
                for m in missing[:MAX_UNMAPPED_LISTED]
            ]
            if len(missing) > MAX_UNMAPPED_LISTED:  # a text never mapped would bury every other problem
                problems.append(
                    f"{mapping.report.source_file}: {len(missing) - MAX_UNMAPPED_LISTED:,} more quantities neither "
                    f"mapped nor excluded ({listing} lists them all)"
                )
    if problems and not draft:
        raise ReviewError(problems)
    if any(isinstance(term, BNode) for triple in builder.g for term in triple):
        raise XjkgError("the build made a blank node; every node of the graph must have an IRI")
    if not draft:
        _keep_published(builder.g, corpus)
    return BuildResult(builder.g, resolved_all, counts, per_report=per_report, problems=problems)


def _written(problems: list[str], builder: GraphWriter, node: URIRef, action: Callable[..., Any], *args: Any) -> None:
    """Write one entry; if it is wrong, take back what it wrote about ``node`` (a draft keeps no half entry)."""
    before = set(builder.g.triples((node, None, None)))
    if collect(problems, lambda: action(*args) or True) is None:
        for triple in set(builder.g.triples((node, None, None))) - before:
            builder.g.remove(triple)


#: IRI kinds that were minted without the report in release 0.1.0 (``id/figure/…``) and are now under it.
_REPORT_KINDS = ("figure/", "span/", "sentence/")


def _keep_published(graph: Graph, corpus: Corpus) -> None:
    """Every IRI a release published (``<corpus>/releases/*.yaml``) stays a subject of the graph, or is answered
    with ``dct:isReplacedBy`` its new IRI (the figures, spans and sentences minted before the report was part of
    their IRI); a published IRI that would dangle stops the build."""
    folder = corpus.root / "releases"
    if not folder.is_dir():
        return
    from xjkg.mapping.yamlfiles import read_yaml, strip_lines

    report_ids = {info.id for info in corpus.reports}
    for path in sorted(folder.glob("*.yaml")):
        raw = strip_lines(read_yaml(path))
        if not isinstance(raw, dict) or not isinstance(raw.get("iris"), list) or "release" not in raw:
            raise XjkgError(f"{path}: expected release, report and a list of iris")
        report_id = raw.get("report")
        replaced_by = raw.get("replaced_by") or {}
        for item in raw["iris"]:
            iri = ID[str(item)]
            if (iri, None, None) in graph:
                continue
            kind = next((k for k in _REPORT_KINDS if str(item).startswith(k)), None)
            new = ID[f"report/{report_id}/{item}"] if kind and report_id in report_ids else None
            if item in replaced_by:  # no longer what it was: answered by what the release file names
                new = ID[str(replaced_by[item])]
            if new is None or (new, None, None) not in graph:
                raise XjkgError(
                    f"{path}: {iri} was published in release {raw['release']} and would no longer resolve: keep it, "
                    "or map what replaces it"
                )
            graph.add((iri, DCTERMS.isReplacedBy, new))


def build_graph(corpus: Corpus | Path | None = None) -> Graph:
    """The data graph, built in memory from the corpus."""
    return build(corpus).graph


HEADER = (
    "# Generated by `xjkg build` (xjkg {version}) from the corpus (vocab/ and reports/): do not edit by hand.\n"
    "# Every figure's value is read from the report text; every statement cites its span of the report.\n"
)
TEXT_HEADER = (
    "# It also holds the reports' sentences and quotes, which are each report's own, under its rights (LICENSE,\n"
    "# data/README.md): for your use with the corpus; `xjkg release` leaves them out of the CC BY 4.0 files.\n"
)
DRAFT_HEADER = (
    "# DRAFT: built by `xjkg build --draft` with mapping entries still marked `proposed:`; never released or\n"
    "# served by default. Review the proposals, then `xjkg build`.\n"
)
#: The draft graph's file name in the corpus folder.
DRAFT_FILE_NAME = "xjkg-draft.ttl"


def serialize(graph: Graph, *, draft: bool = False) -> bytes:
    """Deterministic Turtle: sorted by rdflib's writer, prefixes fixed, a generated-file header.

    >>> from rdflib import Graph
    >>> serialize(Graph()).startswith(b"# Generated by")
    True
    """
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    graph.namespace_manager = manager
    _seed_namespaces(manager, graph)
    body = graph.serialize(format="turtle", encoding="utf-8")
    header = HEADER.format(version=__version__) + (DRAFT_HEADER if draft else "") + TEXT_HEADER
    return header.encode() + body


def _seed_namespaces(manager: NamespaceManager, graph: Graph) -> None:
    """Put every ``…/`` prefix of the graph's IRIs into rdflib's namespace trie, shortest first.

    rdflib's writer files the namespace of each IRI it abbreviates in a trie whose insertion scans the
    siblings of a node: our span IRIs (``…/report/ID/span/12-34/quote``) each have their own namespace, all
    siblings under ``…/report/`` unless the folders between are in the trie, which made writing a 100-report
    graph quadratic. The same output: a ``…/`` prefix added never ends below the namespace rdflib splits an
    IRI at (that split is after the IRI's last ``/``), so it never becomes the longest namespace of an IRI.
    Left out (only slower) if rdflib's internals differ.
    """
    from rdflib.namespace import insert_strie

    strie = getattr(manager, "_NamespaceManager__strie", None)
    trie = getattr(manager, "_NamespaceManager__trie", None)
    if not isinstance(strie, dict) or not isinstance(trie, dict):
        return
    prefixes: set[str] = set()
    for node in graph.all_nodes():
        if isinstance(node, URIRef):
            text = str(node)
            start = text.find("//") + 2 if "//" in text else 0
            at = text.find("/", start)
            while at != -1:
                prefixes.add(text[: at + 1])
                at = text.find("/", at + 1)
    for prefix in sorted(prefixes, key=lambda p: (len(p), p)):
        if prefix not in strie:
            insert_strie(strie, trie, prefix)


def configure_build(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    parser.add_argument(
        "--output",
        help="where to write the graph, a file in an existing folder (default: xjkg.ttl in the corpus folder)",
    )
    parser.add_argument("--check", action="store_true", help="build and validate, write nothing")
    parser.add_argument(
        "--draft",
        action="store_true",
        help=f"also build the entries still marked `proposed:`, into a draft graph ({DRAFT_FILE_NAME} in the corpus "
        "folder, never released or served by default); entries with a 'TODO: …' value are left out",
    )


def run_build(args: argparse.Namespace) -> int:
    draft = bool(getattr(args, "draft", False))
    corpus = open_corpus(args.corpus, draft=draft)
    output = check_output_file(args.output or (corpus.root / DRAFT_FILE_NAME if draft else corpus.graph_file))
    if draft and output.resolve() == corpus.graph_file.resolve():
        raise XjkgError(f"--draft writes a draft graph, never {corpus.graph_file}: choose another --output")
    with exclusive_lock(output, "build"):
        with stage("xjkg build: mapping the reports"):
            try:
                result = build(corpus, draft=draft)
            except ReviewError as exc:  # every problem on its own line, then the one-line error
                for line in exc.problems:  # each one line: a file name may hold a line break
                    print("  " + line.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)
                exc.message = f"{len(exc.problems)} problem(s) in the mapping (listed above): fix them and build again"
                raise
        written = _serialize_aside(result.graph, draft=draft)
        try:
            with stage("xjkg build: validating"):
                outcome = _validate(result.graph)
        finally:
            data = written()
        changed = not output.is_file() or output.read_bytes() != data
        if not args.check and (outcome.conforms or draft):
            atomic_write_bytes(output, data)
    _print_summary(result, outcome, output, changed, args.check, draft=draft)
    return EXIT_OK if outcome.conforms else EXIT_NOT_CONFORMING


#: From this many triples the graph is written by a forked child while the build validates it.
ASIDE_FROM_TRIPLES = 20_000


def _serialize_aside(graph: Graph, *, draft: bool) -> Callable[[], bytes]:
    """Start writing ``graph`` as Turtle; the returned function gives the bytes.

    On a big graph (many reports) writing and validating take seconds each and neither needs the other, so a
    forked child writes while this process validates (on two cores, each does one; bench/corpus.py). The
    child only serializes and sends bytes; if it fails, the bytes are made here. Small graphs: made here.
    """
    if len(graph) < ASIDE_FROM_TRIPLES or not hasattr(os, "fork"):
        return lambda: serialize(graph, draft=draft)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: serialize, send, leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read_end)
            data = serialize(graph, draft=draft)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def collect() -> bytes:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log.warning("writing the graph in a child process failed: writing it here")
            return serialize(graph, draft=draft)
        return data

    return collect


def _validate(graph: Graph) -> Any:
    from xjkg.validation.validate import validate_graph  # pyshacl is slow to import: only when we validate

    return validate_graph(graph)


#: The words of the sum shapes' messages that name the report as the one that disagrees with itself.
_REPORTS_OWN = (("The report does not add up", "This proposal does not add up"),
                ("The report's parts exceed their total", "This proposal's parts exceed their total"))  # fmt: skip


def proposal_findings(result: BuildResult, outcome: Any) -> dict[int, str]:
    """The warnings a draft's breakdown causes, by index in ``outcome.results``: "check this proposal" lines.

    A warning on a figure whose breakdown is still proposed (the figure itself, or one of its parts, is an entry
    still carrying ``proposed:`` with a ``component_of``, ``exhaustive`` or ``share_of``), or a warning whose
    value is a proposed figure (an area outside the report's region), is the draft's to check, not the
    report's disagreement: the line names the proposal's file, line and entry.
    """
    proposed: dict[str, list[Any]] = {}  # figure IRI → the proposed breakdown entries about it
    stated: dict[str, Any] = {}  # figure IRI → its entry, where the figure itself is a proposal
    for resolved in result.reports:
        figures = [m.figure for m in resolved.figures.values()]
        iri = {f.id: str(ID[f"report/{resolved.mapping.report.id}/figure/{f.id}"]) for f in figures}
        for f in figures:
            if f.proposed is None:
                continue
            stated[iri[f.id]] = f
            if f.exhaustive is not None or f.share_of is not None or f.component_of is not None:
                proposed.setdefault(iri[f.id], []).append(f)
            if f.component_of in iri:  # the total the proposed part was attached to
                proposed.setdefault(iri[f.component_of], []).append(f)
    findings = {}
    for n, r in enumerate(outcome.results):
        # a rule on a total whose breakdown is proposed, or a rule on a report naming a proposed figure (its area …)
        entries = proposed.get(str(r.focus_node)) or ([stated[str(r.value)]] if str(r.value) in stated else [])
        if r.severity != "Warning" or not entries:
            continue
        message = r.message
        for theirs, ours in _REPORTS_OWN:
            message = message.replace(theirs, ours)
        where = "; ".join(str(e.where) for e in entries)
        findings[n] = f"check this proposal ({where}): {message}"
    return findings


def _print_summary(
    result: BuildResult, outcome: Any, output: Path, changed: bool, check: bool, *, draft: bool = False
) -> None:
    g = result.graph
    by_class = Counter(o for o in g.objects(None, RDF.type) if str(o).startswith(str(XJKG)))
    out = sys.stdout
    names = ", ".join(r.mapping.report.id for r in result.reports)
    print(f"xjkg build {__version__}: {len(g)} triples from {len(result.reports)} report(s): {names}", file=out)
    print("entities by class:", file=out)
    for cls, count in sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:5d}  xjkg:{str(cls).split('#')[-1]}", file=out)
    for report_id, c in result.per_report.items():
        total = sum(c.values())
        print(
            f"coverage of {report_id}: {total} numbers in the body: {c['figure']} figures, {c['entity']} identify "
            f"entities, {c['excluded']} excluded with a reason, {c['enumerator']} list-item numbers, "
            f"{c['unmapped']} unmapped",
            file=out,
        )
    if draft:
        proposals = sum(len(r.mapping.proposals) for r in result.reports)
        print(f"draft: {proposals} proposal(s) built; left out, a value still to fill in:", file=out)
        for r in result.reports:
            for where, todo in r.mapping.report.todo:
                print(f"  {where}: {todo}", file=out)
            for where_, todo in r.mapping.skipped:
                print(f"  {where_}: {todo}", file=out)
        if result.problems:
            print(f"draft: left out, {len(result.problems)} entries with a problem to fix:", file=out)
            for line in result.problems:
                print(f"  {line}", file=out)
    findings = proposal_findings(result, outcome) if draft else {}
    print(
        f"validation: {'conforms' if outcome.conforms else 'DOES NOT CONFORM'} "
        f"({outcome.counts.get('Violation', 0)} violations, {outcome.counts.get('Warning', 0)} warnings: "
        + (f"{len(findings)} on proposals to check (below), the others " if findings else "")
        + f"the report's own disagreements: `xjkg validate {output} --no-graph` lists them)",
        file=out,
    )
    for line in findings.values():
        print(f"  {line}", file=out)
    if not outcome.conforms:
        for r in outcome.results:
            if r.severity not in ("Warning", "Info"):
                print(f"  {r.focus_node} {r.path or ''}: {r.message}", file=sys.stderr)
        if not draft:
            print(f"not written: {output} is unchanged", file=out)
    if check:
        print(f"--check: nothing written ({output} {'would change' if changed else 'is up to date'})", file=out)
    elif outcome.conforms or draft:
        print(f"wrote {output} ({'changed' if changed else 'unchanged'})", file=out)
