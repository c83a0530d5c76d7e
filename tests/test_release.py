"""`xjkg release`: one folder, every file re-parses to its graph, checksums, diff, atomic (issue 5)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg_sample import sample_graph
from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import ID, RDFS
from xjkg.publish import release as release_module
from xjkg.publish.export import split_text
from xjkg.publish.release import release

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)


def _union(path: Path, fmt: str) -> Graph:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


@pytest.fixture()
def first(tmp_path: Path) -> Path:
    folder = tmp_path / "release"
    release(folder, graph=sample_graph(), validate=False, release_date=date(2024, 5, 1))
    return folder


@pytest.mark.parametrize(
    "name,fmt",
    [("xjkg.ttl", "turtle"), ("xjkg.nt", "nt"), ("xjkg.jsonld", "json-ld"), ("xjkg.trig", "trig")],
    ids=["turtle", "ntriples", "jsonld", "trig"],
)
def test_every_graph_file_reparses_to_the_graph(first: Path, name: str, fmt: str) -> None:
    """Each file holds the graph's facts, the same in every format (the report's text is left out)."""
    facts, _ = split_text(sample_graph())
    assert isomorphic(_union(first / name, fmt), facts)


def test_checksums_list_every_file(first: Path) -> None:
    listed = {}
    for line in (first / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    assert {
        "catalog.ttl",
        "ontology.ttl",
        "shapes.ttl",
        "docs/index.html",
        "CHANGELOG.md",
        "diff/added.nt",
        "README.md",
        "LICENSE",
    } <= files
    for name, digest in listed.items():
        assert hashlib.sha256((first / name).read_bytes()).hexdigest() == digest
    assert b"file:" not in b"".join((first / n).read_bytes() for n in files)


def test_second_release_records_the_diff_and_keeps_history(first: Path) -> None:
    changed = sample_graph()
    changed.remove((ID["county/luopu"], RDFS.label, Literal("Luopu County", lang="en")))
    changed.add((ID["county/luopu"], RDFS.label, Literal("Lop County", lang="en")))
    result = release(first, graph=changed, validate=False, release_date=date(2024, 6, 1))
    assert len(result.diff.added) == 1 and "Lop County" in result.diff.added[0]
    assert len(result.diff.removed) == 1 and "Luopu County" in result.diff.removed[0]
    assert (first / "diff" / "added.nt").read_text().count("\n") == 1
    log = (first / "CHANGELOG.md").read_text()
    assert "0.1.0 (2024-06-01)" in log and "0.1.0 (2024-05-01)" in log
    catalog = Graph().parse(first / "catalog.ttl")
    assert Literal(date(2024, 5, 1)) in set(catalog.objects(None, URIRef("http://purl.org/dc/terms/issued")))


def test_a_graph_that_does_not_conform_writes_nothing(first: Path) -> None:
    before = (first / "SHA256SUMS").read_bytes()
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:s> a sh:NodeShape ; "
        "sh:targetClass <https://w3id.org/xjkg/ontology#County> ; "
        "sh:property [ sh:path <urn:must> ; sh:minCount 1 ] .",
        format="turtle",
    )
    with pytest.raises(XjkgError) as caught:
        release(first, graph=sample_graph(), shapes=shapes, release_date=date(2024, 7, 1))
    assert caught.value.exit_code == 1
    assert (first / "SHA256SUMS").read_bytes() == before
    assert sorted(p.name for p in first.parent.iterdir()) == ["release", "release.lock"]


def test_a_release_failing_midway_leaves_the_previous_one(first: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> Graph:
        raise RuntimeError("metadata broke")

    monkeypatch.setattr(release_module, "build_metadata", broken)
    with pytest.raises(RuntimeError):
        release(first, graph=sample_graph(), validate=False, release_date=date(2024, 7, 1))
    assert {p: p.read_bytes() for p in first.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in first.parent.iterdir()) == ["release", "release.lock"]
