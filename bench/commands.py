"""Whole commands against their minimal baselines (issue 14): what a person waits for, start-up included.

Each pair runs alternately (xjkg, baseline, xjkg, baseline, ...) as separate processes through the small
launcher of ``run.py`` (wall time and the process's own peak RSS); medians, the ratio xjkg / baseline
pair by pair, and the target met or missed are printed and written to ``bench/results/commands-<time>.json``.

Parts (``--parts``):

* ``query``: every stored query as ``xjkg query NAME -f FMT`` (default parameters) against a ten-line
  pyoxigraph script that bulk-loads the same graph, runs the same text (parameters bound the way xjkg
  binds them) and prints the result (pyoxigraph's own JSON/CSV/TSV/XML writer; TSV stands in for
  ``table`` and ``md``, N-Triples/Turtle for graph results). Target 1: within 1.5x.
* ``validate-small``: ``xjkg validate`` of ``tests/data/validate/county-2010.ttl`` (ontology and built
  graph as background) against ``python -c 'import pyshacl'``. Target 2: within 3x.
* ``validate``: ``xjkg validate --no-graph DATA`` at each ``--sizes`` against a plain pySHACL script
  (rdflib parse, the ontology as ``ont_graph``, no inference, advanced on), with peak RSS; results
  compared as (focus node, path, value, severity, source shape, component, message). Target 3: 4x,
  memory no higher.
* ``cache``: at the largest size, a first ``xjkg query`` (empty store cache) and a second one, against the
  load-and-query script. Target 5: the second within 0.5 s.
* ``open``: opening the graph (``EmbeddedEngine``, with and without the store cache) against
  pyoxigraph's bulk load, whole processes, at each size. Target 4 (its last part): within 1.3x.

    .venv/bin/python bench/commands.py                                  # every part at 10k and 100k
    .venv/bin/python bench/commands.py --parts validate,cache --sizes 10k,100k,1M --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate, parse_size, size_label  # noqa: E402
from run import _wall_and_rss, machine  # noqa: E402
from xjkg.core.paths import GRAPH_FILE, ONTOLOGY_FILE, SHAPES_FILE  # noqa: E402
from xjkg.core.progress import counter  # noqa: E402

REPO = BENCH.parent
VENV_BIN = Path(sys.executable).parent
XJKG = [str(VENV_BIN / "xjkg")] if (VENV_BIN / "xjkg").is_file() else [sys.executable, "-m", "xjkg"]
SMALL_FILE = REPO / "tests" / "data" / "validate" / "county-2010.ttl"
PARTS = ("query", "validate-small", "validate", "cache", "open")
ROW_FORMATS = ("table", "json", "csv", "tsv", "xml", "md")
GRAPH_FORMATS = ("ttl", "nt")

# The minimal script a user would write instead of `xjkg query` (argv: graph, query file, format).
BASELINE_QUERY = """
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
result = store.query(open(sys.argv[2], encoding="utf-8").read())
if isinstance(result, ox.QueryTriples):
    sys.stdout.buffer.write(ox.serialize(result, format=getattr(ox.RdfFormat, sys.argv[3])))
else:
    sys.stdout.buffer.write(result.serialize(format=getattr(ox.QueryResultsFormat, sys.argv[3])))
"""
BASELINE_FORMAT = {"json": "JSON", "csv": "CSV", "tsv": "TSV", "xml": "XML", "table": "TSV", "md": "TSV"}
BASELINE_GRAPH_FORMAT = {"ttl": "TURTLE", "nt": "N_TRIPLES"}

# Plain pySHACL as a user would run it on our shapes (argv: data, shapes, ontology, report file).
BASELINE_PYSHACL = """
import sys, pyshacl
from rdflib import Graph
data = Graph().parse(sys.argv[1], format="turtle")
shapes = Graph().parse(sys.argv[2], format="turtle")
ontology = Graph().parse(sys.argv[3], format="turtle")
conforms, report, _ = pyshacl.validate(
    data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True)
