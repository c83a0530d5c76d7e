"""Untrusted work under a deadline and a memory cap (xjkg.core.bounded): a user's shapes in ``xjkg validate``
end at the deadline or the memory limit with exit 3 and one line, never a hang or an abort."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xjkg.core.bounded import run_bounded
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError

BACKTRACKING = """@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:shape> a sh:NodeShape ; sh:targetNode <urn:x:a> ;
  sh:property [ sh:path <urn:x:p> ; sh:pattern "^(a+)+$" ] .
"""


def _doubling_shapes(times: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:shape> a sh:NodeShape ; sh:targetNode <urn:x:a> ;
  sh:sparql [ sh:select \"\"\"SELECT $this WHERE {{ BIND("a" AS ?s0) {binds} FILTER(STRLEN(?s{times}) > 0) }}\"\"\" ] .
"""


def _validate(tmp_path: Path, shapes: str, data: str, *options: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "shapes.ttl").write_text(shapes, encoding="utf-8")
    (tmp_path / "data.nt").write_text(data, encoding="utf-8")
    command = [sys.executable, "-m", "xjkg", "validate", "--no-graph", "--shapes", str(tmp_path / "shapes.ttl")]
    env = {**os.environ, "XJKG_QUIET": "1"}
    return subprocess.run(
        [*command, *options, str(tmp_path / "data.nt")], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.slow
def test_a_backtracking_pattern_ends_at_the_deadline(tmp_path: Path) -> None:
    """``^(a+)+$`` against 34 a's and a b: about 70 minutes of backtracking, stopped at 2 s."""
    started = time.monotonic()
    done = _validate(tmp_path, BACKTRACKING, f'<urn:x:a> <urn:x:p> "{"a" * 34}b" .\n', "--timeout", "2")
    assert time.monotonic() - started < 30
    assert done.returncode == EXIT_FAILED
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "xjkg validate: error: validation exceeded the time limit of 2 s (raise it with --timeout)"
    ]


@pytest.mark.slow
def test_the_same_pattern_on_a_short_value_is_a_result(tmp_path: Path) -> None:
    done = _validate(tmp_path, BACKTRACKING, '<urn:x:a> <urn:x:p> "aaab" .\n', "--timeout", "60")
    assert done.returncode == 1, done.stderr
    assert "Value does not match pattern '^(a+)+$'" in done.stdout


@pytest.mark.slow
def test_a_constraint_past_the_memory_limit_is_one_line(tmp_path: Path) -> None:
    """A SPARQL constraint doubling a string 31 times: the engine's allocation fails in the child."""
    done = _validate(tmp_path, _doubling_shapes(31), '<urn:x:a> <urn:x:p> "a" .\n', "--worker-memory", "256")
    assert done.returncode == EXIT_FAILED
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "xjkg validate: error: validation needed more than the memory limit of 256 MB (raise it with --worker-memory)"
    ]


@pytest.mark.slow
def test_a_bad_limit_is_refused(tmp_path: Path) -> None:
    done = _validate(tmp_path, BACKTRACKING, '<urn:x:a> <urn:x:p> "a" .\n', "--timeout", "-1")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.strip() == "xjkg validate: error: --timeout must be a positive number of seconds"


# -- the child itself ------------------------------------------------------------------------------------


def test_the_answer_comes_back_and_the_warnings_are_written_here(capfd: pytest.CaptureFixture[str]) -> None:
    def work() -> dict[str, int]:
        print("xjkg: a warning", file=sys.stderr)
        return {"answer": 42}

    assert run_bounded(work, timeout=30, memory_mb=0, what="work") == {"answer": 42}
    assert capfd.readouterr().err == "xjkg: a warning\n"


def test_an_error_of_the_work_is_raised_as_it_was() -> None:
    def work() -> None:
        raise XjkgError("data.ttl:3: bad", EXIT_BAD_INPUT)

    with pytest.raises(XjkgError, match=r"^data\.ttl:3: bad$") as caught:
        run_bounded(work, timeout=30, memory_mb=0, what="work")
    assert caught.value.exit_code == EXIT_BAD_INPUT


def test_memory_past_the_limit_is_exit_3() -> None:
    def work() -> int:
        return len(bytearray(1024 * 1024 * 1024))

    with pytest.raises(XjkgError, match="work needed more than the memory limit of 256 MB") as caught:
        run_bounded(work, timeout=60, memory_mb=256, what="work")
    assert caught.value.exit_code == EXIT_FAILED


def test_a_crash_is_exit_3_naming_it() -> None:
    def work() -> None:
        os.abort()

    with pytest.raises(XjkgError, match=r"^work crashed: Fatal Python error: Aborted") as caught:
        run_bounded(work, timeout=60, memory_mb=0, what="work")
    assert caught.value.exit_code == EXIT_FAILED


def _children() -> set[int]:
    pid = os.getpid()
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the children through /proc (Linux)")
def test_the_child_is_killed_at_the_deadline() -> None:
    before = _children()
    started = time.monotonic()
    with pytest.raises(XjkgError, match=r"^work exceeded the time limit of 0\.5 s") as caught:
        run_bounded(lambda: time.sleep(60), timeout=0.5, memory_mb=0, what="work")
    assert caught.value.exit_code == EXIT_FAILED
    assert time.monotonic() - started < 10
    assert _children() <= before  # killed and reaped, not left running
