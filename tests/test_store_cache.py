"""The persistent store cache of ``xjkg query`` (issue 14, target 5): reused while the graph file is
unchanged, rebuilt when it changes, safe with two processes at once, off with ``--no-cache``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xjkg.query.store_cache import open_graph

GRAPH = """@prefix ex: <https://example.org/> .
ex:a ex:label "first" .
ex:b ex:label "second" .
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(store: object) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)  # type: ignore[attr-defined]


def _stores(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "stores").iterdir() if p.is_dir())


def test_built_once_reused_and_rebuilt_when_the_file_changes(tmp_path: Path) -> None:
    graph, cache = tmp_path / "g.ttl", tmp_path / "cache"
    graph.write_text(GRAPH, encoding="utf-8")
    store, triples = open_graph(graph, cache=cache, min_bytes=0)
    assert (triples, _count(store)) == (2, 2)
    (built,) = _stores(cache)
    marker = next(built.glob("xjkg-store-complete"))
    del store
    store, triples = open_graph(graph, cache=cache, min_bytes=0)
    assert triples == 2 and _count(store) == 2
    assert _stores(cache) == [built] and next(built.glob("xjkg-store-complete")).stat().st_ino == marker.stat().st_ino
    del store

    graph.write_text(GRAPH + 'ex:c ex:label "third" .\n', encoding="utf-8")
    store, triples = open_graph(graph, cache=cache, min_bytes=0)
    assert (triples, _count(store)) == (3, 3)
    (rebuilt,) = _stores(cache)  # the superseded store was removed
    assert rebuilt != built
    assert not list((cache / "stores").glob("*.tmp-*"))


def test_small_files_and_the_switch_bypass_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph, cache = tmp_path / "g.ttl", tmp_path / "cache"
    graph.write_text(GRAPH, encoding="utf-8")
    store, triples = open_graph(graph, cache=cache)  # far below the default size limit
    assert triples == 2 and not cache.exists()
    monkeypatch.setenv("XJKG_STORE_CACHE", "0")
    store, triples = open_graph(graph, cache=cache, min_bytes=0)
    assert _count(store) == 2 and not cache.exists()


def test_bad_turtle_is_an_error_and_leaves_no_store(tmp_path: Path) -> None:
    graph, cache = tmp_path / "g.ttl", tmp_path / "cache"
    graph.write_text(GRAPH + "ex:c ex:label .\n", encoding="utf-8")
    with pytest.raises(SyntaxError):
        open_graph(graph, cache=cache, min_bytes=0)
    assert not [p for p in (cache / "stores").iterdir() if p.is_dir()]


_OPENER = """
import sys
from pathlib import Path
from xjkg.query.store_cache import open_graph
store, n = open_graph(sys.argv[1], cache=Path(sys.argv[2]), min_bytes=0)
print(n, len(list(store.quads_for_pattern(None, None, None))))
"""


def test_two_processes_at_once_build_one_store(tmp_path: Path) -> None:
    graph, cache = tmp_path / "g.ttl", tmp_path / "cache"
    lines = [f'<https://example.org/s{i}> <https://example.org/p> "{i}" .' for i in range(20_000)]
    graph.write_text("\n".join(lines) + "\n", encoding="utf-8")
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPENER, str(graph), str(cache)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert outputs == [["20000", "20000"]] * 3
    assert len(_stores(cache)) == 1
    assert not list((cache / "stores").glob("*.tmp-*"))


def test_query_command_uses_and_refreshes_the_cache(tmp_path: Path) -> None:
    graph, cache = tmp_path / "g.ttl", tmp_path / "cache"
    graph.write_text(GRAPH, encoding="utf-8")
    env = {**os.environ, "XJKG_CACHE_DIR": str(cache), "XJKG_STORE_CACHE_MIN_BYTES": "0"}
    query = tmp_path / "count.rq"
    query.write_text(COUNT, encoding="utf-8")

    def run(*extra: str) -> int:
        done = subprocess.run(
            [sys.executable, "-m", "xjkg", "query", str(query), "--data", str(graph), "-f", "json", *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        return int(json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"])

    assert run() == 2 and len(_stores(cache)) == 1
    assert run() == 2
    graph.write_text(GRAPH + 'ex:c ex:label "third" .\n', encoding="utf-8")
    assert run() == 3
    graph.write_text(GRAPH, encoding="utf-8")
    (before,) = _stores(cache)
    assert run("--no-cache") == 2
    assert _stores(cache) == [before]  # --no-cache neither reads nor writes the cache
