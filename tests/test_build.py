"""The build: provenance integrity, values read from the text, determinism, atomic writes, mapping errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from xjkg.build import build as build_module
from xjkg.build.build import build, serialize
from xjkg.cli import main
from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import OA, PROV, RDF, SDMX_MEASURE, XJKG
from xjkg.core.paths import DATA_DIR, GRAPH_FILE
from xjkg.mapping.corpus import open_corpus
from xjkg.text.extract import extract

REPORT_ID = "iprcc-xinjiang-2009"
SOURCE_FILE = open_corpus().report(REPORT_ID).source_file
TEXT = SOURCE_FILE.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_selector_quotes_the_source(built: Graph) -> None:
    """source[start:end] equals the quote, for every span of the graph."""
    spans = list(built.subjects(RDF.type, XJKG.ReportSpan))
    assert len(spans) > 100
    for span in spans:
        selectors = list(built.objects(span, OA.hasSelector))
        exact = next(built.value(s, OA.exact) for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in built)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in built)
        start, end = int(built.value(position, OA.start)), int(built.value(position, OA.end))
        assert TEXT[start:end] == str(exact), span
        prefix = next(built.value(s, OA.prefix) for s in selectors if (s, OA.prefix, None) in built)
        assert TEXT[:start].endswith(str(prefix))


def test_every_reported_figure_is_read_from_its_span(built: Graph) -> None:
    """The value in the graph is what the extractor reads at the figure's span: never retyped."""
    figures = list(built.subjects(RDF.type, XJKG.ReportedFigure))
    assert len(figures) >= 80
    for figure in figures:
        span = built.value(figure, XJKG.figureSpan)
        assert built.value(figure, PROV.wasDerivedFrom) is not None
        exact = str(
            next(built.value(s, OA.exact) for s in built.objects(span, OA.hasSelector) if (s, OA.exact, None) in built)
        )
        (mention,) = [m for m in extract(exact) if m.is_quantity]
        assert Decimal(str(built.value(figure, SDMX_MEASURE.obsValue))) == mention.value, figure
        assert (figure, PROV.wasAttributedTo, URIRef("https://w3id.org/xjkg/id/report/iprcc-xinjiang-2009")) in built


def test_derived_figures_name_their_inputs_and_are_not_reported(built: Graph) -> None:
    derived = list(built.subjects(RDF.type, XJKG.DerivedFigure))
    assert derived
    for figure in derived:
        assert (figure, RDF.type, XJKG.ReportedFigure) not in built
        inputs = list(built.objects(figure, PROV.wasDerivedFrom))
        assert inputs and all((i, RDF.type, XJKG.ReportedFigure) in built for i in inputs)
        assert built.value(figure, XJKG.derivation) is not None


def test_entities_of_the_report_cite_it(built: Graph) -> None:
    for cls in (XJKG.Program, XJKG.TargetArea):
        for entity in built.subjects(RDF.type, cls):
            assert built.value(entity, PROV.wasDerivedFrom) is not None, entity


def test_no_blank_nodes(built: Graph) -> None:
    assert not [t for t in built for term in t if not isinstance(term, (URIRef, Literal))]


@pytest.mark.slow
def test_two_builds_give_the_same_bytes() -> None:
    assert serialize(build().graph) == serialize(build().graph)


@pytest.mark.slow
def test_committed_graph_is_the_build(built: Graph) -> None:
    """data/xjkg.ttl is what the build makes now (compared as graphs; the diff is printed on failure)."""
    committed = Graph().parse(GRAPH_FILE, format="turtle")
    if not isomorphic(committed, built):
        _, only_committed, only_built = graph_diff(to_isomorphic(committed), to_isomorphic(built))
        pytest.fail(
            "data/xjkg.ttl is stale; run `xjkg build`.\nonly in the file:\n"
            + "\n".join(sorted(f"{t}" for t in only_committed)[:20])
            + "\nonly in the build:\n"
            + "\n".join(sorted(f"{t}" for t in only_built)[:20])
        )


