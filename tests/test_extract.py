"""The quantity extractor: each quirk of the report (data/reports/iprcc-xinjiang-2009/README.md), and property
tests of the number parser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xjkg.text.extract import extract, parse_number

CASES = [
    pytest.param("270, 000 poor people", "270, 000", Decimal(270000), "COUNT", id="separator-with-space"),
    pytest.param("relocated 1,580 households", "1,580", Decimal(1580), "HOUSEHOLD", id="thousands-separator"),
    pytest.param("it had 3606 villages", "3606", Decimal(3606), "COUNT", id="plain-digits"),
    pytest.param("amounted to 2.61 billion Yuan, of", "2.61 billion Yuan", Decimal(2610000000), "CNY", id="billion"),
    pytest.param("allocated 20.50 million Yuan of", "20.50 million Yuan", Decimal(20500000), "CNY", id="million"),
    pytest.param(
        "an area of 1.6649 million square kilometers",
        "1.6649 million square kilometers",
        Decimal(1664900),
        "KM2",
        id="area",
    ),
    pytest.param("accounting for 45.2% of the", "45.2%", Decimal("45.2"), "PERCENT", id="percent"),
    pytest.param(
        "4.7 percentage points higher",
        "4.7 percentage points",
        Decimal("4.7"),
        "PERCENTAGE_POINT",
        id="percentage-points",
    ),
    pytest.param(
        "for 250,000 person-times.", "250,000 person-times", Decimal(250000), "PERSON_TIME", id="person-times"
    ),
    pytest.param("introduced five enterprises", "five", Decimal(5), "COUNT", id="number-word"),
    pytest.param("to ten key counties", "ten", Decimal(10), "COUNT", id="number-word-ten"),
    pytest.param("trainings for one million people", "one million", Decimal(1000000), "COUNT", id="one-million"),
    pytest.param("and a thousand village committee directors", "a thousand", Decimal(1000), "COUNT", id="a-thousand"),
    pytest.param("As of the end of 2008, it", "2008", Decimal(2008), "YEAR", id="year"),
]


@pytest.mark.parametrize(("text", "mention", "value", "unit"), CASES)
def test_quirk(text: str, mention: str, value: Decimal, unit: str) -> None:
    found = extract(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.text, m.value, m.unit) == (mention, value, unit)
    assert text[m.start : m.end] == mention


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2.Implement entire village advancement", id="no-space"),
        pytest.param("【Pilot projects】 1. Pilot projects for", id="after-heading"),
        pytest.param("effect.\n3. Pilot projects", id="line-start"),
    ],
)
def test_list_item_numbers_are_enumerators(text: str) -> None:
    (m,) = extract(text)
    assert m.unit == "ENUMERATOR" and not m.is_quantity


def test_names_with_numbers_are_still_found() -> None:
    """'Line 1, Line 2' are found (the mapping then excludes them with a reason), never silently skipped."""
    assert [m.text for m in extract("the linkage of Line 1, Line 2 and Line 3")] == ["1", "2", "3"]


def test_comma_between_numbers_in_a_list_is_not_a_separator() -> None:
    assert [m.text for m in extract("In 2009, 345 poor villages")] == ["2009", "345"]


def test_qualifier_is_kept() -> None:
    (m,) = extract("and nearly 10,000 rural families")
    assert m.qualifier == "nearly"


def test_a_alone_is_not_a_number() -> None:
    assert extract("a total of") == []


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_digits_parse_to_their_value(n: int) -> None:
    grouped = f"{n:,}"
    assert parse_number(grouped) == n
    assert parse_number(grouped.replace(",", ", ")) == n  # the report's "270, 000"
    (m,) = extract(f"there were {grouped} people")
    assert m.value == n and m.text == grouped


@given(st.integers(min_value=0, max_value=999_999), st.sampled_from(["million", "billion"]))
def test_multipliers(n: int, scale: str) -> None:
    text = f"{n / 100:.2f} {scale} Yuan"
    (m,) = extract(f"put in {text} for")
    factor = {"million": 10**6, "billion": 10**9}[scale]
    assert m.value == Decimal(f"{n / 100:.2f}") * factor
    assert m.unit == "CNY"


# Number words up to 10**12 are property-tested in test_fuzz_extract.py (spell → parse → value).


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_never_crashes_and_offsets_hold(text: str) -> None:
    for m in extract(text):
        assert text[m.start : m.end] == m.text
        assert m.value >= 0
