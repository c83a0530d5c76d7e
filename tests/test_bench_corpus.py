"""The corpus benchmark keeps working (issue 12): synthetic sections draft, review and build. No speed is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
from xjkg.text.extract import extract  # noqa: E402


def test_synthetic_sections_differ_and_read_as_the_series() -> None:
    first, second = corpus.section(0), corpus.section(1)
    assert first != second and "SYNTHETIC" in first
    units = {m.unit for m in extract(first) if m.is_quantity}
    assert {"CNY", "KM", "MU", "HECTARE", "TONNE", "KG", "HOUSEHOLD", "PERSON_TIME", "PERCENT", "YEAR"} <= units


@pytest.mark.slow
def test_two_reports_draft_review_and_build(tmp_path: Path) -> None:
    root = corpus.make_corpus(tmp_path / "corpus", 2)
    folders = sorted((root / "reports").iterdir())
    assert [f.name for f in folders] == ["synthetic-1950", "synthetic-1951"]
    for folder in folders:
        text = (folder / "report.yaml").read_text(encoding="utf-8")
        assert "'TODO: " not in text and "proposed:" not in text
        # The section's year first, then the periods its figures are about (the year before it compares with).
        assert yaml.safe_load(text)["report"]["period"][0] == f"period/{folder.name[-4:]}"
    # The second report reuses what the first defined (its indicators, its periods), never defines them again.
    second = "\n".join(p.read_text(encoding="utf-8") for p in (folders[1] / "mapping").rglob("*.yaml"))
    assert "id: indicator/village-roads" not in second and "indicator: indicator/village-roads" in second
    assert corpus.time_build(root) > 0
    assert (root / "xjkg.ttl").is_file()


@pytest.mark.slow
def test_command_line_prints_ratios(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "corpus.py"), "--reports", "1,2", "--keep", str(tmp_path / "kept")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    assert "   1 reports: build" in done.stdout and "   2 reports: build" in done.stdout
    assert "ratios against the 1-report build" in done.stdout
    assert (tmp_path / "kept" / "corpus-2" / "reports" / "synthetic-1951").is_dir()
