"""What one command may read is bounded (issue 11, item 7): ``--max-bytes`` and ``--max-triples``.

Memory grows with the triples read (README "Robustness" has the measured factors), so the reader stops
as soon as the triple limit is passed, and both limits hold for all the files of a command together.
No memory or timing is asserted here: only that the limits refuse, with one line naming the option.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from xjkg.cli import main
from xjkg.core.readers import TooManyTriplesError, read_rdf, read_rdf_text


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith("xjkg validate: error: "), err
    return err


def _objects(n: int) -> bytes:
    """``n`` triples in 3 bytes each: a Turtle object list, the cheapest triples a file can hold."""
    return b"<http://e.org/s> <http://e.org/p> " + b",".join(b"%d" % i for i in range(n)) + b" .\n"


def test_max_bytes_refuses_an_oversized_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "big.ttl"
    data.write_bytes(_objects(100))
    assert main(["validate", "--no-graph", "--max-bytes", "100", str(data)]) == 2
    err = _error(capsys)
    assert str(data) in err and "--max-bytes" in err and f"{data.stat().st_size:,} bytes" in err


def test_max_bytes_holds_for_the_files_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for name in ("a.ttl", "b.ttl"):
        files.append(tmp_path / name)
        files[-1].write_bytes(_objects(10))
    size = files[0].stat().st_size
    assert main(["validate", "--no-graph", "--max-bytes", str(size + 1), *map(str, files)]) == 2
    assert "together" in _error(capsys)
    assert main(["validate", "--no-graph", "--max-bytes", str(2 * size), *map(str, files)]) == 0


@pytest.mark.parametrize("files", [1, 2], ids=["one-file", "two-files"])
def test_max_triples_refuses_and_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: int
) -> None:
    paths = []
    for i in range(files):
        paths.append(tmp_path / f"{i}.ttl")
        paths[-1].write_bytes(_objects(6 // files))
    assert main(["validate", "--no-graph", "--max-triples", "5", *map(str, paths)]) == 2
    err = _error(capsys)
    assert f"{paths[-1]}: more than 5 triples" in err and "--max-triples" in err
    assert main(["validate", "--no-graph", "--max-triples", "6", *map(str, paths)]) == 0


def test_the_reader_stops_at_the_limit_not_after(tmp_path: Path) -> None:
    data = tmp_path / "many.ttl"
    data.write_bytes(_objects(50_000))
    graph = Graph()
    with pytest.raises(TooManyTriplesError) as caught:
        read_rdf(data, max_triples=10, graph=graph)
    assert caught.value.exit_code == 2
    assert len(graph) == 10  # nothing past the limit was kept
    assert len(read_rdf(data, max_triples=50_000)) == 50_000


def test_the_limit_holds_for_json_ld() -> None:
    document = b'{"@id": "http://e.org/s", "http://e.org/p": [1, 2, 3, 4]}'
    assert len(read_rdf_text(document, "json-ld", max_triples=4)) == 4
    with pytest.raises(TooManyTriplesError):
        read_rdf_text(document, "json-ld", max_triples=3)


@pytest.mark.parametrize("option", ["--max-bytes", "--max-triples"])
def test_a_limit_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str) -> None:
    data = tmp_path / "a.ttl"
    data.write_bytes(_objects(1))
    assert main(["validate", "--no-graph", option, "0", str(data)]) == 2
    assert "must be positive" in _error(capsys)
