"""Two runs at once do not corrupt each other (issue 8, part 5): the lock, its message, and the output.

A first ``xjkg build`` (or ``release``) is held inside its locked section by the crash driver's gate
(``tests/crash_points.py gate``); a second, real one started meanwhile is refused with exit 3 and one
clear line naming the output and the lock, and the first then finishes and writes a whole output.
Two real builds started at the same instant, and two exports to the same file, end with one whole output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from kg_sample import sample_graph
from test_kill import DRIVER, PREVIOUS, checksums_hold, tree
from xjkg.core.paths import GRAPH_FILE
from xjkg.publish.release import release

pytestmark = pytest.mark.slow


@contextmanager
def held(args: list[str], gate: Path) -> Iterator[subprocess.Popen[str]]:
    """Run ``xjkg ARGS`` (validation stubbed) until it holds its lock; it goes on when ``gate`` exists."""
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "gate", "--stub-validation", "--", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "XJKG_TEST_GATE": str(gate)},
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.strip() == "HOLDING":
            break
    else:
        process.wait(10)
        raise AssertionError(f"the first run never reached its locked section:\n{''.join(lines)}")
    try:
        yield process
    finally:
        gate.touch()
        process.wait(120)


def xjkg(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "xjkg", *args], capture_output=True, text=True, timeout=300)


def assert_refused(done: subprocess.CompletedProcess[str], what: str, target: Path) -> None:
    assert done.returncode == 3, f"the second {what} was not refused: {done.returncode}\n{done.stderr}"
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"xjkg {what}: error: another xjkg {what} is writing {target}"), message
    assert f"{target}.lock" in message, message


@pytest.fixture(scope="module")
def build_reference() -> bytes:
    from xjkg.build.build import build, serialize

    return serialize(build().graph)


def test_a_second_build_is_refused_and_the_first_writes_a_whole_graph(tmp_path: Path, build_reference: bytes) -> None:
    target = tmp_path / "xjkg.ttl"
    target.write_bytes(PREVIOUS)
    with held(["build", "--output", str(target)], tmp_path / "go") as first:
        assert_refused(xjkg("build", "--output", str(target)), "build", target)
        assert target.read_bytes() == PREVIOUS, "the refused build wrote"
    assert first.returncode == 0
    assert target.read_bytes() == build_reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "xjkg.ttl", "xjkg.ttl.lock"]


def test_a_second_release_is_refused_and_the_first_completes(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    release(folder, graph=sample_graph(), validate=False, release_date=date(2024, 5, 1))
    before = tree(folder)
    graph_file = tmp_path / "graph.ttl"
    graph_file.write_bytes(sample_graph().serialize(format="turtle", encoding="utf-8"))
    args = ["release", str(folder), "--graph", str(graph_file), "--date", "2024-06-01"]
    with held(args, tmp_path / "go") as first:
        assert_refused(xjkg(*args), "release", folder)
        assert tree(folder) == before, "the refused release wrote"
    assert first.returncode == 0
    assert checksums_hold(folder) and "2024-06-01" in (folder / "CHANGELOG.md").read_text()


def test_two_real_builds_at_the_same_instant(tmp_path: Path, build_reference: bytes) -> None:
    """No gate: both start together; each ends written (0) or refused (3), and the graph is whole."""
    target = tmp_path / "xjkg.ttl"
    target.write_bytes(PREVIOUS)
    command = [sys.executable, "-m", "xjkg", "build", "--output", str(target)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(300), p.stderr.read() if p.stderr else "") for p in processes]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, err in results:
        if code == 3:
            assert "another xjkg build is writing" in err and "Traceback" not in err, err
    assert target.read_bytes() == build_reference
    print(f"\ntwo builds at once: exit codes {codes}")


def test_two_exports_to_one_file_leave_one_whole_file(tmp_path: Path) -> None:
    """Export takes no lock: the atomic rename alone keeps two writers from interleaving."""
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built")
    target = tmp_path / "xjkg.nt"
    command = [sys.executable, "-m", "xjkg", "export", "--graph", str(GRAPH_FILE), "--output", str(target)]
    processes = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    assert [p.wait(300) for p in processes] == [0, 0]
    alone = tmp_path / "alone.nt"
    assert xjkg("export", "--graph", str(GRAPH_FILE), "--output", str(alone)).returncode == 0
    assert target.read_bytes() == alone.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone.nt", "xjkg.nt"]
