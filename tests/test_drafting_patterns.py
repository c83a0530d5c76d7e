"""The drafter's proposals, one pattern of the series at a time (docs/drafting.md).

TEST FIXTURE: made up. Every sentence below is made up for these tests in the style of the yearbook's sections;
none is a real report's and none of their figures is true.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import pytest

from xjkg.mapping.drafting import (
    Draft,
    IndicatorUse,
    Term,
    draft_report,
    indicator_uses,
    load_vocabulary,
    report_region,
    report_year,
)
from xjkg.text.extract import extract
from xjkg.text.source import Report

MADE_UP = "TEST FIXTURE: made up for xjkg's tests, not a real report."


@functools.cache
def _shipped() -> tuple[list[Term], dict[str, IndicatorUse]]:
    """The vocabulary and indicator uses of a corpus with no vocabularies of its own: the shipped ones, read once
    per test process (reading every shipped mapping is most of a draft's cost; ``draft_report`` only reads them)."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        (corpus / "reports").mkdir(parents=True)
        return load_vocabulary(corpus), indicator_uses(corpus)


def _draft(tmp_path: Path, body: str, region: str = "region/gansu", year: str = "2009") -> tuple[Draft, str]:
    """The draft of a made-up section in a corpus at ``tmp_path/corpus`` (a test may give it vocabularies first)."""
    corpus = tmp_path / "corpus"
    own = corpus / "vocab"
    known = (load_vocabulary(corpus), indicator_uses(corpus)) if own.is_dir() else _shipped()
    text = f"Poverty Alleviation and Development (made up)\n【Overview】 {MADE_UP} {body}\n"
    report = Report(Path("made-up.txt"), text, "0" * 64, len(text))
    settings = {
        "report": {"region": region, "period": [f"period/{year}"]},
        "defaults": {"area": region, "period": f"period/{year}"},
    }
    return draft_report(report, settings, *known), text


def _entries(draft: Draft, text: str) -> dict[str, dict[str, Any]]:
    """Each quantity's entry, by the quantity as written (the first entry whose quote holds it)."""
    found: dict[str, dict[str, Any]] = {}
    quoted = [e for entries in draft.files.values() for _, _, e in entries if "quote" in e]
    for mention in extract(text):
        if not mention.is_quantity:
            continue
        for entry in quoted:
            at = text.find(entry["quote"])
            inside = at <= mention.start and mention.end <= at + len(entry["quote"])
            if inside and entry.get("figure", mention.text) == mention.text:
                found.setdefault(mention.text, entry)
    return found


def _new(draft: Draft) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for entries in draft.files.values() for _, _, e in entries if "quote" not in e}


@pytest.mark.slow
def test_names_are_whole_words(tmp_path: Path) -> None:
    """ "Lop" (an alternative label of Luopu County) is no match for "development"; a Xinjiang county never
    lands in a section of another region."""
    draft, text = _draft(
        tmp_path,
        "The development funds of Luopu County reached 5 million Yuan and minority development funds 3 million Yuan.",
    )
    entries = _entries(draft, text)
    assert all("area" not in e for e in entries.values())
    draft, text = _draft(
        tmp_path, "The development funds of Luopu County reached 5 million Yuan.", region="region/xinjiang"
    )
    assert _entries(draft, text)["5 million Yuan"]["area"] == "county/luopu"  # inside Xinjiang, it is proposed


def test_breakdown_at_every_level(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "In 2009, the anti-poverty funds invested in Gansu amounted to 900 million Yuan, of which: financial "
        "anti-poverty funds were 500 million Yuan (including 300 million Yuan from the central government and 200 "
        "million Yuan of matching funds of the province), work-relief funds were 150 million Yuan and credit loan "
        "funds were 250 million Yuan (including 40 million Yuan of discount interest loans).",
    )
    e = _entries(draft, text)
    total, financial, credit = e["900 million Yuan"], e["500 million Yuan"], e["250 million Yuan"]
    assert total["exhaustive"] is True and "component_of" not in total
    assert financial["component_of"] == total["id"] and financial["exhaustive"] is False
    assert e["150 million Yuan"]["component_of"] == total["id"] and credit["component_of"] == total["id"]
    assert e["300 million Yuan"]["component_of"] == financial["id"]
    assert e["200 million Yuan"]["component_of"] == financial["id"]
    assert e["40 million Yuan"]["component_of"] == credit["id"]
    assert e["300 million Yuan"]["funder"] == "org/central-government"  # "central government (…)" as a name
    assert e["300 million Yuan"]["fund_type"] == "fund-type/financial-anti-poverty-funds"  # its total's
    matching = e["200 million Yuan"]
    assert matching["fund_type"] != "fund-type/financial-anti-poverty-funds"
    assert matching["funder"] == "org/gansu-government"  # "matching funds of the province"
    new = _new(draft)
    assert new["org/gansu-government"]["label"] == "the government of Gansu Province"
    assert new[e["40 million Yuan"]["fund_type"]]["label"] == "discount interest loans"