@pytest.mark.slow
def test_build_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed build leaves the previous file as it was, and no temporary file behind."""
    out = tmp_path / "xjkg.ttl"
    out.write_bytes(b"previous")

    def broken(graph: Graph, *, draft: bool = False) -> bytes:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "serialize", broken)
    with pytest.raises(RuntimeError):
        main(["build", "--output", str(out)])
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xjkg.ttl", "xjkg.ttl.lock"]


@pytest.mark.slow
def test_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    """A killed run leaves its temporary file; the next run (holding the lock) removes it."""
    out = tmp_path / "graph.ttl"
    (tmp_path / ".graph.ttl.x1y2.tmp").write_bytes(b"half a graph")
    (tmp_path / ".other.ttl.x1y2.tmp").write_bytes(b"not ours")
    assert main(["build", "--output", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.ttl.x1y2.tmp", "graph.ttl", "graph.ttl.lock"]


@pytest.mark.slow
def test_build_command_writes_the_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "graph.ttl"
    assert main(["build", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "0 unmapped" in printed and "conforms" in printed
    assert out.read_bytes() == GRAPH_FILE.read_bytes()


def test_a_second_build_at_the_same_time_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from filelock import FileLock

    out = tmp_path / "graph.ttl"
    with FileLock(str(out) + ".lock"):
        assert main(["build", "--output", str(out)]) == 3
    assert "lock" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_installed_console_script() -> None:
    script = Path(sys.executable).with_name("xjkg")
    assert script.exists(), "the console script is not installed (pip install -e .)"
    done = subprocess.run([str(script), "coverage", "--unmapped"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "iprcc-xinjiang-2009: 125 numbers: 5 entity, 11 enumerator, 22 excluded, 87 figure"


# ---- mapping errors: each names the file, the line and the entry ---------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the corpus's reports to break (the shipped vocabularies are read as they are); the mapping folder."""
    shutil.copytree(DATA_DIR / "reports", tmp_path / "corpus" / "reports")
    return tmp_path / "corpus" / "reports" / REPORT_ID / "mapping"


def _root(workspace: Path) -> Path:
    return workspace.parent.parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ERRORS = [
    pytest.param(
        "figures/07-social.yaml",
        'quote: "241 clinics"',
        'quote: "241 hospitals"',
        "quote not found in the report",
        id="quote-not-found",
    ),
    pytest.param(
        "figures/07-social.yaml", 'quote: "241 clinics"', 'quote: "key counties"', "stands 6 times", id="quote-twice"
    ),
    pytest.param(
        "figures/07-social.yaml",
        'quote: "241 clinics"',
        'quote: "241 clinics and 212 cultural rooms"',
        "exactly one quantity",
        id="quote-without-its-quantity",
    ),
    pytest.param(
        "figures/07-social.yaml",
        "    indicator: indicator/clinics-built\n",
        "    indicator: indicator/clinics-built\n    colour: blue\n",
        "unknown key(s) colour",
        id="unknown-key",
    ),
    pytest.param(
        "figures/07-social.yaml",
        "indicator: indicator/clinics-built",
        "indicator: indicator/hospitals-built",
        "which no entity of the mapping or vocab/ defines",
        id="undefined-reference",
    ),
    pytest.param(
        "figures/08-measures.yaml",
        '  - quote: "“four bases” – grain base"\n    reason: "“Four bases” names the grain, cotton, fruit '
        'and animal husbandry bases, not a quantity."\n',
        "",
        "neither mapped nor excluded",
        id="unmapped-number",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("file", "old", "new", "message"), ERRORS)
def test_mapping_error_names_file_line_and_entry(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    old: str,
    new: str,
    message: str,
) -> None:
    _edit(workspace / file, old, new)
    with pytest.raises(XjkgError) as caught:
        build(_root(workspace))
    text = str(caught.value)
    assert message in text
    if message != "neither mapped nor excluded":
        assert f"{workspace / file}:" in text and "entry '" in text


def test_changed_source_is_refused(workspace: Path) -> None:
    report = workspace.parent / SOURCE_FILE.name
    report.write_bytes(report.read_bytes().replace(b"2.61 billion", b"2.62 billion"))
    with pytest.raises(XjkgError, match="the report has changed"):
        build(_root(workspace))


@pytest.mark.slow
def test_cli_reports_mapping_errors_without_traceback(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(workspace / "figures/07-social.yaml", 'quote: "241 clinics"', 'quote: "241 hospitals"')
    assert main(["build", "--check", "--corpus", str(_root(workspace))]) == 2
    err = capsys.readouterr().err
    assert "07-social.yaml:" in err and "Traceback" not in err
