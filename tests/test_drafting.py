"""``xjkg report new|list`` (issue 12, item 4) on the made-up 2010 section (tests/data/corpus/xinjiang-2010/)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from xjkg.cli import main
from xjkg.core.paths import DATA_DIR
from xjkg.text.extract import extract

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import corpus as bench_corpus

FIXTURE = Path(__file__).parent / "data" / "corpus" / "xinjiang-2010" / "xinjiang-poverty-alleviation-2010.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the project's corpus (its reports; the shipped vocabularies are always read), never the real one."""
    target = tmp_path / "corpus"
    shutil.copytree(DATA_DIR / "reports", target / "reports")
    return target


def _entries(folder: Path) -> list[dict]:
    found = []
    for path in sorted((folder / "mapping").rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in ("entities", "figures", "exclusions"):
            found += [{**e, "_kind": kind} for e in raw.get(kind) or []]
    return found


@pytest.mark.slow
def test_new_copies_pins_and_drafts_every_quantity(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    folder = corpus / "reports" / "xinjiang-2010"
    copy = folder / FIXTURE.name
    assert copy.read_bytes() == FIXTURE.read_bytes()
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert settings["source"]["sha256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    # The year the section opens with ("In 2010, …") first, then the periods its figures are about ("As of the end of
    # 2009", "the work-relief funds of 2009"): the report covers them, so they are not out of its scope.
    assert settings["report"]["period"] == ["period/2010", "period/2009", "period/2009-12-31"]
    assert settings["report"]["region"] == "region/xinjiang"  # named in the text, found in the vocabularies
    assert settings["report"]["publisher"].startswith("TODO: ")  # nothing to infer it from: a marked blank

    text = FIXTURE.read_text(encoding="utf-8")
    quantities = [m for m in extract(text) if m.is_quantity]
    entries = _entries(folder)
    quoted = [e for e in entries if "quote" in e]
    for mention in quantities:
        holders = [
            e for e in quoted
            if (at := text.find(e["quote"])) <= mention.start and mention.end <= at + len(e["quote"])
        ]  # fmt: skip
        assert holders, f"no draft entry for {mention.text!r}"
    for entry in quoted:
        assert text.count(entry["quote"]) == 1, entry
        assert entry["proposed"], entry  # every entry of a draft is a proposal and says why

    by_quote = {e["quote"]: e for e in quoted}

    def entry_for(number: str) -> dict:
        return next(e for q, e in by_quote.items() if number in q and "id" in e)

    total = entry_for("3.1 billion Yuan")
    assert total["fund_type"] == "fund-type/anti-poverty-funds" and total["exhaustive"] is True
    parts = {entry_for(n)["fund_type"] for n in ("780 million", "330 million", "1.99 billion")}
    assert parts == {
        "fund-type/financial-anti-poverty-funds",
        "fund-type/work-relief-funds",
        "fund-type/credit-loan-funds",
    }
    assert all(entry_for(n)["component_of"] == total["id"] for n in ("780 million", "330 million", "1.99 billion"))
    assert entry_for("1.2 billion")["area"] == "prefecture/hotan"
    assert entry_for("225 million")["period"] == "period/2009"
    assert entry_for("1,720")["type"] == "BeneficiaryCount"
    assert entry_for("35,000 mu")["type"] == "OutputCount"
    years = [e for q, e in by_quote.items() if "over 2008" in q]
    assert years and "year of comparison" in years[0]["reason"]
    # The section, sentence, value and unit of each quantity are written beside its entry.
    drafted = "\n".join(p.read_text(encoding="utf-8") for p in (folder / "mapping").rglob("*.yaml"))
    for comment in ("= 35000 MU", "= 2400 HECTARE", "= 1250 KM", "= 1350 TONNE", "= 216000000 CNY", "= 1720 HOUSEHOLD"):
        assert comment in drafted
    assert "【Entire Village Advancement】 sentence" in drafted
    assert "proposals" in capsys.readouterr().out


def test_new_never_overwrites(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = corpus / "reports" / "xinjiang-2010"
    target.mkdir(parents=True)
    (target / "mine.txt").write_text("a researcher's own file", encoding="utf-8")
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert not [p for p in (corpus / "reports").iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize(
    ("content", "report_id", "message"),
    [
        pytest.param(b"\xff\xfe bad", "ok-id", "not UTF-8", id="not-utf8"),
        pytest.param(b"   \n", "ok-id", "empty", id="empty"),
        pytest.param(b"In 2010, 5 villages.", "../escape", "--id", id="bad-id"),
    ],
)
def test_new_bad_input(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, report_id: str, message: str
) -> None:
    text = tmp_path / "report.txt"
    text.write_bytes(content)
    assert main(["report", "new", str(text), "--id", report_id, "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


# The scripted review (accept every proposal, fill every TODO): the one bench/corpus.py uses too.
review = bench_corpus.accept


@pytest.mark.slow
def test_list_shows_coverage_and_open_proposals(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    capsys.readouterr()
    assert main(["report", "list", "--corpus", str(corpus)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("xinjiang-2010"))
    numbers, mapped, unmapped, proposals, todos = (int(x) for x in row.split()[-5:])
    found = extract(FIXTURE.read_text(encoding="utf-8"))
    quantities = sum(1 for m in found if m.is_quantity)
    # Every number of the body, as `xjkg coverage` counts them; list-item numbers ("1.") are mapped from the start.
    assert (numbers, mapped, unmapped) == (len(found), len(found) - quantities, quantities)
    assert proposals >= quantities and todos > 0

    review(corpus / "reports" / "xinjiang-2010")
    assert main(["report", "list", "--corpus", str(corpus)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("xinjiang-2010"))
    assert [int(x) for x in row.split()[-5:]] == [len(found), len(found), 0, 0, 0]


def _query(name: str, corpus: Path, out: Path, *params: str) -> list[dict[str, str]]:
    """Run a stored query through the command line on the graph built from ``corpus``; rows as {variable: value}."""
    args = ["query", name, "--corpus", str(corpus), "-f", "json", "-o", str(out)]
    for param in params:
        args += ["-p", param]
    assert main(args) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    return [{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]]


@pytest.mark.slow
def test_end_to_end_add_review_build_validate_ask_release(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's walk-through: add the made-up 2010 section, review the draft, build, validate, ask, release."""
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    folder = corpus / "reports" / "xinjiang-2010"
    assert main(["build", "--corpus", str(corpus)]) == 2  # a draft is refused until it is reviewed
    assert "publisher is still to be filled in" in capsys.readouterr().err

    review(folder)
    assert main(["report", "list", "--corpus", str(corpus)]) == 0
    rows = {line.split()[0]: line.split()[-5:] for line in capsys.readouterr().out.splitlines()[1:]}
    numbers = len(extract(FIXTURE.read_text(encoding="utf-8")))  # as `xjkg coverage` counts them
    assert rows["xinjiang-2010"] == [str(numbers), str(numbers), "0", "0", "0"]
    assert rows["iprcc-xinjiang-2009"][2:] == ["0", "0", "0"]

    assert main(["build", "--corpus", str(corpus)]) == 0
    graph = corpus / "xjkg.ttl"
    assert "coverage of xinjiang-2010" in capsys.readouterr().out

    report = tmp_path / "validation.json"
    assert main(["validate", str(graph), "--no-graph", "--format", "json", "--output", str(report)]) == 0
    messages = [r["message"] for r in json.loads(report.read_text(encoding="utf-8"))["results"]]
    restated = [m for m in messages if m.startswith("A later report restates a figure with another value")]
    assert len(restated) == 1
    assert "“The work-relief funds of 2009 were 225 million Yuan after the final accounts.”" in restated[0]
    assert "220 million Yuan was work-relief funds" in restated[0]  # the 2009 report's sentence
    parts = [m for m in messages if m.startswith("The parts exceed the whole")]
    assert len(parts) == 1 and "3 places inside it add up to 3400000000" in parts[0]

    out = tmp_path / "rows.json"
    reports = {row["report"].rsplit("/", 1)[-1]: row for row in _query("reports", corpus, out)}
    assert set(reports) == {"iprcc-xinjiang-2009", "xinjiang-2010"}
    # It covers 2010 and the 2009 figures it states (the work-relief funds "of 2009", "as of the end of 2009").
    assert (reports["xinjiang-2010"]["covers_from"], reports["xinjiang-2010"]["covers_to"]) == (
        "2009-01-01",
        "2010-12-31",
    )
    over_time = _query(
        "indicator-over-time", corpus, out, "indicator=id:indicator/anti-poverty-investment", "area=id:region/xinjiang"
    )
    work_relief = [(r["period_label"], Decimal(r["value"])) for r in over_time if r["fund_type"] == "work-relief funds"]
    expected = [("2009", Decimal(220_000_000)), ("2009", Decimal(225_000_000)), ("2010", Decimal(330_000_000))]
    assert sorted(work_relief) == expected
    side = _query("reports-side-by-side", corpus, out, "right=id:report/xinjiang-2010")
    [both] = [r for r in side if "left_value" in r and "right_value" in r]
    assert (both["fund_type"], Decimal(both["left_value"]), Decimal(both["right_value"])) == (
        "work-relief funds",
        Decimal(220_000_000),
        Decimal(225_000_000),
    )
    assert Decimal(both["change_percent"]) == Decimal("2.27")

    release = tmp_path / "release"
    assert main(["release", str(release), "--corpus", str(corpus), "--date", "2026-12-01"]) == 0
    changelog = (release / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Report added: `xinjiang-2010`" in changelog
    released = (release / "xjkg.nt").read_text(encoding="utf-8")
    assert "<https://w3id.org/xjkg/id/report/xinjiang-2010/figure/" in released
