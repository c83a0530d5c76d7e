"""The indicator and the figure type the drafter proposes, one family of wording at a time (mapping/indicators.py,
docs/drafting.md "Indicators and types").

TEST FIXTURE: made up. Every sentence below is made up for these tests in the style of the yearbook's sections,
many in wordings no fixture set uses; none is a real report's and none of their figures is true.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xjkg.mapping.drafting import draft_report, indicator_uses, load_vocabulary
from xjkg.mapping.indicators import family, grows_after, readable_words, shares_after
from xjkg.text.extract import Mention, extract
from xjkg.text.source import Report

MADE_UP = "TEST FIXTURE: made up for xjkg's tests, not a real report."
SHIPPED = {
    "indicator/prefecture-level-divisions",
    "indicator/county-level-divisions",
    "indicator/population",
    "indicator/poor-population",
    "indicator/key-counties",
    "indicator/assisting-units",
    "indicator/funds-per-village",
    "indicator/funds-per-household",
    "indicator/funds-per-person",
    "indicator/impoverished-villages",
    "indicator/cadres-dispatched",
    "indicator/households-relocated",
    "indicator/people-relocated",
    "indicator/families-helped",
    "indicator/rural-per-capita-net-income",
    "indicator/villages-assisted",
    "indicator/families-joined",
    "indicator/assistance-funds",
    "indicator/training-funds",
    "indicator/funds-per-family",
    "indicator/relocation-funds-per-family",
    "indicator/villages-in-advancement",
    "indicator/villages-completed-advancement",
    "indicator/villages-completed-advancement-to-date",
    "indicator/people-trained",
    "indicator/training-person-times",
}


def _mention(sentence: str, number: str) -> Mention:
    found = [m for m in extract(sentence) if m.text == number]
    assert found, f"{number!r} is not a quantity of {sentence!r}"
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "number", "indicator", "kind"),
    [
        # divisions of a region: prefecture level (leagues, autonomous prefectures) and county level (banners)
        ("The province has 14 prefecture-level cities and 102 counties.", "14", "prefecture-level-divisions", "SF"),
        ("The province has 14 prefecture-level cities and 102 counties.", "102", "county-level-divisions", "SF"),
        ("The region is divided into 9 leagues and cities.", "9", "prefecture-level-divisions", "SF"),
        ("It administers 7 autonomous prefectures and 2 cities.", "7", "prefecture-level-divisions", "SF"),
        ("The prefecture has jurisdiction over 11 county-level divisions.", "11", "county-level-divisions", "SF"),
        ("Its 23 banners (counties, districts) lie in the plateau.", "23", "county-level-divisions", "SF"),
        ("The region comprises 80 banners and counties.", "80", "county-level-divisions", "SF"),
        # population and poor population, however said
        ("At the end of 2009, its total population was 12.3 million.", "12.3 million", "population", "SF"),
        ("The registered population stood at 38.9 million.", "38.9 million", "population", "SF"),
        ("The province had 4.1 million inhabitants.", "4.1 million", "population", "SF"),
        ("The poor in the mountain areas numbered 820,000.", "820,000", "poor-population", "BC"),
        ("The rural poor population totalled 2.1 million.", "2.1 million", "poor-population", "BC"),
        ("Impoverished people stood at 350,000.", "350,000", "poor-population", "BC"),
        ("There were 640,000 poor people in the border areas.", "640,000", "poor-population", "BC"),
        # people trained, however the training is said, and attendances of training
        ("The province trained 4.1 million farmers.", "4.1 million", "people-trained", "BC"),
        ("The county schooled 5,400 herders in veterinary skills.", "5,400", "people-trained", "BC"),
        ("Short courses for 3,100 women were run in the townships.", "3,100", "people-trained", "BC"),
        (
            "It retrained 8,000 miners: 6,500 through apprenticeships and 1,500 in evening classes.",
            "1,500",
            "people-trained",
            "BC",
        ),
        ("Vocational schooling reached 12,000 person-times.", "12,000 person-times", "training-person-times", "BC"),
        # key counties at any level, and their total
        ("The region has 15 state-level key poverty alleviation counties.", "15", "key-counties", "SF"),
        ("It has 9 national key banners and 6 provincial key banners, 15 in total.", "9", "key-counties", "SF"),
        ("It has 9 national key banners and 6 provincial key banners, 15 in total.", "15", "key-counties", "SF"),
        # units that assist
        ("36 provincial departments carried out paired assistance.", "36", "assisting-units", "SF"),
        ("52 central and provincial units sent cadres to the villages.", "52", "assisting-units", "SF"),
        (
            "75 county, township and state-farm (bureau)-level agencies were engaged in the work.",
            "75",
            "assisting-units",
            "SF",
        ),
        (
            "19 ministries' organs and 300 prefectural units participated in the campaign.",
            "300",
            "assisting-units",
            "SF",
        ),
        ("Some 1,400 private companies twinned with poor villages.", "1,400", "assisting-units", "SF"),
        ("Altogether 640 units posted working teams to 1,900 poor villages.", "640", "assisting-units", "SF"),
        ("Altogether 640 units posted working teams to 1,900 poor villages.", "1,900", "villages-assisted", "BC"),
        # averages and amounts per unit
        ("The villages received an average of 300,000 Yuan per village.", "300,000 Yuan", "funds-per-village", "SF"),
        ("Each relocated family was given 800 Yuan per household.", "800 Yuan", "funds-per-household", "SF"),
        (
            "It allocated 9 million Yuan for relocation, 20,000 Yuan for each family.",
            "20,000 Yuan",
            "relocation-funds-per-family",
            "SF",
        ),
        ("The per capita net income of farmers reached 3,120 Yuan.", "3,120 Yuan", "rural-per-capita-net-income", "SF"),
        ("Each trainee received 300 Yuan of living allowance.", "300 Yuan", "", "SF"),
        (
            "The 40 households each gained 900 Yuan more income on average.",
            "900 Yuan",
            "income-increase-per-household",
            "SF",
        ),
        # what a region has: its poor villages (gachas are villages)
        ("The region has 12 key banners and 1,900 poor gachas.", "1,900", "impoverished-villages", "SF"),
        ("There are 4,200 impoverished administrative villages.", "4,200", "impoverished-villages", "SF"),
        # people sent, moved, driven out of poverty
        ("The province dispatched 2,400 village-based cadres.", "2,400", "cadres-dispatched", "OC"),
        ("900 cadres of provincial units were stationed in poor villages.", "900", "cadres-dispatched", "OC"),
        ("It resettled 5,200 households with 23,000 people.", "5,200", "households-relocated", "BC"),
        ("It resettled 5,200 households with 23,000 people.", "23,000", "people-relocated", "BC"),
        ("1,700 herdsmen households of the high mountains were relocated.", "1,700", "households-relocated", "BC"),
        (
            "Along the river 3,300 households and 14,000 people moved out of the flood plain.",
            "3,300",
            "households-relocated",
            "BC",
        ),
        ("Boarding allowances of 800 Yuan per pupil went to poor families.", "800 Yuan", "allowance-per-pupil", "SF"),
        (
            "Herders settled in towns; their mean grant came to 4,500 Yuan per household.",
            "4,500 Yuan",
            "grant-per-household",
            "SF",
        ),
        ("Roads were paved and 4,500 households moved into new houses.", "4,500", "households-rehoused", "BC"),
        ("The enterprises drove 84,000 farming households.", "84,000", "families-helped", "BC"),
        ("Cooperatives brought along 12,000 rural families.", "12,000", "families-helped", "BC"),
        ("The 70 firms grew tea, reaching 90,000 households.", "90,000", "families-helped", "BC"),
        ("Its 1,200 cooperatives contracted with 8,000 poor households.", "8,000", "families-helped", "BC"),
        (
            "Dairy companies concluded purchase agreements with 5,500 herding families.",
            "5,500",
            "families-helped",
            "BC",
        ),
        ("80 provincial units paired up with 240 poor villages.", "240", "villages-assisted", "BC"),
        ("The aid-Gansu provinces donated 9 million Yuan for 130 poor villages.", "130", "villages-assisted", "BC"),
        ("Mutual funds were set up in 40 villages, with 3,600 member households.", "3,600", "families-joined", "BC"),
        ("In the pilot, 2,900 households joined the cooperatives.", "2,900", "families-joined", "BC"),
        # money named by what it is: aid, training
        ("Jiangsu provided 60 million Yuan of aid funds.", "60 million Yuan", "assistance-funds", ""),
        (
            "12 million Yuan was put in for the vocational training of young people.",
            "12 million Yuan",
            "training-funds",
            "",
        ),
        # entire village advancement: carried out, completed in the year, completed to date
        ("Entire village advancement got under way in 730 natural villages.", "730", "villages-in-advancement", "OC"),
        ("Entire village advancement was launched in 500 villages.", "500", "villages-in-advancement", "OC"),
        (
            "It carried out entire village advancement in 400 villages, of which 310 passed the acceptance check.",
            "310",
            "villages-completed-advancement",
            "OC",
        ),
        ("Whole-village advancement was finished in 95 gachas.", "95", "villages-completed-advancement", "OC"),
        (
            "1,200 poor villages have basically completed the entire village advancement.",
            "1,200",
            "villages-completed-advancement-to-date",
            "OC",
        ),
        (
            "In entire village advancement, the 640 villages started in 2009 passed the acceptance check.",
            "640",
            "villages-completed-advancement",
            "OC",
        ),
        # roads hardened are no roads built; enterprises a program supports are what the region has
        ("3,400 kilometers of rural roads were hardened.", "3,400 kilometers", "rural-roads-hardened", "OC"),
        ("It hardened 900 kilometers of village-level roads.", "900 kilometers", "village-level-roads-hardened", "OC"),
        ("It supported 45 leading enterprises and 130 farmers' cooperatives.", "130", "", "SF"),
        ("The province identified 60 dragon-head enterprises.", "60", "", "SF"),
        (
            "The training funds issued by the provincial office were 8 million Yuan.",
            "8 million Yuan",
            "training-funds",
            "",
        ),
        # income
        (
            "The per capita net income of farmers in the key counties was 2,600 Yuan.",
            "2,600 Yuan",
            "rural-per-capita-net-income",
            "SF",
        ),
    ],
)
def test_families_of_wording(sentence: str, number: str, indicator: str, kind: str) -> None:
    text = f"{MADE_UP} {sentence}"
    found = family(text, _mention(text, number), len(MADE_UP) + 1, SHIPPED)
    assert found is not None
    assert found.indicator == (f"indicator/{indicator}" if indicator else "")
    assert found.type == {"SF": "StatisticalFigure", "BC": "BeneficiaryCount", "OC": "OutputCount", "": ""}[kind]


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("The pilot was carried out in 58 counties of the province.", "58"),  # counties of a program, no division
        ("It lifted 30,000 poor people out of poverty.", "30,000"),  # an outcome, not how many the poor are
        ("1.08 million rural residents had a per capita net income below the poverty line.", "1.08 million"),
        ("The province invested 5 million Yuan in roads.", "5 million Yuan"),
        ("The management fees were 5 million Yuan. The per capita net income rose.", "5 million Yuan"),
        ("Of the 20 cities, 12 were assisted.", "12"),
        ("It extended the pilot to ten key counties.", "ten"),  # places an activity reached
        ("It ran 320 training courses for herders.", "320"),  # the courses, not the people trained
        ("65,000 poor households participated in the cooperatives.", "65,000"),  # households, no assisting units
        ("Drinking water projects benefited 4,000 households.", "4,000"),  # no industry reaches them
        ("Some 140 herders' self-help organisations were set up with aid from the county.", "140"),  # an output
        ("The dairy plant will benefit 2,000 households.", "2,000"),  # a plan
        ("After the courses, 2,700 trainees found jobs in towns.", "2,700"),  # trained and placed: counted apart
        ("It was launched in 80 villages of 19 counties (cities).", "19"),
        ("The projects will benefit 41,200 rural families.", "41,200"),  # a plan, not households helped
        ("It did entire village advancement in 12 counties, and brought broadcasting to 230 villages.", "230"),
        ("They introduced 40 projects, five enterprises and 95 technicians.", "five"),  # brought in: an output
        ("120 cooperatives were newly set up.", "120"),
        ("Roads were built in 600 poor villages.", "600"),  # what was done in them: no statistic of the region
        ("The enterprises employed 3,000 people.", "3,000"),
    ],
)
def test_not_a_family(sentence: str, number: str) -> None:
    text = f"{MADE_UP} {sentence}"
    assert family(text, _mention(text, number), len(MADE_UP) + 1, SHIPPED) is None


def test_an_unknown_indicator_is_never_proposed() -> None:
    """Without the shipped indicator in the vocabularies, the family gives the type alone."""
    text = f"{MADE_UP} The province has 14 prefecture-level cities."
    found = family(text, _mention(text, "14"), len(MADE_UP) + 1, set())
    assert found is not None and found.indicator == "" and found.type == "StatisticalFigure"


@pytest.mark.parametrize(
    ("sentence", "number", "grows"),
    [
        ("Funds reached 2 billion Yuan, 21.0% higher than in 2010.", "21.0%", True),
        ("Funds reached 2 billion Yuan, 9.5% more than the year before.", "9.5%", True),
        ("Income rose to 3,000 Yuan, 12% year on year.", "12%", True),
        ("Poor villages made up 14% of all villages.", "14%", False),
    ],
)
def test_growth_told_after_the_number(sentence: str, number: str, grows: bool) -> None:
    assert grows_after(sentence, _mention(sentence, number)) is grows


@pytest.mark.parametrize(
    ("sentence", "number", "share"),
    [
        ("It was completed in 300 villages, 92% of the annual plan.", "92%", True),
        ("Funds reached 1 billion Yuan, 80% of the year's target.", "80%", True),
        ("The rate was 92% in the plains.", "92%", False),
    ],
)
def test_a_share_of_a_plan_named_after_it(sentence: str, number: str, share: bool) -> None:
    assert shares_after(sentence, _mention(sentence, number)) is share


def test_readable_ids_leave_out_words_that_name_nothing() -> None:
    assert readable_words(["where", "households", "numbered"]) == ["households"]
    assert readable_words(["or", "people", "higher", "2008"]) == ["people"]


def _draft(tmp_path: Path, body: str) -> tuple[dict[str, dict[str, Any]], str]:
    corpus = tmp_path / "corpus"
    (corpus / "reports").mkdir(parents=True, exist_ok=True)
    text = f"Poverty Alleviation and Development (made up)\n【Overview】 {MADE_UP} {body}\n"
    report = Report(Path("made-up.txt"), text, "0" * 64, len(text))
    settings = {
        "report": {"region": "region/gansu", "period": ["period/2009"]},
        "defaults": {"area": "region/gansu", "period": "period/2009"},
    }
    draft = draft_report(report, settings, load_vocabulary(corpus), indicator_uses(corpus))
    quoted = [e for entries in draft.files.values() for _, _, e in entries if "quote" in e]
    found: dict[str, dict[str, Any]] = {}
    for mention in extract(text):
        for entry in quoted:
            at = text.find(entry["quote"])
            inside = at <= mention.start and mention.end <= at + len(entry["quote"])
            if inside and entry.get("figure", mention.text) == mention.text:
                found.setdefault(mention.text, entry)
    return found, text


def test_an_overview_drafted_with_the_shipped_indicators(tmp_path: Path) -> None:
    """A whole made-up overview: divisions, population, the poor, key counties, an average, a growth."""
    e, _ = _draft(
        tmp_path,
        "The province is divided into 14 leagues and cities and 90 banners (counties, districts). Its resident "
        "population stood at 25.1 million, and the rural poor numbered 1.7 million. It has 30 state-level key "
        "banners. In 2009 it invested 2.4 billion Yuan, 18.2% higher than in 2008, with an average of 400,000 Yuan "
        "per village. It moved 3,000 households with 12,000 people, 95% of the plan.",
    )
    assert e["14"]["indicator"] == "indicator/prefecture-level-divisions" and e["14"]["type"] == "StatisticalFigure"
    assert e["90"]["indicator"] == "indicator/county-level-divisions"
    assert e["25.1 million"]["indicator"] == "indicator/population" and e["25.1 million"]["type"] == "StatisticalFigure"
    assert e["1.7 million"]["indicator"] == "indicator/poor-population"
    assert e["1.7 million"]["type"] == "BeneficiaryCount"
    assert e["30"]["indicator"] == "indicator/key-counties" and e["30"]["type"] == "StatisticalFigure"
    assert e["18.2%"]["indicator"].startswith("indicator/anti-poverty-investment-growth")
    assert e["18.2%"]["type"] == "StatisticalFigure"
    assert e["400,000 Yuan"]["indicator"] == "indicator/funds-per-village"
    assert e["400,000 Yuan"]["type"] == "StatisticalFigure" and "fund_type" not in e["400,000 Yuan"]
    assert e["3,000"]["indicator"] == "indicator/households-relocated"
    assert e["12,000"]["indicator"] == "indicator/people-relocated" and e["12,000"]["type"] == "BeneficiaryCount"
    assert e["95%"]["type"] == "Share" and "share_of" not in e["95%"]  # the plan is no figure of the report


def test_readable_ids_leave_out_quantifiers() -> None:
    """TEST FIXTURE: made up. "ran 40 assorted workshops", "sent 30 tutors as well": what is counted, no more."""
    assert readable_words(["assorted", "workshops", "run"]) == ["workshops", "run"]
    assert readable_words(["numerous", "different", "fairs"]) == ["fairs"]
    assert readable_words(["tutors", "sent", "as", "well"]) == ["tutors", "sent"]
    assert readable_words(["water", "well"]) == ["water", "well"]  # a well dug is counted
