"""A sentence of a report read as structure: totals and their parts, clauses, periods, funders, non-figures.

The series writes breakdowns as "A, of which: B (including B1, B2), C and D (including D1)": A's parts are B, C
and D, B's are B1 and B2, D's is D1. :func:`breakdown` reads "of which", "of whom", "among them", "including" and
brackets at any depth: a part belongs to the last number before its marker at its own depth, if both count the
same kind of thing (money with money, villages with villages: a count of villages is never a part of a count of
people); a list ends at ";", at its closing bracket, or at the first number of another kind.

:func:`periods` gives each number the year the sentence gives it: "N in 2008" and "N at the end of 2008" are
that number's, "In 2009, …" and "the funds of 2009 were N" hold for the numbers after them, and a year of
comparison ("up 12% over 2008", "against N in 2008") sets nothing else.

:func:`not_a_figure` says why a number is no figure of its own: a distance or an altitude that says which places
are meant ("within 20 kilometers of the border"), a poverty line that says who is counted ("below 1,196 Yuan"), a
rank, a date, a slogan's spelled round number, a count of kinds ("more than ten types of").

Parts and totals are checked by meaning as well as by markers: a part never exceeds its total, and where no
marker says it (a bracket, a total named as a subject after its parts, a sentence that breaks down a figure of
the one before), the numbers that add up to a total exactly are its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xjkg.mapping.wording import STOP, stem
from xjkg.text.extract import Mention
from xjkg.text.source import Report, Sentence

__all__ = [
    "Node", "breakdown", "carried_total", "clause", "counted_noun", "funder_phrases", "increase_before",
    "is_difference", "not_a_figure", "opens_with_marker", "periods", "share_link",
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
    r"consisted\s+of|consists\s+of|(?:was|were|is|are)\s+made\s+up\s+of|broken\s+down\s+(?:as\s+follows|into)|"
    # a participle of composition after the total: "2.05 billion Yuan, made up of …", "…, comprised of …"
    r"made\s+up\s+of|comprised\s+of|formed\s+of"
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
#: Words that end the noun phrase after a number ("54,000 through skills training" names no noun of its own).
_PREPOSITIONS = frozenset(
    {
        "through", "via", "under", "after", "during", "across", "among", "within", "over", "about", "against",
        "along", "around", "before", "behind", "below", "beside", "besides", "between", "beyond", "despite",
        "except", "inside", "near", "outside", "since", "toward", "towards", "upon", "without",
    }
)  # fmt: skip


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
        # a participle before a plural noun is its adjective ("65 leading enterprises", "3606 impoverished villages")
        adjective = bool(re.fullmatch(r"[a-z'’-]*(?:[^s]s|men|people)", nxt)) and nxt not in STOP
        adjective = adjective and not _VERB.search(nxt)
        if (
            lowered in STOP
            or lowered in _PREPOSITIONS
            or (_VERB.search(lowered) and _noun_class(lowered) is None and not adjective)
        ):
            break  # "3 households moved": a verb
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
    """A part counts what its total counts: the same unit (person-times under people), the same kind of thing, and
    no more of it."""
    person_times = part.unit == "PERSON_TIME" and total.unit in ("COUNT", "PERSON_TIME")
    if part.unit != total.unit and not person_times and not {part.unit, total.unit} <= {"COUNT", "HOUSEHOLD"}:
        return False
    if part.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return False  # a share is never a part of a sum
    if part.value > total.value:
        return False  # a part is never more than its whole (390,000 person-times are no part of 210,000 people)
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


#: A marker right after a number makes that number a part ("96,000 trained, 89,000 of whom found jobs", "23
#: enterprises, 8 of them national ones", "15,000 of the households were poor"): its total stands before it.
#: ("56 of its counties" is of the region's counties, no number before it.)
_PART_AFTER = re.compile(
    r"\s+(?:of|among|out\s+of)\s+(?:whom|which|them|these|those|(?:the|these|those)\s+"
    r"(?P<noun>[a-z][a-z'’-]*))\b(?!\s*[\d(:])",
    re.IGNORECASE,
)


#: A number that says by how much another differs ("380 million Yuan more than the 2.67 billion Yuan of 2010").
_DIFFERENCE = re.compile(r"\s+(?:more|less|fewer|higher|lower|larger|smaller|greater)\s+than\b", re.IGNORECASE)


#: The words before a value another is compared with ("more than the 2.67 billion Yuan of 2010").
_COMPARED_VALUE = re.compile(
    r"\b(?:than|against|versus|compared\s+(?:with|to))\s+(?:the\s+|that\s+of\s+)?(?:about\s+|nearly\s+)?$",
    re.IGNORECASE,
)


#: The words before a number that say it is by how much something grew: a noun of increase with "of" ("an increase
#: of N", "a rise of N"), "up (by) N", or a verb of rising with "by" ("climbed by N"), "RMB" allowed before it.
_INCREASE_BEFORE = re.compile(
    r"(?:\ban?\s+(?:increase|rise|growth|gain|jump|hike)\s+of|\bup(?:\s+by)?|"
    r"\b(?:increas|ris|rose|grew|grow|climb|jump|went\s+up|go\s+up|gone\s+up)\w*\s+by)\s+(?:some\s+|about\s+)?"
    r"(?:RMB|CNY)?\s*$",
    re.IGNORECASE,
)


def is_difference(text: str, mention: Mention) -> bool:
    """Whether the number is a difference ("N more than …", "an increase of N"): it is the total of no breakdown."""
    return bool(_DIFFERENCE.match(text, mention.end)) or increase_before(text, mention)


def increase_before(text: str, mention: Mention) -> bool:
    """Whether the words before the number say it is an increase ("an increase of N yuan over …", "up by N")."""
    return bool(_INCREASE_BEFORE.search(text[max(0, mention.start - 40) : mention.start]))


def _no_total(text: str, mention: Mention) -> bool:
    """A rate, a difference or the value compared with: never the total of the list that follows."""
    return (
        mention.unit in ("PERCENT", "PERCENTAGE_POINT")
        or is_difference(text, mention)
        or bool(_COMPARED_VALUE.search(text[max(0, mention.start - 30) : mention.start]))
    )


#: A number its own clause states with a verb ("credit funds were N", "loans came to N"): an item of a list,
#: where the parts of an item are bare ("N1 from the centre and N2 of matching funds").
_STATED = re.compile(
    r"\b(?:was|were|is|are|reached|amounted\s+to|totall?ed|came\s+to|stood\s+at|numbered)\s+"
    r"(?:a\s+total\s+of\s+|about\s+|nearly\s+|over\s+|some\s+)?$",
    re.IGNORECASE,
)


def _stated(text: str, mention: Mention) -> bool:
    return bool(_STATED.search(text[max(0, mention.start - 30) : mention.start]))


def _part_after(text: str, mention: Mention, earlier: list[Mention]) -> Mention | None:
    """The total a number is said to be a part of by the words right after it ("89,000 of whom"), or None.

    The total is the nearest number before it that counts the same thing: of the noun after "of the" when the
    text names one ("of the households"), else of the number's own kind.
    """
    said = _PART_AFTER.match(text, mention.end)
    if not said or mention.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return None
    noun = said.group("noun")
    if noun is not None:
        if mention.unit not in ("COUNT", "HOUSEHOLD", "PERSON_TIME") or noun.lower() in STOP:
            return None
        wanted = _noun_class(noun) or stem(noun.lower())
        return next((e for e in reversed(earlier) if counted_noun(text, e) == wanted), None)
    return next((e for e in reversed(earlier) if _compatible(mention, e, text)), None)


#: The verb of a subset's own predicate: "89,000 of whom found jobs", "15,000 of the households were poor".
_PREDICATE = re.compile(
    r"\s*(?:(?:[a-z]+ly|later|also|then|already|still|soon)\s+)?(?:(?:had|have|has|were|was|are|is|got|found|became|went|took|gained|received)\b|[a-z]+ed\b)",
    re.IGNORECASE,
)


def _subset_marker(text: str, mention: Mention) -> str:
    """ "of whom: a predicate" when a verb follows the words that make the number a part: the subset is of its
    own kind (the employed among the trained); "of them" when only a name follows ("8 of them national ones")."""
    said = _PART_AFTER.match(text, mention.end)
    return "of whom: a predicate" if said and _PREDICATE.match(text, said.end()) else "of them"


#: A sentence whose subject, named without a number, is broken down by a verb of composition: "The central
#: funds consisted of …", "Those grants comprised …": a total of the sentence before, named again.
_SUBJECT_COMPOSED = re.compile(
    r"\s*(?:【[^】]*】\s*)?(?:[A-Za-z'’-]+\s+){1,5}?(?:consisted\s+of|consist\s+of|comprised|comprise|"
    r"(?:was|were)\s+(?:made\s+up|composed|formed)\s+of|broke\s+down\s+(?:as|into)|included|include)\b(?=[^.;]*\d)",
    re.IGNORECASE,
)
#: A clause after the numbers of a sentence that says they make up a total named before: "…, together making up
#: the total", "…, which formed the whole sum".
_CLOSES_TOTAL = re.compile(
    r"\b(?:(?:together|jointly|altogether)\s+)?(?:making\s+up|make\s+up|made\s+up|forming|formed|form|"
    r"constituting|constituted|adding\s+up\s+to|added\s+up\s+to|add\s+up\s+to|accounting\s+for|comprising)\s+"
    r"(?:all\s+of\s+)?the\s+(?:whole\s+|above\s+|said\s+|entire\s+)?(?:total|sum|amount)\b[^\d]*$",
    re.IGNORECASE,
)


#: A percentage "of" the number before it, named by a pronoun or a noun ("63% of whom found jobs", "72% of it
#: went to …", "87% of the trainees were placed"): a share of that number; its part is not stated.
_SHARE_OF_BEFORE = re.compile(
    r"\s+of\s+(?:whom|them|it|these|those|which|the\s+(?!total\b|annual\b|plan\b|target\b|task\b|goal\b|year)"
    r"[a-z][a-z'’-]*(?:\s+[a-z]+)?\s+(?:were|was|had|have|has|got|found|became|went|[a-z]+ed)\b)",
    re.IGNORECASE,
)
#: "a placement rate of N%", "an employment ratio of N%": a rate said of the part before it and its total.
_RATE_OF = re.compile(
    r"\b(?:a|an|the|its|their)\s+(?:[a-z-]+\s+){0,2}(?:rate|ratio|proportion|percentage)\s+of\s+(?:about\s+)?$",
    re.IGNORECASE,
)


def share_link(
    text: str, mention: Mention, earlier: list[Mention], nodes: dict[int, Node]
) -> tuple[Mention | None, Mention] | None:
    """(part, whole) when a percentage is a share of figures just before it, the part None when unstated.

    "96,000 trained, 89,000 of whom found jobs, a placement rate of 92.7%": part 89,000, whole 96,000 (the part's
    total); "164,000 trained, 63% of whom found jobs": whole 164,000, no part.
    """
    amounts = [f for f in earlier if f.unit not in ("PERCENT", "PERCENTAGE_POINT")]
    if mention.unit != "PERCENT" or not amounts:
        return None
    last = amounts[-1]  # "N Yuan, up 8.4% from the year before, and 72% of it went to …": of the money
    if _SHARE_OF_BEFORE.match(text, mention.end):
        return None, last
    node = nodes.get(last.start)
    if _RATE_OF.search(text[max(0, mention.start - 50) : mention.start]) and node is not None and node.total:
        return last, node.total
    return None


def opens_with_marker(text: str, sentence: Sentence) -> bool:
    """Whether the sentence breaks down a total of the sentence before: it begins with a breakdown marker ("Among
    them, …"), its subject is broken down ("The central funds consisted of …"), its first figure is a share "of
    the total", or it closes by saying its numbers make up the total ("…, together making up the total")."""
    body = text[sentence.start : sentence.end]
    subject = _SUBJECT_COMPOSED.match(body)
    return bool(
        _OPENS_WITH_MARKER.match(body)
        or _SHARE_OF_TOTAL.match(body)
        or (subject and not re.search(r"\d", body[: subject.end()]))
        or _CLOSES_TOTAL.search(body)
    )


def carried_total(candidates: list[Mention], figures: list[Mention]) -> Mention:
    """Which figure of the sentence before a sentence that breaks one down breaks down: the one its numbers of
    the same unit add up to exactly ("… 1.02 billion Yuan … The central funds consisted of 720, 210 and 90
    million Yuan"), else the last."""
    sums: dict[str, list[Any]] = {}  # unit -> [count, sum], read once: linear in the sentence
    for f in figures:
        if f.unit not in ("PERCENT", "PERCENTAGE_POINT"):
            sums.setdefault(f.unit, [0, 0])
            sums[f.unit][0] += 1
            sums[f.unit][1] += f.value
    for candidate in reversed(candidates[-_LOOKBACK:]):
        count, total = sums.get(candidate.unit, [0, 0])
        if count >= 2 and total == candidate.value:
            return candidate
    return candidates[-1]


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
    for mark in _CONTRAST.finditer(body):
        events.append((sentence.start + mark.start(), 0, "contrast", None))
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
    read: list[Mention] = list(base.seen)  # every number read so far, at any depth
    for offset, _, kind, mention in events:
        after = _PART_AFTER.match(text, read[-1].end) if read and kind.startswith("marker:") else None
        if after and after.start() <= offset < after.end():
            continue  # "89,000 of whom": the number before is the part (read with it), no list opens
        if kind == "(":
            stack.append(_Frame("bracket", None, ""))
            pending_bracket = offset + 1
        elif kind == ")":
            while len(stack) > 1 and stack.pop().kind != "bracket":
                pass
            if stack[-1].last is not None and nodes.get(stack[-1].last.start) is not None:
                _bracket_adds_up(text, stack[-1].last, offset, read, nodes)
        elif kind == "contrast":
            while len(stack) > 1 and stack[-1].kind == "list":
                stack.pop()  # "…: A and B, while C reached N": a clause set against the list, no item of it
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
                len(stack) > 2
                and stack[-1].kind == stack[-2].kind == "list"
                and stack[-1].total is not None
                and _stated(text, stack[-1].total)
                and _stated(text, mention)
            ):
                stack.pop()  # "A were N, comprising N1 and N2, and B were M": M is A's sibling, not its part
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
            whole = None if nodes[mention.start].total is not None else _part_after(text, mention, read[-_LOOKBACK:])
            if whole is not None:
                nodes[mention.start].total, nodes[mention.start].marker = whole, _subset_marker(text, mention)
                nodes[whole.start].parts.append(mention)
                nodes[whole.start].opens = nodes[whole.start].opens or "of them"
            read.append(mention)
            if nodes[mention.start].total is None:
                _total_after_parts(text, mention, frame, nodes)
            if not _no_total(text, mention):
                frame.last = mention  # "N Yuan, up 12% over 2009, of which": the total is the money, not the rate
                frame.seen.append(mention)
    return nodes


