"""``xjkg release DIR``: build, validate and write a release folder in one step, atomically.

The folder holds the graph (``xjkg.ttl``, ``xjkg.nt``, ``xjkg.jsonld``, ``xjkg.trig``), ``ontology.ttl``,
``shapes.ttl``, the JSON-LD ``context.jsonld``, the HTML documentation (``docs/``), ``catalog.ttl``
(DCAT-AP + VoID, computed by :mod:`xjkg.publish.metadata`), ``CHANGELOG.md`` with ``diff/added.nt`` and
``diff/removed.nt`` (the graph diff against the previous release), ``README.md`` and ``LICENSE`` (which file
carries what under which terms) and ``SHA256SUMS`` (``sha256sum -c``).

The graph's files hold the facts only, under CC BY 4.0: the reports' sentences and quotes are their publishers'
(:func:`xjkg.publish.export.split_text`). They are left out, or, with ``include_text`` (``--include-text``, for whoever
holds the rights), written as ``text/<report id>.ttl``, each under its report's rights. The same corpus and date
give the same bytes.

It is written into a temporary folder beside DIR and swapped in at the end (one atomic
``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere), so a failed or killed release leaves
the previous one as it was.

DIR is replaced only if xjkg made it: it must not exist yet (its parent must), be an empty folder, or
be a previous release, recognised by its ``SHA256SUMS``: every file in the folder is listed there
(``catalog.ttl`` among them) with its checksum unchanged. Anything else (a file, a device, a link,
``/``, a mount point, a folder holding other things or edited files) is refused with exit 2, untouched.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import logging
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from xjkg import __version__
from xjkg.core.atomic import WriteError, atomic_write_bytes, exclusive_lock
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_NOT_CONFORMING, XjkgError
from xjkg.core.iris import check_http_iri
from xjkg.core.namespaces import DCTERMS, OA, RDF, XJKG
from xjkg.core.paths import ONTOLOGY_FILE, SHAPES_FILE
from xjkg.core.progress import stage
from xjkg.publish.export import CONTEXT_FILE, QUOTING_PROPERTIES, load_parts, read_graph, serialize, split_text
from xjkg.publish.metadata import (
    DATASETS,
    DEFAULT_BASE_URL,
    DistributionFile,
    ReportFacts,
    build_metadata,
    reports_in,
)

__all__ = [
    "DATA_FILES",
    "GraphDiff",
    "ReleaseResult",
    "check_release_target",
    "configure_release",
    "graph_diff",
    "release",
    "run_release",
]

log = logging.getLogger(__name__)

#: The graph's files: name → (export format, description). They hold the facts, never a report's sentences.
DATA_FILES: dict[str, tuple[str, str]] = {
    "xjkg.ttl": ("turtle", "The graph (facts and provenance) in Turtle."),
    "xjkg.nt": ("ntriples", "The graph (facts and provenance) in N-Triples, one sorted triple a line."),
    "xjkg.jsonld": (
        "jsonld",
        "The graph in JSON-LD, facts and provenance as two named graphs, context embedded.",
    ),
    "xjkg.trig": ("trig", "The graph in TriG, facts and provenance as two named graphs."),
}
CC_BY = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


@dataclass(frozen=True)
class GraphDiff:
    """Triples added and removed between two graphs, as sorted N-Triples lines."""

    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class ReleaseResult:
    """What a release wrote: the folder, its files (relative), the triple count and the diff."""

    folder: Path
    files: tuple[str, ...]
    triples: int
    diff: GraphDiff
    previous: Path | None


def _nt_lines(graph: Graph) -> set[str]:
    # language tags compare case-insensitively (RDF 1.1); readers differ on whether they lower-case them
    lowered = Graph()
    for s, p, o in graph:
        lowered.add((s, p, Literal(str(o), lang=o.language.lower()) if isinstance(o, Literal) and o.language else o))
    text = serialize({"data": lowered}, "ntriples").decode("utf-8")
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def graph_diff(old: Graph, new: Graph) -> GraphDiff:
    """The triples of ``new`` not in ``old`` and the reverse (blank nodes compared by canonical label).

    >>> from rdflib import Graph
    >>> new = Graph().parse(data="<urn:a> <urn:b> 1 .", format="turtle")
    >>> graph_diff(Graph(), new).added
    ('<urn:a> <urn:b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',)
    """
    before, after = _nt_lines(old), _nt_lines(new)
    return GraphDiff(tuple(sorted(after - before)), tuple(sorted(before - after)))


def report_changes(old: Graph, new: Graph) -> list[str]:
    """One line per report added, removed or changed between two graphs (its text's checksum, or its statements).

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
    ... <https://w3id.org/xjkg/id/report/a> a xjkg:Report ; xjkg:sha256 "1" .''', format="turtle")
    >>> report_changes(Graph(), g)
    ['Report added: `a` (https://w3id.org/xjkg/id/report/a)']
    """
    from xjkg.mapping.corpus import report_statements

    def reports(graph: Graph) -> dict[str, str]:
        return {str(s): str(graph.value(s, XJKG.sha256)) for s in graph.subjects(RDF.type, XJKG.Report)}

    before, after = reports(old), reports(new)
    old_parts, new_parts = report_statements(old), report_statements(new)
    lines = []
    for iri in sorted(set(before) | set(after)):
        name = iri.rsplit("/", 1)[-1]
        if iri not in before:
            lines.append(f"Report added: `{name}` ({iri})")
        elif iri not in after:
            lines.append(f"Report removed: `{name}` ({iri})")
        elif before[iri] != after[iri]:
            lines.append(f"Report changed: `{name}`: its text changed (sha256 {after[iri]})")
        else:
            was, now = _nt_lines(old_parts.get(name, Graph())), _nt_lines(new_parts.get(name, Graph()))
            if was != now:
                lines.append(
                    f"Report changed: `{name}`: {len(now - was)} of its statements added, {len(was - now)} removed"
                )
    return lines


def _changelog(
    diff: GraphDiff,
    previous: Path | None,
    release_date: date,
    triples: int,
    old_log: str,
    reports: list[str] | None = None,
) -> bytes:
    lines = [
        f"## {__version__} ({release_date.isoformat()})",
        "",
        f"- {triples} triples; {len(diff.added)} added, {len(diff.removed)} removed "
        + (f"since the release in `{previous.name}`" if previous else "(first release)")
        + ".",
        *[f"- {line}." for line in reports or []],
        "- The full diff: `diff/added.nt` and `diff/removed.nt` (N-Triples, sorted).",
    ]
    for title, triples_ in (("Added", diff.added), ("Removed", diff.removed)):
        if triples_:
            lines += ["", f"{title} (first {min(len(triples_), 20)} of {len(triples_)}):", "", "```"]
            lines += list(triples_[:20])
            lines += ["```"]
    earlier = old_log.split("\n", 2)[2] if old_log.startswith("# Changelog\n") else ""
    text = "# Changelog\n\n" + "\n".join(lines) + "\n" + ("\n" + earlier.lstrip("\n") if earlier.strip() else "")
    return text.encode("utf-8")


def _rights_words(report: ReportFacts) -> str:
    kind = report.rights_type.rsplit("/", 1)[-1].replace("-", " ")
    notice = f"its notice: “{report.rights}”" if report.rights is not None else "it states none"
    return f"{kind} ({notice})"


def _text_files_line(reports: list[ReportFacts], include_text: bool) -> list[str]:
    if not include_text:
        return [
            "The reports' sentences and quotes are not in this release: they are their publishers', under each "
            "report's rights (below). Whoever holds those rights can add them with `xjkg release --include-text`, "
            "which writes them as `text/<report id>.ttl`."
        ]
    return [
        f"- `text/{r.id}.ttl`: the sentences and quotes of report `{r.id}` that the graph cites (quote selectors, "
        "section headings, quoted purposes and objectives): the report's own text, under its rights: "
        f"{_rights_words(r)}. Not CC BY. Published here only because whoever made this release holds those "
        "rights; reuse needs the rights holder's permission."
        for r in reports
    ]


def _readme(reports: list[ReportFacts], include_text: bool, triples: int, base_url: str) -> bytes:
    """The release's README: what each file holds and under which terms (the catalogue says the same in RDF)."""
    names = Graph(bind_namespaces="none")
    names.bind("oa", OA)
    names.bind("xjkg", XJKG)
    quoting = ", ".join(f"`{names.namespace_manager.normalizeUri(p)}`" for p in sorted(QUOTING_PROPERTIES))
    lines = [
        f"# xjkg release {__version__}",
        "",
        f"A knowledge graph of {len(reports)} report(s), computed by xjkg {__version__} (published at {base_url}):",
        "",
        *[f"- `{r.id}`: {r.title}" for r in reports],
        "",
        "## Files and their terms",
        "",
        f"Under {CC_BY}:",
        "",
        f"- `xjkg.ttl`, `xjkg.nt`, `xjkg.jsonld`, `xjkg.trig`: the graph ({triples} triples), the same in four "
        "formats: the figures, the things they are about and their names, the links between them, and where each "
        "figure stands in its report (character offsets, the number as the report writes it, the report's "
        "checksum, title and rights notice). Things are named as the report names them; no sentence or quote of "
        "a report is in them beyond a number's own surface.",
        "- `ontology.ttl`, `shapes.ttl`, `context.jsonld`, `docs/`: the model, its SHACL shapes, the JSON-LD "
        "context and their documentation.",
        "- `catalog.ttl`: DCAT-AP and VoID metadata of every file (sizes, checksums, licences).",
        "- `CHANGELOG.md`, `diff/added.nt`, `diff/removed.nt`: what changed since the previous release.",
        "",
        "Not CC BY:" if include_text else "Not in this release:",
        "",
        *_text_files_line(reports, include_text),
        "",
        "## The reports' rights",
        "",
        *[f"- `{r.id}` ({r.title}): {_rights_words(r)}." for r in reports],
        "",
        "Each report's text remains its publisher's; the graph cites it by offsets. The properties that carry "
        f"a report's text in the full built graph are `oa:exact` (beyond a number's surface) and {quoting}.",
        "",
        "`LICENSE` states the same terms; `sha256sum -c SHA256SUMS` checks every file.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _licence(reports: list[ReportFacts], include_text: bool) -> bytes:
    """The release's LICENSE: the terms of each file, with the reports' rights as their notices state them."""
    lines = [
        "Licence of this xjkg release",
        "",
        "Every file of this folder except those under text/ is licensed under the Creative Commons Attribution "
        "4.0 International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/legalcode",
        "Attribution: xjkg, computed from the reports named in catalog.ttl.",
        "",
        "These files hold facts read from the reports, with things named as the reports name them, and of a "
        "report's text no more than each number's own surface, its title and its rights notice. The reports "
        "themselves are not licensed here:",
        "",
        *[f"  {r.id}: {r.title}; {_rights_words(r)}" for r in reports],
        "",
        (
            "The files under text/ hold the reports' sentences and quotes. They are NOT licensed CC BY: each is "
            "under the rights of its report (above). Reuse needs the rights holder's permission."
            if include_text
            else "This release holds none of the reports' sentences or quotes."
        ),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: one atomic exchange where the system has it.

    What was at ``target`` is deleted only if it is still an empty folder or a release (checked again
    after the exchange, so something put there while we worked is put back, never deleted).
    """
    if not os.path.lexists(target):
        os.rename(new, target)  # fails (never replaces) if a file or a non-empty folder appeared meanwhile
        return
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    at_fdcwd, rename_exchange = -100, 2

    def exchange() -> bool:
        return bool(
            renameat2 is not None
            and renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), rename_exchange) == 0
        )

    if exchange():
        if not _ours(new):  # ``new`` now holds what stood at ``target``
            exchange()
            raise XjkgError(f"{target}: changed while the release was written; left as it is", EXIT_FAILED)
        shutil.rmtree(new)
        return
    old = new.with_name(new.name + ".old")
    os.rename(target, old)
    if not _ours(old):
        os.rename(old, target)
        raise XjkgError(f"{target}: changed while the release was written; left as it is", EXIT_FAILED)
    os.rename(new, target)
    shutil.rmtree(old)


def _ours(path: Path) -> bool:
    """Whether ``path`` is a real folder that is empty or a release xjkg wrote (so it may be deleted)."""
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        return False
    return not any(path.iterdir()) or _not_a_release(path) is None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _not_a_release(folder: Path) -> str | None:
    """Why ``folder`` (a non-empty real folder) is not a release xjkg wrote, or None if it is one."""
    sums = folder / "SHA256SUMS"
    if not stat.S_ISREG(os.lstat(sums).st_mode if os.path.lexists(sums) else 0):
        return "it has no SHA256SUMS"
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return "its SHA256SUMS is not one that xjkg writes"
        listed[name] = digest
    if "catalog.ttl" not in listed:
        return "its SHA256SUMS does not list catalog.ttl"
    parents = {p for name in listed for p in Path(name).parents} - {Path(".")}
    for root, dirs, files in os.walk(folder):  # never follows links: a link inside is itself refused
        for entry in (*dirs, *files):
            path = Path(root) / entry
            rel = path.relative_to(folder)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                if rel not in parents:
                    return f"it holds {rel.as_posix()}/, which a release does not write"
            elif not stat.S_ISREG(mode) or (rel.as_posix() not in listed and rel.as_posix() != "SHA256SUMS"):
                return f"it holds {rel.as_posix()}, which is not in its SHA256SUMS"
            elif rel.as_posix() != "SHA256SUMS" and _sha256(path) != listed[rel.as_posix()]:
                return f"{rel.as_posix()} was changed since the release"
    return None


def check_release_target(folder: Path) -> Path:
    """The absolute release folder, if xjkg may replace what stands there; otherwise exit 2, untouched.

    >>> import tempfile, pathlib
    >>> notes = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = notes.write_text("mine")
    >>> check_release_target(notes)
    Traceback (most recent call last):
    xjkg.core.errors.XjkgError: .../notes.txt: is a file, not a release folder; left untouched (...)
    """
    shown = str(folder)
    path = Path(os.path.abspath(folder))  # ".." and "." resolved by name, as the shell shows them
    if path.parent == path:
        raise XjkgError(f"{shown}: is the root folder; name a new or empty folder for the release", EXIT_BAD_INPUT)
    if not path.parent.is_dir():
        raise XjkgError(
            f"{shown}: the folder {path.parent} does not exist; create it first (xjkg never creates it)",
            EXIT_BAD_INPUT,
        )
    path = path.parent.resolve() / path.name  # links above DIR are followed, DIR itself is not
    advice = "left untouched (name a new or empty folder, or a previous release)"
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(mode):
        raise XjkgError(f"{shown}: is a symbolic link, not a release folder; {advice}", EXIT_BAD_INPUT)
    if not stat.S_ISDIR(mode):
        kind = "a file" if stat.S_ISREG(mode) else "a device, pipe or socket"
        raise XjkgError(f"{shown}: is {kind}, not a release folder; {advice}", EXIT_BAD_INPUT)
    if os.path.ismount(path):
        raise XjkgError(f"{shown}: is a mount point; {advice}", EXIT_BAD_INPUT)
    if not any(path.iterdir()):
        return path
    problem = _not_a_release(path)
    if problem is not None:
        raise XjkgError(f"{shown}: not an xjkg release and not empty ({problem}); {advice}", EXIT_BAD_INPUT)
    return path


def _sha256sums(folder: Path) -> bytes:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        lines.append(f"{_sha256(path)}  {path.relative_to(folder).as_posix()}")
    return ("\n".join(lines) + "\n").encode()


def release(
    folder: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    previous: Path | None = None,
    release_date: date | None = None,
    endpoint_url: str | None = None,
    lang: str = "en",
    graph: Graph | None = None,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    validate: bool = True,
    corpus: Path | None = None,
    include_text: bool = False,
) -> ReleaseResult:
    """Build (unless ``graph`` is given), validate and write the release folder ``folder`` atomically.

    ``previous`` is the release to diff against (default: ``folder``'s current content); ``corpus`` the corpus
    to build (default: the project's ``data/``). A draft graph (``xjkg build --draft``) is never built here.
    ``folder`` must be new, empty or a previous release (:func:`check_release_target`); checked again before
    the swap. ``include_text``: also write each report's sentences and quotes (``text/<id>.ttl``), under its
    rights; only for whoever holds them.
    """
    base_url = check_http_iri(base_url, "--base-url", folder=True)
    if endpoint_url is not None:
        endpoint_url = check_http_iri(endpoint_url, "--endpoint-url")
    folder = check_release_target(folder)
    release_date = release_date or date.today()
    with exclusive_lock(folder, "release"):
        if graph is None:
            from xjkg.build.build import build_graph

            graph = build_graph(corpus)
        ontology = ontology if ontology is not None else read_graph(ONTOLOGY_FILE)
        shapes = shapes if shapes is not None else read_graph(SHAPES_FILE)
        if validate:
            from xjkg.validation.validate import validate_graph

            outcome = validate_graph(graph, shapes=shapes, ontology=ontology)
            if not outcome.conforms:
                raise XjkgError(
                    f"the graph does not conform to the shapes ({outcome.counts.get('Violation', 0)} "
                    "violations; "
                    "run `xjkg validate`): no release written",
                    EXIT_NOT_CONFORMING,
                )
        if previous is None and folder.is_dir() and any(folder.iterdir()):
            previous = folder
        old_graph, issued, old_log = Graph(), None, ""
        if previous is not None:
            if not (previous / "xjkg.nt").is_file():
                raise XjkgError(f"{previous}: not a release folder (no xjkg.nt)", EXIT_BAD_INPUT)
            old_graph = read_graph(previous / "xjkg.nt")
            if (previous / "catalog.ttl").is_file():
                found = read_graph(previous / "catalog.ttl").value(URIRef(DATASETS["graph"]), DCTERMS.issued)
                issued = date.fromisoformat(str(found)) if found is not None else None
            if (previous / "CHANGELOG.md").is_file():
                old_log = (previous / "CHANGELOG.md").read_text(encoding="utf-8")

        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        except OSError as exc:
            raise WriteError(f"{folder.parent}: cannot write ({exc.strerror or exc})", EXIT_FAILED) from exc
        facts, texts = split_text(graph)
        try:
            parts = load_parts(["data"], graph=facts, ontology=ontology)
            files: list[DistributionFile] = []
            for name, (fmt, description) in DATA_FILES.items():
                atomic_write_bytes(tmp / name, serialize(parts, fmt, lang=lang))
                files.append(DistributionFile(tmp / name, name, "graph", description))
            atomic_write_bytes(tmp / "ontology.ttl", serialize({"ontology": ontology}, "turtle"))
            files.append(DistributionFile(tmp / "ontology.ttl", "ontology.ttl", "ontology", "The OWL 2 ontology."))
            atomic_write_bytes(tmp / "shapes.ttl", serialize({"shapes": shapes}, "turtle"))
            files.append(DistributionFile(tmp / "shapes.ttl", "shapes.ttl", "shapes", "The SHACL shapes."))
            atomic_write_bytes(tmp / "context.jsonld", CONTEXT_FILE.read_bytes())
            from xjkg.publish.docs import write_docs

            if include_text:
                (tmp / "text").mkdir()
                for report_id, text in texts.items():
                    name = f"text/{report_id}.ttl"
                    atomic_write_bytes(tmp / name, serialize({f"text/{report_id}": text}, "turtle"))
                    files.append(
                        DistributionFile(
                            tmp / name,
                            name,
                            f"report/{report_id}",
                            f"The sentences and quotes of report {report_id} the graph cites (Turtle); with "
                            "the graph's files, the whole built graph. Under the report's own rights.",
                        )
                    )
            # examples from the facts: the documentation is CC BY, like the graph's files
            write_docs(tmp / "docs", lang, ontology=ontology, shapes=shapes, data=facts)
            files.append(
                DistributionFile(
                    tmp / "docs" / "index.html",
                    "docs/index.html",
                    "ontology",
                    "The ontology's documentation (HTML), with examples from the graph.",
                )
            )
            diff = graph_diff(old_graph, facts)
            (tmp / "diff").mkdir()
            atomic_write_bytes(tmp / "diff" / "added.nt", "".join(f"{t}\n" for t in diff.added).encode())
            atomic_write_bytes(tmp / "diff" / "removed.nt", "".join(f"{t}\n" for t in diff.removed).encode())
            changes = report_changes(old_graph, facts)
            atomic_write_bytes(
                tmp / "CHANGELOG.md", _changelog(diff, previous, release_date, len(facts), old_log, changes)
            )
            metadata = build_metadata(
                facts,  # what the graph's files hold: VoID counts them
                files,
                base_url=base_url,
                release_date=release_date,
                issued=issued,
                endpoint_url=endpoint_url,
                landing_page="docs/index.html",
                corpus=corpus,
                text_included=include_text,
            )
            atomic_write_bytes(tmp / "catalog.ttl", serialize({"metadata": metadata}, "turtle"))
            reports = reports_in(graph)
            atomic_write_bytes(tmp / "README.md", _readme(reports, include_text, len(facts), base_url))
            atomic_write_bytes(tmp / "LICENSE", _licence(reports, include_text))
            atomic_write_bytes(tmp / "SHA256SUMS", _sha256sums(tmp))
            written = tuple(sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()))
            os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
            check_release_target(folder)  # what stands there may have changed while we worked
            try:
                _swap(tmp, folder)
            except OSError as exc:
                raise WriteError(
                    f"{folder}: cannot put the release in place ({exc.strerror or exc})", EXIT_FAILED
                ) from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return ReleaseResult(folder, written, len(facts), diff, previous)


def configure_release(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``xjkg release``."""
    parser.add_argument("dir", nargs="?", type=Path, default=Path("release"), help="folder (default: ./release)")
    parser.add_argument(
        "--base-url", default=DEFAULT_BASE_URL, help=f"where DIR is published (default: {DEFAULT_BASE_URL})"
    )
    parser.add_argument("--previous", type=Path, help="the release to diff against (default: DIR's current content)")
    parser.add_argument("--date", type=date.fromisoformat, help="release date, YYYY-MM-DD (default: today)")
    parser.add_argument("--endpoint-url", help="the public SPARQL endpoint, for void:sparqlEndpoint")
    parser.add_argument("--lang", default="en", help="preferred label language of the docs (default: en)")
    parser.add_argument("--graph", type=Path, help="release this graph file instead of building it")
    parser.add_argument(
        "--include-text",
        action="store_true",
        help="also write the reports' sentences and quotes (text/<report id>.ttl, under each report's rights): "
        "only if you hold those rights",
    )
    from xjkg.core.options import add_corpus_argument

    add_corpus_argument(parser)


def run_release(args: argparse.Namespace) -> int:
    """Run ``xjkg release``."""
    # Refusals first, before the build: a bad URL or a target xjkg did not make costs nothing.
    check_http_iri(args.base_url, "--base-url", folder=True)
    if args.endpoint_url is not None:
        check_http_iri(args.endpoint_url, "--endpoint-url")
    check_release_target(args.dir)
    graph = read_graph(args.graph) if args.graph else None
    with stage("xjkg release: build, validate, export, documentation"):
        result = release(
            args.dir,
            base_url=args.base_url,
            previous=args.previous,
            release_date=args.date,
            endpoint_url=args.endpoint_url,
            lang=args.lang,
            graph=graph,
            corpus=args.corpus,
            include_text=args.include_text,
        )
    print(
        f"released {result.triples} triples into {result.folder} ({len(result.files)} files; "
        f"{len(result.diff.added)} triples added, {len(result.diff.removed)} removed)"
    )
    return 0
