"""Words, not substrings: how the drafter finds a vocabulary's names in a report's sentence.

A name is matched on whole words: "Lop" never matches "deve*lop*ment". Words are compared by a light stem
(plural and -ed/-ing endings dropped, so "villages" matches "village" and "completed" matches "completing") and
the report's synonyms for "poor" ("impoverished", "poverty-stricken") are read as one word. A name's
parenthesis gives variants: "the State (central government of China)" is also "central government of China" and
"central government"; "poor (impoverished) villages" is also "impoverished villages"; "(prefectures, states,
cities)" gives each word of the list.

A match scores its number of words (the most specific name wins): a name written whole (its words in a row,
small words between them allowed) scores half a word more; a name of two words or more of which two thirds stand
in the clause scores its words times the cube of the share present (a missing word costs more than a short
name has).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NameMatch", "Words", "best_match", "name_variants", "stem", "words_of"]

#: Small words that never make a name match on their own and may stand between a name's words.
STOP = frozenset(
    ["a", "an", "the", "of", "and", "in", "for", "to", "by", "on", "at", "with", "was", "were", "is", "are", "it",
     "its", "which", "that", "this", "these", "as", "from", "all", "put", "had", "has", "have", "been", "be", "or",
     "where", "their", "they", "them", "there", "than", "into", "per", "each"]
)  # fmt: skip
#: Words the series uses for one thing: one stem for all of them.
_SYNONYMS = {
    "impoverished": "poor", "poverty-stricken": "poor", "labour": "labor", "organisation": "organization",
    "kilometre": "kilometer", "households": "household", "families": "household", "family": "household",
    "persons": "people", "person": "people",
    # "they drove 52,000 households": the series' word for helping households out of poverty
    "drove": "help", "driven": "help", "drive": "help", "drives": "help", "helped": "help",
    # a province's share beside the central funds, and what a fee is called
    "expenses": "fee", "expense": "fee", "costs": "fee", "difficulties": "problem", "difficulty": "problem",
    # moving people out of harsh areas, helping poor villages, the bodies that help them
    "moved": "relocated", "resettled": "relocated", "migrated": "relocated", "assisted": "help", "assisting": "help",
    "assist": "help", "assistance": "help", "aided": "help", "organisations": "units", "organizations": "units",
    "agencies": "units", "departments": "units",
}  # fmt: skip
#: Words that say that something was done, not what: a name is matched without them where the text says it
#: another way ("gained access to safe drinking water" for "drinking water problems were solved").
LIGHT = frozenset(
    ["solv", "problem", "access", "gain", "got", "get", "whose", "receiv", "provid", "found", "find"]
)  # fmt: skip
#: Words that, before "funds", say the same as "matching funds" (a province's share beside the central funds).
_MATCHING_WORDS = frozenset(["supporting", "counterpart", "supplementary", "complementary"])
_TOKEN = re.compile(r"[a-z\u4e00-\u9fff]+(?:[-'’][a-z]+)*|\d+")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's light stem: lower case, synonyms joined, plural and -ed/-ing dropped.

    >>> [stem(w) for w in ("Villages", "village", "counties", "completed", "completing", "impoverished", "Lop")]
    ['villag', 'villag', 'county', 'complet', 'complet', 'poor', 'lop']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s") or w.endswith("s'"):
        w = w[:-2] if w.endswith("'s") else w[:-1]
    w = _SYNONYMS.get(w, w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        w = w[:-1]
    if len(w) > 6 and w.endswith("ee"):
        w = w[:-2]  # who is trained, employed: "trainees" are the people trained
    if len(w) > 7 and w.endswith("ment"):
        w = w[:-4]  # "investment" and "invested" are one word
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Words:
    """A text's words: stems with their offsets (relative to the text), small words kept, marked."""

    stems: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    def content(self) -> list[int]:
        """Indexes of the words that are not small words."""
        return [i for i, s in enumerate(self.stems) if s not in STOP]


def _split(text: str) -> Iterable[tuple[str, int, int]]:
    for m in _TOKEN.finditer(text.lower()):
        token = m.group(0)
        if _SYNONYMS.get(token) == "poor":  # "poverty-stricken" is one word
            yield token, m.start(), m.end()
            continue
        at = m.start()
        for part in re.split(r"([-'’])", token):
            if part and part not in "-'’":
                yield part, at, at + len(part)
            at += len(part)