def _bracket_adds_up(text: str, total: Mention, close: int, read: list[Mention], nodes: dict[int, Node]) -> None:
    """A bracket with no marker right after a number holds its parts when they add up to it: "eight divisions
    (two cities and six prefectures)". Without a marker, the sum is the evidence (cities are not divisions)."""
    if nodes[total.start].parts or total.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return
    opened = text.find("(", total.end, close)
    if opened < 0 or re.search(r"[\d;]", text[total.end : opened]) or len(text[total.end : opened]) > 60:
        return
    inside = [m for m in read[-_LOOKBACK:] if opened < m.start < close]
    if len(inside) < 2 or any(m.unit != total.unit or nodes[m.start].total is not None for m in inside):
        return
    if sum(m.value for m in inside) == total.value:
        for m in inside:
            nodes[m.start].total, nodes[m.start].marker = total, "(…)"
            nodes[total.start].parts.append(m)
        nodes[total.start].opens = "(…)"


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


#: A total named as the subject of its sentence after its parts: "…, total poverty alleviation investment was N".
_TOTAL_SUBJECT = re.compile(
    r"\b(?:the\s+)?(?:total|overall|combined)\s+(?:[A-Za-z-]+\s+){0,5}?(?:was|were|reached|came\s+to|"
    r"amounted\s+to|stood\s+at|hit|rose\s+to|numbered)\s+(?:about\s+|nearly\s+|some\s+)?$",
    re.IGNORECASE,
)