def test_parts_count_what_their_total_counts(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "Gansu has 40 key counties for poverty alleviation and development, including 35 national key counties "
        "and 5 provincial key counties, and has 8,000 poor villages and 4.5 million poor people. The number of "
        "leading enterprises reached 90, of which 20 were national leading enterprises, and they drove 300,000 "
        "households.",
    )
    e = _entries(draft, text)
    assert e["35"]["component_of"] == e["40"]["id"] and e["5"]["component_of"] == e["40"]["id"]
    assert e["40"]["exhaustive"] is False  # "including" does not say the list is whole
    for number in ("8,000", "4.5 million", "300,000"):
        assert "component_of" not in e[number], number  # villages, people, households: no parts of counties
    assert e["20"]["component_of"] == e["90"]["id"]
    assert e["35"]["designation"] == "designation/national-key-county"


def test_comparison_years_growth_and_qualifiers(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "The rural per capita net income of the key counties reached 2,300 Yuan, against 2,000 Yuan in 2008, up "
        "15% over 2008. More than 300 villages joined, up from 250 in 2008.",
    )
    e = _entries(draft, text)
    income, before, growth = e["2,300 Yuan"], e["2,000 Yuan"], e["15%"]
    assert income["indicator"] == "indicator/rural-per-capita-net-income" and "period" not in income
    assert before["indicator"] == income["indicator"] and before["period"] == "period/2008"
    assert income["area"] == before["area"] == growth["area"] == "area/gansu-key-counties"
    assert growth["type"] == "StatisticalFigure" and growth["indicator"].startswith(income["indicator"] + "-growth")
    assert e["250"]["period"] == "period/2008" and e["250"]["indicator"] == e["300"]["indicator"]
    assert "More than" in text and "qualifier 'more than'" in e["300"]["proposed"]
    years = [e2 for entries in draft.files.values() for _, _, e2 in entries if "reason" in e2]
    assert any("year of comparison" in y["reason"] for y in years)


