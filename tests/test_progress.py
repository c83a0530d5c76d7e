"""Progress on a terminal, silence in a pipe and with ``--quiet`` (issue 14, target 6): real processes,
one on a pseudo-terminal of 100 columns (a terminal of unknown width would draw nothing)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "validate"
COMMAND = [
    sys.executable,
    "-m",
    "xjkg",
    "validate",
    str(DATA / "county-2010.ttl"),
    "--shapes",
    str(DATA / "shapes-mini.ttl"),
]
ENV = {**os.environ, "XJKG_PROGRESS_DELAY": "0"}  # draw at once: the test is about where, not when


def _on_terminal(argv: list[str]) -> str:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(argv, stdin=terminal, stdout=terminal, stderr=terminal, env=ENV)
    os.close(terminal)
    out = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the process closed its side
            break
        if not chunk:
            break
        out += chunk
    os.close(controller)
    assert process.wait(timeout=120) in (0, 1)
    return out.decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_shows_on_a_terminal() -> None:
    screen = _on_terminal(COMMAND)
    assert "xjkg validate: validating" in screen
    assert "Summary:" in screen  # the report itself is still there


@pytest.mark.slow
def test_quiet_on_a_terminal() -> None:
    screen = _on_terminal([*COMMAND[:3], "--quiet", *COMMAND[3:]])
    assert "xjkg validate:" not in screen and "Summary:" in screen


@pytest.mark.slow
def test_nothing_in_a_pipe() -> None:
    done = subprocess.run(COMMAND, capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode in (0, 1) and "Summary:" in done.stdout
    assert done.stderr == ""


@pytest.mark.slow  # a fresh interpreter
def test_a_quick_stage_on_a_terminal_draws_nothing_and_loads_no_tqdm() -> None:
    """A step shorter than the delay (a query on a small graph) costs no bar: tqdm is not even imported; a longer
    one is drawn with its name and the seconds so far."""
    code = (
        "import io, sys, time\n"
        "from xjkg.core import progress\n"
        "progress.enabled = lambda: True\n"
        "sys.stderr = io.StringIO()\n"
        "with progress.stage('quick'):\n"
        "    pass\n"
        "quick = 'tqdm' in sys.modules\n"
        "progress._delay = lambda: 0.0\n"
        "with progress.stage('slow'):\n"
        "    time.sleep(0.6)\n"
        "print(quick, 'tqdm' in sys.modules, repr(sys.stderr.getvalue()), file=sys.__stdout__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    quick, slow, drawn = done.stdout.split(" ", 2)
    assert (quick, slow) == ("False", "True")
    assert "slow: 00:00" in drawn