def _total_after_parts(text: str, mention: Mention, frame: _Frame, nodes: dict[int, Node]) -> None:
    """Make the number the total of the numbers just before it when the text says it sums them ("57 in total").

    The parts are the nearest numbers of the same kind at its depth that have no total yet, back to a ";" (at
    most a few: linear in the sentence); two at least, as one number is never a breakdown.
    """
    before = text[max(0, mention.start - 80) : mention.start]
    said = _TOTAL_AFTER.match(text, mention.end) or _TOTAL_BEFORE.search(before) or _TOTAL_SUBJECT.search(before)
    if not said or mention.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return
    run: list[Mention] = []  # the numbers of its kind before it, nearest first, across ";"
    plain: int | None = None  # how many of them stand after the last ";"
    end = mention.start
    for earlier in reversed(frame.seen[-2 * _LOOKBACK :]):
        if nodes[earlier.start].total is not None or not _compatible(earlier, mention, text):
            break
        if ";" in text[earlier.end : end] and plain is None:
            plain = len(run)
        run.append(earlier)
        end = earlier.start
    plain = len(run) if plain is None else plain
    # the numbers that add up to it exactly, even across a ";" ("A and B; with C and D, total … was N"), else
    # the nearest ones back to a ";"
    exact = next((k for k in range(2, len(run) + 1) if sum(p.value for p in run[:k]) == mention.value), 0)
    parts = run[: exact or plain]  # at most 2 * _LOOKBACK numbers: linear in the sentence
    if len(parts) < 2:
        return
    node = nodes[mention.start]
    for part in reversed(parts):
        nodes[part.start].total, nodes[part.start].marker = mention, "in total"
        node.parts.append(part)
    node.opens = node.opens or "in total"


