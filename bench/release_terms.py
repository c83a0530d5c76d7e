"""How much of each report's body a release carries, by terms, and how long `xjkg release` takes.

    .venv/bin/python bench/release_terms.py                          # the project's corpus
    .venv/bin/python bench/release_terms.py --corpus tests/data/series

Writes the release twice (with and without ``--include-text``) into a temporary folder, then counts, per report,
the body characters covered by the spans whose quote each part holds: the CC BY files (the graph's four files hold
the same triples: ``xjkg.nt`` is read) and ``text/<id>.ttl``. A span's characters are its position selector's
``oa:start``..``oa:end``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from xjkg.core.namespaces import OA
from xjkg.mapping.corpus import open_corpus, report_id_of


def _covered(graph: Graph, positions: Graph) -> dict[str, set[int]]:
    """Per report, the body characters of every span whose quote selector ``graph`` holds."""
    found: dict[str, set[int]] = {}
    for selector in graph.subjects(OA.exact, None):
        for span in positions.subjects(OA.hasSelector, selector):
            for position in positions.objects(span, OA.hasSelector):
                start, end = positions.value(position, OA.start), positions.value(position, OA.end)
                if start is None or end is None:
                    continue
                report = report_id_of(str(span)) or report_id_of(str(positions.value(span, OA.hasSource)))
                found.setdefault(str(report), set()).update(range(int(start), int(end)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    corpus = open_corpus(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        timings = {}
        for name, extra in (("facts", []), ("with-text", ["--include-text"])):
            command = [sys.executable, "-m", "xjkg", "release", str(Path(tmp) / name), "--date", "2026-01-01"]
            if args.corpus is not None:
                command += ["--corpus", str(args.corpus)]
            started = time.perf_counter()
            subprocess.run([*command, *extra], check=True, capture_output=True)
            timings[name] = time.perf_counter() - started
        facts = Graph().parse(Path(tmp) / "facts" / "xjkg.nt", format="nt")
        text = Graph()
        for path in sorted((Path(tmp) / "with-text" / "text").glob("*.ttl")):
            text.parse(path)
        cc_by, own = _covered(facts, facts), _covered(text, facts + text)
        print(f"xjkg release: {timings['facts']:.1f} s (facts only), {timings['with-text']:.1f} s (--include-text)")
        print("| report | body characters | in the CC BY files | in text/<id>.ttl |")
        print("|---|---:|---:|---:|")
        for info in corpus.reports:
            body = len(info.text()) if info.body_ends_before is None else info.text().index(info.body_ends_before)
            a, b = len(cc_by.get(info.id, set())), len(own.get(info.id, set()) | cc_by.get(info.id, set()))
            print(f"| {info.id} | {body} | {a} ({100 * a / body:.1f}%) | {b} ({100 * b / body:.1f}%) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
