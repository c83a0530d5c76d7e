"""``xjkg validate`` and :func:`xjkg.validation.validate.validate_graph`: exit codes, output formats, background, and a
realistic new-data file (Luopu County's 2010 figures) that conforms, with realistic mistakes that do not.

These tests use the small shapes in ``data/validate/shapes-mini.ttl`` so that they check the command,
not the evolving project shapes (those have their own example-pair tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from xjkg.cli import main
from xjkg.core import paths
from xjkg.core.namespaces import ID, RDF, SH
from xjkg.core.readers import read_rdf
from xjkg.validation.validate import validate_graph

DATA = Path(__file__).parent / "data" / "validate"
SHAPES = DATA / "shapes-mini.ttl"
COUNTY = DATA / "county-2010.ttl"
TEST = "https://w3id.org/xjkg/test-shapes#"
LUOPU_TTL = """@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
<https://w3id.org/xjkg/id/county/luopu> a xjkg:County ; xjkg:divisionCode "653224" .
"""


@pytest.fixture
def built_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for data/xjkg.ttl that knows Luopu County (the real graph is the build's business)."""
    path = tmp_path / "built" / "xjkg.ttl"
    path.parent.mkdir()
    path.write_text(LUOPU_TTL, encoding="utf-8")
    monkeypatch.setattr(paths, "GRAPH_FILE", path)
    return path


def _without_luopu(tmp_path: Path) -> Path:
    """The county file without its own description of Luopu: it must come from the built graph."""
    text = COUNTY.read_text(encoding="utf-8")
    start = text.index("county:luopu a xjkg:County")
    end = text.index("\n\n", start)
    path = tmp_path / "luopu-figures-2010.ttl"
    path.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    return path


def _mistake(tmp_path: Path, old: str, new: str) -> Path:
    text = COUNTY.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "county-2010-with-mistake.ttl"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_county_2010_conforms(built_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(COUNTY), "--shapes", str(SHAPES)]) == 0
    out = capsys.readouterr().out
    assert "0 violation(s), 0 warning(s)" in out and "Conforms: exit 0." in out


# Realistic mistakes: (old text, new text, the shape that must fail, the focus node, constraint components).
MISTAKES = {
    "negative-count": (
        "sdmx-measure:obsValue 84 ;",
        "sdmx-measure:obsValue -84 ;",
        "FigureValueShape",
        "figure/luopu-2010-impoverished-villages",
        "MinInclusiveConstraintComponent",
    ),
    "five-digit-division-code": (
        'xjkg:divisionCode "653224"',
        'xjkg:divisionCode "65322"',
        "DivisionCodeShape",
        "county/luopu",
        # The built graph already states "653224": now Luopu has two codes, and one is malformed.
        "MaxCountConstraintComponent PatternConstraintComponent",
    ),
    "unit-forgotten": (
        "sdmx-measure:obsValue 48500000.00 ;\n    sdmx-attribute:unitMeasure cur:CNY ;",
        "sdmx-measure:obsValue 48500000.00 ;",
        "FigureUnitShape",
        "figure/luopu-2010-financial-funds",
        "MinCountConstraintComponent",
    ),
    "area-is-a-period": (
        "refArea county:luopu ;\n    sdmx-dimension:refPeriod period:2010 ;\n    sdmx-measure:obsValue 30.9",
        "refArea period:2010 ;\n    sdmx-dimension:refPeriod period:2010 ;\n    sdmx-measure:obsValue 30.9",
        "FigureAreaShape",
        "figure/luopu-2010-poverty-rate",
        "ClassConstraintComponent",
    ),
    "value-given-twice": (
        "sdmx-measure:obsValue 61350 ;",
        "sdmx-measure:obsValue 61350, 61530 ;",
        "FigureValueShape",
        "figure/luopu-2010-poor-population",
        "MaxCountConstraintComponent",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES), ids=list(MISTAKES))
def test_county_2010_mistakes_fail_on_that_shape_and_node(tmp_path: Path, built_graph: Path, case: str) -> None:
    old, new, shape, focus, component = MISTAKES[case]
    outcome = validate_graph(read_rdf(_mistake(tmp_path, old, new)), shapes=SHAPES, background=read_rdf(built_graph))
    assert not outcome.conforms
    violations = [r for r in outcome.results if r.severity == "Violation"]
    assert sorted((str(r.parent_shape), r.focus_node, str(r.constraint)) for r in violations) == [
        (TEST + shape, ID[focus], str(SH) + c) for c in component.split()
    ]


