"""``xjkg report new|list`` (issue 12, item 4) on the made-up 2010 section (tests/data/corpus/xinjiang-2010/)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from xjkg.cli import main
from xjkg.extract import extract
from xjkg.paths import resource_dir

FIXTURE = Path(__file__).parent / "data" / "corpus" / "xinjiang-2010" / "xinjiang-poverty-alleviation-2010.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the project's corpus (its vocabularies and mapping), never the real one."""
    data = resource_dir("data")
    target = tmp_path / "corpus"
    target.mkdir()
    for name in ("vocab", "mapping", "reports"):
        if (data / name).is_dir():
            shutil.copytree(data / name, target / name, ignore=shutil.ignore_patterns("*.txt.lock"))
    return target


def _entries(folder: Path) -> list[dict]:
    found = []
    for path in sorted((folder / "mapping").rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in ("entities", "figures", "exclusions"):
            found += [{**e, "_kind": kind} for e in raw.get(kind) or []]
    return found


def test_new_copies_pins_and_drafts_every_quantity(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    folder = corpus / "reports" / "xinjiang-2010"
    copy = folder / FIXTURE.name
    assert copy.read_bytes() == FIXTURE.read_bytes()
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert settings["source"]["sha256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert settings["report"]["period"] == ["period/2010"]  # the commonest "In YEAR"
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


def review(folder: Path) -> None:
    """A scripted review: accept every proposal (delete its `proposed:` line) and fill every TODO."""
    for path in [folder / "report.yaml", *sorted((folder / "mapping").rglob("*.yaml"))]:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not re.match(r"\s*proposed: ", line)]
        text = "".join(kept)
        text = re.sub(r"(\w+): '?TODO: name the indicator \(words after the number: (.*)\)'?$",
                      lambda m: f"{m.group(1)}: {json.dumps(m.group(2).strip(chr(39)).replace(chr(39) * 2, chr(39)))}",
                      text, flags=re.MULTILINE)  # fmt: skip
        text = text.replace(
            "publisher: 'TODO: the publisher (an organisation id, e.g. org/iprcc)'", "publisher: org/iprcc"
        )
        text = re.sub(r"^  url: .*\n", "", text, flags=re.MULTILINE)
        text = re.sub(r"'TODO: [^']*'", "test fixture", text)
        path.write_text(text, encoding="utf-8")


def test_list_shows_coverage_and_open_proposals(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    capsys.readouterr()
    assert main(["report", "list", "--corpus", str(corpus)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("xinjiang-2010"))
    numbers, mapped, unmapped, proposals, todos = (int(x) for x in row.split()[-5:])
    quantities = sum(1 for m in extract(FIXTURE.read_text(encoding="utf-8")) if m.is_quantity)
    assert (numbers, mapped, unmapped) == (quantities, 0, quantities)
    assert proposals >= quantities and todos > 0

    review(corpus / "reports" / "xinjiang-2010")
    assert main(["report", "list", "--corpus", str(corpus)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("xinjiang-2010"))
    assert [int(x) for x in row.split()[-5:]] == [quantities, quantities, 0, 0, 0]