report.serialize(sys.argv[4], format="nt")
"""
BASELINE_IMPORT = "import pyshacl"


@dataclass
class Pair:
    """One command and its baseline, measured alternately."""

    part: str
    subject: str
    size: str
    command: list[str]
    baseline: list[str]
    target: float | None  # the ratio xjkg / baseline must stay at or below this (None: shown only)
    env: dict[str, str] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    base_seconds: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    rss: float = 0.0
    base_rss: float = 0.0
    error: str | None = None
    note: str = ""

    def median(self) -> tuple[float | None, float | None, float | None]:
        if not self.ratios:
            return None, None, None
        return (statistics.median(self.seconds), statistics.median(self.base_seconds), statistics.median(self.ratios))

    def verdict(self) -> str:
        ratio = self.median()[2]
        if self.error or ratio is None:
            return "error"
        if self.target is None:
            return "-"
        return "met" if ratio <= self.target else f"missed by {ratio / self.target:.2f}x"


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return _wall_and_rss(cmd)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure(pair: Pair, repeat: int) -> None:
    """Alternate command and baseline ``repeat`` times (the baseline first on odd turns)."""
    for turn in range(repeat):
        order = [(pair.command, pair.env), (pair.baseline, {})]
        if turn % 2:
            order.reverse()
        found: dict[int, tuple[float, float]] = {}
        for cmd, env in order:
            seconds, rss, code = _timed(cmd, env)
            if code not in (0, 1):  # validate exits 1 when the data does not conform
                pair.error = f"{' '.join(cmd[:3])}...: exit {code}"
                return
            found[id(cmd)] = (seconds, rss)
        (a, a_rss), (b, b_rss) = found[id(pair.command)], found[id(pair.baseline)]
        pair.seconds.append(a)
        pair.base_seconds.append(b)
        pair.ratios.append(a / b)
        pair.rss, pair.base_rss = max(pair.rss, a_rss), max(pair.base_rss, b_rss)


# ---------------------------------------------------------------------------------------------- parts


def query_pairs(graph: Path, names: list[str] | None, formats: list[str] | None, workdir: Path) -> list[Pair]:
    """Every stored query (default parameters) in every output format, against the pyoxigraph script."""
    from xjkg.core.sparql_safety import insert_values
    from xjkg.query.engines import values_block
    from xjkg.query.stored import bind_params, stored_queries

    pairs = []
    for name, query in sorted(stored_queries().items()):
        if names and name not in names:
            continue
        try:
            bindings = bind_params(query, {})
        except Exception as exc:  # a parameter without a default: no command to run as is
            print(f"skipped {name}: {exc}", file=sys.stderr)
            continue
        text = insert_values(query.text, values_block(bindings)) if bindings else query.text
        text_file = workdir / f"{name}.rq"
        text_file.write_text(text, encoding="utf-8")
        graph_result = query.form in ("CONSTRUCT", "DESCRIBE")
        for fmt in GRAPH_FORMATS if graph_result else ROW_FORMATS:
            if formats and fmt not in formats:
                continue
            base_fmt = (BASELINE_GRAPH_FORMAT if graph_result else BASELINE_FORMAT)[fmt]
            pairs.append(
                Pair(
                    "query",
                    f"{name} -f {fmt}",
                    "graph",
                    [*XJKG, "query", name, "-f", fmt, "--data", str(graph)],
                    [sys.executable, "-c", BASELINE_QUERY, str(graph), str(text_file), base_fmt],
                    1.5,
                )
            )
    return pairs


def _result_tuples(report_file: Path) -> set[tuple[str, ...]]:
    """(focus, path, value, severity, source shape, component, message) of each top-level result."""
    from rdflib import BNode, Graph
    from rdflib.namespace import SH

    from xjkg.validation.shacl_sparql import sparql_path

    graph = Graph().parse(report_file, format="nt" if report_file.suffix == ".nt" else "turtle")
    rows: set[tuple[str, ...]] = set()
    for result in graph.objects(None, SH.result):

        def text(node: Any) -> str:
            return "_:b" if isinstance(node, BNode) else str(node)

        path = graph.value(result, SH.resultPath)
        shape = graph.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in graph.objects(result, SH.resultMessage))
        rows.add(
            (
                text(graph.value(result, SH.focusNode)),
                "" if path is None else (sparql_path(graph, path) or "(path)"),
                text(graph.value(result, SH.value)),
                text(graph.value(result, SH.resultSeverity)),
                text(shape),
                text(graph.value(result, SH.sourceConstraintComponent)),
                " | ".join(messages),
            )
        )
    return rows


def compare_validation(data: Path, workdir: Path) -> dict[str, Any]:
    """Run both once more (untimed) writing reports, and compare their results."""
    ours, theirs = workdir / "xjkg-report.ttl", workdir / "pyshacl-report.nt"
    subprocess.run(
        [*XJKG, "validate", "--no-graph", "--format", "turtle", "-o", str(ours), str(data)],
        check=False,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-c", BASELINE_PYSHACL, str(data), str(SHAPES_FILE), str(ONTOLOGY_FILE), str(theirs)],
        check=True,
        capture_output=True,
    )
    a, b = _result_tuples(ours), _result_tuples(theirs)
    return {"same": a == b, "xjkg": len(a), "pyshacl": len(b), "missing": sorted(b - a)[:5], "extra": sorted(a - b)[:5]}


def _data(size: int, data_dir: Path) -> Path:
    path = data_dir / f"xjkg-{size_label(size)}.ttl"
    if not path.is_file():
        generate(size, seed=1, path=path, defect_every=101)
    return path


# ---------------------------------------------------------------------------------------------- report


def print_table(pairs: list[Pair]) -> None:
    def fmt(seconds: float | None) -> str:
        if seconds is None:
            return "-"
        return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"

    print(f"{'part':15} {'size':6} {'subject':40} {'xjkg':>9} {'baseline':>9} {'ratio':>6} {'MB':>11}  target")
    for p in pairs:
        a, b, ratio = p.median()
        memory = f"{p.rss:.0f}/{p.base_rss:.0f}" if p.rss else "-"
        target = f"<= {p.target:g}x: {p.verdict()}" if p.target else p.verdict()
        shown = "-" if ratio is None else f"{ratio:.2f}x"
        print(f"{p.part:15} {p.size:6} {p.subject[:40]:40} {fmt(a):>9} {fmt(b):>9} {shown:>6} {memory:>11}  {target}")
        if p.error or p.note:
            print(f"{'':23} {p.error or p.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--sizes", default="10k,100k", help="synthetic sizes for validate, cache, open")
    parser.add_argument("--repeat", type=int, default=5, help="pairs per measurement (5)")
    parser.add_argument("--queries", default="", help="only these stored queries (comma-separated)")
    parser.add_argument("--formats", default="", help="only these output formats (comma-separated)")
    parser.add_argument("--graph", type=Path, default=GRAPH_FILE, help="graph for the query part (data/xjkg.ttl)")
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data", help="synthetic data (made if missing)")
    parser.add_argument("--output", type=Path, help="JSON results (default bench/results/commands-<time>.json)")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    # An installed package carries its bytecode (pip compiles it); an editable one under
    # PYTHONDONTWRITEBYTECODE (set on the farm) would compile every module in every measured process.
    import compileall

    import xjkg

    compileall.compile_dir(str(Path(xjkg.__file__).parent), quiet=1)
    pairs: list[Pair] = []
    comparisons: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="xjkg-bench-") as tmp:
        workdir = Path(tmp)
        cache_env = {"XJKG_CACHE_DIR": str(workdir / "cache")}
        if "query" in parts:
            names = [n for n in args.queries.split(",") if n] or None
            formats = [f for f in args.formats.split(",") if f] or None
            pairs += query_pairs(args.graph, names, formats, workdir)
        if "validate-small" in parts:
            pairs.append(
                Pair(
                    "validate-small",
                    SMALL_FILE.name,
                    "62",
                    [*XJKG, "validate", str(SMALL_FILE)],
                    [sys.executable, "-c", BASELINE_IMPORT],
                    3.0,
                )
            )
        for size in sizes:
            label = size_label(size)
            if "validate" in parts:
                data = _data(size, args.data_dir)
                pair = Pair(
                    "validate",
                    "xjkg validate --no-graph vs pyshacl",
                    label,
                    [*XJKG, "validate", "--no-graph", str(data)],
                    [
                        sys.executable,
                        "-c",
                        BASELINE_PYSHACL,
                        str(data),
                        str(SHAPES_FILE),
                        str(ONTOLOGY_FILE),
                        os.devnull,
                    ],
                    0.25,
                )
                pairs.append(pair)
            if "open" in parts:
                data = _data(size, args.data_dir)
                bulk = [
                    sys.executable,
                    "-c",
                    f"import pyoxigraph as ox; ox.Store().bulk_load(path={str(data)!r}, format=ox.RdfFormat.TURTLE)",
                ]
                opener = [
                    sys.executable,
                    "-c",
                    f"from xjkg.query.engines import EmbeddedEngine; EmbeddedEngine({str(data)!r}).close()",
                ]
                pairs.append(
                    Pair("open", "EmbeddedEngine, no store cache", label, opener, bulk, 1.3, {"XJKG_STORE_CACHE": "0"})
                )
                pairs.append(Pair("open", "EmbeddedEngine, store cached", label, opener, bulk, 1.3, cache_env))
        if "cache" in parts and sizes:
            data = _data(max(sizes), args.data_dir)
            label = size_label(max(sizes))
            text_file = workdir / "cache-query.rq"
            name = "two-systems-pilot"
            from xjkg.query.stored import stored_queries

            text_file.write_text(stored_queries()[name].text, encoding="utf-8")
            base = [sys.executable, "-c", BASELINE_QUERY, str(data), str(text_file), "JSON"]
            command = [*XJKG, "query", name, "-f", "json", "--data", str(data)]
            first = Pair("cache", f"first query ({name}), store built", label, command, base, None)
            second = Pair("cache", f"second query ({name}), store reused", label, command, base, None)
            pairs += [first, second]
        with counter("bench: commands", total=len(pairs)) as advance:
            for pair in pairs:
                if pair.part == "cache" and pair.subject.startswith("first"):
                    # every first query starts from an empty cache folder of its own
                    for turn in range(args.repeat):
                        pair.env = {"XJKG_CACHE_DIR": str(workdir / f"first-{turn}")}
                        measure(pair, 1)
                elif pair.part == "cache":
                    pair.env = cache_env
                    _timed(pair.command, cache_env)  # the store exists before the second queries
                    measure(pair, args.repeat)
                    seconds = pair.median()[0]
                    pair.note = (
                        f"target 5: second query within 0.5 s: {'met' if seconds and seconds <= 0.5 else 'missed'}"
                    )
                else:
                    if pair.part == "open" and "cached" in pair.subject:
                        _timed(pair.command, pair.env)  # build the store once before timing the reopening
                    measure(pair, args.repeat)
                advance(1)
            if "validate" in parts:
                for size in sizes:
                    found = compare_validation(_data(size, args.data_dir), workdir)
                    found["size"] = size_label(size)
                    comparisons.append(found)
    print_table(pairs)
    for pair in pairs:
        if pair.part == "validate" and pair.rss and pair.base_rss:
            verdict = "met" if pair.rss <= pair.base_rss else f"missed ({pair.rss:.0f} MB > {pair.base_rss:.0f} MB)"
            print(f"validate {pair.size}: peak memory no higher than pySHACL's: {verdict}")
    for found in comparisons:
        print(
            f"validate {found['size']}: same results as pySHACL: {found['same']} ({found['xjkg']} / {found['pyshacl']})"
        )
    output = args.output or BENCH / "results" / f"commands-{time.strftime('%Y%m%d-%H%M%S')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "repeat": args.repeat,
        "pairs": [
            {
                "part": p.part,
                "subject": p.subject,
                "size": p.size,
                "seconds": p.seconds,
                "baseline_seconds": p.base_seconds,
                "ratios": p.ratios,
                "median": p.median(),
                "rss_mb": p.rss,
                "baseline_rss_mb": p.base_rss,
                "target": p.target,
                "verdict": p.verdict(),
                "error": p.error,
                "note": p.note,
            }
            for p in pairs
        ],
        "comparisons": comparisons,
    }
    output.write_text(json.dumps(document, indent=1), encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
