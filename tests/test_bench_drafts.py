"""The drafts scorer (bench/drafts.py) and the made-up series corpora it scores (tests/data/series*/).

The tiny case below is MADE UP (TEST FIXTURE: made up, labelled in its first sentence): a section of six numbers
with a reviewed mapping and a draft written by hand, so every count of the score is known beforehand.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from xjkg.cli import main as xjkg_main
from xjkg.core.paths import VOCAB_DIR
from xjkg.text.extract import extract

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import drafts

DATA = Path(__file__).parent / "data"

TEXT = (
    "Poverty Alleviation and Development in Gansu Province\n"
    "【Funds】 TEST FIXTURE: made up. In 2010, the funds amounted to 300 million Yuan, of which 100 million Yuan "
    "was work-relief funds and 200 million Yuan was credit loan funds. It built 50 kilometers of roads for "
    "people below 1,196 Yuan.\n"
    "版权所有©测试样例\n"
)
SETTINGS = {
    "source": {"file": "r.txt", "sha256": "", "body_ends_before": "版权所有"},
    "report": {"region": "region/gansu"},
    "defaults": {"area": "region/gansu", "period": "period/2010"},
}
REVIEW = {
    "entities": [
        {"id": "period/2010", "quote": "In 2010, the funds", "figure": "2010"},
        {"id": "indicator/roads-built", "type": "xjkg:Indicator", "label": "roads built"},
    ],
    "figures": [
        {
            "id": "total",
            "type": "FundAllocation",
            "quote": "amounted to 300 million Yuan",
            "indicator": "indicator/anti-poverty-investment",
            "fund_type": "fund-type/anti-poverty-funds",
        },
        {
            "id": "work-relief",
            "type": "FundAllocation",
            "quote": "100 million Yuan was work-relief",
            "indicator": "indicator/anti-poverty-investment",
            "fund_type": "fund-type/work-relief-funds",
            "component_of": "total",
        },
        {
            "id": "credit",
            "type": "FundAllocation",
            "quote": "200 million Yuan was credit",
            "indicator": "indicator/anti-poverty-investment",
            "fund_type": "fund-type/credit-loan-funds",
            "component_of": "total",
        },
        {"id": "roads", "type": "OutputCount", "quote": "built 50 kilometers", "indicator": "indicator/roads-built"},
    ],
    "exclusions": [{"quote": "below 1,196 Yuan", "reason": "a poverty line"}],
}
DRAFT = {
    "entities": [
        {"id": "indicator/roads", "type": "xjkg:Indicator", "label": "TODO: name it"},
        {"id": "indicator/funds-amounted", "type": "xjkg:Indicator", "label": "TODO: name it"},
    ],
    "figures": [
        # a new indicator where the review reuses a shared one: not wholly right
        {
            "id": "a",
            "type": "FundAllocation",
            "quote": "amounted to 300 million Yuan",
            "indicator": "indicator/funds-amounted",
            "fund_type": "fund-type/anti-poverty-funds",
        },
        # wholly right, its total at the right number though the ids differ
        {
            "id": "b",
            "type": "FundAllocation",
            "quote": "100 million Yuan was",
            "component_of": "a",
            "indicator": "indicator/anti-poverty-investment",
            "fund_type": "fund-type/work-relief-funds",
        },
        # no total, wrong fund type
        {
            "id": "c",
            "type": "FundAllocation",
            "quote": "200 million Yuan was",
            "indicator": "indicator/anti-poverty-investment",
            "fund_type": "fund-type/financial-anti-poverty-funds",
        },
        # a new indicator for a new one (right), but in Xinjiang: area wrong and outside the region
        {
            "id": "d",
            "type": "OutputCount",
            "quote": "50 kilometers",
            "indicator": "indicator/roads",
            "area": "county/luopu",
        },
        # a poverty line proposed as a figure: the kind is wrong
        {"id": "e", "type": "StatisticalFigure", "quote": "1,196 Yuan", "indicator": "indicator/roads"},
    ],
    # a year excluded where the review cites its period: the same kind
    "exclusions": [{"quote": "In 2010, the", "reason": "a year"}],
}


def _folder(root: Path, mapping: dict) -> Path:
    (root / "mapping").mkdir(parents=True)
    (root / "report.yaml").write_text(yaml.safe_dump(SETTINGS), encoding="utf-8")
    (root / "mapping" / "m.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    return root


def test_score_counts_a_known_case(tmp_path: Path) -> None:
    end = TEXT.index("版权所有")
    mentions = [m for m in extract(TEXT, 0, end) if m.is_quantity]
    assert [m.text for m in mentions] == ["2010", "300 million Yuan", "100 million Yuan", "200 million Yuan",
                                          "50 kilometers", "1,196 Yuan"]  # fmt: skip
    review = drafts.read_mapping(_folder(tmp_path / "review", REVIEW), TEXT, end, mentions)
    draft = drafts.read_mapping(_folder(tmp_path / "draft", DRAFT), TEXT, end, mentions)
    shared, parents = drafts.shared_ids(sorted(VOCAB_DIR.glob("*.yaml")))
    score = drafts.score_report("r", TEXT, end, "region/gansu", review, draft, shared, parents)

    assert (score.numbers, score.proposals, score.not_drafted, score.kind_right) == (6, 6, 0, 5)
    assert (score.figure_proposals, score.figure_pairs) == (5, 4)
    assert score.wholly_right == 2  # the year and the work-relief funds
    assert score.fields == {"type": 4, "area": 3, "period": 4, "component_of": 3, "funder": 4, "fund_type": 3,
                            "indicator": 3}  # fmt: skip
    assert (score.outside_region, score.part_of_proposed, score.part_of_right, score.part_of_reviewed) == (1, 1, 1, 2)
    shares = score.percent()
    assert (shares["wholly_right"], shares["kind"], shares["area"], shares["part_of_right"]) == (
        33.3,
        83.3,
        75.0,
        100.0,
    )
    assert len(score.wrong) == 4 and any("1,196 Yuan" in line and "figure" in line for line in score.wrong)

    total = drafts.Score("all")
    total.add(score)
    total.add(score)
    assert (total.proposals, total.wholly_right, total.fields["indicator"]) == (12, 4, 6)
    assert total.percent()["wholly_right"] == 33.3


def test_not_drafted_and_unresolved_are_counted(tmp_path: Path) -> None:
    end = TEXT.index("版权所有")
    mentions = [m for m in extract(TEXT, 0, end) if m.is_quantity]
    partial = {"figures": [*DRAFT["figures"][:2], {"id": "x", "type": "OutputCount", "quote": "not in the text",
                                                    "indicator": "indicator/x"}]}  # fmt: skip
    review = drafts.read_mapping(_folder(tmp_path / "review", REVIEW), TEXT, end, mentions)
    draft = drafts.read_mapping(_folder(tmp_path / "draft", partial), TEXT, end, mentions)
    score = drafts.score_report("r", TEXT, end, "region/gansu", review, draft, set(), {})
    assert (score.proposals, score.not_drafted, score.unresolved) == (2, 4, 1)


@pytest.mark.slow
def test_scorer_runs_the_drafter_on_a_series_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert drafts.main([str(DATA / "series"), "--report", "tibet-2010", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["report"] for r in rows] == ["tibet-2010", "all"]
    row = rows[0]
    text = (DATA / "series" / "reports" / "tibet-2010" / "tibet-poverty-alleviation-2010.txt").read_text("utf-8")
    body = text[: text.index("扫描下载手机客户端")]
    assert row["numbers"] == sum(1 for m in extract(body) if m.is_quantity) == row["proposals"] + row["not_drafted"]
    assert 0 <= row["wholly_right"] <= row["kind_right"] <= row["proposals"]
    assert row["figure_pairs"] <= row["figure_proposals"] and row["part_of_right"] <= row["part_of_proposed"]
    assert rows[1]["wholly_right"] == row["wholly_right"]


OWN_DISAGREEMENTS = {
    "series": 2,
    "series-holdout": 0,
    "series-blind": 0,
    "series-blind2": 0,
    "series-blind3": 1,
    "series-blind4": 2,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OWN_DISAGREEMENTS))
def test_series_fixtures_build_with_no_violation(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / name
    shutil.copytree(DATA / name, corpus, ignore=shutil.ignore_patterns("xjkg*.ttl"))
    assert sorted(p.name for p in (corpus / "reports").iterdir())  # not an empty corpus
    assert xjkg_main(["build", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    # the warnings are the texts' own disagreements, written on purpose (each corpus's README names them)
    assert f"validation: conforms (0 violations, {OWN_DISAGREEMENTS[name]} warnings" in out
    assert out.count(", 0 unmapped") == len(list((corpus / "reports").iterdir()))


def test_every_made_up_section_says_so() -> None:
    """Each made-up corpus says so in its README's title and in each text's first sentence, and names the made-up
    rights holder in its footer: no fixture can pass for data or for third-party text."""
    corpora = sorted(p for p in DATA.glob("series*") if (p / "reports").is_dir())
    assert [p.name for p in corpora] == [
        "series",
        "series-blind",
        "series-blind2",
        "series-blind3",
        "series-blind4",
        "series-holdout",
    ]
    for corpus in corpora:
        assert (corpus / "README.md").read_text("utf-8").startswith("# TEST FIXTURE: a made-up ")
        texts = sorted(corpus.glob("reports/*/*.txt"))
        assert len(texts) == len(list((corpus / "reports").iterdir())) >= 2
        for path in texts:
            lines = path.read_text("utf-8").splitlines()
            assert lines[1].startswith("【Overview】 TEST FIXTURE: a made-up section"), path
            assert lines[-1] == "版权所有©测试样例 未经许可不得复制", path