@pytest.mark.parametrize(
    ("sentence", "number", "reason"),
    [
        pytest.param("Tibet has 1,650 poor villages, of which 628 are within 20 kilometers of the border line.",
                     "20 kilometers", "distance", id="distance"),
        pytest.param("It had 4.3 million poor people who lived below 1,196 Yuan.", "1,196 Yuan", "poverty line",
                     id="poverty-line"),
        pytest.param("It supported more than ten types of featured industries.", "ten", "count of kinds",
                     id="kinds"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_numbers_that_are_not_figures(tmp_path: Path, sentence: str, number: str, reason: str) -> None:
    draft, text = _draft(tmp_path, sentence)
    entry = _entries(draft, text)[number]
    assert "id" not in entry and reason in entry["reason"]


@pytest.mark.slow
def test_funders_agents_and_fund_types(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "A project management fee of 8 million Yuan was issued by the regional finance department. In addition, "
        "15 million Yuan of science-and-technology funds were put in by the regional science and technology "
        "department.",
        region="region/tibet",
    )
    e = _entries(draft, text)
    fee, science = e["8 million Yuan"], e["15 million Yuan"]
    assert fee["fund_type"] == "fund-type/project-management-fee"
    assert science["fund_type"] == "fund-type/science-and-technology-funds"
    assert fee["funder"] == "org/tibet-finance-department"
    assert science["funder"] == "org/tibet-science-and-technology-department"
    assert _new(draft)["org/tibet-finance-department"]["label"] == "regional finance department"


def test_an_office_allocating_is_no_training(tmp_path: Path) -> None:
    corpus_text = (
        "【Pilot projects of poverty alleviation and development】 1. Pilot projects for relocation. It relocated "
        "2,000 households and 9,000 herdsmen, with 90 million Yuan allocated by the Tibet Poverty Alleviation Office."
    )
    draft, text = _draft(tmp_path, corpus_text, region="region/tibet")
    e = _entries(draft, text)
    assert e["90 million Yuan"]["indicator"] != "indicator/training-funds"
    assert e["90 million Yuan"]["funder"] == "org/tibet-poverty-alleviation-office"
    assert e["9,000"]["indicator"] == "indicator/people-relocated"  # the verb before the first number holds
    assert e["2,000"]["indicator"] == "indicator/households-relocated"


@pytest.mark.slow
def test_outputs_get_their_own_indicators(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "It solved the drinking water problems of 200,000 people and the housing problems of 6,000 households, "
        "brought electricity to 4,000 households and radio and television broadcasting to 200 villages.",
    )
    e = _entries(draft, text)
    indicators = [e[n]["indicator"] for n in ("200,000", "6,000", "4,000", "200")]
    assert len(set(indicators)) == 4
    for indicator in indicators:
        assert not any(word.isdigit() or word in ("up", "figure") for word in indicator.split("/")[1].split("-"))
    labels = {i: _new(draft)[i]["label"] for i in indicators if i in _new(draft)}
    assert all("TODO" not in label for label in labels.values())


@pytest.mark.slow
def test_shares_and_restatements(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "Gansu has 1,600 poor villages. It completed the entire village advancement projects in 345 poor villages. "
        "Aid reached 800 poor villages, accounting for 50% of the poor villages of Gansu. Over the year it "
        "completed the entire village advancement projects in 345 poor villages.",
    )
    e = _entries(draft, text)
    share = e["50%"]
    assert share["type"] == "Share"
    assert share["share_of"] == {"part": e["800"]["id"], "whole": e["1,600"]["id"]}
    restating = [x for x in _new(draft).values()] and [
        x for entries in draft.files.values() for _, _, x in entries if x.get("restates")
    ]
    assert len(restating) == 1 and restating[0]["restates"] == e["345"]["id"]


def test_region_from_the_title_and_the_year_it_is_about(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(tmp_path)
    body = f"Poverty Alleviation and Development in Gansu Province\n{MADE_UP} Unlike Tibet, Tibet and Tibet, it grew."
    assert report_region(body.split("\n")[0], body, vocabulary) == "region/gansu"
    assert report_year(
        "Title\nAs of the end of 2009, it had 5 people. In 2010, it spent 3 Yuan, against 2 in 2009."
    ) == ("period/2010")
    assert report_year("Title\nIt relocated 3 households in 2009 and 4 people in 2010.") == "period/2010"  # a tie


def test_other_wordings_of_the_same_patterns(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "The funds reached 700 million Yuan, namely 400 million Yuan of work-relief funds and 300 million Yuan of "
        "credit loan funds. The central government allocated 90 million Yuan, against 80 million Yuan last year, "
        "an increase of 12.5% over the previous year.",
    )
    e = _entries(draft, text)
    total = e["700 million Yuan"]
    assert e["400 million Yuan"]["component_of"] == e["300 million Yuan"]["component_of"] == total["id"]
    assert total["exhaustive"] is True
    assert e["90 million Yuan"]["funder"] == "org/central-government"
    assert e["80 million Yuan"]["period"] == "period/2008"
    assert e["80 million Yuan"]["indicator"] == e["90 million Yuan"]["indicator"]
    assert e["12.5%"]["type"] == "StatisticalFigure" and "growth" in e["12.5%"]["indicator"]


# ---- families of wording (made up; most of these wordings stand in no corpus of the project) ----------------

_SHARED_FUNDS = """entities:
  - id: fund-type/matching-funds
    type: xjkg:FundType
    label: "matching funds of a province (region)"
  - id: fund-type/minority-development-funds
    type: xjkg:FundType
    label: "minority development funds"
"""


def _with_funds(tmp_path: Path) -> None:
    """A corpus vocabulary as a grown corpus has it (matching and minority development funds), made up."""
    (tmp_path / "corpus" / "vocab").mkdir(parents=True, exist_ok=True)
    (tmp_path / "corpus" / "vocab" / "fund-types.yaml").write_text(_SHARED_FUNDS, encoding="utf-8")


@pytest.mark.parametrize(
    "verb", ["disbursed", "channelled", "earmarked", "allocated", "released", "distributed", "paid", "granted"]
)
def test_who_pays_whatever_the_verb(tmp_path: Path, verb: str) -> None:
    """ "N Yuan VERB by the X Office": the office pays, under one id whatever the translation of its name."""
    draft, text = _draft(
        tmp_path, f"In 2009, 30 million Yuan was {verb} by the Qinghai Office of Poverty Alleviation and Development.",
        region="region/qinghai",
    )  # fmt: skip
    assert _entries(draft, text)["30 million Yuan"]["funder"] == "org/qinghai-poverty-alleviation-office"


def test_organisations_named_as_the_vocabularies_name_them(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "In 2009, 5 million Yuan was granted by the State Ethnic Affairs Commission, 7 million Yuan was arranged "
        "by the Provincial Department of Finance. The Gansu Poverty Alleviation and Development Office "
        "disbursed 9 million Yuan for the relocation.",
    )
    e = _entries(draft, text)
    assert e["5 million Yuan"]["funder"] == "org/state-ethnic-affairs-commission"  # not "the State"
    assert e["7 million Yuan"]["funder"] == "org/gansu-finance-department"
    assert e["9 million Yuan"]["funder"] == "org/gansu-poverty-alleviation-office"
    assert e["9 million Yuan"]["indicator"] == "indicator/relocation-funds"  # the money of what it is for


@pytest.mark.parametrize(
    "words",
    ["200 million Yuan of supporting funds of the province", "200 million Yuan was the provincial supporting funds",
     "200 million Yuan of counterpart funds from the provincial finance",
     "200 million Yuan of matching funds of the province"],
)  # fmt: skip
def test_a_provinces_own_share(tmp_path: Path, words: str) -> None:
    _with_funds(tmp_path)
    draft, text = _draft(tmp_path, f"In 2009, 500 million Yuan came from the central finance and {words}.")
    e = _entries(draft, text)
    assert e["500 million Yuan"]["funder"] == "org/central-government"  # "the central finance"
    assert e["200 million Yuan"]["fund_type"] == "fund-type/matching-funds"
    assert e["200 million Yuan"]["funder"] == "org/gansu-government"


def test_a_breakdown_across_sentences_through_semicolons(tmp_path: Path) -> None:
    """ "… N Yuan. Of which, A; B; and C" and "totaled N Yuan, up X% over the previous year: A, of which …; B":
    the parts of the total, whichever sentence they stand in; the region that "put in" the total is where the
    money went when its parts name other funders."""
    draft, text = _draft(
        tmp_path,
        "In 2009, Gansu put in 900 million Yuan of poverty alleviation funds. Of which, the financial anti-poverty "
        "funds were 500 million Yuan, namely 300 million Yuan provided by the central finance and 200 million Yuan "
        "of supporting funds of the province; the work-relief funds were 150 million Yuan; and the poverty "
        "alleviation loans were 250 million Yuan.",
    )
    e = _entries(draft, text)
    total = e["900 million Yuan"]
    assert total["fund_type"] == "fund-type/anti-poverty-funds" and "funder" not in total
    assert total["exhaustive"] is True
    for part in ("500 million Yuan", "150 million Yuan", "250 million Yuan"):
        assert e[part]["component_of"] == total["id"], part
    assert e["300 million Yuan"]["component_of"] == e["500 million Yuan"]["id"]
    assert e["250 million Yuan"]["fund_type"] == "fund-type/credit-loan-funds"
    draft, text = _draft(
        tmp_path,
        "In 2010, the funds totaled 800 million Yuan, an increase of 5% over the previous year: 600 million Yuan "
        "of financial anti-poverty funds, of which 400 million Yuan was allocated by the central government; and "
        "200 million Yuan of work-relief funds.",
        year="2010",
    )
    e = _entries(draft, text)
    assert e["600 million Yuan"]["component_of"] == e["200 million Yuan"]["component_of"] == e["800 million Yuan"]["id"]
    assert e["400 million Yuan"]["component_of"] == e["600 million Yuan"]["id"]


def test_a_total_before_its_parts_and_the_nearest_total_of_its_kind(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "Of its 40 national key counties, 12 are border counties. The advancement was launched in 300 villages "
        "with a population of 200,000, of which 120 villages passed the acceptance check.",
    )
    e = _entries(draft, text)
    assert e["12"]["component_of"] == e["40"]["id"] and e["40"]["indicator"] == "indicator/key-counties"
    assert e["120"]["component_of"] == e["300"]["id"]  # villages of villages, not of the 200,000 people
    assert e["200,000"]["type"] == "BeneficiaryCount" and "component_of" not in e["200,000"]


def test_money_named_by_what_it_is_for(tmp_path: Path) -> None:
    _with_funds(tmp_path)
    draft, text = _draft(
        tmp_path,
        "In 2009, 12 million Yuan of special funds for science and technology poverty alleviation was arranged, "
        "and 8 million Yuan of funds for the development of ethnic minorities was put in. The management expenses "
        "of projects totaled 3 million Yuan.",
    )
    e = _entries(draft, text)
    assert e["12 million Yuan"]["fund_type"] == "fund-type/science-and-technology-funds"
    assert e["8 million Yuan"]["fund_type"] == "fund-type/minority-development-funds"
    assert e["3 million Yuan"]["fund_type"] != e["12 million Yuan"]["fund_type"]


def test_a_poverty_line_inside_a_sentence_of_two_counts(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "By the end of 2008, its total population was 5.6 million, and the rural population with a per capita "
        "net income under 1,300 Yuan was 0.9 million.",
    )
    e = _entries(draft, text)
    assert e["5.6 million"]["indicator"] == "indicator/population"
    assert e["0.9 million"]["indicator"] == "indicator/poor-population"


@pytest.mark.parametrize(
    ("sentence", "number", "expected"),
    [("It resettled 2,000 households out of the mountains.", "2,000", "indicator/households-relocated"),
     ("The bases of tea covered 50,000 mu.", "50,000 mu", "StatisticalFigure"),
     ("800 villages got access to radio and television.", "800", "BeneficiaryCount"),
     ("The drinking water difficulties of 30,000 people were resolved.", "30,000",
      "indicator/people-drinking-water-solved"),
     ("36 agencies carried out paired assistance.", "36", "indicator/assisting-units")],
)  # fmt: skip
def test_the_same_thing_said_another_way(tmp_path: Path, sentence: str, number: str, expected: str) -> None:
    (tmp_path / "corpus" / "vocab").mkdir(parents=True, exist_ok=True)
    (tmp_path / "corpus" / "vocab" / "indicators.yaml").write_text(
        'entities:\n  - id: indicator/people-drinking-water-solved\n    type: xjkg:Indicator\n'
        '    label: "people whose drinking water problems were solved"\n', encoding="utf-8"
    )  # fmt: skip
    draft, text = _draft(tmp_path, sentence)
    entry = _entries(draft, text)[number]
    assert expected in (entry["indicator"], entry["type"])


def test_a_kind_of_area_of_the_region(tmp_path: Path) -> None:
    """ "N villages in the pastoral areas": a new target area inside the report's region, never outside it."""
    draft, text = _draft(
        tmp_path, "The advancement covered 900 villages, including 300 villages in the pastoral areas.",
        region="region/qinghai",
    )  # fmt: skip
    e = _entries(draft, text)
    assert e["300"]["area"] == "area/qinghai-pastoral-areas" and "area" not in e["900"]
    assert _new(draft)["area/qinghai-pastoral-areas"]["part_of"] == "region/qinghai"


def test_places_an_activity_reached_are_not_the_places_the_region_has(tmp_path: Path) -> None:
    """ "It has 40 key counties" is the shipped key-counties statistic; "assistance in 30 key counties" counts where
    an activity went: a new indicator of its own, an output."""
    draft, text = _draft(
        tmp_path, "Gansu has 40 national key counties. Central units carried out paired assistance in 30 key counties."
    )
    e = _entries(draft, text)
    assert e["40"]["indicator"] == "indicator/key-counties" and e["40"]["type"] == "StatisticalFigure"
    assert e["30"]["indicator"] not in ("indicator/key-counties", "indicator/county-level-divisions")
    assert e["30"]["type"] == "OutputCount"


@pytest.mark.parametrize(
    "opening",
    ["This included", "Of this,", "Among the total,", "Of the total funds,", "The total was made up of",
     "It consisted of", "Within this amount,", "The sum broke down into"],
)  # fmt: skip
def test_a_sentence_that_breaks_down_the_total_before(tmp_path: Path, opening: str) -> None:
    """A breakdown opened by words other than "of which": the parts of the sentence before's total, and a
    nested "of which" of a part ended by ";" (made up, as every sentence of this file)."""
    draft, text = _draft(
        tmp_path,
        f"In 2009, the province invested 900 million Yuan in poverty alleviation, up 9.0% over 2008. {opening} "
        "500 million Yuan of fiscal funds, of which 300 million Yuan from the central finance and 200 million Yuan "
        "from the provincial finance; 150 million Yuan of work-relief funds; and 250 million Yuan of bank loans.",
    )
    e = _entries(draft, text)
    total = e["900 million Yuan"]["id"]
    for part in ("500 million Yuan", "150 million Yuan", "250 million Yuan"):
        assert e[part]["component_of"] == total, part
    for part in ("300 million Yuan", "200 million Yuan"):
        assert e[part]["component_of"] == e["500 million Yuan"]["id"], part
    assert e["900 million Yuan"].get("fund_type") != "fund-type/foreign-funds"  # "investment" is not "foreign"
    assert e["500 million Yuan"]["fund_type"] == "fund-type/financial-anti-poverty-funds"  # "fiscal funds"
    assert e["250 million Yuan"]["fund_type"] == "fund-type/credit-loan-funds"  # "bank loans"
    assert e["300 million Yuan"]["funder"] == "org/central-government"


def test_a_share_of_the_total_opens_no_breakdown(tmp_path: Path) -> None:
    """ "accounting for N% of the total" is a share, not "Of the total, …": what follows it is no part of it."""
    draft, text = _draft(
        tmp_path,
        "In 2009, anti-poverty funds reached 800 million Yuan. Funds from the central finance amounted to "
        "500 million Yuan, accounting for 62.5% of the total; the provincial finance contributed 300 million Yuan.",
    )
    e = _entries(draft, text)
    assert e["300 million Yuan"].get("component_of") != e["500 million Yuan"]["id"]


@pytest.mark.parametrize(
    "tail", ["55 in total", "55 in all", "55 altogether", "totaling 55", "making up a total of 55", "adding up to 55"]
)
def test_a_total_said_after_its_parts(tmp_path: Path, tail: str) -> None:
    draft, text = _draft(
        tmp_path,
        f"The province has 30 national key counties and 25 provincial key counties, {tail}, and 900 poor villages.",
    )
    e = _entries(draft, text)
    assert e["30"]["component_of"] == e["55"]["id"] and e["25"]["component_of"] == e["55"]["id"]
    assert "component_of" not in e["900"] and "component_of" not in e["55"]


def test_one_number_before_a_total_is_no_breakdown(tmp_path: Path) -> None:
    draft, text = _draft(tmp_path, "The province trained 3,000 cadres; in 2009, it trained 5,000 farmers in total.")
    e = _entries(draft, text)
    assert "component_of" not in e["3,000"]


@pytest.mark.parametrize(
    ("words", "fund_type"),
    [("supporting funds", "fund-type/matching-funds"), ("complementary funds", "fund-type/matching-funds"),
     ("fiscal anti-poverty funds", "fund-type/financial-anti-poverty-funds"),
     ("financial poverty alleviation funds", "fund-type/financial-anti-poverty-funds"),
     ("loans from banks", "fund-type/credit-loan-funds"), ("donated funds", "fund-type/social-funds")],
)  # fmt: skip
def test_fund_types_said_another_way(tmp_path: Path, words: str, fund_type: str) -> None:
    """A translator's other words for a shipped fund type name that type, never a new one."""
    _with_funds(tmp_path)
    draft, text = _draft(tmp_path, f"In 2009, 70 million Yuan of {words} was used in the key counties.")
    assert _entries(draft, text)["70 million Yuan"]["fund_type"] == fund_type


def test_foreign_funds_only_when_the_text_says_foreign(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "In 2009, the province's investment in poverty alleviation was 60 million Yuan, and the international "
        "investment in poverty alleviation was 8 million Yuan.",
    )
    e = _entries(draft, text)
    assert e["60 million Yuan"].get("fund_type") != "fund-type/foreign-funds"
    assert e["8 million Yuan"]["fund_type"] == "fund-type/foreign-funds"


@pytest.mark.parametrize(
    "sentence",
    [
        "credit funds for poverty alleviation were 40 million Yuan",
        "40 million Yuan of loan funds for poverty reduction",
    ],
)
def test_the_kind_said_before_for_poverty_alleviation(tmp_path: Path, sentence: str) -> None:
    """ "X funds for poverty alleviation": X names the kind (made up)."""
    draft, text = _draft(tmp_path, f"In 2009, {sentence}.")
    assert _entries(draft, text)["40 million Yuan"]["fund_type"] == "fund-type/credit-loan-funds"


@pytest.mark.parametrize(
    "sentence",
    ["the poverty alleviation investment of the province totaled 80 million Yuan",
     "the province's investment in poverty reduction came to 80 million Yuan"],
)  # fmt: skip
def test_investment_in_poverty_alleviation_is_anti_poverty_funds(tmp_path: Path, sentence: str) -> None:
    draft, text = _draft(tmp_path, f"In 2009, {sentence}.")
    assert _entries(draft, text)["80 million Yuan"]["fund_type"] == "fund-type/anti-poverty-funds"


@pytest.mark.parametrize("verb", ["extended", "lent", "matched", "pledged", "poured in", "came up with"])
def test_the_subject_of_a_paying_verb_is_the_funder(tmp_path: Path, verb: str) -> None:
    """ "the central government VERB N Yuan": whoever pays is the funder, whatever the verb (made up)."""
    draft, text = _draft(tmp_path, f"In 2009, the central government {verb} 45 million Yuan for the key counties.")
    assert _entries(draft, text)["45 million Yuan"]["funder"] == "org/central-government"


@pytest.mark.parametrize("share", ["accounting for 62.5% of the total", "or 62.5 percent of the total"])
def test_a_share_of_the_total_makes_a_sentence_of_parts(tmp_path: Path, share: str) -> None:
    """ "Funds from X were N Yuan, accounting for M% of the total; Y contributed …": the parts of the total said
    in the sentence before (made up)."""
    draft, text = _draft(
        tmp_path,
        "In 2009, anti-poverty funds reached 800 million Yuan. Funds from the central finance amounted to "
        f"500 million Yuan, {share}; the provincial finance contributed 200 million Yuan and the county finance "
        "100 million Yuan.",
    )
    e = _entries(draft, text)
    for part in ("500 million Yuan", "200 million Yuan", "100 million Yuan"):
        assert e[part]["component_of"] == e["800 million Yuan"]["id"], part


def test_parts_of_the_total_not_of_the_figure_it_was_compared_with(tmp_path: Path) -> None:
    draft, text = _draft(
        tmp_path,
        "In 2009, anti-poverty funds reached 800 million Yuan, 14.3% more than the 700 million Yuan of 2008. "
        "Of this, 500 million Yuan came from the central finance and 300 million Yuan from the provincial finance.",
    )
    e = _entries(draft, text)
    assert e["500 million Yuan"]["component_of"] == e["800 million Yuan"]["id"]
    assert e["300 million Yuan"]["component_of"] == e["800 million Yuan"]["id"]


@pytest.mark.parametrize("verb", ["amounted to", "reached", "were", "totaled"])
def test_funds_from_a_funder_before_the_number(tmp_path: Path, verb: str) -> None:
    draft, text = _draft(
        tmp_path, f"In 2009, the province spent 9 Yuan. Funds from the central finance {verb} 45 million Yuan."
    )
    assert _entries(draft, text)["45 million Yuan"]["funder"] == "org/central-government"


def test_a_funder_whose_verb_is_left_out(tmp_path: Path) -> None:
    """ "X earmarked N Yuan and Y M Yuan": Y pays M; "and the training funds M Yuan" names no payer (made up)."""
    draft, text = _draft(
        tmp_path,
        "In 2009, the central finance earmarked 50 million Yuan and the provincial finance 20 million Yuan. "
        "The office issued 6 million Yuan of relief funds and the training funds 3 million Yuan.",
    )
    e = _entries(draft, text)
    assert e["20 million Yuan"]["funder"] == "org/gansu-government"
    assert e["50 million Yuan"]["funder"] == "org/central-government"
    assert "training" not in str(e["3 million Yuan"].get("funder", ""))


def test_a_percentage_that_is_no_growth_is_a_share(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. A percentage is a part of a whole whatever the wording, unless it grows something;
    it reuses an indicator of proportions whose whole the text names (the shipped share of the rural poor)."""
    draft, text = _draft(
        tmp_path,
        "The county schooled 5,400 herders in veterinary skills, and 71% of them found work in towns. Some 52.5% "
        "of the rural poor were women. Pupils of poor families kept a dropout ratio of 3.5%. Its income climbed "
        "to 2,600 Yuan, up 9.1% on 2008.",
    )
    e = _entries(draft, text)
    assert {e[n]["type"] for n in ("71%", "52.5%", "3.5%")} == {"Share"}
    assert e["52.5%"]["indicator"] == "indicator/share-of-rural-poor"
    assert e["3.5%"]["indicator"] == "indicator/dropout-ratio"
    assert e["71%"]["indicator"].startswith("indicator/share-of-") and e["71%"]["indicator"] != e["52.5%"]["indicator"]
    assert e["9.1%"]["type"] == "StatisticalFigure"


def test_the_key_counties_of_the_numbers_own_clause(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. The key counties are a figure's area when its subject names them, when it is said to
    be in them or when the amount goes to them; not when they belong to another number or to a clause before."""
    draft, text = _draft(
        tmp_path,
        "The average wage of herders in the 17 key counties rose to 3,020 Yuan. Eight ministries carried 95 million "
        "Yuan of aid money into the key counties. The county backed 41 budding cooperatives in the key counties "
        "and terraced 9,000 mu of slopes. Walnuts spread in the key counties, and 73 processing firms hired 6,000 "
        "herders. Spending was 3 billion Yuan, and 64% of it flowed to the key counties.",
    )
    e = _entries(draft, text)
    key = "area/gansu-key-counties"
    assert e["3,020 Yuan"]["area"] == e["95 million Yuan"]["area"] == e["41"]["area"] == key
    assert all(e[n].get("area") in (None, "region/gansu") for n in ("9,000 mu", "73", "6,000", "64%"))
    assert e["41"]["indicator"] != "indicator/key-counties"  # "budding cooperatives" is what it counts


def test_money_that_assisting_units_give(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. Counts of assisting units that are the subject of a verb of giving: the money is
    their assistance funds, given by the group the count names (one count) or by the assisting units (several)."""
    draft, text = _draft(
        tmp_path,
        "Some 930 private companies twinned with poor villages and poured in 270 million Yuan. 31 ministries' "
        "agencies joined fixed-point work in Gansu, contributing 88 million Yuan. 12 central organs in fixed-point "
        "work and 40 provincial departments in paired work gave 150 million Yuan. The county invested 9 million "
        "Yuan in roads.",
    )
    e = _entries(draft, text)
    assert e["270 million Yuan"]["funder"] == "org/gansu-private-companies"
    assert e["150 million Yuan"]["funder"] == "org/gansu-assisting-units"
    for money in ("270 million Yuan", "88 million Yuan", "150 million Yuan"):
        assert e[money]["indicator"] == "indicator/assistance-funds"
    assert e["9 million Yuan"]["indicator"] != "indicator/assistance-funds"  # no count of units gives it
    assert e["9 million Yuan"].get("funder") != "org/gansu-assisting-units"


def test_money_for_poverty_alleviation_and_money_matched(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. Money any verb of giving puts "for", "into" or "in" poverty alleviation (or reduction)
    is anti-poverty funds of the series' money indicator; money a government "matched" is matching funds."""
    _with_funds(tmp_path)
    draft, text = _draft(
        tmp_path,
        "In 2009, the province mobilised 2.75 billion Yuan for poverty reduction, up 8.0% over 2008. The "
        "provincial treasury matched 410 million Yuan. Counties poured 3.6 billion Yuan into poverty alleviation, "
        "while fees took 9 million Yuan. The league spent 12 million Yuan on poverty alleviation schooling.",
    )
    e = _entries(draft, text)
    assert e["2.75 billion Yuan"]["fund_type"] == e["3.6 billion Yuan"]["fund_type"] == "fund-type/anti-poverty-funds"
    assert e["2.75 billion Yuan"]["indicator"] == "indicator/anti-poverty-investment"  # no purpose of its own
    assert e["410 million Yuan"]["fund_type"] == "fund-type/matching-funds"
    assert e["12 million Yuan"].get("fund_type") != "fund-type/anti-poverty-funds"  # money for schooling


def test_money_said_as_more_than_another_amount_is_an_increase(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. "N Yuan more/higher than …" after a money figure is its increase: a statistic with
    an indicator of its own, never a total of the parts said after it."""
    draft, text = _draft(
        tmp_path,
        "Herders' average income climbed to 2,870 Yuan, 330 Yuan higher than a year earlier. Relief money totalled "
        "1.9 billion Yuan, 240 million Yuan up on the sum of 2008. Of the total, the treasury gave 1.1 billion Yuan.",
    )
    e = _entries(draft, text)
    for rise, base in (("330 Yuan", "2,870 Yuan"), ("240 million Yuan", "1.9 billion Yuan")):
        assert e[rise]["type"] == "StatisticalFigure" and "fund_type" not in e[rise]
        assert e[rise]["indicator"] == f"{e[base]['indicator']}-increase"
    assert e["1.1 billion Yuan"].get("component_of") != e["240 million Yuan"]["id"]


@pytest.mark.parametrize("lead", ["", "a total of ", "RMB ", "some RMB "])
@pytest.mark.parametrize("verb", ["earmarked", "also set aside"])
def test_a_paying_subject_before_a_currency_written_out(tmp_path: Path, lead: str, verb: str) -> None:
    """TEST FIXTURE: made up. "X VERB RMB N yuan": the currency before the number and "yuan" in lower case leave
    the subject the funder."""
    draft, text = _draft(tmp_path, f"In 2009, the central government {verb} {lead}45 million yuan for dairy sheds.")
    assert _entries(draft, text)["45 million yuan"]["funder"] == "org/central-government"


def test_a_paying_subject_before_its_apposition(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. "Tianjin, the partner city, handed out N": the name before the apposition pays."""
    draft, text = _draft(tmp_path, "In 2009, Tianjin, the partner city, handed out RMB 7 million yuan for wells.")
    funder = _entries(draft, text)["7 million yuan"]["funder"]
    assert "tianjin" in funder and "partner" not in funder


def test_a_flattened_table_names_each_part_by_its_level(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. "of this, central financial funds N yuan and provincial money M yuan": each part's funder
    is the level of government its adjective names, and the total then has none (the parts name others)."""
    draft, text = _draft(
        tmp_path,
        "In 2009, the province spent RMB 900 million yuan on the uplands; of this, central financial funds 700 million "
        "yuan and provincial money 200 million yuan.",
    )
    e = _entries(draft, text)
    assert e["700 million yuan"]["funder"] == "org/central-government"
    assert e["200 million yuan"]["funder"] == "org/gansu-government"
    assert e["700 million yuan"]["component_of"] == e["900 million yuan"]["id"]
    assert "funder" not in e["900 million yuan"]


def test_a_verb_left_out_after_lower_case_yuan(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. "X pledged N yuan and Y M yuan": Y pays M whatever the case of the currency."""
    draft, text = _draft(
        tmp_path, "In 2009, the provincial finance pledged RMB 12 million yuan and the central finance 30 million yuan."
    )
    assert _entries(draft, text)["30 million yuan"]["funder"] == "org/central-government"


@pytest.mark.parametrize(
    "increase",
    ["a rise of 60 million yuan on 2008", "up by RMB 60 million yuan on 2008", "having climbed by 60 million yuan",
     "a jump of 60 million yuan from the year before"],
)  # fmt: skip
def test_money_said_as_an_increase_before_its_amount(tmp_path: Path, increase: str) -> None:
    """TEST FIXTURE: made up. "N yuan, a rise of M yuan on 2008": M is the increase of N (a statistic of its own),
    neither a second total nor the total of the parts after it."""
    draft, text = _draft(
        tmp_path,
        f"In 2009, anti-poverty funds stood at RMB 480 million yuan, {increase}. Money for roads was 30 million "
        "yuan and money for wells 20 million yuan.",
    )
    e = _entries(draft, text)
    rise = e["60 million yuan"]
    assert rise["type"] == "StatisticalFigure" and rise["indicator"].endswith("-increase")
    assert "fund_type" not in rise and "component_of" not in rise
    assert e["30 million yuan"].get("component_of") != rise["id"]


@pytest.mark.parametrize("unit", ["household", "family", "village"])
def test_an_amount_each_unit_received(tmp_path: Path, unit: str) -> None:
    """TEST FIXTURE: made up. "every poor household got N yuan towards …": an amount per the unit "each" or "every"
    counts, the shipped funds per that unit, not money of the purpose after it."""
    draft, text = _draft(tmp_path, f"In 2009, every poor {unit} got 18,000 yuan towards its biogas tank.")
    e = _entries(draft, text)["18,000 yuan"]
    assert e["indicator"] == f"indicator/funds-per-{unit}" and e["type"] == "StatisticalFigure"


@pytest.mark.parametrize("noun", ["persons ", "individuals ", ""])
def test_a_subset_named_before_with_a_verb_of_its_own(tmp_path: Path, noun: str) -> None:
    """TEST FIXTURE: made up. "The county coached 7,000 persons, among them 5,200 persons later opened shops": the
    subset has a predicate of its own, so not the indicator of the trained."""
    draft, text = _draft(
        tmp_path, f"In 2009, the county coached 7,000 persons in weaving, among them 5,200 {noun}later opened shops."
    )
    e = _entries(draft, text)
    assert e["7,000"]["indicator"] == "indicator/people-trained"
    assert e["5,200"]["indicator"] != "indicator/people-trained"


@pytest.mark.parametrize(
    "sentence",
    ["the World Bank lent 25 million yuan for terraces", "25 million yuan was granted by an overseas foundation",
     "the International Fund for Agricultural Development chipped in 25 million yuan"],
)  # fmt: skip
def test_money_of_a_funder_from_abroad_is_foreign_funds(tmp_path: Path, sentence: str) -> None:
    """TEST FIXTURE: made up. Money whose funder is international or foreign, by type or name, is foreign funds;
    the province's own money beside it is not."""
    draft, text = _draft(tmp_path, f"In 2009, {sentence}, and the province put in 9 million yuan.")
    e = _entries(draft, text)
    assert e["25 million yuan"]["indicator"] == "indicator/foreign-funds"
    assert e["9 million yuan"]["indicator"] != "indicator/foreign-funds"


@pytest.mark.parametrize(
    "payer", ["Zhejiang Province", "the Shanghai municipal government", "Fujian", "the Liaoning provincial finance"]
)
def test_another_province_that_pays_is_its_government(tmp_path: Path, payer: str) -> None:
    """TEST FIXTURE: made up. A partner province or municipality named as the payer, alone or with its level or
    "government", is that unit's government, never a new organisation of the report's region."""
    draft, text = _draft(tmp_path, f"In 2009, {payer} handed over RMB 16 million yuan for greenhouses.")
    funder = _entries(draft, text)["16 million yuan"]["funder"]
    assert funder.endswith("-government") and not funder.startswith("org/gansu")


@pytest.mark.parametrize("first", ["stepped up its pairing work and", "kept its twinning pledge and"])
def test_a_payer_shared_by_two_verbs(tmp_path: Path, first: str) -> None:
    """TEST FIXTURE: made up. "Zhejiang stepped up its pairing work and donated N": the subject of both verbs pays."""
    draft, text = _draft(tmp_path, f"In 2009, Zhejiang {first} donated 9 million yuan to the uplands.")
    assert _entries(draft, text)["9 million yuan"]["funder"] == "org/zhejiang-government"


@pytest.mark.parametrize("payer", ["the municipal finance", "the municipal government", "the municipality"])
def test_a_municipality_names_itself_by_its_level(tmp_path: Path, payer: str) -> None:
    """TEST FIXTURE: made up. In a section of a municipality, "the municipal finance" is the region's government."""
    draft, text = _draft(tmp_path, f"In 2010, {payer} remitted 14 million yuan for ponds.", region="region/tianjin")
    assert _entries(draft, text)["14 million yuan"]["funder"] == "org/tianjin-government"


def test_money_of_the_one_action_the_heading_names(tmp_path: Path) -> None:
    """TEST FIXTURE: made up. Money that names no purpose of its own under a heading that names one action is that
    action's funds; under a heading of no action it is not."""
    draft, text = _draft(
        tmp_path,
        "The year went well.\n【Resettlement for poverty alleviation】 The province paid out 52 million yuan on "
        "moving 4,000 families out of the gorges.\n【Other work】 The county paid out 8 million yuan.",
    )
    e = _entries(draft, text)
    assert e["52 million yuan"]["indicator"] == "indicator/resettlement-funds"
    assert e["8 million yuan"]["indicator"] != "indicator/work-funds"
