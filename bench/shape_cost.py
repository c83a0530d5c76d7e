"""The time of each SHACL-SPARQL rule on a built graph, run as `xjkg validate` runs it (once per rule, on pyoxigraph).

    .venv/bin/python bench/shape_cost.py GRAPH.ttl [--shapes AreaInRegionShape,PeriodInScopeShape] [--repeat 3]

Prints, per rule, the median time over the repetitions and the number of results: how a rule grows with the
corpus is read by running it on graphs of 1, 10 and 100 reports (``bench/corpus.py --keep DIR`` leaves them).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rdflib import Graph

from xjkg.core.paths import SHAPES_FILE
from xjkg.validation.shacl_sparql import (
    SparqlConstraint,
    _anti_solutions,
    _solutions,
    _Store,
    focus_nodes,
    split_shapes,
)

XSH = "https://w3id.org/xjkg/shapes#"


def run(store: _Store, constraint: SparqlConstraint, shapes: Graph, data: Graph) -> int:
    """The rule's solutions for all its focus nodes, as ``evaluate_sparql`` finds them (without the report graph)."""
    focus = sorted(focus_nodes(constraint.shape, shapes, data), key=str)
    plan, found = constraint.plan, 0
    for batch in [[node] for node in focus] if plan.per_node else [focus] if focus else []:
        block = store.block(batch, constraint.shape if plan.current_shape else None)
        rows = None if plan.anti is None else _anti_solutions(store, constraint, block)
        if rows is None:
            rows = _solutions(store, plan.render(constraint.query, block), constraint.where)
        found += len(rows)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--shapes", default="AreaInRegionShape,PeriodInScopeShape,TotalShape")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = Graph().parse(args.graph, format="turtle")
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    constraints = split_shapes(shapes).constraints
    started = time.perf_counter()
    store = _Store(data)  # the data copied into pyoxigraph once, as a validation does
    print(f"{args.graph}: {len(data)} triples, copied into pyoxigraph in {time.perf_counter() - started:.2f} s")
    for name in args.shapes.split(","):
        chosen = [c for c in constraints if str(c.shape) == XSH + name]
        times, rows = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = sum(run(store, c, shapes, data) for c in chosen)
            times.append(time.perf_counter() - started)
        print(f"  {name:22s} {statistics.median(times):7.3f} s  ({len(chosen)} rule(s), {rows} results)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
