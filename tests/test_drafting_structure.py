"""A sentence read as structure (`xjkg.mapping.structure`): totals and parts, periods, numbers that are no figure.

TEST FIXTURE: made up. Every sentence below is made up for these tests, in wordings no corpus of the project uses;
none is a real report's and none of their figures is true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xjkg.mapping.drafting import _in_name, draft_report, indicator_uses, load_vocabulary
from xjkg.mapping.structure import breakdown, carried_total, not_a_figure, opens_with_marker, periods, share_link
from xjkg.text.extract import Mention, extract
from xjkg.text.source import Report, Sentence


def _read(text: str) -> tuple[Sentence, list[Mention], list[Mention]]:
    found = [m for m in extract(text) if m.is_quantity]
    return (
        Sentence(1, 0, len(text), text, ""),
        [m for m in found if m.unit != "YEAR"],
        [m for m in found if m.unit == "YEAR"],
    )


def _periods(text: str, default: str = "period/2010") -> dict[str, str]:
    sentence, figures, years = _read(text)
    dated = periods(text, sentence, figures, years, default)
    return {m.text: dated[m.start][0] for m in figures if m.start in dated}


def _totals(text: str) -> dict[str, str]:
    sentence, figures, _ = _read(text)
    nodes = breakdown(text, sentence, figures)
    return {n.mention.text: n.total.text for n in nodes.values() if n.total is not None}


def test_a_year_after_a_comparison_is_not_the_figures_own() -> None:
    """ "higher than in 2008", "more than in 2009": the year compared with, whatever stands between."""
    text = "TEST FIXTURE: made up. Herders earned 3,400 Yuan, 9.5% higher than in 2009, and 260 Yuan above in 2008."
    dated = _periods(text)
    assert "9.5%" not in dated  # the section's year
    assert dated["260 Yuan"] == "period/2008"  # "above in 2008" is no comparison word: the year is its own


def test_the_end_of_a_year_however_it_is_said() -> None:
    for opener in ("At the close of 2009", "As of the end of 2009", "At the end of 2009"):
        text = f"TEST FIXTURE: made up. {opener}, the county counted 41,500 herders."
        assert _periods(text) == {"41,500": "period/2009-12-31"}, opener


def test_a_year_earlier_is_the_year_before_the_sentences() -> None:
    text = (
        "TEST FIXTURE: made up. At the close of 2009 the pastoral poor stood at 920,000, falling from 1.01 million "
        "one year earlier."
    )
    dated = _periods(text)
    assert (dated["920,000"], dated["1.01 million"]) == ("period/2009-12-31", "period/2008-12-31")
    text = "TEST FIXTURE: made up. Co-ops sold 5,300 tons of wool, after 4,900 tons in the preceding year."
    assert _periods(text) == {"4,900 tons": "period/2009"}


def test_an_increase_over_the_year_before_is_this_years() -> None:
    text = "TEST FIXTURE: made up. The prefecture dug 77 wells, 12 more than the previous year."
    assert _periods(text) == {}


def _not_figures(text: str) -> list[str]:
    _, figures, _ = _read(text)
    return [m.text for m in figures if not_a_figure(text, m)]


def test_not_a_figure_reads_ranks_and_spans_of_time() -> None:
    assert _not_figures("TEST FIXTURE: made up. Its herders' income ranked 3rd in the west.") == ["3"]
    text = "TEST FIXTURE: made up. The 40 dams begun two years before were closed, and 12 wells dug one month ago."
    assert _not_figures(text) == ["two", "one"]


def test_a_number_right_before_of_whom_is_the_part() -> None:
    """ "N of whom …", "N of them …", "N of the <noun> …": the number before the marker is the part, and its total
    the nearest number before it that counts the same thing; no list opens after the part."""
    text = (
        "TEST FIXTURE: made up. The league schooled 7,400 herders, 6,950 of whom found work; 31 co-ops were formed, "
        "9 of them run by women, reaching 2,000 people; 5,200 households and 21,000 people moved, "
        "4,100 of the households being poor ones."
    )
    assert _totals(text) == {"6,950": "7,400", "9": "31", "4,100": "5,200"}


def test_of_which_before_a_number_still_opens_a_list() -> None:
    text = "TEST FIXTURE: made up. It spent 90 Yuan including 30 Yuan of loans and 12 Yuan of which 4 Yuan were grants."
    assert _totals(text) == {"30 Yuan": "90 Yuan", "12 Yuan": "90 Yuan", "4 Yuan": "12 Yuan"}


def test_a_subset_with_a_predicate_of_its_own() -> None:
    sentence, figures, _ = _read("TEST FIXTURE: made up. It taught 500 herders, 420 of whom later opened shops.")
    nodes = breakdown(sentence.text, sentence, figures)
    assert nodes[figures[1].start].marker == "of whom: a predicate"
    sentence, figures, _ = _read("TEST FIXTURE: made up. It backed 44 dairies, 6 of them state-run ones.")
    nodes = breakdown(sentence.text, sentence, figures)
    assert nodes[figures[1].start].marker == "of them"


def test_a_participle_of_composition_opens_a_list() -> None:
    """ "made up of", "comprised of", "formed of" after a total, with no verb of their own."""
    for verb in ("made up of", "comprised of", "formed of"):
        text = f"TEST FIXTURE: made up. The league spent 70 Yuan, {verb} 40 Yuan of grants and 30 Yuan of loans."
        assert _totals(text) == {"40 Yuan": "70 Yuan", "30 Yuan": "70 Yuan"}, verb


def test_a_difference_is_no_total() -> None:
    """ "N more than M": the difference N is no total of a list that follows."""
    text = (
        "TEST FIXTURE: made up. Herding aid hit 8 Yuan, 3 Yuan more than the 5 Yuan of 2008, of which 6 Yuan were "
        "grants."
    )
    assert _totals(text) == {"6 Yuan": "8 Yuan"}


def test_a_stated_item_after_an_inner_list_is_its_sibling() -> None:
    """ "A were N, comprising N1 and N2, and B were M": M is an item of the outer list, as A is."""
    text = (
        "TEST FIXTURE: made up. Aid came to 9 Yuan, of which grants were 5 Yuan, comprising 3 Yuan from the league "
        "and 2 Yuan of county money, and loans stood at 4 Yuan."
    )
    assert _totals(text) == {"5 Yuan": "9 Yuan", "3 Yuan": "5 Yuan", "2 Yuan": "5 Yuan", "4 Yuan": "9 Yuan"}


def _breaks_down_the_one_before(text: str) -> bool:
    return opens_with_marker(text, Sentence(1, 0, len(text), text, ""))


def test_a_sentence_that_breaks_down_a_total_named_before() -> None:
    assert _breaks_down_the_one_before("The league's grants consisted of 40 Yuan of A and 30 Yuan of B.")
    assert _breaks_down_the_one_before("Those state transfers were composed of 40 Yuan of A and 30 Yuan of B.")
    assert _breaks_down_the_one_before("Herders got 40 Yuan and towns 30 Yuan, together forming the whole sum.")
    assert not _breaks_down_the_one_before("Herders got 40 Yuan and towns 30 Yuan, forming 12 new co-ops.")
    assert not _breaks_down_the_one_before("In 2009 the fund included 40 Yuan of A.")  # a number before the verb


def test_the_total_broken_down_is_the_one_its_parts_add_up_to() -> None:
    text = "TEST FIXTURE: made up. The league put in 12 Yuan and the banks 5 Yuan. Its money: 7 Yuan and 5 Yuan."
    found = [m for m in extract(text) if m.is_quantity]
    assert carried_total(found[:2], found[2:]).text == "12 Yuan"
    assert carried_total(found[:2], found[2:3]).text == "5 Yuan"  # nothing adds up: the last


def test_a_participle_before_its_noun_is_an_adjective() -> None:
    """ "3606 impoverished villages" counts villages (not a part of "30 key counties" before it)."""
    text = "TEST FIXTURE: made up. The league has 9 banners, including 4 pastoral banners, and 812 destituted hamlets."
    assert _totals(text) == {"4": "9"}


def test_numbers_that_are_no_figure() -> None:
    text = (
        "TEST FIXTURE: made up. The floods of July 23 ruined 40 bridges in pastures 4,200 metres above sea level; "
        "under the league's poverty standard, lifted to 1,500 Yuan, 300,000 herders were poor."
    )
    assert _not_figures(text) == ["23", "4,200", "1,500 Yuan"]
    text = (
        "TEST FIXTURE: made up. The drive of ten thousand cadres visiting a hundred townships gave each hamlet "
        "one or two tractors, and nearly a thousand herders joined it."
    )
    assert _not_figures(text) == ["ten thousand", "a hundred", "one", "two"]
    text = (
        "TEST FIXTURE: made up. Near the Nine Dragons dam, in four remote pastoral areas, eleven crops such as "
        "barley and six sectors: dairy, wool and tourism grew, and 14 dairies opened."
    )
    assert _not_figures(text) == ["Nine", "four", "eleven", "six"]


def test_quoted_names_open_with_their_number() -> None:
    text = 'TEST FIXTURE: made up. The plan of "nine roads" and “four wells” reached 30 hamlets; "it gave 12 Yuan".'
    report = Report(Path("made-up.txt"), text, "0" * 64, len(text))
    sentence = Sentence(1, 0, len(text), text, "")
    found = [m for m in extract(text) if m.is_quantity]
    named = [m.text for m in found if _in_name(report, m, sentence)]
    assert named == ["nine", "four", "12 Yuan"]


def test_a_colon_list_of_parts_named_by_a_preposition_ends_at_a_contrast() -> None:
    text = (
        "TEST FIXTURE: made up. The banner schooled 900 herders: 500 via evening classes and 400 under a mentor "
        "scheme, whereas courses for officials drew 70 person-times."
    )
    assert _totals(text) == {"500": "900", "400": "900"}


def test_a_total_named_as_a_subject_after_its_parts() -> None:
    """ "…; with C and D, overall X was N": the numbers that add up to N exactly, even across the ";"."""
    text = (
        "TEST FIXTURE: made up. The league granted 6 Yuan and the banks lent 3 Yuan; with 2 Yuan of gifts and 1 Yuan "
        "of bonds, overall herding money came to 12 Yuan."
    )
    assert _totals(text) == {"6 Yuan": "12 Yuan", "3 Yuan": "12 Yuan", "2 Yuan": "12 Yuan", "1 Yuan": "12 Yuan"}
    text = "TEST FIXTURE: made up. It got 2 Yuan and 3 Yuan; with 5 Yuan and 4 Yuan, the total budget was 10 Yuan."
    assert _totals(text) == {"5 Yuan": "10 Yuan", "4 Yuan": "10 Yuan"}  # nothing adds up: back to the ";"


def test_a_bracket_without_marker_holds_parts_that_add_up() -> None:
    text = (
        "TEST FIXTURE: made up. The league has nine banner-level units (four banners and five towns) and "
        "60 townships (12 of them new, 30 old)."
    )
    assert _totals(text) == {"four": "nine", "five": "nine", "12": "60"}  # 12 and 30 do not add up to 60


def test_of_its_names_the_owners_whole_set_not_a_number() -> None:
    text = "TEST FIXTURE: made up. The league has 14 poor banners, and 9 of its banners lie in the sands."
    assert _totals(text) == {}


def test_a_year_of_a_participles_clause_dates_nothing() -> None:
    text = (
        "TEST FIXTURE: made up. In 2011 the league checked 700 hamlets, and the 640 hamlets begun in 2010 passed; "
        "38 wells in 2009 were the most."
    )
    assert _periods(text, "period/2011") == {"700": "period/2011", "640": "period/2011", "38": "period/2009"}


def _share(text: str) -> tuple[str | None, str] | None:
    sentence, figures, _ = _read(text)
    nodes = breakdown(text, sentence, figures)
    rate = next(m for m in figures if m.unit == "PERCENT" and m.text != "4%")
    linked = share_link(text, rate, [f for f in figures if f.end <= rate.start], nodes)
    return None if linked is None else (linked[0].text if linked[0] else None, linked[1].text)


def test_a_share_of_the_number_before_it() -> None:
    """ "N% of whom …", "N% of it …", "N% of the X were …": a share of the number before it, part unstated;
    "a … rate of N%" after a part: that part and its total."""
    assert _share("TEST FIXTURE: made up. It coached 5,000 nomads, 61% of whom later opened shops.") == (None, "5,000")
    text = "TEST FIXTURE: made up. Aid hit 80 Yuan, up 4% on the year, and 55% of it reached the banners."
    assert _share(text) == (None, "80 Yuan")
    text = "TEST FIXTURE: made up. It coached 5,000 nomads, 4,000 of whom opened shops, an uptake ratio of 80%."
    assert _share(text) == ("4,000", "5,000")
    assert _share("TEST FIXTURE: made up. It coached 5,000 nomads, 61% of the annual target.") is None


def test_a_part_is_never_more_than_its_whole() -> None:
    text = (
        "TEST FIXTURE: made up. The banner schooled 3,000 nomads, of whom 800 learnt welding, and courses on "
        "grazing drew 9,000 person-times."
    )
    assert _totals(text) == {"800": "3,000"}


@pytest.mark.slow
def test_parts_said_before_their_total_take_its_indicator(tmp_path: Path) -> None:
    """Drafted whole: "A and B; with C, total … was N" gives A, B and C the total's indicator and component_of,
    and leaves no new indicator that no figure keeps."""
    body = (
        "TEST FIXTURE: made up. The league taught welding to 600 herders and sewing to 400 herders; with 300 "
        "herders who learnt to drive, total trainees numbered 1,300."
    )
    text = f"Poverty Alleviation and Development (made up)\n【Overview】 {body}\n"
    report = Report(Path("made-up.txt"), text, "0" * 64, len(text))
    settings = {
        "report": {"region": "region/gansu", "period": ["period/2009"]},
        "defaults": {"area": "region/gansu", "period": "period/2009"},
    }
    corpus = tmp_path / "corpus"
    (corpus / "reports").mkdir(parents=True)
    draft = draft_report(report, settings, load_vocabulary(corpus), indicator_uses(corpus))
    entries = [e for found in draft.files.values() for _, _, e in found]
    figures = {e["quote"]: e for e in entries if "quote" in e and "indicator" in e}
    total = next(e for q, e in figures.items() if "1,300" in q)
    parts = [e for q, e in figures.items() if "1,300" not in q]
    assert len(parts) == 3
    assert all(e.get("component_of") == total["id"] for e in parts)
    assert all((e["indicator"], e["type"]) == (total["indicator"], total["type"]) for e in parts)
    used = {e["indicator"] for e in figures.values()}
    proposed = {e["id"] for e in entries if str(e.get("id", "")).startswith("indicator/") and "quote" not in e}
    assert proposed <= used
