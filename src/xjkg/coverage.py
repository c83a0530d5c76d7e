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

from .errors import EXIT_NOT_CONFORMING, EXIT_OK
from .mapping import load_mapping, resolve
from .paths import MAPPING_DIR

__all__ = ["CoverageRow", "configure_coverage", "coverage", "run_coverage"]


@dataclass(frozen=True)
class CoverageRow:
    """One number of the body: where it stands, its value, and what became of it."""

    line: int
    start: int
    end: int
    text: str
    value: str
    unit: str
    status: str  # figure | entity | excluded | enumerator | unmapped
    became: str  # the figure or entity IRI path, or the reason of the exclusion


def coverage() -> list[CoverageRow]:
    """The coverage table of the report.

    >>> rows = coverage()
    >>> sorted({r.status for r in rows}) == ['entity', 'enumerator', 'excluded', 'figure']
    True
    """
    resolved = resolve(load_mapping(MAPPING_DIR), MAPPING_DIR)
    rows = []
    for mention, status, what in resolved.coverage():
        became = f"figure/{what}" if status == "figure" else what
        rows.append(
            CoverageRow(
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
    parser.add_argument("--format", choices=["table", "tsv", "json"], default="table")
    parser.add_argument("--unmapped", action="store_true", help="only the numbers nothing accounts for")


def run_coverage(args: argparse.Namespace) -> int:
    rows = coverage()
    shown = [r for r in rows if r.status == "unmapped"] if args.unmapped else rows
    out = sys.stdout
    if args.format == "json":
        json.dump([asdict(r) for r in shown], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "tsv":
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(CoverageRow.__dataclass_fields__)
        writer.writerows([list(asdict(r).values()) for r in shown])
    else:
        for r in shown:
            print(f"{r.line:3d} {r.start:6d}-{r.end:<6d} {r.text[:24]:24s} {r.status:10s} {r.became}", file=out)
        counts = {s: sum(1 for r in rows if r.status == s) for s in sorted({r.status for r in rows})}
        print(f"{len(rows)} numbers: " + ", ".join(f"{n} {s}" for s, n in counts.items()), file=out)
    return EXIT_NOT_CONFORMING if any(r.status == "unmapped" for r in rows) else EXIT_OK
