"""Fixtures shared by every test module: where the checkout, the built graph and ../shared/ are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """The workplace's ``shared/`` folder (W3C suites, DCAT-AP shapes), or None outside this workplace.

    ``XJKG_SHARED`` overrides; by default it is ``../shared`` beside the checkout.
    """
    candidate = Path(os.environ.get("XJKG_SHARED", REPO.parent / "shared"))
    return candidate if candidate.is_dir() else None


def known_failures(suite: str) -> dict[str, str]:
    """Test name → reason, from ``tests/known_failures/<suite>.tsv`` (tab-separated; ``#`` starts a comment)."""
    rows: dict[str, str] = {}
    for line in (REPO / "tests" / "known_failures" / f"{suite}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, reason = line.split("\t", 1)
            rows[name] = reason
    return rows


@pytest.fixture(scope="session")
def shared() -> Path:
    """``shared/``; tests that need it are skipped, saying why, where it is absent."""
    found = shared_dir()
    if found is None:
        pytest.skip("../shared/ (W3C test suites, DCAT-AP shapes) is not beside this checkout; set XJKG_SHARED")
    return found


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _store_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The persistent store cache (xjkg.query.store_cache) of every test lives in a temporary folder, not ~/.cache."""
    os.environ["XJKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("xjkg-cache"))
