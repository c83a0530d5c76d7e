"""What the client-facing additions of ``xjkg serve`` cost: JSON-LD's ``@context`` over pyoxigraph's expanded
JSON-LD, and the label look-up the web page sends after each result (labels, a figure's value and unit).

    .venv/bin/python bench/serve_formats.py                      # the project's graph
    .venv/bin/python bench/serve_formats.py --graph bench/data/xjkg-100k.ttl --rows 5000

One line per measure: the median of ``--repeat`` runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from xjkg.core.paths import GRAPH_FILE
from xjkg.core.rdf import PREFIXES
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.results import jsonld_with_context

# The look-up of src/xjkg/web/static/app.js (lookUp), for the IRIs of one result.
LOOKUP = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
SELECT ?iri (SAMPLE(?l) AS ?label) (SAMPLE(?v) AS ?value) (SAMPLE(?u) AS ?unit) WHERE {
  VALUES ?iri { %s }
  OPTIONAL { ?iri rdfs:label|skos:prefLabel|schema:name ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) }
  OPTIONAL { ?iri sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?u }
} GROUP BY ?iri"""


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, default=GRAPH_FILE)
    parser.add_argument("--rows", type=int, default=5000, help="triples of the CONSTRUCT answer (default 5000)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with EmbeddedEngine(args.graph, workers=1) as engine:
        graph = engine.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {args.rows}", max_rows=args.rows)
        plain = graph.serialize("jsonld")
        expanded = _median_ms(lambda: graph.serialize("jsonld"), args.repeat)
        compacted = _median_ms(lambda: jsonld_with_context(graph.serialize("jsonld"), PREFIXES), args.repeat)
        size = len(jsonld_with_context(plain, PREFIXES))
        print(f"{args.graph.name}: JSON-LD of {graph.triple_count} triples: expanded {expanded:.1f} ms "
              f"({len(plain):,} bytes), with @context {compacted:.1f} ms ({size:,} bytes)")  # fmt: skip
        for count in (10, 100, 400):
            rows = engine.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} LIMIT {count}")
            iris = " ".join(f"<{row['s']}>" for row in rows.rows)
            took = _median_ms(lambda iris=iris: engine.query(LOOKUP % iris), args.repeat)
            print(f"{args.graph.name}: label look-up of {rows.row_count} IRIs: {took:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
