"""``xjkg release DIR``: build, validate and write a release folder in one step, atomically.

The folder holds the graph (``xjkg.ttl``, ``xjkg.nt``, ``xjkg.jsonld``, ``xjkg.trig``), ``ontology.ttl``,
``shapes.ttl``, the JSON-LD ``context.jsonld``, the HTML documentation (``docs/``), ``catalog.ttl``
(DCAT-AP + VoID, computed by :mod:`xjkg.metadata`), ``CHANGELOG.md`` with ``diff/added.nt`` and
``diff/removed.nt`` (the graph diff against the previous release) and ``SHA256SUMS`` (``sha256sum -c``).

It is written into a temporary folder beside DIR and swapped in at the end (one atomic
``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere), so a failed or killed release leaves
the previous one as it was.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from . import __version__
from .atomic import atomic_write_bytes, exclusive_lock
from .errors import EXIT_BAD_INPUT, EXIT_NOT_CONFORMING, XjkgError
from .export import CONTEXT_FILE, load_parts, read_graph, serialize
from .metadata import DATASETS, DEFAULT_BASE_URL, DistributionFile, build_metadata
from .namespaces import DCTERMS
from .paths import ONTOLOGY_FILE, SHAPES_FILE
from .progress import stage

__all__ = [
    "DATA_FILES",
    "GraphDiff",
    "ReleaseResult",
    "configure_release",
    "graph_diff",
    "release",
    "run_release",
]

log = logging.getLogger(__name__)

#: The graph's files: name → (export format, description).
DATA_FILES: dict[str, tuple[str, str]] = {
    "xjkg.ttl": ("turtle", "The graph (facts and provenance) in Turtle."),
    "xjkg.nt": ("ntriples", "The graph (facts and provenance) in N-Triples, one sorted triple a line."),
    "xjkg.jsonld": (
        "jsonld",
        "The graph in JSON-LD, facts and provenance as two named graphs, context embedded.",
    ),
    "xjkg.trig": ("trig", "The graph in TriG, facts and provenance as two named graphs."),
}


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


def _changelog(diff: GraphDiff, previous: Path | None, release_date: date, triples: int, old_log: str) -> bytes:
    lines = [
        f"## {__version__} ({release_date.isoformat()})",
        "",
        f"- {triples} triples; {len(diff.added)} added, {len(diff.removed)} removed "
        + (f"since the release in `{previous.name}`" if previous else "(first release)")
        + ".",
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


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: one atomic exchange where the system has it."""
    if not target.exists():
        os.rename(new, target)
        return
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    at_fdcwd, rename_exchange = -100, 2
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), rename_exchange) == 0
    ):
        shutil.rmtree(new)  # ``new`` now holds the previous release
        return
    old = new.with_name(new.name + ".old")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old)


def _sha256sums(folder: Path) -> bytes:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}")
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
) -> ReleaseResult:
    """Build (unless ``graph`` is given), validate and write the release folder ``folder`` atomically.

    ``previous`` is the release to diff against (default: ``folder``'s current content).
    """
    folder = Path(folder).absolute()
    release_date = release_date or date.today()
    with exclusive_lock(folder, "release"):
        if graph is None:
            from .build import build_graph

            graph = build_graph()
        ontology = ontology if ontology is not None else read_graph(ONTOLOGY_FILE)
        shapes = shapes if shapes is not None else read_graph(SHAPES_FILE)
        if validate:
            from .validate import validate_graph

            outcome = validate_graph(graph, shapes=shapes, ontology=ontology)
            if not outcome.conforms:
                raise XjkgError(
                    f"the graph does not conform to the shapes ({outcome.counts.get('Violation', 0)} "
                    "violations; "
                    "run `xjkg validate`): no release written",
                    EXIT_NOT_CONFORMING,
                )
        previous = previous if previous is not None else (folder if folder.is_dir() else None)
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

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            parts = load_parts(["data"], graph=graph, ontology=ontology)
            files: list[DistributionFile] = []
            for name, (fmt, description) in DATA_FILES.items():
                atomic_write_bytes(tmp / name, serialize(parts, fmt, lang=lang))
                files.append(DistributionFile(tmp / name, name, "graph", description))
            atomic_write_bytes(tmp / "ontology.ttl", serialize({"ontology": ontology}, "turtle"))
            files.append(DistributionFile(tmp / "ontology.ttl", "ontology.ttl", "ontology", "The OWL 2 ontology."))
            atomic_write_bytes(tmp / "shapes.ttl", serialize({"shapes": shapes}, "turtle"))
            files.append(DistributionFile(tmp / "shapes.ttl", "shapes.ttl", "shapes", "The SHACL shapes."))
            atomic_write_bytes(tmp / "context.jsonld", CONTEXT_FILE.read_bytes())
            from .docs import write_docs

            write_docs(tmp / "docs", lang, ontology=ontology, shapes=shapes, data=graph)
            files.append(
                DistributionFile(
                    tmp / "docs" / "index.html",
                    "docs/index.html",
                    "ontology",
                    "The ontology's documentation (HTML), with examples from the graph.",
                )
            )
            diff = graph_diff(old_graph, graph)
            atomic_write_bytes(tmp / "diff" / "added.nt", "".join(f"{t}\n" for t in diff.added).encode())
            atomic_write_bytes(tmp / "diff" / "removed.nt", "".join(f"{t}\n" for t in diff.removed).encode())
            atomic_write_bytes(tmp / "CHANGELOG.md", _changelog(diff, previous, release_date, len(graph), old_log))
            metadata = build_metadata(
                graph,
                files,
                base_url=base_url,
                release_date=release_date,
                issued=issued,
                endpoint_url=endpoint_url,
                landing_page="docs/index.html",
            )
            atomic_write_bytes(tmp / "catalog.ttl", serialize({"metadata": metadata}, "turtle"))
            atomic_write_bytes(tmp / "SHA256SUMS", _sha256sums(tmp))
            written = tuple(sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()))
            os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
            _swap(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return ReleaseResult(folder, written, len(graph), diff, previous)


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


def run_release(args: argparse.Namespace) -> int:
    """Run ``xjkg release``."""
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
        )
    print(
        f"released {result.triples} triples into {result.folder} ({len(result.files)} files; "
        f"{len(result.diff.added)} triples added, {len(result.diff.removed)} removed)"
    )
    return 0
