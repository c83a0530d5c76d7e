"""Quantity mentions: every number in the report body with its offsets, unit word and value.

The reader survives the report's quirks (``data/reports/iprcc-xinjiang-2009/README.md``): a thousands
separator followed by a space ("270, 000"), "million"/"billion" multipliers, percentages and percentage
points, numbers written as words ("five enterprises", "a thousand village committee directors", "one million people")
and list-item numbers ("1." or "1.Implement"), which are recognised as enumerators, not quantities. It
also reads the units of the series' other sections (mu, hectares, square kilometres, kilometres, tons,
kilograms, ten-thousand Yuan, households) and years of comparison ("up 49.8% over 2008").

The value of every figure in the graph comes from here; nothing is retyped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

__all__ = ["UNIT_CODES", "Mention", "extract", "parse_number"]

#: Every unit code a mention can have.
UNIT_CODES = (
    "CNY", "KM2", "KM", "HECTARE", "MU", "TONNE", "KG", "PERCENT", "PERCENTAGE_POINT", "PERSON_TIME",
    "HOUSEHOLD", "COUNT", "YEAR", "ENUMERATOR",
)  # fmt: skip

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Values are exact: the default context (28 digits) would round a long figure, or raise on quantize.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

_WORD = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_SCALE = "|".join(_SCALES)
# Digits: grouped thousands ("270,000", and the report's "270, 000" with a stray space) or plain.
_DIGITS = r"\d{1,3}(?:,[ ]?\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
# Words: "one", "twenty-five", "a thousand", "one hundred and twenty"; whole words only ("tendency" is not 10).
_WORDS = (
    rf"(?:(?:{_WORD})(?:-(?:{_WORD}))?\b|an?(?=\s+(?:{_SCALE})\b))"
    rf"(?:\s+(?:and\s+)?(?:{_SCALE}|{_WORD})(?:-(?:{_WORD}))?\b)*"
)
# (regex after the number, unit code, multiplier, whether the unit word belongs to the mention); first match
# wins, so longer forms come first ("square kilometres" before "kilometres", "ten thousand Yuan" before "Yuan").
_UNITS: list[tuple[re.Pattern[str], str, int, bool]] = [
    (re.compile(p, re.IGNORECASE), unit, factor, spans)
    for p, unit, factor, spans in [
        (r"\s*percentage\s+points?\b", "PERCENTAGE_POINT", 1, True),
        (r"\s*(?:%|percent\b|per\s+cent\b)", "PERCENT", 1, True),
        (r"\s+(?:square\s+kilomet(?:er|re)s?|sq\.?\s?km|km2|km²)(?!\w)", "KM2", 1, True),
        (r"\s+(?:kilomet(?:er|re)s?|km)\b", "KM", 1, True),
        (r"\s+(?:hectares?|ha)\b", "HECTARE", 1, True),
        (r"\s+mu\b", "MU", 1, True),
        (r"\s+(?:tons?|tonnes?)\b", "TONNE", 1, True),
        (r"\s+(?:kilograms?|kg)\b", "KG", 1, True),
        # 万元 written out: "3,580 ten thousand Yuan", "3,580 ten-thousand Yuan", "3,580 (10,000 Yuan)".
        (r"\s+(?:ten[\s-]thousand|10,000|\(10,000)\s+(?:Yuan|RMB)\b\)?", "CNY", 10_000, True),
        (r"\s+(?:Yuan|RMB)\b", "CNY", 1, True),
        (r"\s+person[\s-]times?\b", "PERSON_TIME", 1, True),
        # A count of households is a count (the mention is the number alone, as for any count), in households.
        (r"(?=\s+(?:(?:poor|rural|farmer|farmers’|farmers'|herdsman|herdsmen|peasant|impoverished|relocated)\s+)?"
         r"households?\b)", "HOUSEHOLD", 1, False),
    ]
]  # fmt: skip
_QUALIFIER = re.compile(
    r"(?:\b(nearly|about|approximately|around|over|more than|less than|at least|averagely|almost|some)\s+)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>{_DIGITS})|(?P<words>{_WORDS}))"
    rf"(?:\s+(?P<scale>{_SCALE})\b)?",
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"(?:^|(?<=】)\s*)(?P<n>\d{1,2})\.(?!\d)", re.MULTILINE)
_YEAR_BEFORE = re.compile(r"\b(?:in|of|since|year|until|by)\s+$", re.IGNORECASE)
# A year of comparison: "up 49.8% over 2008", "higher than 2008", "from 2008 to 2010", "compared with 2008".
# "over 2000 people" and "more than 2000 households" stay counts: the year is not followed by what it counts.
_YEAR_COMPARED = re.compile(
    r"(?:\b(?:over|than|from|since|between)|\bcompared\s+(?:with|to)"
    r"|\b(?:from|between)\s+(?:19|20)\d\d\s+(?:to|and))\s+$",
    re.IGNORECASE,
)
_AFTER_YEAR = re.compile(
    r"(?:\s*(?:[^\w\s]|$)|\s+(?:to|and|or|levels?|figures?|values?|in|by|at|for)\b)", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    """One quantity written in the text.

    ``start``/``end`` are character offsets of ``text`` in the report (``report[start:end] == text``);
    ``value`` is the normalised number in ``unit`` (one of ``UNIT_CODES``: CNY, KM2, KM, HECTARE, MU,
    TONNE, KG, PERCENT, PERCENTAGE_POINT, PERSON_TIME, HOUSEHOLD, COUNT, YEAR or ENUMERATOR; "3,580 ten
    thousand Yuan" is 35800000 CNY); ``unit_word`` is the word the report uses for the unit or, for a
    count, the word that follows the number. A count of households, like any count, is the number alone.
    """

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    unit_word: str
    written_as: str  # "digits" or "words"
    qualifier: str | None = None

    @property
    def is_quantity(self) -> bool:
        """False for list-item numbers ("1." at the start of an item)."""
        return self.unit != "ENUMERATOR"


def parse_number(text: str) -> Decimal:
    """The value of a numeral or number words, without unit.

    >>> parse_number("270, 000"), parse_number("20.50"), parse_number("2.61 billion")
    (Decimal('270000'), Decimal('20.50'), Decimal('2610000000.00'))
    >>> parse_number("a thousand"), parse_number("one million"), parse_number("twenty-five")
    (Decimal('1000'), Decimal('1000000'), Decimal('25'))
    """
    with localcontext(_EXACT):
        return _parse(text)


def _parse(text: str) -> Decimal:
    cleaned = text.strip()
    words = re.split(r"[\s-]+", cleaned.lower())
    if words and words[-1] in _SCALES and re.match(r"^[\d.,\s]+$", " ".join(words[:-1]) or "x"):
        return _parse(" ".join(words[:-1])) * _SCALES[words[-1]]
    if re.fullmatch(r"[\d.,\s]+", cleaned):
        digits = re.sub(r"[,\s]", "", cleaned)
        if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
            raise ValueError(f"not a number: {text!r}")
        return Decimal(digits)
    total, current = 0, 0
    for word in words:
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = max(current, 1)
        elif word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            raise ValueError(f"not a number: {text!r}")
    return Decimal(total + current)


def _canonical(value: Decimal) -> Decimal:
    """One spelling per value: 2610000000, not 2610000000.00 or 2.61E+9."""
    with localcontext(_EXACT):
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _unit_after(text: str, pos: int, end: int) -> tuple[str, str, int, int]:
    """The unit after ``pos`` (code, word, end of the mention, multiplier), not reaching past ``end``.

    A mention stays inside the part asked for.
    """
    for pattern, unit, factor, spans in _UNITS:
        match = pattern.match(text, pos, end)
        if match:
            if not spans:
                word = re.compile(r"\s+(?:[\w’']+\s+)?(households?)", re.IGNORECASE).match(text, pos, end)
                return unit, word.group(1) if word else "", pos, factor
            return unit, match.group(0).strip(), match.end(), factor
    following = re.compile(r"\s+([A-Za-z][\w’'-]*)").match(text, pos, end)
    return "COUNT", following.group(1) if following else "", pos, 1


def _is_year(text: str, number: str, start: int, number_end: int, end: int) -> bool:
    """A four-digit year: after "in", "of", "since" … (a date), or after "over", "than", "from" … and not
    followed by what it would count (a year of comparison)."""
    if not re.fullmatch(r"(19|20)\d\d", number):
        return False
    before = text[max(0, start - 30) : start]
    if _YEAR_BEFORE.search(before[-12:]):
        return True
    return bool(_YEAR_COMPARED.search(before)) and bool(_AFTER_YEAR.match(text[number_end:end]))


def extract(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every quantity mention in ``text[start:end]``, in order, offsets relative to ``text``.

    >>> [(m.text, str(m.value), m.unit) for m in extract("it put in 2.61 billion Yuan for 270, 000 people")]
    [('2.61 billion Yuan', '2610000000', 'CNY'), ('270, 000', '270000', 'COUNT')]
    """
    end = len(text) if end is None else end
    enumerators = {m.start("n") for m in _ENUMERATOR.finditer(text, start, end)}
    mentions: list[Mention] = []
    taken = start  # the end of the last mention: a unit such as "(10,000 Yuan)" holds a number of its own
    for match in _NUMBER.finditer(text, start, end):
        if match.start() < taken:
            continue
        number = match.group("digits") or match.group("words")
        if match.group("words") and match.group("words").lower() in ("a", "an") and not match.group("scale"):
            continue
        number_start = match.start()
        if number_start in enumerators:
            mentions.append(
                Mention(number_start, match.end("digits"), number, Decimal(number), "ENUMERATOR", ".", "digits")
            )
            continue
        numeral = match.group(0)
        unit, unit_word, unit_end, factor = _unit_after(text, match.end(), end)
        with localcontext(_EXACT):
            value = _canonical(parse_number(numeral) * factor)
        qualifier = _QUALIFIER.search(text[max(0, number_start - 20) : number_start])
        if unit == "COUNT" and match.group("digits") and _is_year(text, number, number_start, match.end(), end):
            unit, unit_word, qualifier = "YEAR", "", None
        span_end = unit_end if unit not in ("COUNT", "YEAR", "HOUSEHOLD") else match.end()
        mentions.append(
            Mention(
                start=number_start,
                end=span_end,
                text=text[number_start:span_end],
                value=value,
                unit=unit,
                unit_word=unit_word,
                written_as="digits" if match.group("digits") else "words",
                qualifier=qualifier.group(1).lower() if qualifier else None,
            )
        )
        taken = span_end
    return mentions
