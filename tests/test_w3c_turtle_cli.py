"""The RDF 1.1 Turtle suite through the command line, ``xjkg validate --base IRI`` (issue 13, item 4).

Every positive test (syntax and evaluation) must be read and validated (exit 0), with the test's own
IRI as ``--base`` as the suite prescribes; every negative test must be refused with exit 2 and one line
naming file:line:column. Without ``--base``, a file with a relative IRI is refused by a message that
names the option. The manifest is read as in ``test_w3c_turtle.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_w3c_turtle import BASE, CASES
from xjkg.cli import main

# The W3C suite again through whole `xjkg validate` commands (hundreds): ./dev test-fast leaves it to ./dev test;
# test_w3c_turtle.py runs the same cases through the reader in the fast lane.
pytestmark = pytest.mark.slow

POSITIVE = ("TestTurtlePositiveSyntax", "TestTurtleEval")


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", "--no-graph", "--input-format", "turtle", "--allow-empty", *args])
    return code, capsys.readouterr().err


def test_the_suite_was_read(shared: Path) -> None:
    kinds = [case.values[0] for case in CASES]
    assert sum(kind in POSITIVE for kind in kinds) == 219  # 74 positive syntax + 145 evaluation tests


@pytest.mark.parametrize(("kind", "folder", "action", "expected"), CASES)
def test_turtle_through_validate(
    shared: Path, capsys: pytest.CaptureFixture[str], kind: str, folder: Path, action: str, expected: str | None
) -> None:
    path = folder / action
    code, err = _validate(capsys, "--base", BASE + action, str(path))
    if kind in POSITIVE:
        assert code == 0, err
    else:
        assert code == 2, err
        line = err.strip()
        assert "\n" not in line and "Traceback" not in line, line
        assert re.match(rf"xjkg validate: error: {re.escape(str(path))}:\d+:\d+: \S", line), line


def test_a_relative_iri_without_base_is_refused_naming_the_option(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = next(case.values[1] / case.values[2] for case in CASES if case.id == "turtle-syntax-kw-01")
    assert path.read_text() == "<s> <p> true .\n"  # relative IRIs only
    code, err = _validate(capsys, str(path))
    assert code == 2
    assert re.fullmatch(rf"xjkg validate: error: {re.escape(str(path))}:1:1: .*relative IRI.*--base IRI.*\n", err), err


@pytest.mark.parametrize("base", ["no-scheme/x", "http://e.org/a b", ""], ids=["relative", "space", "empty"])
def test_a_bad_base_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], base: str) -> None:
    data = tmp_path / "a.ttl"
    data.write_text("<a> <b> <c> .\n")
    code, err = _validate(capsys, "--base", base, str(data))
    assert code == 2
    assert err.startswith("xjkg validate: error: --base ") and err.count("\n") == 1, err
