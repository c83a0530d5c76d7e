"""Fuzzing the quantity extractor (issue 8, part 4): any text, never a crash or a hang, offsets always right.

Bugs these found (inputs kept in ``tests/fuzz_corpus/extract/``): a figure of 29 or more digits raised
``decimal.InvalidOperation`` and a long decimal was silently rounded to 28 digits; "ten" was read in
"tendency" and "four" in "fourth"; a unit after the end of the part asked for was taken into the mention.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import corpus_files, fuzz_settings, within
from xjkg.text.extract import UNIT_CODES, Mention, extract, parse_number

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)

UNITS = set(UNIT_CODES)
SCALES = {"": 1, " thousand": 1_000, " million": 1_000_000, " billion": 1_000_000_000}


def check_mentions(text: str, mentions: list[Mention], start: int = 0, end: int | None = None) -> None:
    """What must hold of every extraction: offsets quote the text, in order, inside the window."""
    end = len(text) if end is None else end
    previous_end = start
    for m in mentions:
        assert start <= m.start < m.end <= end, (m, start, end)
        assert text[m.start : m.end] == m.text, m
        assert m.start >= previous_end, f"mentions overlap or go backwards: {m}"
        previous_end = m.end
        assert m.unit in UNITS, m
        assert m.value.is_finite() and m.value >= 0, m
        assert m.written_as in ("digits", "words"), m


# A text made of the pieces the extractor cares about, so that numbers, units and separators meet often.
PIECES = st.sampled_from(
    [
        "1",
        "0",
        "270",
        ", ",
        ",",
        ".",
        " ",
        "\n",
        "000",
        "2009",
        "2.61",
        " billion",
        " million",
        " thousand",
        " Yuan",
        "%",
        " percent",
        " percentage points",
        " square kilometers",
        " person-times",
        "one",
        "twenty",
        "-",
        "five",
        " hundred",
        " and ",
        "a",
        "an",
        "ten",
        "dency",
        "th",
        "in ",
        "by ",
        "nearly ",
        "over ",
        "】",
        "1.",
        "\u3000",
        "٣",
        "¹",
        "Ⅻ",
        "\U0001d7d9",
    ]
)
MIXED = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=80).map("".join),
)


@fuzz_settings(400)
@given(text=MIXED)
def test_any_text_gives_mentions_that_quote_it(text: str) -> None:
    with within(5, f"extract({text[:60]!r}…)"):
        mentions = extract(text)
    check_mentions(text, mentions)


@fuzz_settings(200)
@given(data=st.data(), text=MIXED)
def test_a_window_gives_mentions_inside_it(data: st.DataObject, text: str) -> None:
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, len(text)), label="end")
    check_mentions(text, extract(text, start, end), start, end)


# Long digit runs, with and without separators: linear time, exact values.
@fuzz_settings(30)
@given(
    digits=st.integers(1, 60_000),
    separator=st.sampled_from(["", ",", ", ", ".", " "]),
    every=st.integers(1, 7),
    tail=st.sampled_from(["", " billion Yuan", "%", "1", ",", "."]),
)
def test_long_digit_runs_are_fast(digits: int, separator: str, every: int, tail: str) -> None:
    run = "9" * digits
    if separator:
        run = separator.join(run[i : i + every] for i in range(0, digits, every))
    text = f"about {run}{tail} people"
    with within(5, f"a run of {digits} digits split by {separator!r} every {every}"):
        mentions = extract(text)
    check_mentions(text, mentions)


@fuzz_settings(300)
@given(
    value=st.integers(0, 12).flatmap(lambda p: st.decimals(min_value=0, max_value=Decimal("1e40"), places=p))
    | st.integers(0, 10**60).map(Decimal),
    scale=st.sampled_from(sorted(SCALES)),
)
def test_digit_values_are_exact(value: Decimal, scale: str) -> None:
    """The value read is the number written, however many digits (no rounding to 28 digits)."""
    written = format(value, "f")
    with localcontext(prec=200):  # the expected value exactly (the default context keeps 28 digits)
        expected = value * SCALES[scale]
    (m,) = [m for m in extract(f"they spent {written}{scale} Yuan on it") if m.unit == "CNY"]
    assert m.value == expected
    assert parse_number(written + scale) == expected


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    """English words for 0 <= n < 10**12, as the report writes them ("one hundred and twenty-five")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + (f" and {spell(rest)}" if rest else "")
    for size, word in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= size:
            rest = n % size
            return f"{spell(n // size)} {word}" + (f" {spell(rest)}" if rest else "")
    raise AssertionError(n)


@fuzz_settings(300)
@given(n=st.integers(1, 10**12 - 1))
def test_number_words_read_back_to_their_value(n: int) -> None:
    words = spell(n)
    text = f"it reached {words} households"
    (m,) = extract(text)
    assert (m.text, m.value, m.written_as) == (words, n, "words")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        pytest.param("1" * 200_000, 5, id="200k-digits"),
        pytest.param("1," * 100_000, 5, id="100k-comma-separated-ones"),
        pytest.param("123, " * 50_000, 5, id="50k-report-style-groups"),
        pytest.param("0." + "9" * 100_000 + " billion Yuan", 5, id="100k-decimals-billion"),
        pytest.param("one " + "hundred " * 20_000, 5, id="20k-hundreds"),
        pytest.param("twenty-" * 30_000, 5, id="30k-hyphens"),
        pytest.param("1." * 50_000, 5, id="50k-enumerator-like"),
        pytest.param(" and ".join(["one hundred"] * 20_000), 5, id="20k-and-chains"),
    ],
)
def test_pathological_inputs_finish(text: str, seconds: float) -> None:
    with within(seconds, f"extract of {len(text)} characters"):
        mentions = extract(text)
    check_mentions(text, mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1" * 30 + " people", [Decimal("1" * 30)], id="30-digit-integer-raised"),
        pytest.param(
            "12345678901234567890123456789.5 Yuan",
            [Decimal("12345678901234567890123456789.5")],
            id="long-decimal-was-rounded",
        ),
        pytest.param("one" + " hundred" * 15, [Decimal(10) ** 30], id="word-scales-raised"),
        pytest.param("the tendency of the fourth tenant, oneself", [], id="number-word-inside-a-word"),
        pytest.param("twenty-five people, ten", [Decimal(25), Decimal(10)], id="whole-words-still-read"),
    ],
)
def test_regressions(text: str, expected: list[Decimal]) -> None:
    assert [m.value for m in extract(text)] == expected


def test_a_unit_past_the_window_is_not_taken() -> None:
    (m,) = extract("5 percent", 0, 2)
    assert (m.text, m.unit) == ("5", "COUNT")


@pytest.mark.parametrize("path", corpus_files("extract"), ids=lambda p: p.name)
def test_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    with within(5, path.name):
        check_mentions(text, extract(text))
