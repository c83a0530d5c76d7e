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
