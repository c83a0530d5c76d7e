"""The wheel works outside the checkout: ontology, shapes, queries, mapping, source and graph ship inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

REPO = Path(__file__).resolve().parent.parent
SHIPPED = [
    "xjkg/ontology/xjkg.ttl",
    "xjkg/ontology/shapes.ttl",
    "xjkg/ontology/catalog.ttl",
    "xjkg/queries/investment-by-fund-type.rq",
    "xjkg/data/vocab/places.yaml",
    "xjkg/data/reports/iprcc-xinjiang-2009/report.yaml",
    "xjkg/data/reports/iprcc-xinjiang-2009/xinjiang-poverty-alleviation-2009.txt",
    "xjkg/data/xjkg.ttl",
    "xjkg/publish/context.jsonld",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{done.stderr[-2000:]}")
    (found,) = out.glob("xjkg-*.whl")
    return found


def test_wheel_ships_the_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in SHIPPED if name not in names] == []
    assert not [name for name in names if "/tests/" in name or name.startswith("tests/")]


def test_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """Unpacked away from the checkout and run from another folder, xjkg finds its files in the package."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = "import xjkg.core.paths as p; print(p.ONTOLOGY_FILE); print(p.QUERIES_DIR)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert all(line.startswith(str(site)) for line in done.stdout.splitlines()), done.stdout
    for argv in (["coverage", "--unmapped"], ["query", "administrative-units", "--format", "csv"]):
        run = subprocess.run(
            [sys.executable, "-m", "xjkg", *argv], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
    assert "653224" in run.stdout  # Luopu County's division code, from the packaged graph
