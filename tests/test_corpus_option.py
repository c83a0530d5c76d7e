"""``--corpus DIR`` on the commands that read a corpus's built graph: query, validate, serve, export, docs (issue 12).

The corpus here is a folder whose ``xjkg.ttl`` is the small graph of ``tests/server_graph.py``: anything these
commands find in it (a comment with markup, a road-building program) is absent from the project's graph, so
each test shows which graph the command read.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from server_graph import GRAPH, live_server
from xjkg.cli import main

VALIDATE_EXAMPLE = Path(__file__).parent / "data" / "validate" / "county-2010.ttl"
COMMENT = "A <script>alert(1)</script> & friends"  # only in the small graph
ASK = f'ASK {{ ?s <http://www.w3.org/2000/01/rdf-schema#comment> "{COMMENT}" }}'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "my-corpus"
    folder.mkdir()
    (folder / "xjkg.ttl").write_text(GRAPH, encoding="utf-8")
    return folder


def _ask(tmp_path: Path, *source: str) -> bool:
    query = tmp_path / "ask.rq"
    query.write_text(ASK, encoding="utf-8")
    out = tmp_path / "answer.json"
    assert main(["query", str(query), "-f", "json", "-o", str(out), *source]) == 0
    return bool(json.loads(out.read_text(encoding="utf-8"))["boolean"])


def test_query_reads_the_corpus_graph(corpus: Path, tmp_path: Path) -> None:
    assert _ask(tmp_path, "--corpus", str(corpus)) is True
    assert _ask(tmp_path) is False  # the project's graph


def test_query_corpus_and_data_exclude_each_other(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "reports", "--corpus", str(corpus), "--data", str(corpus / "xjkg.ttl")]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["query", "reports"], ["validate", str(VALIDATE_EXAMPLE)], ["docs", "-o"]])
def test_a_missing_or_unbuilt_corpus_is_named(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*command, str(tmp_path / "docs")] if command[-1] == "-o" else command
    assert main([*args, "--corpus", str(tmp_path / "nowhere")]) == 2
    assert f"{tmp_path / 'nowhere'}: --corpus names no folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([*args, "--corpus", str(empty)]) == 2
    assert f"run `xjkg build --corpus {empty}`" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()  # refused before anything was written


def _messages(report: Path) -> set[str]:
    return {r["message"].split(" (")[0] for r in json.loads(report.read_text(encoding="utf-8"))["results"]}


@pytest.mark.slow
def test_validate_uses_the_corpus_graph_as_background(corpus: Path, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    main(["validate", str(VALIDATE_EXAMPLE), "--format", "json", "-o", str(ours)])
    main(["validate", str(VALIDATE_EXAMPLE), "--corpus", str(corpus), "--format", "json", "-o", str(theirs)])
    # The small graph has no fund types or beneficiary groups: the example's references to them dangle there.
    missing = _messages(theirs) - _messages(ours)
    assert any(m.startswith("An allocation is of at most one fund type") for m in missing), missing
    assert any(m.startswith("Who or what a figure counts is a concept") for m in missing), missing


def test_validate_never_writes_into_the_corpus(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    target = corpus / "report.json"
    assert main(["validate", str(VALIDATE_EXAMPLE), "--corpus", str(corpus), "-o", str(target)]) == 2
    assert "validation never writes into" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_validate_corpus_contradicts_no_graph(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALIDATE_EXAMPLE), "--corpus", str(corpus), "--no-graph"]) == 2
    assert "give one of them" in capsys.readouterr().err


def test_export_reads_the_corpus_graph(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "data.ttl"
    assert main(["export", "--part", "data", "--corpus", str(corpus), "-o", str(out)]) == 0
    exported = Graph().parse(out)
    assert (URIRef("https://w3id.org/xjkg/id/county/luopu"), RDFS.comment, Literal(COMMENT)) in exported


@pytest.mark.slow
def test_docs_take_their_examples_from_the_corpus_graph(corpus: Path, tmp_path: Path) -> None:
    assert main(["docs", "-o", str(tmp_path / "theirs"), "--corpus", str(corpus)]) == 0
    assert main(["docs", "-o", str(tmp_path / "ours")]) == 0
    assert "Road building" in (tmp_path / "theirs" / "index.html").read_text(encoding="utf-8")
    assert "Road building" not in (tmp_path / "ours" / "index.html").read_text(encoding="utf-8")


@pytest.mark.server
@pytest.mark.slow
def test_serve_answers_from_the_corpus_graph(corpus: Path, tmp_path: Path) -> None:
    with live_server(corpus / "xjkg.ttl", tmp_path / "serve.log", corpus=True) as live:
        url = live.url + "sparql?" + urllib.parse.urlencode({"query": ASK})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["boolean"] is True
