"""What the reports' named graphs cost the query store, at one size (default 100k triples).

Two graphs of that size from ``bench/generate.py``: as generated (figures, spans and sentences minted under
``id/figure/`` …, so few triples belong to a report) and the same with those IRIs moved under
``id/report/bench/`` (86% of the triples then belong to the report: the built corpora hold 69–81%). For each, in
fresh processes, alternating, ``--repeat`` times:

* ``engine``: an ``EmbeddedEngine`` without the store cache: open (the load), a default-graph query, the first
  ``FROM`` query (which adds the report graphs to the worker's store), a second one; the worker's peak RSS
  before and after the first ``FROM``.
* ``cache``: building the cached store (``open_graph`` on an empty cache) against what it was before the
  report graphs, the bulk load of the file into a store on disk.

    .venv/bin/python bench/named_graphs.py --size 100k --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import data_file, generate, parse_size
from xjkg.core.rdf import PREFIXES
from xjkg.core.report_graphs import REPORT_GRAPH_BASE

_ENGINE = """
import json, sys, time
from pathlib import Path
from xjkg.query.engines import EmbeddedEngine

def hwm(engine):
    pid = engine._idle[0].process.pid
    return next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")) // 1024

text = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
start = time.perf_counter()
engine = EmbeddedEngine(Path(sys.argv[1]))
opened = time.perf_counter()
engine.query(text.format(""))
plain = time.perf_counter()
before = hwm(engine)
engine.query(text.format(f"FROM <{sys.argv[2]}>"))
first = time.perf_counter()
engine.query(text.format(f"FROM <{sys.argv[2]}>"))
second = time.perf_counter()
print(json.dumps({"open": opened - start, "plain": plain - opened, "first FROM": first - plain,
                  "second FROM": second - first, "worker peak MB before": before, "after": hwm(engine)}))
engine.close()
"""

_CACHE = """
import json, sys, tempfile, time
from pathlib import Path
import pyoxigraph as ox
from xjkg.query.store_cache import open_graph
start = time.perf_counter()
if sys.argv[2] == "bulk load":
    store = ox.Store(tempfile.mkdtemp(dir=sys.argv[3]))
    store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
    store.flush()
else:
    open_graph(sys.argv[1], cache=Path(tempfile.mkdtemp(dir=sys.argv[3])), min_bytes=0)
print(json.dumps({sys.argv[2]: time.perf_counter() - start}))
"""


def _run(script: str, *args: str, cache: bool = True) -> dict[str, float]:
    env = dict(os.environ, XJKG_STORE_CACHE="1" if cache else "0")
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, timeout=600, env=env
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    triples = parse_size(args.size)
    plain = data_file(triples)
    if not plain.is_file():
        generate(triples)
    moved = plain.with_name(plain.stem + "-reports.ttl")
    base = PREFIXES["id"]
    text = plain.read_text(encoding="utf-8")
    for kind in ("figure", "span", "sentence"):
        text = text.replace(f"<{base}{kind}/", f"<{base}report/bench/{kind}/")
    moved.write_text(text, encoding="utf-8")
    graph = REPORT_GRAPH_BASE + "bench"
    with tempfile.TemporaryDirectory(prefix="xjkg-bench-named-") as scratch:
        for path in (plain, moved):
            rows: dict[str, list[float]] = {}
            for _ in range(args.repeat):
                for found in (
                    _run(_ENGINE, str(path), graph, cache=False),
                    _run(_CACHE, str(path), "bulk load", scratch),
                    _run(_CACHE, str(path), "cache build", scratch),
                ):
                    for key, value in found.items():
                        rows.setdefault(key, []).append(value)
            print(path.name)
            for key, values in rows.items():
                print(f"  {key:24} median {statistics.median(values):7.2f}  ({', '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
