"""The extractor knows the series' units and years of comparison (issue 12, item 5).

Sentences are generated in the style of the yearbook's sections: a verb phrase, a number written in one of the
series' forms (plain, grouped, with a stray space after the comma, decimal, with a scale word), a unit in one of its
spellings, and the words that follow. Each must come out with the exact value and unit, and offsets quoting it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz_settings
from xjkg.mapping.corpus import open_corpus
from xjkg.text.extract import UNIT_CODES, extract

# (unit code, spellings, whether the unit word is part of the mention, multiplier)
UNITS = [
    ("MU", ["mu"], True, 1),
    ("HECTARE", ["hectares", "hectare", "ha"], True, 1),
    ("KM2", ["square kilometers", "square kilometres", "square kilometer", "km2", "km²", "sq km"], True, 1),
    ("KM", ["kilometers", "kilometres", "kilometer", "km"], True, 1),
    ("TONNE", ["tons", "tonnes", "ton"], True, 1),
    ("KG", ["kilograms", "kilogram", "kg"], True, 1),
    ("CNY", ["Yuan", "yuan", "RMB"], True, 1),
    ("CNY", ["ten thousand Yuan", "ten-thousand Yuan", "(10,000 Yuan)", "10,000 Yuan"], True, 10_000),
    ("HOUSEHOLD", ["households", "poor households", "rural households", "household"], False, 1),
    ("PERSON_TIME", ["person-times", "person times"], True, 1),
    ("PERCENT", ["%", " percent", " per cent"], True, 1),
    ("PERCENTAGE_POINT", [" percentage points", " percentage point"], True, 1),
]
BEFORE = ["In 2010, Xinjiang built", "the region completed", "it allocated", "a total of", "of which"]
AFTER = [".", ", of which", " in the pilot counties", " and 5 villages", ";", ""]


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A number as the series writes it, and its value."""
    whole = draw(st.integers(min_value=0, max_value=9_999_999))
    form = draw(st.sampled_from(["plain", "grouped", "stray-space", "decimal", "scale"]))
    if form == "plain":
        return str(whole), Decimal(whole)
    if form in ("grouped", "stray-space"):
        whole = max(whole, 1000)
        text = f"{whole:,}".replace(",", ", " if form == "stray-space" else ",")
        return text, Decimal(whole)
    fraction = draw(st.integers(min_value=1, max_value=9999))
    decimal = f"{whole % 1000}.{fraction}"
    if form == "decimal":
        return decimal, Decimal(decimal)
    scale, factor = draw(st.sampled_from([("thousand", 1_000), ("million", 1_000_000), ("billion", 10**9)]))
    return f"{decimal} {scale}", Decimal(decimal) * factor


def _value(found: Decimal) -> Decimal:
    return found.normalize()


@fuzz_settings(300)
@given(
    number=numbers(),
    unit=st.sampled_from(UNITS).flatmap(lambda u: st.tuples(st.just(u), st.sampled_from(u[1]))),
    before=st.sampled_from(BEFORE),
    after=st.sampled_from(AFTER),
)
def test_every_unit_in_every_form(
    number: tuple[str, Decimal], unit: tuple[tuple[str, list[str], bool, int], str], before: str, after: str
) -> None:
    (code, _, spans, factor), spelling = unit
    numeral, value = number
    joiner = "" if spelling.startswith(("%", " ")) else " "
    written = f"{numeral}{joiner}{spelling}"
    sentence = f"{before} {written}{after}"
    found = [m for m in extract(sentence) if m.start >= len(before)]
    assert found, sentence
    m = found[0]
    assert m.unit == code, (sentence, m)
    assert _value(m.value) == _value(value * factor), (sentence, m)
    assert m.text == (written if spans else numeral), (sentence, m)
    assert sentence[m.start : m.end] == m.text
    # Nothing inside the unit ("10,000" of "(10,000 Yuan)") is read as a quantity of its own.
    assert all(other.start >= m.end for other in found[1:]), found


YEARS_COMPARED = [
    pytest.param("per capita net income rose to 3,210 Yuan, up 49.8% over 2008.", "2008", id="up-over"),
    pytest.param("which was 12.5% higher than 2009, and", "2009", id="higher-than"),
    pytest.param("has grown steadily from 2005 to 2010, reaching", "2005", id="from"),
    pytest.param("has grown steadily from 2005 to 2010, reaching", "2010", id="from-to"),
    pytest.param("the largest investment since 2001.", "2001", id="since"),
    pytest.param("a rise of 6.2 percentage points compared with 2009;", "2009", id="compared-with"),
    pytest.param("income doubled over 2008 levels", "2008", id="over-levels"),
]


@pytest.mark.parametrize(("sentence", "year"), YEARS_COMPARED)
def test_year_of_comparison(sentence: str, year: str) -> None:
    mention = next(m for m in extract(sentence) if m.text == year)
    assert (mention.unit, mention.qualifier) == ("YEAR", None)


COUNTS_NOT_YEARS = [
    pytest.param("it trained over 2000 herdsmen", "2000", "COUNT", "over", id="over-count"),
    pytest.param("more than 2010 people were relocated", "2010", "COUNT", "more than", id="more-than-count"),
    pytest.param("over 1999 poor households moved", "1999", "HOUSEHOLD", "over", id="over-households"),
    pytest.param("from 2005 villages, 300 were", "2005", "COUNT", None, id="from-count"),
]


@pytest.mark.parametrize(("sentence", "number", "unit", "qualifier"), COUNTS_NOT_YEARS)
def test_count_after_comparison_word(sentence: str, number: str, unit: str, qualifier: str | None) -> None:
    mention = next(m for m in extract(sentence) if m.text == number)
    assert (mention.unit, mention.value, mention.qualifier) == (unit, Decimal(number), qualifier)


@fuzz_settings(200)
@given(
    year=st.integers(min_value=1950, max_value=2049),
    word=st.sampled_from(["over", "than", "since", "compared with", "compared to"]),
    tail=st.sampled_from([".", ",", ";", " levels", " and 2011", ")", ""]),
)
def test_generated_years_of_comparison(year: int, word: str, tail: str) -> None:
    sentence = f"The output rose by 49.8% {word} {year}{tail}"
    mention = next(m for m in extract(sentence) if m.text == str(year))
    assert mention.unit == "YEAR", sentence


def test_unit_codes_listed() -> None:
    sentence = "12 mu, 3 hectares, 4 km, 5 square kilometers, 6 tons, 7 kg, 8 Yuan, 9 households, 10 person-times"
    assert {m.unit for m in extract(sentence)} <= set(UNIT_CODES)


def test_our_report_reads_as_before() -> None:
    """Every mention of the 2009 report keeps its offsets, value, qualifier and unit; "1,580 households" is
    now in households (a count, as the graph has it), nothing else changed. The expected file is what the
    extractor of release 0.1.0 read, with that one unit changed."""
    expected = json.loads((Path(__file__).parent / "data" / "extract" / "report-2009-mentions.json").read_text())
    text = open_corpus().report("iprcc-xinjiang-2009").text()
    got = [
        [m.start, m.end, m.text, str(m.value), m.unit, m.unit_word, m.written_as, m.qualifier] for m in extract(text)
    ]
    assert got == expected
