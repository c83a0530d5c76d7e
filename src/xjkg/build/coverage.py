"""``xjkg coverage``: every quantity in the report body and what it became.

Each number is a figure of the graph, part of an entity's name (a period, "the two systems"),
excluded with the mapping's reason, or a list-item number; none is silently dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from xjkg.core.errors import EXIT_NOT_CONFORMING, EXIT_OK
from xjkg.mapping.corpus import Corpus, open_corpus
from xjkg.mapping.model import Resolved, ReviewError, load_mapping, resolve

__all__ = ["CoverageRow", "configure_coverage", "coverage", "run_coverage"]


@dataclass(frozen=True)
class CoverageRow:
    """One number of the body: where it stands, its value, and what became of it."""

    report: str  # the report's id
    line: int
    start: int
    end: int
    text: str
    value: str
    unit: str
    status: str  # figure | entity | excluded | enumerator | unmapped
    became: str  # the figure or entity IRI path, or the reason of the exclusion


def coverage(
    corpus: Corpus | Path | None = None, report: str | None = None, *, draft: bool = False
) -> list[CoverageRow]:
    """The coverage table of every report of the corpus (default: the project's), or of ``report`` only.

    With ``draft`` the entries still marked ``proposed:`` count (as ``xjkg build --draft`` builds them).

    >>> rows = coverage(report="iprcc-xinjiang-2009")
    >>> sorted({r.status for r in rows}) == ['entity', 'enumerator', 'excluded', 'figure']
    True
    """
    corpus = corpus if isinstance(corpus, Corpus) else open_corpus(corpus, draft=draft)
    infos = [corpus.report(report)] if report is not None else list(corpus.reports)
    rows = []
    for info in infos:
        mapping = load_mapping(info, draft=draft)
        resolved = resolve(mapping)
        if mapping.problems or resolved.problems:  # a wrong entry would count its numbers as unmapped
            raise ReviewError([*mapping.problems, *resolved.problems])
        rows += _rows(resolved)
    return rows


def _rows(resolved: Resolved) -> list[CoverageRow]:
    rows = []
    for mention, status, what in resolved.coverage():
        became = f"figure/{what}" if status == "figure" else what
        rows.append(
            CoverageRow(
                report=resolved.mapping.report.id,
                line=resolved.report.line_of(mention.start),
                start=mention.start,
                end=mention.end,
                text=mention.text,
                value=str(mention.value),
                unit=mention.unit,
                status=status,
                became=became,
            )
        )
    return rows


def configure_coverage(parser: argparse.ArgumentParser) -> None:
    from xjkg.core.options import add_corpus_argument

    add_corpus_argument(parser)
    parser.add_argument("--report", metavar="ID", help="only this report (its folder name under reports/)")
    parser.add_argument("--draft", action="store_true", help="count the entries still marked `proposed:`")
    parser.add_argument("--format", choices=["table", "tsv", "json"], default="table")
    parser.add_argument("--unmapped", action="store_true", help="only the numbers nothing accounts for")


def run_coverage(args: argparse.Namespace) -> int:
    rows = coverage(args.corpus, args.report, draft=args.draft)
    shown = [r for r in rows if r.status == "unmapped"] if args.unmapped else rows
    out = sys.stdout
    many = len({r.report for r in rows}) > 1
    if args.format == "json":
        json.dump([asdict(r) for r in shown], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "tsv":
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(CoverageRow.__dataclass_fields__)
        writer.writerows([list(asdict(r).values()) for r in shown])
    else:
        for r in shown:
            where = f"{r.report} " if many else ""
            print(f"{where}{r.line:3d} {r.start:6d}-{r.end:<6d} {r.text[:24]:24s} {r.status:10s} {r.became}", file=out)
        for report in dict.fromkeys(r.report for r in rows):
            mine = [r for r in rows if r.report == report]
            counts = {s: sum(1 for r in mine if r.status == s) for s in sorted({r.status for r in mine})}
            print(f"{report}: {len(mine)} numbers: " + ", ".join(f"{n} {s}" for s, n in counts.items()), file=out)
    return EXIT_NOT_CONFORMING if any(r.status == "unmapped" for r in rows) else EXIT_OK
