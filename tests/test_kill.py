"""Nothing lost when a run dies (issue 8, part 5): ``xjkg export``, ``build`` and ``release`` killed with SIGKILL.

Each command runs as a subprocess writing into a temporary folder that holds a previous output. It is
killed at instrumented points (``tests/crash_points.py``: half-way through writing a file, just before
and just after the rename that publishes it, before and after a release folder is swapped in) and,
with the real command, after several delays. Every time the previous output is intact (or the new one
is complete, when the kill came after publishing), and the next run succeeds.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg_sample import sample_graph
from xjkg.core.paths import GRAPH_FILE
from xjkg.publish.release import release

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("crash_points.py")
KILLED = -signal.SIGKILL
PREVIOUS = b"# the previous output: must survive any kill\n<urn:a> <urn:b> <urn:c> .\n"


@dataclass(frozen=True)
class Run:
    """How a run ended: its exit status (negative: killed by that signal) and what it printed."""

    returncode: int
    output: str


def run_at(point: str, args: list[str], *, stub_validation: bool = False) -> Run:
    """Run ``xjkg ARGS`` under the crash driver, which SIGKILLs it at ``point``."""
    command = [sys.executable, str(DRIVER), point, *(["--stub-validation"] if stub_validation else []), "--", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return Run(done.returncode, done.stdout + done.stderr)


def run_killed_after(args: list[str], delay: float) -> Run:
    """Run the real ``xjkg ARGS`` and SIGKILL it after ``delay`` seconds (unless it finished first)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "xjkg", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(delay)  # a kill at an arbitrary moment; the assertions hold at every moment
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=60)
    return Run(process.returncode, output)


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Files a killed run left beside its output (temporary files; never the output itself)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def checksums_hold(folder: Path) -> bool:
    """Every file listed in SHA256SUMS is there with that digest, and every file is listed."""
    listed = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {name for name in tree(folder) if name != "SHA256SUMS"}
    return files == set(listed) and all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest for name, digest in listed.items()
    )


# -- export --------------------------------------------------------------------------------------------

EXPORT_POINTS = ["write-half:1", "before-replace:1", "after-replace:1"]
EXPORT_DELAYS = [0.2, 0.6, 1.2]


