"""The command line tells what is wrong: a command whose module cannot be imported is shown, never dropped."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from xjkg import cli
from xjkg.core.errors import EXIT_FAILED


@pytest.fixture
def broken_command(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(cli.COMMANDS, "broken", ("xjkg.no_such_module_here", "a command whose module is missing"))
    return "broken"


@pytest.mark.slow
def test_help_lists_a_command_that_cannot_be_imported(broken_command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert broken_command in out
    assert "UNAVAILABLE" in out and "xjkg.no_such_module_here" in out
    assert "validate" in out and "serve" in out  # the others are still there


def test_running_it_says_why_with_exit_3(broken_command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([broken_command, "x"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "cannot load xjkg.no_such_module_here" in err and "ModuleNotFoundError" in err
    assert "Traceback" not in err


@pytest.mark.slow  # a fresh interpreter
def test_the_command_freezes_what_it_loaded_a_caller_keeps_its_collector(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run as the command (no argv), the objects loaded before the work are frozen out of the collector
    (its collections, its exit and a forked worker skip them); called with argv (a test, a notebook), not."""
    code = "import gc, sys\nfrom xjkg.cli import main\nsys.argv = ['xjkg', 'queries']\nmain()\n"
    code += "print(gc.get_freeze_count())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert int(done.stdout.split()[-1]) > 10_000
    before = gc.get_freeze_count()
    assert cli.main(["queries"]) == 0
    assert "dataset-summary" in capsys.readouterr().out
    assert gc.get_freeze_count() == before
