"""A sentence of a report read as structure: totals and their parts, clauses, periods, funders, non-figures.

The series writes breakdowns as "A, of which: B (including B1, B2), C and D (including D1)": A's parts are B, C
and D, B's are B1 and B2, D's is D1. :func:`breakdown` reads "of which", "of whom", "among them", "including" and
brackets at any depth: a part belongs to the last number before its marker at its own depth, if both count the
same kind of thing (money with money, villages with villages: a count of villages is never a part of a count of
people); a list ends at ";", at its closing bracket, or at the first number of another kind.

:func:`periods` gives each number the year the sentence gives it: "N in 2008" and "N at the end of 2008" are
that number's, "In 2009, …" and "the funds of 2009 were N" hold for the numbers after them, and a year of
comparison ("up 12% over 2008", "against N in 2008") sets nothing else.

:func:`not_a_figure` says why a number is no figure of its own: a distance that says which villages are meant
("within 20 kilometers of the border"), a poverty line that says who is counted ("below 1,196 Yuan"), a rank, a
count of kinds ("more than ten types of").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xjkg.mapping.wording import STOP, stem
from xjkg.text.extract import Mention
from xjkg.text.source import Report, Sentence

__all__ = [
    "Node", "breakdown", "clause", "counted_noun", "funder_phrases", "not_a_figure", "opens_with_marker", "periods",
]  # fmt: skip

_MARKERS = (
    r"of which|of whom|among which|among whom|among them|among these|"
    r"(?:among|of|out\s+of|within)\s+(?:the|this|that|which)\s+(?:total\s+)?(?:total|amount|sum|funds?|investment)"
    r"(?=\s*[,:])|"
    r"of them|of this|out of which|namely|comprising|consisting of|composed of|including|"
    # a sentence that names its total's breakdown: "This included …", "The total was made up of …"
    r"(?:this|these|it|which|that|the\s+total|the\s+sum|the\s+amount)\s+(?:included|includes|comprised|comprises|"
    r"covered|was\s+made\s+up\s+of|were\s+made\s+up\s+of|consisted\s+of|consists\s+of|was\s+composed\s+of|"
    r"breaks\s+down\s+(?:as|into)|broke\s+down\s+(?:as|into))|"
    r"consisted\s+of|consists\s+of|(?:was|were|is|are)\s+made\s+up\s+of|broken\s+down\s+(?:as\s+follows|into)"
)
_MARKER = re.compile(rf"\b({_MARKERS})\b\s*:?", re.IGNORECASE)
#: Words for people and for households: counts of either are of one kind.
_PEOPLE = {
    stem(w) for w in (
        "people", "persons", "farmers", "herdsmen", "herders", "cadres", "labors", "laborers", "labourers",
        "students", "residents", "masses", "population", "directors", "objects", "migrants", "workers", "villagers",
        "immigrants", "members", "children", "women", "men", "individuals", "trainees", "nomads",
    )
}  # fmt: skip
_HOUSEHOLDS = {stem(w) for w in ["households", "families"]}
_VERB = re.compile(r"(?:ed|ing)$")


def _noun_class(word: str) -> str | None:
    s = stem(word)
    if s in _PEOPLE:
        return "people"
    if s in _HOUSEHOLDS:
        return "household"
    return None


def counted_noun(text: str, mention: Mention) -> str | None:
    """What a number counts, as one word ("people", "household", "villag", …), or None if the text elides it.

    Money, areas, lengths and shares are their unit; a count is the first plural noun after the number (its
    adjectives skipped: "43 national key counties"), or what "the number of X reached N" or "a population of
    N" names; "of which 21 were …" counts what its total counts (None).
    """
    if mention.unit == "HOUSEHOLD":
        return "household"
    if mention.unit == "PERSON_TIME":
        return "people"
    if mention.unit != "COUNT":
        return mention.unit
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text[mention.end : mention.end + 60])[:4]
    for i, word in enumerate(words):
        lowered = word.lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        # a participle before a plural noun is its adjective ("65 leading enterprises", "N trained laborers")
        adjective = bool(re.search(r"[^s]s$", nxt)) and nxt not in STOP and not _VERB.search(nxt)
        if lowered in STOP or (_VERB.search(lowered) and _noun_class(lowered) is None and not adjective):
            break
        known = _noun_class(lowered)
        if known:
            return known
        if re.search(r"(?:s|men|people)$", lowered) and not lowered.endswith("ss"):
            return stem(lowered)
    before = text[max(0, mention.start - 80) : mention.start]
    if re.search(r"\bpopulation\s+of\s+(?:about\s+|nearly\s+|over\s+|more\s+than\s+)?$", before, re.IGNORECASE):
        return "people"
    number_of = re.search(
        r"\bnumber\s+of\s+([A-Za-z'’ -]+?)\s+(?:reached|rose\s+to|grew\s+to|increased\s+to|was|were|stood\s+at|"
        r"totall?ed|came\s+to)\s+(?:a\s+total\s+of\s+)?$",
        before,
        re.IGNORECASE,
    )
    if number_of:
        words = number_of.group(1).split()
        return _noun_class(words[-1]) or stem(words[-1])
    return None


def _compatible(part: Mention, total: Mention, text: str) -> bool:
    """A part counts what its total counts: the same unit (person-times under people), the same kind of thing."""
    person_times = part.unit == "PERSON_TIME" and total.unit in ("COUNT", "PERSON_TIME")
    if part.unit != total.unit and not person_times and not {part.unit, total.unit} <= {"COUNT", "HOUSEHOLD"}:
        return False
    if part.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return False  # a share is never a part of a sum
    mine, theirs = counted_noun(text, part), counted_noun(text, total)
    return mine is None or theirs is None or mine == theirs


@dataclass
class Node:
    """A number's place in its sentence's breakdown: its total (if any), the marker, and its own parts."""

    mention: Mention
    total: Mention | None = None
    marker: str = ""
    parts: list[Mention] = field(default_factory=list)
    opens: str = ""  # the marker that follows this number when it is a total ("of which", "including")


@dataclass
class _Frame:
    kind: str  # "base", "bracket" or "list"
    total: Mention | None
    marker: str
    last: Mention | None = None
    seen: list[Mention] = field(default_factory=list)  # the numbers read at this depth, in order
    candidates: list[Mention] = field(default_factory=list)  # a list's possible totals, the nearest first
    parts: int = 0


#: How many numbers back a list's total may stand ("N villages with M people, of which …"): a few, so that a
#: sentence of many numbers is read in linear time.
_LOOKBACK = 4
#: A sentence that opens with a marker ("Among them, …", "Of which …") breaks down the figure before it.
_OPENS_WITH_MARKER = re.compile(rf"\s*(?:【[^】]*】\s*)?(?:{_MARKERS})\b", re.IGNORECASE)
#: "Among its 73 key counties, 25 are …", "Of the 1.5 billion Yuan, …": the total stands after the marker.
_LEADING_TOTAL = re.compile(
    r"^\s*(?:【[^】]*】\s*)?(?:among|of|out\s+of)\s+(?:the|its|their|these|those|all(?:\s+the)?)?\s*$", re.IGNORECASE
)


#: "Funds from the centre were N Yuan, accounting for 66.9% of the total; …": a part of the sentence before's total.
_SHARE_OF_TOTAL = re.compile(
    r"^[^;:.]*?\d[^;:]*?\b(?:accounting\s+for|making\s+up|representing|constituting|or)\s+(?:about\s+|nearly\s+)?"
    r"[\d.]+\s*(?:%|per\s*cent|percent)\s+of\s+(?:the|this|that)\s+(?:total|sum|whole)\b",
    re.IGNORECASE,
)


def opens_with_marker(text: str, sentence: Sentence) -> bool:
    """Whether the sentence begins with a breakdown marker, or its first figure is a share "of the total": its
    parts belong to the sentence before."""
    body = text[sentence.start : sentence.end]
    return bool(_OPENS_WITH_MARKER.match(body) or _SHARE_OF_TOTAL.match(body))


def breakdown(text: str, sentence: Sentence, figures: list[Mention], carried: Mention | None = None) -> dict[int, Node]:
    """Every figure of the sentence (by start offset) with its total and parts, read from the markers.

    ``carried``: the last figure of the sentence before, when this one opens with a marker ("Among them, …").
    A colon after a number opens its list ("totaled 90 Yuan: 50 Yuan of …; 40 Yuan of …"); a ";" ends the lists
    opened inside a list item, not the sentence's first list ("Among them, A, namely A1 and A2; B; and C").

    >>> from xjkg.text.extract import extract
    >>> from xjkg.text.source import Sentence
    >>> s = "Funds were 90 Yuan, of which: 50 Yuan (including 20 Yuan, 10 Yuan), 30 Yuan and 7 Yuan "
    >>> s += "(including 4 Yuan)."
    >>> found = [m for m in extract(s) if m.is_quantity]
    >>> nodes = breakdown(s, Sentence(1, 0, len(s), s, ""), found)
    >>> print("; ".join(f"{n.mention.value}<{n.total.value if n.total else '-'}" for n in nodes.values()))
    90<-; 50<90; 20<50; 10<50; 30<90; 7<90; 4<7
    """
    events: list[tuple[int, int, str, Mention | None]] = []  # (offset, order, kind, mention)
    for figure in figures:
        events.append((figure.start, 1, "number", figure))
    body = text[sentence.start : sentence.end]
    markers = list(_MARKER.finditer(body))
    for mark in re.finditer(r"[();:]", body):
        if mark.group(0) != ":" or not any(m.start() <= mark.start() < m.end() for m in markers):
            events.append((sentence.start + mark.start(), 0, mark.group(0), None))
    for mark in markers:
        events.append((sentence.start + mark.start(), 0, "marker:" + mark.group(1).lower(), None))
    if figures and _LEADING_TOTAL.fullmatch(text[sentence.start : figures[0].start]):
        events.append((figures[0].end, 0, "marker:among", None))
    if carried is not None and figures and not any(sentence.start + m.start() < figures[0].start for m in markers):
        events.append((sentence.start, 0, "marker:of the total", None))  # its first figure is a share of the total
    events.sort(key=lambda e: (e[0], e[1]))
    base = _Frame("base", None, "")
    nodes: dict[int, Node] = {m.start: Node(m) for m in figures}
    if carried is not None:
        base.last, base.seen = carried, [carried]
        nodes.setdefault(carried.start, Node(carried))
    stack = [base]
    pending_bracket = -1  # offset just after an opening bracket: a marker there belongs to the bracket
    for offset, _, kind, mention in events:
        if kind == "(":
            stack.append(_Frame("bracket", None, ""))
            pending_bracket = offset + 1
        elif kind == ")":
            while len(stack) > 1 and stack.pop().kind != "bracket":
                pass
        elif kind == ";":
            while len(stack) > 2 and stack[-1].kind == "list" and stack[-2].kind == "list":
                stack.pop()
        elif kind == ":" and stack[-1].last is not None:  # "totaled N Yuan, up 12% over the year before: …"
            stack.append(_Frame("list", stack[-1].last, ":", candidates=stack[-1].seen[-_LOOKBACK:][::-1]))
        elif kind.startswith("marker:"):
            marker = kind.split(":", 1)[1]
            if stack[-1].kind == "bracket" and not text[pending_bracket:offset].strip() and len(stack) > 1:
                enclosing = stack[-2]
                stack[-1].total, stack[-1].marker = enclosing.last, marker
                stack[-1].candidates = enclosing.seen[-_LOOKBACK:][::-1]
            else:
                stack.append(_Frame("list", stack[-1].last, marker, candidates=stack[-1].seen[-_LOOKBACK:][::-1]))
        elif mention is not None:
            share = mention.unit in ("PERCENT", "PERCENTAGE_POINT")  # a rate or share of a part ends no list
            while (
                not share
                and stack[-1].kind == "list"
                and stack[-1].total
                and not _compatible(mention, stack[-1].total, text)
            ):
                frame = stack[-1]
                other = next((c for c in frame.candidates if _compatible(mention, c, text)), None)
                if frame.parts == 0 and other is not None:
                    frame.total = other  # "260 villages with 180,000 people, of which 182 villages": the villages
                    break
                stack.pop()  # a number of another kind: the list has ended
            frame = stack[-1]
            if frame.total is not None and _compatible(mention, frame.total, text):
                node = nodes[mention.start]
                node.total, node.marker = frame.total, frame.marker
                nodes[frame.total.start].parts.append(mention)
                if not nodes[frame.total.start].opens:
                    nodes[frame.total.start].opens = frame.marker
                frame.parts += 1
            if nodes[mention.start].total is None:
                _total_after_parts(text, mention, frame, nodes)
            if mention.unit not in ("PERCENT", "PERCENTAGE_POINT"):
                frame.last = mention  # "N Yuan, up 12% over 2009, of which": the total is the money, not the rate
                frame.seen.append(mention)
    return nodes


#: A total stated after its parts: "31 key counties and 26 …, 57 in total", "…, together making up 90 Yuan".
_TOTAL_AFTER = re.compile(
    r"\s*(?:[A-Za-z-]+\s+){0,2}?(?:in\s+total|in\s+all|altogether|all\s+told|combined)\b", re.IGNORECASE
)
_TOTAL_BEFORE = re.compile(
    r"(?:\b(?:totall?ing|totall?ed|a\s+total\s+of|in\s+total|(?:together\s+)?(?:making|made)\s+up\s+(?:the\s+total\s+"
    r"(?:of\s+)?|a\s+total\s+of\s+)?|together\s+(?:amounting|coming)\s+to|adding\s+up\s+to|summing\s+up\s+to|"
    r"(?:for\s+)?a\s+combined)\s*)$",
    re.IGNORECASE,
)


def _total_after_parts(text: str, mention: Mention, frame: _Frame, nodes: dict[int, Node]) -> None:
    """Make the number the total of the numbers just before it when the text says it sums them ("57 in total").

    The parts are the nearest numbers of the same kind at its depth that have no total yet, back to a ";" (at
    most a few: linear in the sentence); two at least, as one number is never a breakdown.
    """
    before = text[max(0, mention.start - 50) : mention.start]
    said = _TOTAL_AFTER.match(text, mention.end) or _TOTAL_BEFORE.search(before)
    if not said or mention.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return
    parts: list[Mention] = []
    end = mention.start
    for earlier in reversed(frame.seen[-_LOOKBACK:]):
        if ";" in text[earlier.end : end] or nodes[earlier.start].total is not None:
            break
        if not _compatible(earlier, mention, text):
            break
        parts.append(earlier)
        end = earlier.start
    if len(parts) < 2:
        return
    node = nodes[mention.start]
    for part in reversed(parts):
        nodes[part.start].total, nodes[part.start].marker = mention, "in total"
        node.parts.append(part)
    node.opens = node.opens or "in total"


_HARD = re.compile(r";|\(|\)|:|" + _MARKER.pattern, re.IGNORECASE)


def _in_name_and(text: str, start: int, end: int) -> bool:
    """Whether "and" joins two capitalised words of one name ("Poverty Alleviation and Development Office")."""
    return bool(re.search(r"\b[A-Z][a-z]+\s+$", text[max(0, start - 20) : start])) and bool(
        re.match(r"\s+[A-Z][a-z]+\b", text[end : end + 20])
    )


_SOFT = re.compile(r"(?<!\d),(?!\d)|(?<=\s)and(?=\s)|\bwith\b", re.IGNORECASE)


def clause(report: Report, sentence: Sentence, mention: Mention, figures: list[Mention]) -> tuple[int, int]:
    """The words that say what the number is, never past another number.

    Left: from the last separator before it (";", brackets, "of which", "including"; a comma, "and" or "with"
    only when a number stands before it in the sentence: else they belong to the sentence's subject, as in "the
    funds invested by the state and Xinjiang amounted to N"). Right: to the first bracket or ";" after it, or
    to the last separator before the next number.
    """
    text = report.text
    before = [m for m in figures if m.end <= mention.start and m.start >= sentence.start]
    after = [m for m in figures if m.start >= mention.end and m.end <= sentence.end]
    floor = before[-1].end if before else sentence.start
    left = floor
    for pattern in (_HARD, _SOFT) if before else (_HARD,):
        for sep in pattern.finditer(text, floor, mention.start):
            if sep.group(0).lower() == "with" and left > floor:
                continue  # "N villages with M people" separates; "…, and the people with an income below" does not
            if sep.group(0) == "and" and _in_name_and(text, sep.start(), sep.end()):
                continue  # "the Poverty Alleviation and Development Office": one name
            left = max(left, sep.end())
    right = sentence.end
    hard = _HARD.search(text, mention.end, sentence.end)
    if hard:
        right = hard.start()
    if after and after[0].start < right:
        seps = [s.start() for p in (_HARD, _SOFT) for s in p.finditer(text, mention.end, after[0].start)]
        right = max(seps) if seps else after[0].start
    return left, right


def not_a_figure(text: str, mention: Mention) -> str | None:
    """Why the number is no figure of its own (a distance, a poverty line, a rank, a count of kinds), or None."""
    before = text[max(0, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 40]
    if (
        mention.unit == "KM"
        and re.search(r"\b(?:within|beyond|less\s+than|more\s+than|over|under|up\s+to|at\s+least)\s+$", before, re.I)
        and re.match(r"\s*(?:of|from|away|around)\b", after, re.IGNORECASE)
    ):
        return "a distance that says which places are meant (it qualifies a group, it is not a figure)"
    if mention.unit == "CNY" and re.search(
        r"\b(?:below|under|lower\s+than|less\s+than|poverty\s+line\s+of|standard\s+of)\s+$", before, re.IGNORECASE
    ):
        return "a poverty line: it says who is counted, it is not a figure of its own"
    if re.search(r"\b(?:ranked|ranking|ranks?|No\.)\s*$", before, re.IGNORECASE) or re.match(
        r"(?:st|nd|rd|th)\b", after
    ):
        return "a rank, not a quantity"
    if re.match(r"\s+(?:[a-z]+\s+)?(?:types?|kinds?|categories|sorts|varieties)\s+of\b", after, re.IGNORECASE):
        return "a count of kinds: the text names what it lists, it measures nothing"
    return None


_YEAR_OWN = re.compile(
    r"^\s*(?:[A-Za-z'’-]+\s+){0,3}?(?:in|of|(?:at|by)\s+the\s+end\s+of)\s+$", re.IGNORECASE
)  # "2,083 Yuan in 2008", "3,260 households relocated in 2009", "4.31 million at the end of 2008"
_COMPARED = re.compile(
    r"\b(?:over|than|from|since|compared\s+(?:with|to)|against|versus|vs\.?)\s+(?:the\s+(?:end\s+of\s+)?)?$",
    re.IGNORECASE,
)


def year_role(text: str, year: Mention, figures: list[Mention]) -> tuple[str, Mention | None]:
    """("comparison", None), ("own", the number it dates) or ("sentence", None) for a year of the text."""
    before = text[max(0, year.start - 24) : year.start]
    previous = [m for m in figures if m.end <= year.start]
    if previous:
        between = text[previous[-1].end : year.start]
        if "," not in between and _YEAR_OWN.match(between):
            return "own", previous[-1]
    if _COMPARED.search(before):
        return "comparison", None
    return "sentence", None


def _period_of(text: str, year: Mention) -> str:
    end_of = re.search(r"\bend\s+of\s+$", text[max(0, year.start - 12) : year.start], re.IGNORECASE)
    return f"period/{year.text}-12-31" if end_of else f"period/{year.text}"


def periods(text: str, sentence: Sentence, figures: list[Mention], years: list[Mention]) -> dict[int, tuple[str, str]]:
    """Figure start → (period id, why) for each figure the sentence dates; the others take the report's."""
    found: dict[int, tuple[str, str]] = {}
    free: list[Mention] = []
    for year in years:
        role, owner = year_role(text, year, figures)
        if role == "own" and owner is not None:
            found[owner.start] = (_period_of(text, year), f"“… {year.text}” follows the number")
        elif role == "sentence":
            free.append(year)
    for m in figures:
        if m.start in found:
            continue
        earlier = [y for y in free if y.end <= m.start]
        if earlier:
            found[m.start] = (_period_of(text, earlier[-1]), f"the sentence says {earlier[-1].text} before it")
    del sentence
    return found


_FUNDING_VERB = (
    r"(?:put\s+in(?:to)?|invested|issued|allocated|provided|granted|raised|contributed|donated|given|spent|"
    r"appropriated|earmarked|arranged|transferred|disbursed|distributed|channell?ed|paid|released|injected|"
    r"financed|funded|offered|supplied|mobili[sz]ed|sponsored|set\s+aside|handed\s+out|extended|lent|loaned|"
    r"matched|pledged|committed|poured\s+in(?:to)?|gave|added|chipped\s+in|came\s+up\s+with)"
)
_NP = r"(?:the\s+)?(?P<np>[A-Za-z][A-Za-z’'\- ]*?)"
_NP_END = (
    r"(?=\s*(?:[,;()]|$|\.|\bfor\b|\bto\b|\bin\b|\bamounted\b|\breached\b|\btotall?ed\b|\bwas\b|\bwere\b|"
    r"\band\s*(?:\d|$)))"
)
#: Money a province or region adds to the central government's: the series writes it several ways.
_MATCHING = r"(?:matching|supporting|counterpart|supplementary)\s+funds?"


#: The last word of a name of who pays, when a sentence leaves its verb out.
_PAYER_HEAD = (
    r"(?:finance|government|governments|office|department|bureau|commission|banks?|province|region|cities|city|"
    r"counties|county|authorities|centre|center|ministry|organs|units|enterprises)"
)


def funder_phrases(text: str, start: int, end: int, mention: Mention) -> list[tuple[str, str]]:
    """(phrase, how it is said) naming who put the money in, in the clause [start, end) of a money figure.

    "from the central government", "put in / issued / allocated by X", "matching funds of the province",
    "X put in N", "funds invested by the state and Xinjiang amounted to N".
    """
    found: list[tuple[str, str]] = []
    after = text[mention.end : end]
    before = text[start : mention.start]
    for m in re.finditer(rf"\bfrom\s+{_NP}{_NP_END}", after):
        found.append((m.group("np"), "from"))
    for m in re.finditer(rf"\b{_FUNDING_VERB}\s+by\s+{_NP}{_NP_END}", after + " ."):
        found.append((m.group("np"), m.group(0).split()[0].lower() + " by"))
    for m in re.finditer(
        rf"\b{_MATCHING}\s+(?:of|from)\s+(?:the\s+)?(?P<np>[A-Za-z ]+?)(?=\s*(?:[,;()]|$|\.|\band\b|\bwas\b))",
        text[start:end],
    ):
        found.append((m.group("np"), "matching funds of"))
    own = re.search(
        rf"\b(?:the\s+)?(?P<np>provincial|regional|(?:the\s+)?(?:province|region|autonomous\s+region)['’]s)\s+{_MATCHING}",
        text[start:end],
        re.IGNORECASE,
    )
    if own and not found:
        found.append((re.sub(r"['’]s$", "", own.group("np")), "its own matching funds"))
    source = re.search(
        rf"\b(?i:funds?|money|investment|allocations?)\s+from\s+{_NP}\s+(?:amounted|reached|totall?ed|was|were|came|"
        r"stood|hit)\b",
        before,
    )  # "Funds from the central finance amounted to N"
    if source:
        found.append((source.group("np"), "from"))
    gapped = re.fullmatch(rf"\s*(?:and\s+)?(?:the\s+)?(?P<np>[A-Za-z][A-Za-z’'\- ]*?\b{_PAYER_HEAD})\s*", before)
    if gapped and re.search(
        rf"\b{_FUNDING_VERB}\s+(?:a\s+total\s+of\s+)?[\d.,]+\s+(?:[a-z]+\s+)?Yuan\b[^;()\d]*$",
        text[max(0, start - 120) : start],
    ):  # "the central finance earmarked N Yuan and the provincial finance M Yuan": the verb is left out
        found.append((gapped.group("np"), "the subject of a verb left out"))
    subject = re.search(rf"\b{_FUNDING_VERB}\s+by\s+{_NP}\s+(?:amounted|reached|totall?ed|was|were|came)\b", before)
    if subject:
        found.append((subject.group("np"), subject.group(0).split()[0].lower() + " by"))
    m2 = re.search(
        rf"(?:^\s*|[,;]\s*)(?P<np>[A-Za-z][A-Za-z’'\- ]*?)\s+{_FUNDING_VERB}\s+(?:a\s+total\s+of\s+)?$", before
    )
    if m2 and m2.group("np").lower() not in ("it", "they", "he", "she", "which", "who"):
        found.append((m2.group("np"), "the subject of " + before[m2.end("np") :].strip().split()[0]))
    return found
