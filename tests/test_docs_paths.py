"""The docs name only what is there: every repository path a README or a docstring names exists.

A path is a word starting with a top-level folder of the repository (``src/``, ``tests/``, ``data/``,
``ontology/``, ``queries/``, ``bench/``; ``xjkg/`` is the package, ``src/xjkg/``), and a Markdown file
named on its own (``ENGINES.md``) must be somewhere in the repository. Patterns and placeholders
(``queries/*.rq``, ``reports/<id>/``, ``NAME.rq``) are not paths. Outputs are not in the repository
either: a path git ignores (``bench/data/``, ``*.lock``) or a Markdown file the code writes (a release's
``CHANGELOG.md``) is an output, named on purpose.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_ROOTS = ("src", "tests", "data", "ontology", "queries", "bench", "xjkg")
_PATH = re.compile(r"(?<![\w./:-])((?:" + "|".join(_ROOTS) + r")/[\w./-]*[\w/])")
_MARKDOWN = re.compile(r"(?<![\w./:-])([A-Z][A-Z0-9_-]*\.md)\b")
_PLACEHOLDER = re.compile(r"[*<>{}]|\bNAME\b|\.\.\.|…")


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def _docs() -> dict[str, str]:
    """Where → text: every README and every module, class and function docstring of src/ and bench/."""
    texts: dict[str, str] = {}
    files = _tracked()
    for name in files:
        path = REPO / name
        if path.name == "README.md":
            texts[name] = path.read_text(encoding="utf-8")
        elif name.endswith(".py") and name.startswith(("src/", "bench/")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    doc = ast.get_docstring(node, clean=False)
                    if doc:
                        where = f"{name}:{getattr(node, 'lineno', 1)}"
                        texts[where] = doc
    return texts


def _ignored(path: str) -> bool:
    """Whether git ignores ``path``: an output (generated data, results, locks), not a repository file."""
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=REPO).returncode == 0


def _written_by_code(name: str) -> bool:
    return any(f'"{name}"' in p.read_text(encoding="utf-8") for p in (REPO / "src" / "xjkg").rglob("*.py"))


def _exists(path: str, tracked: set[str]) -> bool:
    return path in tracked or any(t.startswith(path + "/") for t in tracked)


def _missing(where: str, text: str, tracked: set[str], names: set[str]) -> list[str]:
    missing = []
    for line in text.splitlines():
        for found in _PATH.findall(line):
            if _PLACEHOLDER.search(line[line.find(found) : line.find(found) + len(found) + 1]):
                continue
            path = found.rstrip("/.")
            # ``xjkg/…`` is in the package: src/xjkg/…, or a top-level folder the wheel ships inside it
            candidates = ["src/" + path, path.removeprefix("xjkg/")] if path.startswith("xjkg/") else [path]
            if not any(_exists(c, tracked) for c in candidates) and not (_ignored(path) or _ignored(path + "/")):
                missing.append(f"{where}: {found}")
        missing += [
            f"{where}: {name}" for name in _MARKDOWN.findall(line) if name not in names and not _written_by_code(name)
        ]
    return missing


@pytest.mark.slow
def test_every_named_path_exists() -> None:
    tracked = set(_tracked())
    names = {Path(t).name for t in tracked}
    docs = _docs()
    assert any(w.endswith("README.md") for w in docs) and len(docs) > 100, "found no docs to check"
    missing = [m for where, text in docs.items() for m in _missing(where, text, tracked, names)]
    assert not missing, "\n".join(missing)


@pytest.mark.slow  # runs git
@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("see ENGINES.md for the traps", ["x: ENGINES.md"]),
        ("read `src/xjkg/nowhere.py` first", ["x: src/xjkg/nowhere.py"]),
        ("the package file ``xjkg/publish/context.jsonld``", []),
        ("one file per query, queries/*.rq", []),
        ("see data/reports/iprcc-xinjiang-2009/README.md", []),
    ],
)
def test_the_checker_sees_a_missing_path(text: str, bad: list[str]) -> None:
    tracked = set(_tracked())
    assert _missing("x", text, tracked, {Path(t).name for t in tracked}) == bad