def test_new_data_may_refer_to_the_built_graph(
    tmp_path: Path, built_graph: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Luopu is described only in the built graph: fine by default, a violation with --no-graph."""
    path = _without_luopu(tmp_path)
    assert main(["validate", str(path), "--shapes", str(SHAPES)]) == 0
    assert "built graph as background" in capsys.readouterr().out
    assert main(["validate", str(path), "--shapes", str(SHAPES), "--no-graph", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {r["constraint"]["value"] for r in report["results"]} == {str(SH.ClassConstraintComponent)}
    assert report["counts"]["Violation"] == 4  # the four figures point at a county nobody describes


def test_results_are_reported_only_for_the_new_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken node in the background is not the new file's fault; the same node in the file is."""
    built = tmp_path / "xjkg.ttl"
    built.write_text(LUOPU_TTL.replace('"653224"', '"6532"'), encoding="utf-8")
    monkeypatch.setattr(paths, "GRAPH_FILE", built)
    other = tmp_path / "other.ttl"
    other.write_text("<http://e/a> <http://e/b> <http://e/c> .", encoding="utf-8")
    assert main(["validate", str(other), "--shapes", str(SHAPES)]) == 0
    assert main(["validate", str(COUNTY), "--shapes", str(SHAPES)]) == 1  # it states Luopu's code too


def test_warnings_do_not_fail(tmp_path: Path, built_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _mistake(tmp_path, 'rdfs:label "impoverished villages in Luopu County, 2010"@en ;', "")
    assert main(["validate", str(path), "--shapes", str(SHAPES)]) == 0
    out = capsys.readouterr().out
    assert "Warning: rdfs:label" in out
    assert "0 violation(s), 1 warning(s)" in out and "warnings and infos do not stop data from conforming" in out


def test_text_output_is_grouped_by_focus_node(
    tmp_path: Path, built_graph: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mistake(tmp_path, "sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue -84 ;")
    assert main(["validate", str(path), "--shapes", str(SHAPES)]) == 1
    out = capsys.readouterr().out
    block = out.split("\n\n")[1].splitlines()
    assert block == [
        "figure:luopu-2010-impoverished-villages",  # the file's own prefix
        '  Violation: sdmx-measure:obsValue = "-84"^^xsd:integer',
        "    A figure has exactly one value, and amounts and counts are never negative.",
        "    shape test:FigureValueShape, its property shape for sdmx-measure:obsValue (MinInclusive)",
    ]
    assert "Summary: 1 violation(s), 0 warning(s), 0 info(s) on 1 focus node(s)" in out
    assert "Does not conform" in out


def test_turtle_output_is_a_standard_report(
    tmp_path: Path, built_graph: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mistake(tmp_path, "sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue -84 ;")
    assert main(["validate", str(path), "--shapes", str(SHAPES), "--format", "turtle"]) == 1
    report = Graph().parse(data=capsys.readouterr().out, format="turtle")
    root = report.value(None, RDF.type, SH.ValidationReport)
    assert root is not None and report.value(root, SH.conforms).toPython() is False
    results = list(report.objects(root, SH.result))
    assert len(results) == 1
    assert report.value(results[0], SH.focusNode) == ID["figure/luopu-2010-impoverished-villages"]


def test_json_output_and_atomic_file(tmp_path: Path, built_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()  # an output goes into an existing folder (issue 11: none is made silently)
    assert main(["validate", str(COUNTY), "--shapes", str(SHAPES), "--format", "json", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["results"] == [] and report["triples"] == 62
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]  # no temporary file left


def test_validation_never_writes_into_data(built_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = paths.resource_dir("data") / "report.txt"
    assert main(["validate", str(COUNTY), "--shapes", str(SHAPES), "--output", str(target)]) == 2
    assert "never writes into" in capsys.readouterr().err
    assert not target.exists()


def test_shapes_in_the_data_are_ignored(tmp_path: Path, built_graph: Path) -> None:
    """The sender does not choose the rules: a shape in the data file that every node fails is not used."""
    path = tmp_path / "sneaky.ttl"
    path.write_text(
        COUNTY.read_text(encoding="utf-8") + "\n<urn:x:shape> a <http://www.w3.org/ns/shacl#NodeShape> ;"
        " <http://www.w3.org/ns/shacl#targetNode> county:luopu ;"
        " <http://www.w3.org/ns/shacl#maxCount> 0 ; <http://www.w3.org/ns/shacl#path> rdfs:label .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "--shapes", str(SHAPES)]) == 0


def test_unknown_format_and_missing_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(COUNTY), "--input-format", "csv", "--no-graph", "--shapes", str(SHAPES)]) == 2
    assert "unknown input format 'csv'" in capsys.readouterr().err
    assert main(["validate", str(COUNTY), "--no-graph", "--shapes", str(tmp_path / "none.ttl")]) == 2
    assert "none.ttl: the shapes file is missing" in capsys.readouterr().err


def test_several_files_are_validated_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The county in one file, its figures in another: together they conform."""
    luopu = tmp_path / "luopu.nt"
    luopu.write_text(read_rdf(COUNTY).serialize(format="nt"), encoding="utf-8")
    assert main(["validate", str(_without_luopu(tmp_path)), str(luopu), "--shapes", str(SHAPES), "--no-graph"]) == 0


def test_report_sentence_of_our_own_figures() -> None:
    """A figure of our graph derived from a report span: the result carries the span's sentence."""
    data = read_rdf(COUNTY)
    extra = read_rdf(DATA / "provenance.ttl")
    outcome = validate_graph(data + extra, shapes=SHAPES)
    [result] = [r for r in outcome.results if r.focus_node == URIRef(ID["figure/overview/poor-population"])]
    assert result.sentence is not None and result.sentence.number == 7
    assert result.sentence.text.startswith("As of the end of 2008")


@pytest.mark.slow
def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("xjkg", path=str(Path(sys.executable).parent)) or shutil.which("xjkg")
    assert script is not None, "the xjkg console script is not installed"
    path = _mistake(tmp_path, "sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue -84 ;")
    run = subprocess.run(
        [script, "validate", str(path), "--shapes", str(SHAPES), "--no-graph", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["counts"]["Violation"] == 1
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e/a> <http://e/b> .\n", encoding="utf-8")
    run = subprocess.run([script, "validate", str(bad), "--no-graph"], capture_output=True, text=True, check=False)
    assert run.returncode == 2 and run.stderr.startswith(f"xjkg validate: error: {bad}:1:")
    assert "Traceback" not in run.stderr