@pytest.fixture(scope="module")
def export_reference(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The complete export, from an undisturbed run."""
    if not GRAPH_FILE.is_file():
        pytest.skip(f"{GRAPH_FILE} is not built")
    target = tmp_path_factory.mktemp("export-reference") / "xjkg.nq"
    done = run_at("none", ["export", "--graph", str(GRAPH_FILE), "--part", "all", "--output", str(target)])
    assert done.returncode == 0, done.output
    return target.read_bytes()


def test_export_killed_anywhere_keeps_the_previous_file(tmp_path: Path, export_reference: bytes) -> None:
    target = tmp_path / "xjkg.nq"
    args = ["export", "--graph", str(GRAPH_FILE), "--part", "all", "--output", str(target)]
    outcomes = []
    for point in EXPORT_POINTS:
        target.write_bytes(PREVIOUS)
        done = run_at(point, args)
        assert done.returncode == KILLED, f"{point}: the run was not killed: {done.output}"
        expected = export_reference if point.startswith("after-") else PREVIOUS
        assert target.read_bytes() == expected, f"{point}: the output is neither the previous nor the new one"
        outcomes.append(point)
    for delay in EXPORT_DELAYS:
        target.write_bytes(PREVIOUS)
        done = run_killed_after(args, delay)
        assert target.read_bytes() in (PREVIOUS, export_reference), f"killed after {delay} s: output damaged"
        outcomes.append(f"{delay}s:{'killed' if done.returncode == KILLED else done.returncode}")
    print(f"\nexport kills: {outcomes}; left behind: {leftovers(tmp_path, {'xjkg.nq'})}")
    done = run_at("none", args)  # the next run, beside whatever the killed ones left
    assert done.returncode == 0, done.output
    assert target.read_bytes() == export_reference


# -- build ---------------------------------------------------------------------------------------------

BUILD_POINTS = ["write-half:1", "before-replace:1", "after-replace:1"]
BUILD_DELAYS = [0.4, 1.2, 2.5]


@pytest.fixture(scope="module")
def build_reference() -> bytes:
    """The graph a build writes (built in-process: deterministic bytes)."""
    from xjkg.build.build import build, serialize

    return serialize(build().graph)


def test_build_killed_anywhere_keeps_the_previous_graph(tmp_path: Path, build_reference: bytes) -> None:
    target = tmp_path / "xjkg.ttl"
    args = ["build", "--output", str(target)]
    outcomes = []
    for point in BUILD_POINTS:
        target.write_bytes(PREVIOUS)
        done = run_at(point, args, stub_validation=True)
        assert done.returncode == KILLED, f"{point}: the run was not killed: {done.output}"
        expected = build_reference if point.startswith("after-") else PREVIOUS
        assert target.read_bytes() == expected, f"{point}: the graph file is neither the previous nor the new one"
        outcomes.append(point)
    for delay in BUILD_DELAYS:  # the real command, validation and all
        target.write_bytes(PREVIOUS)
        done = run_killed_after(args, delay)
        assert target.read_bytes() in (PREVIOUS, build_reference), f"killed after {delay} s: graph damaged"
        outcomes.append(f"{delay}s:{'killed' if done.returncode == KILLED else done.returncode}")
    print(f"\nbuild kills: {outcomes}; left behind: {leftovers(tmp_path, {'xjkg.ttl', 'xjkg.ttl.lock'})}")
    # The next run is not blocked by the lock a killed run held, and writes the graph.
    done = run_at("none", args, stub_validation=True)
    assert done.returncode == 0, done.output
    assert target.read_bytes() == build_reference


# -- release -------------------------------------------------------------------------------------------

RELEASE_POINTS = ["write-half:1", "before-replace:6", "before-swap", "after-swap"]


@pytest.fixture()
def previous_release(tmp_path: Path) -> tuple[Path, Path]:
    """A release folder from a first release, and the graph file of the next one."""
    graph = sample_graph()
    folder = tmp_path / "release"
    release(folder, graph=graph, validate=False, release_date=date(2024, 5, 1))
    graph_file = tmp_path / "next.ttl"
    graph.add((URIRef("https://w3id.org/xjkg/id/county/luopu"), RDFS.comment, Literal("changed")))  # a diff
    graph_file.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    return folder, graph_file


def test_release_killed_anywhere_keeps_the_previous_release(previous_release: tuple[Path, Path]) -> None:
    folder, graph_file = previous_release
    before = tree(folder)
    args = ["release", str(folder), "--graph", str(graph_file), "--date", "2024-06-01"]
    for point in RELEASE_POINTS[:-1]:
        done = run_at(point, args, stub_validation=True)
        assert done.returncode == KILLED, f"{point}: the run was not killed: {done.output}"
        assert tree(folder) == before, f"{point}: the previous release changed"
    done = run_killed_after(args, 1.5)  # the real command, validation and all
    assert tree(folder) == before or checksums_hold(folder), "killed after 1.5 s: release damaged"
    print(f"\nrelease kills: left behind: {leftovers(folder.parent, {'release', 'release.lock', 'next.ttl'})}")
    done = run_at("after-swap", args, stub_validation=True)
    assert done.returncode == KILLED
    assert tree(folder) != before and checksums_hold(folder), "after the swap the new release is complete"
    done = run_at("none", args, stub_validation=True)
    assert done.returncode == 0, done.output
    assert checksums_hold(folder) and "2024-06-01" in (folder / "CHANGELOG.md").read_text()


def test_crash_driver_refuses_an_unknown_point() -> None:
    """The driver fails loudly on a typo instead of running the command unharmed."""
    done = run_at("no-such-point", ["--version"])
    assert done.returncode != 0 and "unknown point" in done.output