@lru_cache(maxsize=16384)
def words_of(text: str) -> Words:
    """The words of ``text``.

    >>> words_of("Anti-poverty funds (Lop)").stems
    ('anti', 'poverty', 'fund', 'lop')
    """
    found = [(stem(t) if t not in STOP else t, a, b) for t, a, b in _split(text)]
    for i in range(len(found) - 1):
        if found[i + 1][0] == "fund" and text[found[i][1] : found[i][2]].lower() in _MATCHING_WORDS:
            found[i] = ("match", found[i][1], found[i][2])  # "supporting funds" are matching funds
    return Words(tuple(s for s, _, _ in found), tuple((a, b) for _, a, b in found))


@lru_cache(maxsize=16384)
def name_variants(name: str) -> tuple[str, ...]:
    """The spellings a name stands for (its parenthesis read as variants).

    >>> name_variants("the State (central government of China)")
    ('the State', 'central government of China', 'central government')
    >>> name_variants("poor (impoverished) villages")
    ('poor villages', 'impoverished villages')
    >>> name_variants("prefecture-level divisions (prefectures, states, cities)")
    ('prefecture-level divisions', 'prefectures', 'states', 'cities')
    """
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    found = [plain] if plain else []
    for m in re.finditer(r"\(([^)]*)\)", name):
        inside = m.group(1).strip()
        before = name[: m.start()].rstrip()
        if inside and " " not in inside and "," not in inside and re.search(r"\w+$", before):
            # "poor (impoverished) villages": the word in brackets replaces the word before it
            head = re.sub(r"\w+$", inside, before)
            found.append(re.sub(r"\s*\([^)]*\)", "", head + name[m.end() :]).strip())
            continue
        items = [i.strip() for i in inside.split(",")] if "," in inside else [inside]
        for item in items:
            if item:
                found.append(item)
                shorter = re.sub(r"\s+of\s+[A-Z]\w*$", "", item)  # "central government of China"
                if shorter != item:
                    found.append(shorter)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class NameMatch:
    """How well a name stands in a text: its score, the name, and whether it stands whole."""

    score: float
    name: str
    whole: bool
    start: int = -1  # offset in the text of the match's first word (whole matches)

    def why(self) -> str:
        return f"{self.name!r} stands in the sentence" if self.whole else f"the words of {self.name!r} stand near it"


def _whole(name: list[str], text: Words) -> int:
    """Offset index in ``text`` where ``name``'s content words stand in a row (small words between), or -1."""
    stems = text.stems
    for i, s in enumerate(stems):
        if s != name[0]:
            continue
        k, j = 1, i + 1
        while k < len(name) and j < len(stems):
            if stems[j] == name[k]:
                k, j = k + 1, j + 1
            elif stems[j] in STOP and j - i < 3 * len(name):
                j += 1
            else:
                break
        if k == len(name):
            return i
    return -1


def match_name(name: str, text: str, min_share: float = 2 / 3) -> NameMatch | None:
    """The best match of one of ``name``'s variants in ``text`` (None if none is good enough)."""
    best: NameMatch | None = None
    words = words_of(text)
    present = set(words.stems)
    for variant in name_variants(name):
        if re.search(r"[\u4e00-\u9fff]", variant):
            hit = variant in text  # Chinese has no spaces between words: the name stands whole or not
            found = NameMatch(len(variant) / 2 + 1, variant, True, text.find(variant)) if hit else None
        else:
            mine = [s for s in words_of(variant).stems if s not in STOP]
            if not mine:
                continue
            at = _whole(mine, words)
            if at >= 0:
                found = NameMatch(len(mine) + 0.5, variant, True, words.spans[at][0])
            elif len(mine) >= 2:
                needed = {s for s in mine if s not in LIGHT} or set(mine)
                share = sum(1 for s in needed if s in present) / len(needed)
                size = len(needed) + sum(1 for s in set(mine) - needed if s in present)
                found = NameMatch(size * share**3, variant, False) if share >= min_share - 1e-9 else None
            else:
                found = None
        if found and (best is None or found.score > best.score):
            best = found
    return best


def best_match(names: Iterable[str], text: str, min_share: float = 2 / 3) -> NameMatch | None:
    """The best match of any of ``names`` in ``text``."""
    best: NameMatch | None = None
    for name in names:
        found = match_name(name, text, min_share)
        if found and (best is None or found.score > best.score):
            best = found
    return best
