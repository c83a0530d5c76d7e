"""The corpus: a folder of reports and the vocabularies they share (``data/`` by default, ``--corpus DIR``).

Layout (``data/README.md``)::

    <corpus>/vocab/*.yaml                 shared vocabularies (places, organisations, indicators, …)
    <corpus>/reports/<id>/report.yaml     the source text's name and checksum, what the report is, defaults
    <corpus>/reports/<id>/<file>.txt      the report text, never edited
    <corpus>/reports/<id>/mapping/*.yaml  that report's entities, figures, exclusions, derived figures
    <corpus>/xjkg.ttl                     the built graph of every report

The shipped vocabularies (``xjkg/data/vocab``) are always read; a user corpus's own ``vocab/`` extends them
(new entries only: an id the shipped vocabularies define is refused, naming both files). A report's id is its
folder name and its IRI ``https://w3id.org/xjkg/id/report/<id>``; nothing else types it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.namespaces import ID
from xjkg.core.options import GRAPH_FILE_NAME
from xjkg.core.paths import DATA_DIR, VOCAB_DIR
from xjkg.core.report_graphs import REPORT_ID, owner_of, report_id_of
from xjkg.core.textfiles import read_text
from xjkg.mapping.yamlfiles import read_yaml, strip_lines

__all__ = [
    "Corpus",
    "ReportInfo",
    "open_corpus",
    "remove_abandoned_work",
    "report_id_of",
    "report_iri",
    "report_statements",
    "work_pid",
    "work_prefix",
]

SOURCE_KEYS = {"file", "sha256", "body_ends_before"}
REPORT_KEYS = {"title", "title_zh", "publisher", "series", "edition", "period", "region", "language", "url",
               "rights_quote"}  # fmt: skip
REPORT_REQUIRED = {"title", "publisher", "period", "region", "language", "rights_quote"}
TOP_KEYS = {"source", "report", "defaults"}


def report_iri(report_id: str) -> URIRef:
    """The IRI of a report.

    >>> str(report_iri("iprcc-xinjiang-2009"))
    'https://w3id.org/xjkg/id/report/iprcc-xinjiang-2009'
    """
    return ID[f"report/{report_id}"]


@dataclass(frozen=True)
class ReportInfo:
    """One report of the corpus, from its ``report.yaml`` (checked: unknown keys and missing ones refused)."""

    id: str
    folder: Path
    source_file: Path
    sha256: str
    body_ends_before: str | None
    title: str
    title_zh: str | None
    publisher: str
    series: str | None
    edition: str | None
    period: tuple[str, ...]
    region: str
    language: str
    url: str | None
    #: The report's rights statement as it stands in the text; None where the report states none (rights unknown).
    rights_quote: str | None
    defaults: dict[str, str]
    #: In a draft build, the fields still "TODO: …" (left out: empty text, no value): (where, what is needed).
    todo: tuple[tuple[str, str], ...] = ()

    @property
    def iri(self) -> URIRef:
        return report_iri(self.id)

    @property
    def settings_file(self) -> Path:
        return self.folder / "report.yaml"

    @property
    def mapping_dir(self) -> Path:
        return self.folder / "mapping"

    def text(self) -> str:
        """The report's text as stored (the checksum is checked by :func:`xjkg.text.source.load_report`)."""
        return read_text(self.source_file, within=self.folder, what="report text")


def _read_settings(folder: Path, draft: bool = False) -> ReportInfo:
    path = folder / "report.yaml"
    if not path.is_file():
        raise XjkgError(f"{path}: every report folder needs a report.yaml", EXIT_BAD_INPUT)
    if not REPORT_ID.fullmatch(folder.name):
        raise XjkgError(
            f"{folder}: a report's folder name is its id: lower-case letters, digits and '-' only", EXIT_BAD_INPUT
        )
    raw = read_yaml(path, within=folder.parent.parent)
    if not isinstance(raw, dict):
        raise XjkgError(f"{path}: expected the sections source, report and defaults", EXIT_BAD_INPUT)
    raw = strip_lines(raw)
    _check_keys(path, "", raw, TOP_KEYS, {"source", "report"})
    source, report = raw["source"], raw["report"]
    _check_keys(path, "source", source, SOURCE_KEYS, {"file", "sha256"})
    _check_keys(path, "report", report, REPORT_KEYS, REPORT_REQUIRED)
    defaults = raw.get("defaults") or {}
    _check_keys(path, "defaults", defaults, {"area", "period"}, set())
    todo = []
    for section_name, section in (("report", report), ("source", source), ("defaults", defaults)):
        for key, value in list(section.items()):
            if isinstance(value, list) and any(_is_todo(v) for v in value):
                value = next(v for v in value if _is_todo(v))
            if not _is_todo(value):
                continue
            todo.append((f"{path}: {section_name}.{key}", str(value)))
            section[key] = [] if key == "period" else None
    # A draft leaves such fields out and lists them; the source and a real build need every field (all named).
    refused = [(w, v) for w, v in todo if not draft or ": source." in w]
    if refused:
        listed = "; ".join(f"{w.split(': ', 1)[1]} is still to be filled in: {v!r}" for w, v in refused)
        raise XjkgError(f"{path}: {listed}", EXIT_BAD_INPUT)
    file_name = str(source["file"])
    if "/" in file_name or "\\" in file_name or file_name.startswith("."):
        raise XjkgError(f"{path}: source.file must be a file name in the report's folder, got {file_name!r}")
    period = report["period"] or []
    return ReportInfo(
        id=folder.name,
        folder=folder,
        source_file=folder / file_name,
        sha256=str(source["sha256"]),
        body_ends_before=source.get("body_ends_before"),
        title=str(report["title"] or ""),
        title_zh=report.get("title_zh"),
        publisher=str(report["publisher"] or ""),
        series=report.get("series"),
        edition=None if report.get("edition") is None else str(report["edition"]),
        period=tuple(str(p) for p in (period if isinstance(period, list) else [period])),
        region=str(report["region"] or ""),
        language=str(report["language"] or ""),
        url=report.get("url"),
        rights_quote=None if report["rights_quote"] is None else str(report["rights_quote"]),
        defaults={str(k): str(v) for k, v in defaults.items() if v is not None},
        todo=tuple(todo),
    )


