"""The benchmark keeps working (issue 7): a small run at 10k writes well-formed JSON. No speed is asserted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import run  # noqa: E402

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix s: <https://w3id.org/xjkg/test-shapes#> .
s:Figure a sh:NodeShape ; sh:targetClass xjkg:ReportedFigure ;
  sh:property s:unit, s:value .
s:unit sh:path sdmx-attribute:unitMeasure ; sh:minCount 1 .
s:value sh:path sdmx-measure:obsValue ; sh:minInclusive 0 .
s:Share a sh:NodeShape ; sh:targetClass xjkg:Share ; sh:property s:percent .
s:percent sh:path sdmx-measure:obsValue ; sh:maxInclusive 100 .
s:County a sh:NodeShape ; sh:targetClass xjkg:County ; sh:property s:code .
s:code sh:path xjkg:divisionCode ; sh:pattern "^[0-9]{6}$" .
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> generate.Generated:
    path = tmp_path_factory.mktemp("bench") / "xjkg-10k.ttl"
    return generate.generate(10_000, seed=1, path=path, defect_every=50)


def test_generated_data_has_the_size_asked_for_and_parses(data: generate.Generated) -> None:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(data.path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == data.triples
    assert 10_000 <= data.triples < 10_100
    assert data.counts["figures"] > 100 and data.counts["villages"] > 100


@pytest.mark.parametrize("seed", [1, 7], ids=["seed-1", "seed-7"])
def test_generation_is_deterministic_by_seed(tmp_path: Path, seed: int) -> None:
    first = generate.generate(3_000, seed, tmp_path / "a.ttl")
    second = generate.generate(3_000, seed, tmp_path / "b.ttl")
    other = generate.generate(3_000, seed + 1, tmp_path / "c.ttl")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.path.read_bytes() != other.path.read_bytes()


def test_quotes_are_cut_from_the_report(data: generate.Generated) -> None:
    """Each span's exact quote is source[start:end], as in the built graph."""
    from xjkg.mapping.corpus import open_corpus
    from xjkg.text.source import load_report

    text = load_report(open_corpus().reports[0].source_file).text
    store = pyoxigraph.Store()
    store.bulk_load(path=str(data.path), format=pyoxigraph.RdfFormat.TURTLE)
    rows = list(
        store.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#>
            SELECT ?exact ?start ?end WHERE {
              ?span oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""
        )
    )
    assert len(rows) > 100
    for row in rows:
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value


def test_smoke_run_writes_well_formed_json(tmp_path: Path, data: generate.Generated) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    output = tmp_path / "result.json"
    argv = ["--sizes", "10k", "--repeat", "1", "--only", "load,query,validate,startup", "--no-stored"]
    argv += ["--data-dir", str(data.path.parent), "--shapes", str(shapes), "--validators", "xjkg,pyshacl"]
    assert run.main([*argv, "--output", str(output)]) == 0

    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["machine"]["nproc"] and result["machine"]["python"]
    by_key = {(m["part"], m["subject"], m["engine"]): m for m in result["measures"]}
    for engine in ("pyoxigraph", "rdflib"):
        assert by_key[("load", "open", engine)]["median"] > 0
        assert by_key[("query", "bench:sum-by-fund-type", engine)]["rows"] == 6
    assert by_key[("startup", "import rdflib", "python")]["maxrss_mb"] > 5
    # The defects the generator planted are found, and xjkg reports the same nodes as pyshacl.
    defects = {iri for iris in data.defects.values() for iri in iris}
    assert by_key[("validate", "validate", "pyshacl")]["rows"] == len(defects) >= 3
    compared = [c for c in result["comparisons"] if c["part"] == "validate"]
    assert compared and all(c["same"] for c in compared)
    assert all(c["same"] for c in result["comparisons"] if c["part"] == "query")


def test_an_engine_past_its_cap_is_killed_and_reported(data: generate.Generated) -> None:
    worker = run.Worker()
    try:
        opened = worker.request({"op": "open", "engine": "pyoxigraph", "data": str(data.path)}, 60)
        assert opened is not None and "error" not in opened
        # A three-way cross product of 10k triples: no engine counts 10^12 rows in a second.
        endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        answer = worker.request({"op": "query", "text": endless}, 1.0)
        assert answer is None
        assert worker.proc.poll() is not None  # killed, not left running
    finally:
        worker.close(kill=True)


def test_unknown_part_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        run.main(["--only", "load,nonsense"])
    assert exc.value.code == 2


def test_commands_smoke_run(tmp_path: Path) -> None:
    """bench/commands.py: one stored query in two formats and the small validation, one pair each."""
    import commands

    output = tmp_path / "commands.json"
    argv = ["--parts", "query,validate-small", "--queries", "administrative-units", "--formats", "json,csv"]
    assert commands.main([*argv, "--repeat", "1", "--output", str(output)]) == 0
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["machine"]["nproc"]
    pairs = {(p["part"], p["subject"]): p for p in result["pairs"]}
    assert set(pairs) == {
        ("query", "administrative-units -f json"),
        ("query", "administrative-units -f csv"),
        ("validate-small", "county-2010.ttl"),
    }
    for pair in pairs.values():
        assert pair["error"] is None
        assert len(pair["ratios"]) == 1 and pair["ratios"][0] > 0
        assert pair["verdict"] in ("met",) or pair["verdict"].startswith("missed by ")


def test_commands_baseline_prints_what_xjkg_prints(tmp_path: Path) -> None:
    """The query baseline answers the same rows as `xjkg query` (the comparison is of like with like)."""
    import subprocess

    import commands

    pairs = commands.query_pairs(commands.GRAPH_FILE, ["administrative-units"], ["json"], tmp_path)
    assert len(pairs) == 1
    ours = json.loads(subprocess.run(pairs[0].command, capture_output=True, check=True).stdout)
    theirs = json.loads(subprocess.run(pairs[0].baseline, capture_output=True, check=True).stdout)
    assert ours["head"]["vars"] == theirs["head"]["vars"]
    assert len(ours["results"]["bindings"]) == len(theirs["results"]["bindings"]) > 0
