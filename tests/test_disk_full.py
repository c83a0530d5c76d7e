"""A full disk leaves no partial file (issue 8, part 5): export and release onto a small tmpfs.

The target is a tmpfs of a few KB mounted for the test (``mount -t tmpfs -o size=…``: needs root;
skipped, saying so, otherwise). The run fails with exit 3 and one line naming the file and the reason;
the previous output is unchanged and no temporary file or folder is left behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kg_sample import sample_graph
from test_kill import DRIVER, PREVIOUS, tree
from xjkg.core.paths import GRAPH_FILE
from xjkg.publish.release import release

pytestmark = pytest.mark.slow


@pytest.fixture()
def small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A tmpfs of ``request.param`` bytes (default 64 KiB) at a fresh folder; unmounted afterwards."""
    size = getattr(request, "param", 64 * 1024)
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until about ``leave`` bytes are free."""
    free = shutil.disk_usage(disk).free
    if free > leave:
        (disk / "filler").write_bytes(b"\0" * (free - leave))


def assert_failed_cleanly(done: subprocess.CompletedProcess[str], command: str, target: Path) -> None:
    assert done.returncode == 3, f"exit {done.returncode}:\n{done.stderr}"
    message = [line for line in done.stderr.splitlines() if line.startswith(f"xjkg {command}: error:")]
    assert len(message) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "No space left on device" in message[0] and str(target.parent) in message[0], message[0]


# (format, extension, bytes left free): the write fails at once, or part-way through the file.
EXPORTS = [
    pytest.param("turtle", "ttl", 0, id="turtle-full"),
    pytest.param("nquads", "nq", 8 * 1024, id="nquads-8k-free"),
    pytest.param("jsonld", "jsonld", 40 * 1024, id="jsonld-40k-free"),
    pytest.param("rdfxml", "rdf", 20 * 1024, id="rdfxml-20k-free"),
]


@pytest.mark.parametrize(("fmt", "suffix", "leave"), EXPORTS)
def test_export_onto_a_full_disk_keeps_the_previous_file(small_disk: Path, fmt: str, suffix: str, leave: int) -> None:
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built")
    target = small_disk / f"xjkg.{suffix}"
    target.write_bytes(PREVIOUS)
    fill(small_disk, leave)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xjkg",
            "export",
            "--graph",
            str(GRAPH_FILE),
            "--part",
            "all",
            "--format",
            fmt,
            "--output",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_failed_cleanly(done, "export", target)
    assert target.read_bytes() == PREVIOUS
    expected = [target.name, "filler"] if (small_disk / "filler").exists() else [target.name]
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(expected), "a temporary file was left"


def test_export_of_a_new_file_onto_a_full_disk_leaves_nothing(small_disk: Path) -> None:
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built")
    target = small_disk / "new.ttl"
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", "export", "--graph", str(GRAPH_FILE), "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_failed_cleanly(done, "export", target)
    assert list(small_disk.iterdir()) == []


@pytest.mark.parametrize("small_disk", [1024 * 1024], indirect=True, ids=["1m"])
@pytest.mark.parametrize("leave", [4 * 1024, 150 * 1024, 350 * 1024], ids=["4k-free", "150k-free", "350k-free"])
def test_release_onto_a_full_disk_keeps_the_previous_release(small_disk: Path, leave: int, tmp_path: Path) -> None:
    folder = small_disk / "release"
    release(folder, graph=sample_graph(), validate=False, release_date=date(2024, 5, 1))
    before = tree(folder)
    graph_file = tmp_path / "graph.ttl"
    graph_file.write_bytes(sample_graph().serialize(format="turtle", encoding="utf-8"))
    fill(small_disk, leave)
    done = subprocess.run(
        [
            sys.executable,
            str(DRIVER),
            "none",
            "--stub-validation",
            "--",
            "release",
            str(folder),
            "--graph",
            str(graph_file),
            "--date",
            "2024-06-01",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_failed_cleanly(done, "release", folder)
    assert tree(folder) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "release", "release.lock"]