def _is_todo(value: Any) -> bool:
    return isinstance(value, str) and value.strip().upper().startswith("TODO")


def _check_keys(path: Path, section: str, value: Any, allowed: set[str], required: set[str]) -> None:
    where = f"{path}: {section}:" if section else f"{path}:"
    if not isinstance(value, dict):
        raise XjkgError(f"{where} must be a mapping of keys to values", EXIT_BAD_INPUT)
    unknown = set(value) - allowed
    if unknown:
        raise XjkgError(
            f"{where} unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}",
            EXIT_BAD_INPUT,
        )
    missing = required - set(value)
    if missing:
        raise XjkgError(f"{where} missing key(s) {', '.join(sorted(missing))}", EXIT_BAD_INPUT)


#: ``report new`` works in ``reports/.<id>.<pid>.<random>.tmp`` and renames it into place when done.
_WORK = re.compile(r"\.[a-z0-9][a-z0-9-]{0,79}\.(\d{1,10})\.[A-Za-z0-9_]{1,32}\.tmp")


def work_prefix(report_id: str) -> str:
    """The name ``report new`` gives its working folder, up to the random part: the id and its process id."""
    return f".{report_id}.{os.getpid()}."


def work_pid(folder: Path) -> int | None:
    """The process id of the ``report new`` whose working folder ``folder`` is, or None if it is not one."""
    found = _WORK.fullmatch(folder.name)
    if found is None or folder.is_symlink() or not folder.is_dir():
        return None
    return int(found.group(1))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    except (OverflowError, ValueError):
        return False
    return True


def remove_abandoned_work(reports: Path) -> None:
    """Remove the working folders of ``report new`` runs that were killed (their process is gone)."""
    if not reports.is_dir():
        return
    for folder in reports.iterdir():
        pid = work_pid(folder)
        if pid is not None and not _running(pid):
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Corpus:
    """A corpus folder: its vocabulary files (shipped first) and its reports (sorted by id)."""

    root: Path
    #: A draft build's corpus: a "TODO: …" of a report.yaml is left out (and listed), not refused.
    draft: bool = False

    @property
    def graph_file(self) -> Path:
        return self.root / GRAPH_FILE_NAME

    @property
    def vocab_files(self) -> list[Path]:
        """The shipped vocabularies, then the corpus's own (if it is not the shipped folder)."""
        files = sorted(VOCAB_DIR.glob("*.yaml"))
        own = self.root / "vocab"
        if own.is_dir() and own.resolve() != VOCAB_DIR.resolve():
            files += sorted(own.glob("*.yaml"))
        return files

    @cached_property
    def reports(self) -> tuple[ReportInfo, ...]:
        folder = self.root / "reports"
        if not folder.is_dir():
            raise XjkgError(f"{self.root}: not a corpus (no reports/ folder; see data/README.md)", EXIT_BAD_INPUT)
        remove_abandoned_work(folder)  # what a killed `report new` left; a running one's folder is skipped
        # A hidden name is never a report's id: working folders, an editor's or a file manager's own.
        found = tuple(
            _read_settings(d, self.draft) for d in sorted(folder.iterdir()) if d.is_dir() and not d.name.startswith(".")
        )
        if not found:
            raise XjkgError(f"{folder}: the corpus has no report", EXIT_BAD_INPUT)
        return found

    def report(self, report_id: str) -> ReportInfo:
        for info in self.reports:
            if info.id == report_id:
                return info
        known = ", ".join(r.id for r in self.reports)
        raise XjkgError(f"{self.root}: no report {report_id!r} (the corpus has {known})", EXIT_BAD_INPUT)


def open_corpus(root: Path | None = None, *, draft: bool = False) -> Corpus:
    """The corpus at ``root`` (default: the project's ``data/``).

    >>> [r.id for r in open_corpus().reports][:1]
    ['iprcc-xinjiang-2009']
    """
    path = Path(root) if root is not None else DATA_DIR
    if not path.is_dir():
        raise XjkgError(f"{path}: no such corpus folder", EXIT_BAD_INPUT)
    return Corpus(path, draft)


def report_statements(graph: Graph) -> dict[str, Graph]:
    """Each report's statements, by report id (:func:`xjkg.core.report_graphs.owner_of` says which). The quad
    exports and the query store hold each as its own named graph (``https://w3id.org/xjkg/graph/report/<id>``);
    VoID describes each as a subset of the graph.

    >>> from xjkg.build.build import build_graph
    >>> parts = report_statements(build_graph())
    >>> sorted(parts), len(parts["iprcc-xinjiang-2009"]) > 5000
    (['iprcc-xinjiang-2009'], True)
    """
    parts: dict[str, Graph] = {}
    for s, p, o in graph:
        owner = owner_of(str(s) if isinstance(s, URIRef) else None, str(p), str(o) if isinstance(o, URIRef) else None)
        if owner is not None:
            parts.setdefault(owner, Graph()).add((s, p, o))
    return dict(sorted(parts.items()))