#: A conjunction that sets a clause against the one before: it ends the lists open at its depth.
_CONTRAST = re.compile(r",\s*(?:while|whereas|but|meanwhile)\b", re.IGNORECASE)

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


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
#: Nouns whose count names the kinds a text then lists ("seven leading industries: …", "12 crops such as …").
_KINDS = r"(?:industries|crops|products|breeds|species|sectors|trades|varieties)"
#: Nouns of a group of places a text names by a small number ("three contiguous destitute areas", "the three
#: rivers", "the Three Gorges"): the group's name, not a count of what was done.
_PLACE_GROUPS = r"(?:areas|regions|zones|belts|rivers|gorges|mountains|lakes)"
_ROUND_WORDS = re.compile(r"(?:a|one|ten)\s+(?:hundred|thousand)|a\s+(?:hundred|thousand)\s+thousand", re.IGNORECASE)
_APPROXIMATE = re.compile(r"\b(?:nearly|about|around|almost|over|some|roughly|approximately|than)\s+$", re.IGNORECASE)
_SMALL_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten)"


def not_a_figure(text: str, mention: Mention) -> str | None:
    """Why the number is no figure of its own (a distance, a poverty line, a rank, a count of kinds, a date, a
    slogan's round number, a group of places named by its number), or None."""
    before = text[max(0, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 40]
    if re.search(rf"\b{_MONTH}\s+$", before) or re.search(rf"\b{_MONTH}\s+\d{{1,2}},?\s+$", before):
        return "a date (“May 12, 2008”): it names a day, it is not a quantity"
    if mention.unit == "COUNT" and re.match(
        r"\s*(?:meters?|metres?|m)\s+(?:above|below)\s+(?:the\s+)?sea\s+level", after, re.IGNORECASE
    ):
        return "an altitude that says which places are meant (it qualifies a group, it is not a figure)"
    if mention.unit == "CNY" and re.search(r"\bpoverty\s+(?:line|standard|threshold)\b[^\d;.]{0,32}$", before, re.I):
        return "a poverty line: it says who is counted, it is not a figure of its own"
    if mention.written_as == "words":
        if _ROUND_WORDS.fullmatch(mention.text) and not _APPROXIMATE.search(before):
            return "a round number spelled out (“a thousand …”) names a campaign's slogan, it counts nothing here"
        if re.match(rf"\s+or\s+{_SMALL_WORD}\b", after, re.I) or re.search(rf"\b{_SMALL_WORD}\s+or\s+$", before, re.I):
            return "“one or two”: a rough amount that states no figure"
        if mention.value <= 10 and re.match(rf"\s+(?:[a-z-]+\s+){{0,2}}{_PLACE_GROUPS}\b", after, re.IGNORECASE):
            return "a small number that names a group of places (“three … areas”), not a count of what was done"
        if mention.text[:1].isupper() and re.search(r"[a-z,]\s+$", before) and re.match(r"\s+[A-Z][a-z]", after):
            return "a capitalised number word inside a name (“the Three Gorges”)"
    if mention.unit == "COUNT" and re.match(
        rf"\s+(?:[A-Za-z-]+\s+){{0,2}}{_KINDS}\s*(?:,\s*)?(?:such\s+as|including|like|:|\()", after, re.I
    ):
        return "a count of kinds the text then lists (“seven leading industries: …”): it measures nothing"
    if (
        mention.unit == "KM"
        and re.search(r"\b(?:within|beyond|less\s+than|more\s+than|over|under|up\s+to|at\s+least)\s+$", before, re.I)
        and re.match(r"\s*(?:of|from|away|around)\b", after, re.IGNORECASE)
    ):
        return "a distance that says which places are meant (it qualifies a group, it is not a figure)"
    if mention.unit == "CNY" and re.search(
        r"\b(?:below|under|lower\s+than|less\s+than|standard\s+of)\s+$", before, re.IGNORECASE
    ):
        return "a poverty line: it says who is counted, it is not a figure of its own"
    if re.search(r"\b(?:ranked|ranking|ranks?|No\.)\s*$", before, re.IGNORECASE) or re.match(
        r"(?:st|nd|rd|th)\b", after
    ):
        return "a rank, not a quantity"
    if re.match(r"\s+(?:years?|months?|days?)\s+(?:earlier|ago|before|later|after)\b", after, re.IGNORECASE):
        return "a span of time that dates another figure (“a year earlier”), not a quantity"
    if re.match(r"\s+(?:[a-z]+\s+)?(?:types?|kinds?|categories|sorts|varieties)\s+of\b", after, re.IGNORECASE):
        return "a count of kinds: the text names what it lists, it measures nothing"
    return None


_YEAR_OWN = re.compile(
    r"^\s*(?:[A-Za-z'’-]+\s+){0,3}?(?:in|of|(?:at|by)\s+the\s+end\s+of)\s+$", re.IGNORECASE
)  # "2,083 Yuan in 2008", "3,260 households relocated in 2009", "4.31 million at the end of 2008"
#: A year after a word of comparison, "in" or "that of" between or not: "up 12% over 2008", "higher than in 2008".
#: A finite verb right after "the N villages started in 2010": the year dates the participle's clause, and the
#: sentence's verb says what the number is now ("… passed the acceptance check").
_MAIN_VERB = re.compile(r"\s+(?:(?:all|also|then|finally)\s+)?(?:[a-z]+ed|was|were|has|have|had)\b")
_COMPARED = re.compile(
    r"\b(?:over|than|from|since|compared\s+(?:with|to)|against|versus|vs\.?|on)\s+(?:in\s+|that\s+of\s+)?"
    r"(?:the\s+(?:(?:end|close)\s+of\s+)?)?$",
    re.IGNORECASE,
)
#: Words after a number that date it a year before its sentence's (or the report's) year.
_YEAR_BEFORE = re.compile(
    r"\s*(?:(?!(?:than|over|on|from|since|compared|against|versus|more|less|higher|lower|up|down)\b)[A-Za-z'’-]+\s+)"
    r"{0,3}?(?:(?:a|one)\s+year\s+(?:earlier|before|ago)|last\s+year|"
    r"(?:in\s+)?the\s+(?:previous|preceding|prior)\s+year|(?:in\s+)?the\s+year\s+(?:before|earlier))\b",
    re.IGNORECASE,
)
#: The end of a year, however a translator says it: "at the end of", "by the close of".
_END_OF = re.compile(r"\b(?:end|close)\s+of\s+$", re.IGNORECASE)


def year_role(text: str, year: Mention, figures: list[Mention]) -> tuple[str, Mention | None]:
    """("comparison", None), ("own", the number it dates), ("clause", None) (the year of a participle's clause
    inside a noun phrase: it dates nothing the sentence counts) or ("sentence", None) for a year of the text."""
    before = text[max(0, year.start - 24) : year.start]
    if _COMPARED.search(before):
        return "comparison", None  # "12% higher than in 2008": the year the figure is compared with
    previous = [m for m in figures if m.end <= year.start]
    if previous:
        between = text[previous[-1].end : year.start]
        if "," not in between and _YEAR_OWN.match(between):
            if re.search(r"[a-z]+\s+[a-z]+\s+in\s+$", between) and _MAIN_VERB.match(text, year.end):
                return "clause", None  # "the 980 villages started in 2010 passed …": the year of "started"
            return "own", previous[-1]
    return "sentence", None


def _period_of(text: str, year: Mention) -> str:
    end_of = _END_OF.search(text[max(0, year.start - 14) : year.start])
    return f"period/{year.text}-12-31" if end_of else f"period/{year.text}"


def _year_earlier(period: str) -> str:
    """The same point of the year before: period/2009 → period/2008, period/2009-12-31 → period/2008-12-31."""
    year = re.match(r"period/((?:19|20)\d\d)", period)
    return period.replace(year.group(1), str(int(year.group(1)) - 1), 1) if year else period


def periods(
    text: str, sentence: Sentence, figures: list[Mention], years: list[Mention], default: str | None = None
) -> dict[int, tuple[str, str]]:
    """Figure start → (period id, why) for each figure the sentence dates; the others take the report's.

    A number followed by "a year earlier", "last year", "the previous year" is of the year before the one its
    sentence (else the report, ``default``) is about: "at the end of 2009 … down from N a year earlier" is the
    end of 2008.
    """
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
        back = _YEAR_BEFORE.match(text, m.end)
        if back and not any(m.end <= y.start < back.end() for y in years):
            of = found[m.start][0] if m.start in found else default
            if of and _year_earlier(of) != of:
                found[m.start] = (_year_earlier(of), f"“{back.group(0).strip()}”: the year before")
    del sentence
    return found


_FUNDING_VERB = (
    r"(?:put\s+in(?:to)?|invested|issued|allocated|provided|granted|raised|contributed|donated|given|spent|"
    r"appropriated|earmarked|arranged|transferred|disbursed|distributed|channell?ed|paid|released|injected|"
    r"financed|funded|offered|supplied|mobili[sz]ed|sponsored|set\s+aside|handed\s+(?:out|over)|remitted|allotted|awarded|delivered|extended|lent|loaned|"
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


#: What may stand between a verb of giving and its amount: "a total of", a currency before the number ("RMB").
_AMOUNT_LEAD = (
    r"(?:(?:a\s+total\s+of|some|about|around|nearly|almost|over|more\s+than|up\s+to)\s+)?(?:RMB|CNY|renminbi)?\s*"
)
#: A level of government as an adjective of the money right before its amount, as a flattened table writes a
#: part ("central funds 1.2 billion yuan", "provincial financial funds of N", "municipal and county funds N").
_LEVEL_FUNDS = re.compile(
    r"(?:^\s*|[,;:(]\s*|\band\s+|\bwhich\s+|\bwhom\s+)(?:the\s+)?(?P<level>(?:central|provincial|regional|municipal|"
    r"prefectural|city|county)(?:\s+and\s+(?:municipal|prefectural|city|county|township))?)\s+(?:level\s+)?"
    r"(?:(?:government|fiscal|financial|budgetary|special)\s+)?(?:funds?|finance|money|allocations?|investment|"
    r"appropriations?)\s*(?:of\s+|were\s+|was\s+|stood\s+at\s+|totall?ing\s+|amounting\s+to\s+|reached\s+|"
    r"came\s+to\s+)?" + _AMOUNT_LEAD + r"$",
    re.IGNORECASE,
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
        rf"\b{_FUNDING_VERB}\s+{_AMOUNT_LEAD}[\d.,]+\s+(?:[a-z]+\s+)?(?i:yuan)\b[^;()\d]*$",
        text[max(0, start - 120) : start],
    ):  # "the central finance earmarked N Yuan and the provincial finance M Yuan": the verb is left out
        found.append((gapped.group("np"), "the subject of a verb left out"))
    subject = re.search(rf"\b{_FUNDING_VERB}\s+by\s+{_NP}\s+(?:amounted|reached|totall?ed|was|were|came)\b", before)
    if subject:
        found.append((subject.group("np"), subject.group(0).split()[0].lower() + " by"))
    m2 = re.search(
        rf"(?:^\s*|[,;]\s*)(?P<np>[A-Za-z][A-Za-z’'\- ]*?)\s+(?:(?:also|further|additionally|then|jointly)\s+)?"
        rf"{_FUNDING_VERB}\s+{_AMOUNT_LEAD}$",
        before,
    )
    # "Beijing, the pairing province, provided N": the subject is the name before its apposition
    apposed = re.search(
        rf"(?:^\s*|[,;]\s*)(?P<np>[A-Z][A-Za-z’'\- ]*?),\s+(?:the|its|a|an)\s+[^,;]+,\s+"
        rf"(?:(?:also|further|additionally|then|jointly)\s+)?{_FUNDING_VERB}\s+{_AMOUNT_LEAD}$",
        before,
    )
    if apposed:
        found.append((apposed.group("np"), "the subject of " + before[apposed.end("np") :].split(",")[-1].split()[0]))
    elif m2 and m2.group("np").lower() not in ("it", "they", "he", "she", "which", "who"):
        np = m2.group("np")
        # "Beijing continued its pairing work and gave N": the subject of both verbs is the words before the first
        shared = re.match(r"(?P<np>.+?)\s+(?:[a-z]+ed|kept|went|made|took|sent|began|set)\s+.*\band$", np)
        found.append(
            (shared.group("np") if shared else np, "the subject of " + before[m2.end("np") :].strip().split()[0])
        )
    level = _LEVEL_FUNDS.search(before)
    if level and not found:
        named = level.group("level")
        found.append((f"the {named} government" if named.lower() == "central" else f"{named} government", "funds of"))
    return found
