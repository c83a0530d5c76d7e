"""`xjkg export`: every format re-parses to the same graphs, bytes are deterministic, writes are atomic,
no local path leaks, --lang drops nothing (issue 5)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg_sample import sample_graph
from xjkg.cli import main
from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import ID, PREFIXES, RDFS, XJKG
from xjkg.core.paths import ONTOLOGY_FILE
from xjkg.core.rdf import CATALOGUE_PREFIXES
from xjkg.publish import export as export_module
from xjkg.publish.export import CONTEXT_FILE, FORMATS, GRAPH_BASE, load_parts, read_graph, serialize

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ontology() -> Graph:
    # through the project's reader, as `xjkg export` reads it (it writes language tags in lower case)
    return read_graph(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def parts(ontology: Graph) -> dict[str, Graph]:
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . <https://w3id.org/xjkg/shapes#S> a sh:NodeShape ; "
        "sh:property [ sh:path <https://w3id.org/xjkg/ontology#partOf> ; sh:maxCount 1 ] , "
        "[ sh:path <https://w3id.org/xjkg/ontology#divisionCode> ; sh:maxCount 1 ] .",
        format="turtle",
    )
    return load_parts(["all"], graph=sample_graph(), ontology=ontology, shapes=shapes)


def _assert_same(expected: Graph, got: Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(
            "graphs differ\nmissing:\n"
            + only_expected.serialize(format="nt")
            + "\nextra:\n"
            + only_got.serialize(format="nt")
        )


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _reparse(data: bytes, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=data, format=FORMATS[fmt].rdflib)
    return dataset


@pytest.mark.slow
@pytest.mark.parametrize("lang", [None, "zh-Hans"], ids=["no-lang", "lang-zh"])
@pytest.mark.parametrize("fmt", list(FORMATS), ids=list(FORMATS))
def test_every_format_round_trips_to_the_same_graphs(parts: dict[str, Graph], fmt: str, lang: str | None) -> None:
    data = serialize(parts, fmt, lang=lang)
    back = _reparse(data, fmt)
    if FORMATS[fmt].quads:  # one named graph per part
        assert {str(g.identifier) for g in back.graphs() if len(g)} == {GRAPH_BASE + p for p in parts}
        for name, graph in parts.items():
            _assert_same(graph, back.graph(URIRef(GRAPH_BASE + name)))
    else:
        union = Graph()
        for graph in parts.values():
            union += graph
        _assert_same(union, _union(back))


def test_labels_in_every_language_survive_lang(parts: dict[str, Graph]) -> None:
    back = _reparse(serialize(parts, "jsonld", lang="zh-Hans"), "jsonld")
    labels = set(_union(back).objects(ID["county/luopu"], RDFS.label))
    assert labels == {Literal("Luopu County", lang="en"), Literal("洛浦县", lang="zh-Hans")}


def test_provenance_is_its_own_named_graph(parts: dict[str, Graph]) -> None:
    span = ID["span/100-117"]
    assert (span, None, None) in parts["provenance"]
    assert (ID["span/100-117/quote"], None, None) in parts["provenance"]
    assert (span, None, None) not in parts["data"]
    # the figure keeps its link to the span in the data graph
    assert (ID["figure/investment-2009"], None, span) in parts["data"]
    assert len(parts["data"]) + len(parts["provenance"]) == len(sample_graph())


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(FORMATS), ids=list(FORMATS))
def test_output_is_deterministic_and_declares_prefixes(parts: dict[str, Graph], fmt: str) -> None:
    first = serialize(parts, fmt)
    # rebuilding the graphs in another order must not change a byte
    shuffled = {name: Graph().parse(data=g.serialize(format="nt"), format="nt") for name, g in reversed(parts.items())}
    assert serialize({n: shuffled[n] for n in parts}, fmt) == first
    if fmt in ("turtle", "trig"):
        assert b"@prefix xjkg: <https://w3id.org/xjkg/ontology#> ." in first
    if fmt == "jsonld":
        assert json.loads(first)["@context"]["xjkg"] == PREFIXES["xjkg"]
    assert b"file:" not in first


@pytest.mark.slow
def test_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two processes with different hash seeds write the same bytes (sets and dicts order differently)."""
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests')\n"
        "from kg_sample import sample_graph\n"
        "from xjkg.publish.export import FORMATS, load_parts, serialize\n"
        "parts = load_parts(['all'], graph=sample_graph())\n"
        "for f in FORMATS: print(f, hashlib.sha256(serialize(parts, f)).hexdigest())\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == len(FORMATS)


def test_a_local_path_is_refused() -> None:
    graph = Graph()
    graph.add((URIRef("file:///home/someone/x.ttl"), RDFS.label, Literal("x")))
    with pytest.raises(XjkgError, match="local path"):
        serialize({"data": graph}, "turtle")


def test_the_shipped_context_holds_every_prefix() -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert context == CATALOGUE_PREFIXES
    assert not any(str(v).startswith("file:") for v in context.values())


@pytest.mark.parametrize(
    "failure", ["serializer", "fsync"], ids=["serializer-raises", "write-fails-after-bytes-written"]
)
def test_a_failed_export_leaves_the_previous_file_and_no_temp_file(
    parts: dict[str, Graph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    target = tmp_path / "out.ttl"
    export_module.export(target, "turtle", parts)
    before = target.read_bytes()
    if failure == "serializer":

        def broken(*args: object, **kwargs: object) -> bytes:
            raise RuntimeError("serializer broke")

        monkeypatch.setattr(Graph, "serialize", broken)
    else:

        def broken_fsync(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises((RuntimeError, OSError)):
        export_module.export(target, "turtle", {"data": parts["data"]})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


@pytest.mark.parametrize("fmt", ["nquads", "turtle", "jsonld"], ids=["nquads", "turtle", "jsonld"])
def test_cli_exports_the_ontology(tmp_path: Path, ontology: Graph, fmt: str) -> None:
    out = tmp_path / f"o.{FORMATS[fmt].extension}"
    assert main(["export", "--format", fmt, "--part", "ontology", "--output", str(out)]) == 0
    back = _reparse(out.read_bytes(), fmt)
    _assert_same(ontology, _union(back))
    assert (URIRef("https://w3id.org/xjkg/ontology"), None, None) in _union(back)


def test_cli_picks_the_format_from_the_extension_and_a_folder_name(tmp_path: Path) -> None:
    assert main(["export", "--part", "ontology", "--output", str(tmp_path / "o.nt")]) == 0
    assert (tmp_path / "o.nt").read_bytes().splitlines()[1].startswith(b"<")
    assert main(["export", "--part", "ontology", "--format", "trig", "--output", str(tmp_path)]) == 0
    assert (tmp_path / "ontology.trig").is_file()


@pytest.mark.parametrize(
    "argv",
    [["--part", "nothing"], ["--lang", "not a tag", "--part", "ontology"]],
    ids=["bad-part", "bad-lang"],
)
def test_cli_bad_input_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_classes_of_the_ontology_are_exported(parts: dict[str, Graph]) -> None:
    assert (XJKG.County, None, None) in parts["ontology"]
    assert hashlib.sha256(serialize(parts, "ntriples")).hexdigest()  # non-empty, parseable above
