"""Quantity mentions: every number in the report body with its offsets, unit word and value.

The reader survives the report's quirks (``data/source/README.md``): a thousands separator followed by a space
("270, 000"), "million"/"billion" multipliers, percentages and percentage points, numbers written
as words ("five enterprises", "a thousand village committee directors", "one million people") and
list-item numbers ("1." or "1.Implement"), which are recognised as enumerators, not quantities.

The value of every figure in the graph comes from here; nothing is retyped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

__all__ = ["Mention", "extract", "parse_number"]

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
_UNITS: list[tuple[str, str]] = [
    # (regex after the number, unit code); first match wins, longest first.
    (r"\s*percentage\s+points?\b", "PERCENTAGE_POINT"),
    (r"\s*(?:%|percent\b)", "PERCENT"),
    (r"\s+square\s+kilometers?\b", "KM2"),
    (r"\s+Yuan\b", "CNY"),
    (r"\s+person-times\b", "PERSON_TIME"),
]
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


@dataclass(frozen=True)
class Mention:
    """One quantity written in the text.

    ``start``/``end`` are character offsets of ``text`` in the report (``report[start:end] == text``);
    ``value`` is the normalised number in ``unit`` (CNY, KM2, PERCENT, PERCENTAGE_POINT, PERSON_TIME,
    COUNT, YEAR or ENUMERATOR); ``unit_word`` is the word the report uses for the unit or, for a count,
    the word that follows the number.
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


def _unit_after(text: str, pos: int, end: int) -> tuple[str, str, int]:
    """The unit after ``pos``, not reaching past ``end`` (a mention stays inside the part asked for)."""
    for pattern, unit in _UNITS:
        match = re.compile(pattern, re.IGNORECASE).match(text, pos, end)
        if match:
            return unit, match.group(0).strip(), match.end()
    following = re.compile(r"\s+([A-Za-z][\w’'-]*)").match(text, pos, end)
    return "COUNT", following.group(1) if following else "", pos


def extract(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every quantity mention in ``text[start:end]``, in order, offsets relative to ``text``.

    >>> [(m.text, str(m.value), m.unit) for m in extract("it put in 2.61 billion Yuan for 270, 000 people")]
    [('2.61 billion Yuan', '2610000000', 'CNY'), ('270, 000', '270000', 'COUNT')]
    """
    end = len(text) if end is None else end
    enumerators = {m.start("n") for m in _ENUMERATOR.finditer(text, start, end)}
    mentions: list[Mention] = []
    for match in _NUMBER.finditer(text, start, end):
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
        value = _canonical(parse_number(numeral))
        unit, unit_word, unit_end = _unit_after(text, match.end(), end)
        if (
            unit == "COUNT"
            and match.group("digits")
            and re.fullmatch(r"(19|20)\d\d", number)
            and _YEAR_BEFORE.search(text, max(0, number_start - 12), number_start)
        ):
            unit, unit_word = "YEAR", ""
        span_end = unit_end if unit not in ("COUNT", "YEAR") else match.end()
        qualifier = _QUALIFIER.search(text[max(0, number_start - 20) : number_start])
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
    return mentions
