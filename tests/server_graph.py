"""A small graph shaped like ours, two stored queries, and a real ``xjkg serve`` on a loopback port.

Shared by the server tests (in-process, live clients, W3C protocol, browser, load). The graph has a
county, a program, two figures with their spans and sentences (offsets checked against the text here),
a literal with markup in it and an IRI with a ``javascript:`` scheme, to test escaping and linking.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SENTENCE = "In 2009, Luopu County put 2.61 billion Yuan into roads for 270, 000 people."
SENTENCE_START = 1000
FIGURE = "2.61 billion Yuan"
FIGURE_START = SENTENCE_START + SENTENCE.index(FIGURE)
FIGURE_END = FIGURE_START + len(FIGURE)
PEOPLE = "270, 000"
PEOPLE_START = SENTENCE_START + SENTENCE.index(PEOPLE)

GRAPH = f"""
@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
@prefix id: <https://w3id.org/xjkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:county/luopu a xjkg:County ; rdfs:label "Luopu County"@en, "洛浦县"@zh ;
    xjkg:partOf id:prefecture/hotan ;
    rdfs:comment "A <script>alert(1)</script> & friends" ;
    rdfs:seeAlso <javascript:alert(1)> , <http://www.wikidata.org/entity/Q1> .
id:prefecture/hotan a xjkg:Prefecture ; rdfs:label "Hotan Prefecture"@en .
id:program/roads a xjkg:Program ; rdfs:label "Road building"@en .
id:report/iprcc-xinjiang-2009 a xjkg:Report ; rdfs:label "Poverty Alleviation in Xinjiang"@en .

id:figure/roads-funds a xjkg:FundAllocation ; rdfs:label "Funds for roads in Luopu"@en ;
    sdmx-dimension:refArea id:county/luopu ; xjkg:program id:program/roads ;
    sdmx-measure:obsValue 2610000000.0 ;
    prov:wasDerivedFrom id:span/{SENTENCE_START}-{SENTENCE_START + len(SENTENCE)} ;
    xjkg:figureSpan id:span/{FIGURE_START}-{FIGURE_END} .
id:figure/roads-people a xjkg:BeneficiaryCount ; rdfs:label "People reached by roads in Luopu"@en ;
    sdmx-dimension:refArea id:county/luopu ; sdmx-measure:obsValue 270000 ;
    prov:wasDerivedFrom id:span/{SENTENCE_START}-{SENTENCE_START + len(SENTENCE)} ;
    xjkg:figureSpan id:span/{PEOPLE_START}-{PEOPLE_START + len(PEOPLE)} .

id:span/{FIGURE_START}-{FIGURE_END} a xjkg:ReportSpan ; oa:hasSource id:report/iprcc-xinjiang-2009 ;
    oa:hasSelector id:span/{FIGURE_START}-{FIGURE_END}/position ; xjkg:inSentence id:sentence/7 .
id:span/{FIGURE_START}-{FIGURE_END}/position a oa:TextPositionSelector ;
    oa:start {FIGURE_START} ; oa:end {FIGURE_END} .
id:span/{PEOPLE_START}-{PEOPLE_START + len(PEOPLE)} a xjkg:ReportSpan ;
    oa:hasSelector id:span/{PEOPLE_START}-{PEOPLE_START + len(PEOPLE)}/position ;
    xjkg:inSentence id:sentence/7 .
id:span/{PEOPLE_START}-{PEOPLE_START + len(PEOPLE)}/position a oa:TextPositionSelector ;
    oa:start {PEOPLE_START} ; oa:end {PEOPLE_START + len(PEOPLE)} .
id:sentence/7 a xjkg:Sentence ; xjkg:sentenceNumber 7 ; oa:hasSource id:report/iprcc-xinjiang-2009 ;
    oa:hasSelector id:sentence/7/quote, id:sentence/7/position .
id:sentence/7/quote a oa:TextQuoteSelector ; oa:exact "{SENTENCE}" .
id:sentence/7/position a oa:TextPositionSelector ; oa:start {SENTENCE_START} ;
    oa:end {SENTENCE_START + len(SENTENCE)} .
"""

# Turtle local names may not hold "/": write our IRIs in full.
GRAPH = re.sub(r"(?<![\w-])id:([\w/-]+)", r"<https://w3id.org/xjkg/id/\1>", GRAPH)

FUNDS_QUERY = """#+ summary: Funds and counts by figure
#+ description: Every figure with its label and value, largest first.
#+ tags: [funds, test]
#+ params:
#+   - name: area
#+     type: iri
#+     default: id:county/luopu
#+     description: the area the figures are about
#+   - name: minimum
#+     type: decimal
#+     default: "0"
#+     description: the smallest value shown
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
SELECT ?figure ?label ?value WHERE {
  ?figure sdmx-dimension:refArea ?area ; rdfs:label ?label ; sdmx-measure:obsValue ?value .
  FILTER(?value >= ?minimum)
} ORDER BY DESC(?value)
"""

ASK_QUERY = """#+ summary: Is there a county?
#+ description: True when the graph holds at least one county.
#+ tags: [test]
PREFIX xjkg: <https://w3id.org/xjkg/ontology#>
ASK { ?c a xjkg:County }
"""


def write_fixture(folder: Path) -> tuple[Path, Path]:
    """Write the graph and a queries folder into ``folder``; returns (graph file, queries folder)."""
    assert re.search(re.escape(FIGURE), SENTENCE)
    graph_file = folder / "graph.ttl"
    graph_file.write_text(GRAPH, encoding="utf-8")
    queries = folder / "queries"
    queries.mkdir(exist_ok=True)
    (queries / "funds-by-figure.rq").write_text(FUNDS_QUERY, encoding="utf-8")
    (queries / "has-county.rq").write_text(ASK_QUERY, encoding="utf-8")
    return graph_file, queries


@dataclass
class LiveServer:
    """A ``xjkg serve`` process on 127.0.0.1 and its address."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def live_server(
    graph_file: Path, log: Path, *extra: str, queries: Path | None = None, corpus: bool = False
) -> Iterator[LiveServer]:
    """Run ``python -m xjkg serve --port 0`` on ``graph_file`` (with ``corpus``, as ``--corpus`` of the folder
    holding it as ``xjkg.ttl``); yields once it answers, stops it after."""
    env = dict(os.environ)
    source = ["--corpus", str(graph_file.parent)] if corpus else ["--graph", str(graph_file)]
    command = [sys.executable, "-m", "xjkg", "serve", "--port", "0", *source, *extra]
    if queries is not None:
        command += ["--queries", str(queries)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        url = None
        while url is None:
            if process.poll() is not None:
                raise RuntimeError(f"xjkg serve exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"xjkg serve did not start in 60 s:\n{log.read_text()}")
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+/)", log.read_text(errors="replace"))
            url = found.group(1) if found else None
            time.sleep(0.05)
        yield LiveServer(process, url, log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")
