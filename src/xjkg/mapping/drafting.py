"""``xjkg report new|list``: add a report to a corpus with a drafted mapping, and list the corpus.

``report new TEXT --id ID`` copies the text into ``<corpus>/reports/<ID>/`` (byte for byte, never edited), pins
its sha256 in ``report.yaml`` and writes a **draft mapping** under ``mapping/``: every quantity the extractor
finds, with its section, sentence, value and unit (as comments), and a proposal for what it is: a figure with its
indicator, area, period, program, beneficiary group, fund type, qualifier, total and parts, or an exclusion (years,
numbers inside names). Proposals come from the corpus's shared vocabularies (labels, alternative spellings,
Chinese names) matched against the words of the sentence; each says why in its ``proposed:`` key, and what
nothing could be found for is the string ``"TODO: <what is needed>"``. Reviewing is editing: accept a proposal by
deleting its ``proposed:`` line. The build refuses what is still proposed or TODO.

Every quote of the draft stands once in the body and holds its quantity (the checks of :mod:`xjkg.mapping.model`).
An existing report folder is never touched; the new one is written beside it and renamed into place.

Over 600 lines on purpose: one job, the draft, whose proposers (indicator, area, period, program, group, fund
type, totals and parts, exclusions) each read the same sentence and vocabularies; split, they would pass that
state around.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, XjkgError
from xjkg.core.options import add_corpus_argument
from xjkg.core.paths import DATA_DIR, VOCAB_DIR
from xjkg.core.textfiles import decode, read_bytes, shown
from xjkg.mapping.corpus import remove_abandoned_work, work_prefix
from xjkg.mapping.indicators import Proposal, family, grows_after, readable_words, shares_after
from xjkg.mapping.model import Span, Where, _claimed, _mentions_in, locate, read_yaml, strip_lines
from xjkg.mapping.structure import (
    Node,
    _noun_class,
    breakdown,
    carried_total,
    clause,
    counted_noun,
    funder_phrases,
    increase_before,
    is_difference,
    not_a_figure,
    opens_with_marker,
    periods,
    share_link,
    year_role,
)
from xjkg.mapping.wording import STOP, NameMatch, best_match, name_variants, stem, words_of
from xjkg.text.extract import Mention, extract
from xjkg.text.source import Report, Sentence, load_report

__all__ = [
    "Draft",
    "IndicatorUse",
    "ReportStatus",
    "Term",
    "configure_report",
    "draft_report",
    "indicator_uses",
    "list_reports",
    "load_vocabulary",
    "new_report",
    "run_report",
]

TODO = "TODO: "
#: The most numbers a text may hold for ``report new`` (``bench/report_new.py`` measures the time it takes).
MAX_DRAFT_NUMBERS = 20_000
#: A section of the yearbook is a few pages (the seed's text is 15 KB): a bigger file is refused before it is read.
MAX_DRAFT_BYTES = 1024 * 1024
#: A first line longer than this is not a title (it would be searched for every region's names).
MAX_TITLE_CHARS = 300
#: What ``report new`` writes in a report's folder beside the text: a text of that name is refused.
_WRITTEN_NAMES = {"report.yaml", "mapping"}
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_STOP = {
    "a", "an", "the", "of", "and", "in", "for", "to", "by", "on", "at", "with", "was", "were", "is", "are", "it",
    "its", "which", "that", "this", "these", "as", "from", "total", "all", "put", "had", "has", "have", "been",
}  # fmt: skip
#: Type of figure proposed from the unit and the counted word.
_PEOPLE = re.compile(r"^(?:people|persons?|farmers?|herdsmen|poor|households?|families|students|cadres|labou?rs?)$")
_OUTPUT_UNITS = {"KM", "KM2", "HECTARE", "MU", "TONNE", "KG"}


def default_corpus() -> Path:
    """The project's corpus: its ``data/`` folder."""
    return DATA_DIR


#: The kind of unit of each extractor unit code: an indicator measures one kind (households are counted things).
_UNIT_KIND = {"HOUSEHOLD": "COUNT"}


def _unit_kind(unit: str) -> str:
    return _UNIT_KIND.get(unit, unit)


# ---- vocabularies ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A vocabulary entry: its id, type and every name it goes by (label, alternative labels, Chinese name),
    its parents (``part_of``), and, for an entry a report's mapping defines, that report's region."""

    id: str
    type: str
    names: tuple[str, ...]
    source: str
    part_of: tuple[str, ...] = ()
    region: str = ""


def _vocab_files(corpus: Path, exclude: Path | None) -> list[Path]:
    """The shipped vocabularies, the corpus's own, and the mappings of its other reports (their own entities)."""
    files = sorted(VOCAB_DIR.glob("*.yaml"))
    if (corpus / "vocab").resolve() != VOCAB_DIR.resolve():
        files += sorted((corpus / "vocab").glob("*.yaml"))
    reports = sorted(p for p in (corpus / "reports").glob("[!.]*/mapping/**/*.yaml"))  # not a working folder
    return files + [p for p in reports if exclude is None or exclude not in p.parents]


def _report_region(path: Path, cache: dict[Path, str]) -> str:
    """The region of the report whose mapping ``path`` is ("" for a vocabulary file)."""
    folder = next((p for p in path.parents if p.name == "mapping"), None)
    if folder is None:
        return ""
    if folder.parent not in cache:
        raw = strip_lines(read_yaml(folder.parent / "report.yaml")) if (folder.parent / "report.yaml").is_file() else {}
        report = raw.get("report") if isinstance(raw, dict) else None
        cache[folder.parent] = str(report.get("region") or "") if isinstance(report, dict) else ""
    return cache[folder.parent]


def load_vocabulary(corpus: Path, exclude: Path | None = None, *, files: list[Path] | None = None) -> list[Term]:
    """Every entity of the vocabularies (the shipped ``vocab/*.yaml``, the corpus's own) and of its reports
    (or of ``files`` only)."""
    terms: list[Term] = []
    seen: set[str] = set()
    regions: dict[Path, str] = {}
    for path in _vocab_files(corpus, exclude) if files is None else files:
        raw = strip_lines(read_yaml(path))
        if not isinstance(raw, dict):
            continue
        for item in raw.get("entities") or []:
            if not isinstance(item, dict) or "id" not in item or "type" not in item or str(item["id"]) in seen:
                continue  # an entry with no type cites a shared entity: the vocabulary has it
            types = item.get("type", "")
            kind = " ".join(types) if isinstance(types, list) else str(types)
            names = [item.get("label"), item.get("label_zh"), *(item.get("alt_labels") or [])]
            parents = item.get("part_of") or item.get("broader") or []
            terms.append(
                Term(
                    str(item["id"]),
                    kind,
                    tuple(str(n) for n in names if n),
                    f"{path.parent.name}/{path.name}",
                    tuple(str(p) for p in (parents if isinstance(parents, list) else [parents])),
                    _report_region(path, regions),
                )
            )
            seen.add(str(item["id"]))
    return terms


@dataclass(frozen=True)
class IndicatorUse:
    """How the corpus's reports already use an indicator: its kind of unit and its figures' type."""

    unit: str
    type: str
    fund_types: frozenset[str] = frozenset()
    figures: int = 0


def indicator_uses(
    corpus: Path, exclude: Path | None = None, *, files: list[Path] | None = None
) -> dict[str, IndicatorUse]:
    """Indicator → unit kind and figure type, read from the figures of the corpus's reports (their quotes) and,
    for another corpus, of the project's own reviewed reports: how a shipped indicator is used is known there."""
    uses: dict[str, IndicatorUse] = {}
    paths = _vocab_files(corpus, exclude) if files is None else files
    if files is None and (corpus / "reports").resolve() != (DATA_DIR / "reports").resolve():
        paths += sorted((DATA_DIR / "reports").glob("*/mapping/**/*.yaml"))
    for path in paths:
        if "reports" not in path.parts:
            continue
        raw = strip_lines(read_yaml(path))
        for item in (raw.get("figures") if isinstance(raw, dict) else None) or []:
            if not isinstance(item, dict) or not {"indicator", "quote", "type"} <= set(item):
                continue
            quote, figure = str(item["quote"]), item.get("figure")
            found = [m for m in extract(str(figure) if figure else quote) if m.is_quantity]
            if len(found) == 1:
                indicator = str(item["indicator"])
                use = uses.setdefault(indicator, IndicatorUse(_unit_kind(found[0].unit), str(item["type"])))
                fund_types = use.fund_types | ({str(item["fund_type"])} if item.get("fund_type") else set())
                uses[indicator] = IndicatorUse(use.unit, use.type, frozenset(fund_types), use.figures + 1)
        for item in (raw.get("derived") if isinstance(raw, dict) else None) or []:
            if isinstance(item, dict) and item.get("indicator") and str(item["indicator"]) not in uses:
                uses[str(item["indicator"])] = IndicatorUse(str(item.get("unit") or ""), "derived")
    return uses


def _kind(term: Term) -> str:
    """Which key of a figure the term can fill."""
    prefix = term.id.split("/", 1)[0]
    return {
        "indicator": "indicator",
        "fund-type": "fund_type",
        "beneficiary-group": "beneficiary",
        "program": "program",
        "designation": "designation",
        "region": "area",
        "prefecture": "area",
        "county": "area",
        "town": "area",
        "village": "area",
        "area": "area",
        "country": "area",
        "period": "period",
        "org": "funder",
    }.get(prefix, "")


# ---- the draft ---------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """What ``report new`` writes: report.yaml settings, and entries per file under ``mapping/``."""

    settings: dict[str, Any]
    files: dict[str, list[tuple[str, list[str], dict[str, Any]]]] = field(default_factory=dict)

    def add(self, file: str, section: str, comments: list[str], entry: dict[str, Any]) -> None:
        self.files.setdefault(file, []).append((section, comments, entry))


def _slug(text: str, limit: int = 5) -> str:
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word not in _STOP and (not words or words[-1] != word):
            words.append(word)
    return "-".join(words[:limit])[:80].rstrip("-") or "figure"  # a 300-letter word makes no 300-letter name


_SECTION_FILLER = {"poverty", "alleviation", "anti", "development", "projects", "project"}


def _section_slug(section: str) -> str:
    """The leading words of a section's title: "Investment of anti-poverty funds" → ``investment-funds``."""
    words = [w for w in _slug(section, 20).split("-") if w not in _SECTION_FILLER]
    return "-".join(words[:2]) or _slug(section, 2)


def _quote(report: Report, mention: Mention, sentence: Sentence, mentions: list[Mention]) -> tuple[str, str | None]:
    """The shortest run of whole words around the mention, inside its sentence, that stands once in the body.

    It grows a word at a time, on the side that brings in no other quantity where it can (an exclusion claims
    every quantity of its quote). Returns (quote, figure): ``figure`` names the quantity when the quote holds
    another one as well.
    """
    body = report.body

    def grows_into_other(a: int, b: int) -> bool:
        # A binary search in the mentions (in text order): a scan of all of them for every step was quadratic.
        at = max(0, bisect.bisect_left(mentions, a, key=lambda m: m.start) - 1)
        for m in mentions[at:]:
            if m.start >= b:
                return False
            if m.is_quantity and m.start != mention.start and (a <= m.start < b or a < m.end <= b):
                return True
        return False

    def left(start: int) -> int:
        space = body.rfind(" ", sentence.start, start - 1)
        return space + 1 if space >= 0 else sentence.start

    def right(end: int) -> int:
        nxt = body.find(" ", end + 1, sentence.end)
        return nxt if nxt > 0 else sentence.end

    start, end = mention.start, mention.end
    prefer_left = True
    while True:
        options = []
        if start > sentence.start:
            options.append(("left", left(start), end))
        if end < sentence.end:
            options.append(("right", start, right(end)))
        options.sort(key=lambda o: (grows_into_other(o[1], o[2]), o[0] != ("left" if prefer_left else "right")))
        if (
            end - start >= len(mention.text) + 8 or not options or grows_into_other(options[0][1], options[0][2])
        ) and report.body_words.count(body[start:end]) == 1:
            break  # long enough to read (or only longer by taking in another quantity), and unique
        if not options:
            break
        _, start, end = options[0]
        prefer_left = not prefer_left
    quote = body[start:end].strip()
    inside = _mentions_in(mentions, Span(start, end))
    return quote, (mention.text if len(inside) > 1 else None)


def _figure_type(mention: Mention) -> str:
    if mention.unit == "CNY":
        return "FundAllocation"
    if mention.unit in _OUTPUT_UNITS:
        return "OutputCount"
    if mention.unit in ("PERSON_TIME", "HOUSEHOLD") or _PEOPLE.match(mention.unit_word.lower()):
        return "BeneficiaryCount"
    if mention.unit in ("PERCENT", "PERCENTAGE_POINT"):
        return "StatisticalFigure"
    return "OutputCount"


def _year_exclusion(report: Report, mention: Mention) -> tuple[str, str]:
    before = report.text[max(0, mention.start - 20) : mention.start]
    word = re.search(r"(\w+(?:\s+\w+)?)\s*$", before)
    lead = word.group(1) if word else ""
    if re.search(r"\b(?:over|than|from|since|compared\s+(?:with|to))$", lead, re.IGNORECASE):
        return "a year of comparison", f"the year {mention.text} follows {lead.split()[-1]!r}"
    return "a year: it names the period", f"the year {mention.text} follows {lead.split()[-1] if lead else 'nothing'!r}"


def _in_name(report: Report, mention: Mention, sentence: Sentence) -> str | None:
    """Why the number looks like part of a name ("Line 1", “five accesses”, "the three types of"), or None."""
    text = report.text
    opened = text.rfind("“", sentence.start, mention.start)
    if opened >= 0 and text.rfind("”", opened, mention.start) < 0 and text.find("”", mention.end, sentence.end) >= 0:
        return "it stands inside a quoted name (“…”)"
    if text[max(0, mention.start - 1) : mention.start] in ("“", '"', "‘"):
        return "a quoted name opens with it (“five accesses”)"
    if text.count('"', sentence.start, mention.start) % 2 and text.find('"', mention.end, sentence.end) >= 0:
        return 'it stands inside a quoted name ("…")'  # straight quotes: an odd number of them before it
    if re.search(r"\b[A-Z][a-z]+\s+$", text[max(0, mention.start - 15) : mention.start]) and mention.value < 10:
        return "a small number after a capitalised word (as in “Line 1”)"
    if (
        mention.written_as == "words"
        and mention.value <= 10
        and re.search(r"\bthe\s+$", text[max(0, mention.start - 6) : mention.start], re.IGNORECASE)
        and re.match(r"\s+(?:types?|kinds?|systems?|regions?|areas?|bases?)\b", text[mention.end :])
    ):
        return f"“the {mention.text} {mention.unit_word}” names a group, it is not counted here"
    return None


def _period_entities(year: str) -> list[dict[str, Any]]:
    """A year and its first and last days, as the shipped vocabulary writes period/2009."""
    return [
        {
            "id": f"period/{year}",
            "type": ["time:ProperInterval", "time:DateTimeInterval"],
            "label": year,
            "links": {"time:hasBeginning": f"period/{year}-01-01", "time:hasEnd": f"period/{year}-12-31",
                      "time:hasDuration": "period/one-year"},
        },
        {"id": f"period/{year}-01-01", "type": "time:Instant", "label": f"1 January {year}",
         "data": {"time:inXSDDate": f"{year}-01-01^^xsd:date"}},
        {"id": f"period/{year}-12-31", "type": "time:Instant", "label": f"31 December {year}",
         "data": {"time:inXSDDate": f"{year}-12-31^^xsd:date"}},
    ]  # fmt: skip


#: A percentage that follows these words grows the figure before it ("up 11.2% over 2008").
_GROWTH = re.compile(
    r"\b(?:up|down|an?\s+increase\s+of|a\s+decrease\s+of|increas(?:ed|ing)(?:\s+by)?|decreas(?:ed|ing)(?:\s+by)?|"
    r"rose(?:\s+by)?|grew(?:\s+by)?|growth\s+of|fell(?:\s+by)?|dropped(?:\s+by)?|a\s+rise\s+of|growing|"
    r"an?\s+(?:year-on-year\s+)?(?:increase|growth|rise|decrease|drop)\s+of)\s+(?:about\s+|nearly\s+|over\s+)?$",
    re.IGNORECASE,
)
#: A percentage that follows these words is a share of a whole ("accounting for 14% of the poor villages").
_SHARE = re.compile(
    r"\b(?:accounting\s+for|accounted\s+for|accounts?\s+for|making\s+up|made\s+up|share\s+of|proportion\s+of)\s+"
    r"(?:about\s+|nearly\s+|over\s+|more\s+than\s+|less\s+than\s+)?$",
    re.IGNORECASE,
)
#: An indicator of a proportion: its names say a share, a proportion or a rate ("share of the poor villages …",
#: "filing rate of electronic records"); what it is a share of is the rest of its name.
_PROPORTION_NAME = re.compile(
    r"^(?:the\s+)?(?:share|proportion|percentage)\s+of\s+|\b(?:rates?|ratios?)\b", re.IGNORECASE
)
#: What a percentage is a share of, after it and after the percentages coordinated with it ("respectively 68% and
#: 32% of the rural poor", "63% of whom were placed in jobs").
_OF_WHOLE = re.compile(
    r"(?:\s*(?:,|and|or|,\s*and)\s*\d[\d.]*\s*(?:%|per\s*cent))*\s+of\s+([^,.;:()]{2,80})", re.IGNORECASE
)
#: Money said as more than another amount ("N Yuan more than in 2009", "N Yuan higher than the M of 2010"): an
#: increase, the growth of the money figure before it in Yuan.
_MORE_THAN = re.compile(r"\s+(?:more|higher|greater|larger|up)\s+(?:than|on|over|from)\b", re.IGNORECASE)
#: A verb right after a counted subset (its noun of people allowed between): the subset has a predicate of its own.
_OWN_PREDICATE = re.compile(
    r"\s+(?:(?:persons|people|individuals|households|families|trainees|farmers|workers|labou?rers)\s+)?"
    r"(?:(?:[a-z]+ly|later|also|then|already|still|soon)\s+)?(?:found|got|gained|took|went|became|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
#: Words of a funder from outside the country: its type or its name.
_FOREIGN = re.compile(
    r"InternationalFunder|\b(?:international|foreign|overseas|world\s+bank|united\s+nations|"
    r"asian\s+development\s+bank)\b",
    re.IGNORECASE,
)
#: Verbs of giving money, any form ("invested", "investing", "brought in", "donates", "spent").
_GIVING = re.compile(
    r"\b(?:invest|donat|contribut|provid|rais|allocat|spen[dt]|gave|giv|put\s+in|brought|bring|channel|grant|pour|"
    r"pledg|fund|financ|offer|suppl|inject|transfer|disburs|earmark|mobili[sz])\w*",
    re.IGNORECASE,
)
#: What a count of assisting units names: "1,180 private enterprises", "23 central departments and units".
_GIVERS = re.compile(
    r"\s+((?:[A-Za-z()’'-]+,?\s+){0,6}?(?:units|organs|organi[sz]ations|departments|agencies|institutions|enterprises|"
    r"companies|firms)(?:\s+and\s+(?:units|institutions|departments|organs|agencies))?)\b",
    re.IGNORECASE,
)
#: The words naming a kind of money: "minority development funds", "project management fee", "discount loans".
#: Where money comes from, when a fund type's name says it: the text must say it too.
_ORIGIN = re.compile(r"\b(?:foreign|international|overseas|abroad|external)\b", re.IGNORECASE)
#: How a translator may write the series' fund types, as the vocabularies' own words (read only for matching).
_FUND_SYNONYMS = (
    (re.compile(r"\b(?:supporting|counterpart|supplementary|complementary)\s+(?=funds?\b)", re.I), "matching "),
    (re.compile(r"\bfiscal(?:ly)?\b|\bfinance\b(?=\s+(?:poverty|anti|funds?)\b)", re.I), "financial"),
    (re.compile(r"\bpoverty[\s-]+(?:alleviation|reduction|relief)\s+(?=funds?\b)", re.I), "anti-poverty "),
    (re.compile(r"\b(?:bank|banks'|banking)\s+(?:credit\s+)?loans?\b|\bloans?\s+(?:from|by|of)\s+banks?\b", re.I),
     "credit loan funds"),
    (re.compile(r"\b(?:aid|assistance|donated|donation)\s+funds?\b|\bdonations\b", re.I), "social anti-poverty funds"),
    (re.compile(r"\b(?:international|overseas)\b", re.I), "foreign"),
    (re.compile(r"\bfinancial\s+(?=funds?\b)", re.I), "financial anti-poverty "),
    # "credit funds for poverty alleviation": its kind is said before "for"
    (re.compile(r"\b(?!(?:the|of|and|its|their|all)\b)([a-z-]+)\s+funds?\s+for\s+poverty[\s-]+(?:alleviation|reduction)\b",
                re.I), r"\1 funds"),
    # "invested N Yuan in poverty alleviation", "the poverty alleviation investment": money against poverty
    (re.compile(r"\bpoverty[\s-]+(?:alleviation|reduction)\s+investment\b", re.I), "anti-poverty funds"),
    # any verb of giving, and "for": "raised N Yuan for poverty alleviation, up …" (not "for poverty alleviation
    # training": money of that purpose)
    (re.compile(r"\b(?:investment|invest\w*|put|puts|putting|inject\w*|spen[dt]\w*|rais\w*|allocat\w*|arrang\w*|"
                r"mobili[sz]\w*|provid\w*|earmark\w*|channel\w*|pour\w*)\b((?:[^.;]|\.(?=\d)){0,40}?)\b(?:in|into|on|for)\s+"
                r"poverty[\s-]+(?:alleviation|reduction)\b(?=\s*(?:[,.;:)]|$|(?:and|in|up|down|an?|which|that|with|"
                r"over|compared|than|came|amounted|reached|totall?ed|was|were|stood|rose|grew|hit|of|by|from|to|at)"
                r"\b))", re.I), r"\1 anti-poverty funds"),
    # "the provincial finance matched N Yuan": money given to match is matching funds
    (re.compile(r"\b(?:matched|matches)\b(?=\s+(?:about\s+|nearly\s+|over\s+)?\d)", re.I), "matched matching funds"),
    (re.compile(r"\bwork[\s-]+(?:for|as)[\s-]+(?:relief|aid)\b|\bfood[\s-]+for[\s-]+work\b", re.I), "work-relief"),
)  # fmt: skip


def fund_words(text: str) -> str:
    """The text with the series' other names of a fund type written as the vocabularies write them."""
    for pattern, words in _FUND_SYNONYMS:
        text = pattern.sub(words, text)
    return text


_FUND_WORDS = re.compile(
    r"\b((?:[a-z][a-z-]*\s+){0,3}?(?:funds?|fees?|loans?|subsid(?:y|ies)|grants?|(?:micro)?credits?|expenses))\b"
    r"(?!\s+(?:for|of)\s+the\s+pilot)",
    re.IGNORECASE,
)
#: The words of money that name no kind: "special funds for X" is named by X.
_FUND_GENERIC = {"fund", "fee", "loan", "expens", "credit", "special", "earmark", "dedicat", "kind", "all", "such",
                 "these", "those", "other", "various", "total", "additional", "mor"}  # fmt: skip
#: What "funds for X" / "funds of X" says the money is for: the words up to the next separator or verb.
_FUND_PURPOSE = re.compile(
    r"^\s+(?:for|of)\s+(?:the\s+)?((?:(?!was\b|were\b|is\b|are\b|has\b|had\b|from\b|by\b|in\b|to\b)"
    r"[a-z][a-z-]*\s*){1,6})",
    re.IGNORECASE,
)
#: Heading words every section of the series has: they say nothing about which indicator a figure is.
_FILLER_STEMS = {stem(w) for w in ("poverty", "alleviation", "development", "project", "projects", "pilot")} - {
    stem("pilot")
}
_PRONOUNS = {"it", "they", "them", "he", "she", "which", "who", "this", "these"}
_COUNTRY = re.compile(r"\b(?:nationwide|the\s+whole\s+country|across\s+the\s+country|in\s+China|national\s+total)\b")


def _head(phrase: str) -> str:
    """A name's head word, as a stem: "State Ethnic Affairs Commission" → commission; "Department of X" →
    department."""
    words = [w for w in words_of(re.split(r"\s+of\s+", phrase.strip(), maxsplit=1)[0]).stems if w not in STOP]
    return words[-1] if words else ""


def _org_key(name: str) -> str:
    """The words an organisation's id is made of, as the vocabularies name offices: "X of Y" as "Y X"
    ("Department of Science and Technology" → science and technology department), a region's poverty
    alleviation office under one name whatever the translation ("… Poverty Alleviation and Development Office",
    "Office of Poverty Alleviation"), and no words that only say where it is ("provincial", "in the east")."""
    key = re.sub(r"\b(?:regional|provincial|municipal)\b", "", name, flags=re.IGNORECASE)
    key = re.sub(
        r"\b(?:in|of|from)\s+the\s+(?:east|west|north|south|coast)\w*\b(?![\w-])|\b(?:east|west|north|south)ern\b",
        "",
        key,
        flags=re.IGNORECASE,
    )
    if re.search(
        r"\bpoverty\s+alleviation\s+(?:and\s+development\s+)?(?:leading\s+group\s+)?office\b|"
        r"\boffice\s+(?:of|for)\s+poverty\s+alleviation\b",
        key,
        re.IGNORECASE,
    ):
        return "poverty alleviation office"
    swapped = re.fullmatch(
        r"(?P<pre>.*?)\b(?P<head>department|bureau|commission|committee|office|administration|ministry)\s+(?:of|for)\s+"
        r"(?:the\s+)?(?P<of>.+)",
        key.strip(),
        re.IGNORECASE,
    )
    if swapped:
        key = f"{swapped['pre']} {swapped['of']} {swapped['head']}"
    return re.sub(r"\s+", " ", key).strip()


def _listed_ids(value: Any) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _name_slug(name: str) -> str:
    """An id from a name, every word kept ("science and technology department" → science-and-technology-…)."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower())[:8]) or "entity"


def _present(term: Term, text: str) -> int:
    """How many words of the term's names stand in ``text`` (its best name)."""
    present = set(words_of(text).stems)
    return max(
        (len({w for w in words_of(v).stems if w not in STOP} & present) for n in term.names for v in name_variants(n)),
        default=0,
    )


def _names_noun(term: Term, noun: str) -> bool:
    """Whether one of the term's names names what a count counts (any word for people, for households)."""
    for name in term.names:
        for variant in name_variants(name):
            for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", variant):
                for part in re.split(r"[-'’]", w):
                    if part and (stem(part) == noun or _noun_class(part) == noun):
                        return True
    return False


#: What stands between two numbers of one coordination ("3,260 households and 14,800 people"): their words.
_COORDINATED = re.compile(r"[^;()]*?(?:,|\sand)\s*", re.IGNORECASE)
#: "N villages with (a population of) M": M is the people of what N counts, not the region's population.
_WITH_PEOPLE = re.compile(
    r"\s*((?:[A-Za-z'’-]+\s+){1,4}?)with\s+(?:a\s+(?:total\s+)?population\s+of\s+)?(?:about\s+|nearly\s+|over\s+)?",
    re.IGNORECASE,
)
#: The region's own counts of people: never the people of something a sentence counts.
_REGION_DEMOGRAPHICS = {"indicator/population", "indicator/poor-population"}
#: What money is for, right after it: "N Yuan for the migration" (a thing, not a number or a place).
_PURPOSE = re.compile(r"\s+for\s+(?:the\s+)?((?:(?!poor\b|the\b)[a-z][a-z-]*\s*){1,3})(?=[.;,]|$)")
#: "N villages in the border areas": what a count counts lies in a kind of area of the region.
_ZONE = re.compile(r"\s+(?:[A-Za-z'’-]+\s+){1,3}?in\s+the\s+((?:[a-z-]+\s+){1,2}?)areas?\b")
#: A count of places after these words is where an activity went ("carried out assistance in 45 key counties").
_ACTED_ON = re.compile(
    r"\b(?!(?:has|had|have|are|were|is|was)\b)[a-z]+\s+(?:[a-z-]+\s+){0,4}?(?:in|to|for|covered|covering)\s+$"
)
#: A count that receives something: "N villages received / got access to / were connected to …".
_RECEIVED = re.compile(
    r"\s+(?:[A-Za-z-]+\s+){0,3}?(?:received|got|gained|obtained|benefit(?:ed|ing)?\s+from|"
    r"were\s+(?:connected|brought|provided|given|supplied|covered))\b",
    re.IGNORECASE,
)
#: A land measure after these words is what there is ("covered N mu", "an area of N km²"), not an output.
_HOLDS = re.compile(r"\b(?:covered|covers|covering|an\s+area\s+of|has|had|have|totall?ed)\s+$", re.IGNORECASE)
#: A verb of the number's own ("and 40 million Yuan of X was granted by Y"): it shares no verb with the one before.
_OWN_VERB = re.compile(r"\b(?:was|were|is|are|has|have|had)\b", re.IGNORECASE)
#: The words before a number that make it the value another figure is compared with ("against N in 2008").
_COMPARED_WITH = re.compile(r"\b(?:against|from|compared\s+with|versus|than)\s+(?:about\s+|nearly\s+)?$", re.IGNORECASE)


#: The words before a figure a total is compared with: "more than the 700 million Yuan of 2008".
_COMPARED_BEFORE = re.compile(
    r"\b(?:against|from|compared\s+(?:with|to)|versus|than|over)\s+(?:the\s+|that\s+of\s+)?(?:about\s+|nearly\s+)?$",
    re.IGNORECASE,
)


class _Drafter:
    """The proposer: one report, its vocabularies, and what it has proposed so far (entries by number offset)."""

    def __init__(
        self, report: Report, settings: dict[str, Any], vocabulary: list[Term], uses: dict[str, IndicatorUse]
    ) -> None:
        self.report, self.text, self.uses = report, report.text, uses
        self.settings = settings
        self.defaults: dict[str, Any] = settings.get("defaults", {})
        self.by_id = {t.id: t for t in vocabulary}
        self.known = set(self.by_id)
        region = str((settings.get("report") or {}).get("region") or "")
        self.region = region if region in self.by_id else ""
        self.draft = Draft(settings)
        self.entries: dict[int, dict[str, Any]] = {}  # number offset → figure entry
        self.mentions_at: dict[int, Mention] = {}
        self.used_ids: set[str] = set()
        self.new: dict[str, dict[str, Any]] = {}  # id → proposed new entity
        self.new_files: dict[str, str] = {}  # id → mapping file
        self.periods_used: set[str] = {str(p) for p in ((settings.get("report") or {}).get("period") or []) if p}
        self.sections: dict[str, str] = {}
        self.clauses: dict[int, tuple[int, int]] = {}  # number offset → its clause
        self.sentence_figures: list[Mention] = []  # the figures of the sentence being read
        self.starts: dict[int, int] = {}  # id() of an entry → its number's offset
        self.titles: dict[int, str] = {}  # sentence number → its section's and list item's titles
        self.terms: dict[str, list[Term]] = {}
        self.funders: tuple[str, ...] = ()  # the funders of the figure being read
        self.attribute_of = ""  # what the figure being read is the people of ("villages with N people")
        self.family: Proposal | None = None  # the family of wording of the figure being read (mapping/indicators.py)
        self.acted_on = False  # whether the figure being read counts the places an activity reached
        self.nodes: dict[int, Node] = {}  # the sentence being read's breakdown
        self.subset = False  # whether the figure being read is a subset with a predicate of its own ("N of whom …")
        self.given_by_units = ""  # the assisting units that give the money being read (see assisting_givers)
        for term in vocabulary:
            key = _kind(term)
            if key and self._allowed(term, key):
                self.terms.setdefault(key, []).append(term)

    # ---- vocabulary --------------------------------------------------------------------------------------

    def _chain(self, term_id: str) -> set[str]:
        seen: set[str] = set()
        todo = [term_id]
        while todo and len(seen) < 64:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            term = self.by_id.get(current)
            todo += list(term.part_of) if term else []
        return seen

    def _allowed(self, term: Term, key: str) -> bool:
        """Places inside the report's region (the country for national figures); a report's own programs and
        organisations only for reports of its region."""
        if key == "area":
            return bool(self.region) and (term.id.startswith("country/") or self.region in self._chain(term.id))
        if key in ("program", "funder") and term.region:
            return term.region == self.region
        return True

    def best(
        self, key: str, text: str, unit: str = "", noun: str | None = None, min_share: float = 2 / 3
    ) -> tuple[float, Term, NameMatch] | None:
        """The term of ``key`` whose name stands best in ``text``; for an indicator, one measured in ``unit`` and,
        when the number counts a ``noun``, one that names it (a count of units is no count of villages)."""
        found: tuple[float, Term, NameMatch] | None = None
        if key == "fund_type":
            text = fund_words(text)
        for term in self.terms.get(key, []):
            if key == "fund_type" and _ORIGIN.search(" ".join(term.names)) and not _ORIGIN.search(text):
                continue  # "invested N in poverty alleviation" is no "foreign investment in poverty alleviation"
            if key == "indicator" and unit and term.id in self.uses and self.uses[term.id].unit != unit:
                continue  # one indicator, one kind of unit
            if key == "indicator" and noun and not _names_noun(term, noun):
                continue
            if key == "indicator" and term.id in self.uses and self.uses[term.id].type == "derived":
                continue  # computed by the build from reported figures, never reported
            if key == "indicator" and self.acted_on and self._static(term):
                continue  # "assistance in 45 key counties": the places an activity reached, not those the region has
            if key == "area" and term.id.startswith("country/") and not _COUNTRY.search(text):
                continue  # "China's northwest border" does not make a figure national
            names = term.names
            if key == "fund_type":  # its names as written and as the text is read
                names = (*names, *(w for w in map(fund_words, names) if w not in names))
            hit = best_match(names, text, min_share)
            if hit and (
                found is None
                or hit.score > found[0]
                or (hit.score == found[0] and self._used(term) > self._used(found[1]))
            ):
                found = (hit.score, term, hit)
        return found

    def _static(self, term: Term) -> bool:
        """An indicator of what a region has (key counties, poor villages): its figures are statistics and its
        name says nothing was done."""
        use = self.uses.get(term.id)
        done = re.compile(r"\b\w+(?:ed|ing)\b|\b(?:built|dug|made|held|sent|grown|in\s+the\s+pilot)\b", re.IGNORECASE)
        names = [re.sub(r"\b(?:impoverished|poverty-stricken)\b", "poor", n, flags=re.I) for n in term.names]
        return bool(use and use.type == "StatisticalFigure" and not any(done.search(n) for n in names))

    def _used(self, term: Term) -> int:
        use = self.uses.get(term.id)
        return use.figures if use else 0

    def region_government(self, region: str = "") -> str:
        """The government of the report's region (or of another provincial-level ``region``): the vocabulary's, or
        a new organisation."""
        region = region or self.region
        if not region:
            return ""
        place = self.by_id[region]
        for term in self.terms.get("funder", []):
            hit = best_match(place.names, " ".join(term.names), 1.0)
            if any("government" in n.lower() for n in term.names) and hit and hit.whole:
                return term.id
        slug = region.split("/", 1)[1]
        return self.propose_entity(
            f"org/{slug}-government",
            "xjkg:GovernmentOffice",
            f"the government of {place.names[0]}",
            "organisations.yaml",
            "the text names the region's own funds; no organisation of the vocabularies is its government",
        )

    def other_region(self, phrase: str) -> str:
        """The provincial-level unit (other than the report's region) a phrase names as a payer: its name alone or
        with a word of its level or government ("Guangdong", "Jiangsu Province", "the Tianjin municipal
        government")."""
        core = re.sub(
            r"^(?:the\s+)?|\s+(?:province|municipality|autonomous\s+region|city|provincial|municipal|regional)?\s*"
            r"(?:(?:people['’]s\s+)?government|finance)?$",
            "",
            phrase.strip(),
            flags=re.IGNORECASE,
        ).strip()
        if not core or not core[0].isupper() or len(core.split()) > 3:
            return ""
        for term in self.by_id.values():
            if term.id.startswith("region/") and term.id != self.region and term.type.endswith("Region"):
                hit = best_match(term.names, core, 1.0)
                if hit and hit.whole and len(words_of(core).stems) == len(words_of(hit.name).stems):
                    return term.id
        return ""

    def propose_entity(self, eid: str, kind: str, label: str, file: str, why: str, **extra: Any) -> str:
        if eid in self.known:
            return eid
        if eid not in self.new:
            self.new[eid] = {"id": eid, "type": kind, "label": label, **extra, "proposed": why}
            self.new_files[eid] = file
        return eid

    def funder_names(self, phrase: str) -> list[str]:
        """A phrase naming one funder, or several joined by "and" ("the state and Xinjiang"): one organisation of
        the vocabularies named by all its words is one funder ("the aid-Tibet provinces and central departments")."""
        parts = re.split(r"\s+and\s+", phrase.strip())
        if len(parts) == 1 or not all(self.best("funder", p) or self.best("area", p) for p in parts):
            return [phrase]  # "the regional science and technology department": one name
        hit = self.best("funder", phrase, min_share=0.8)
        content = {w for w in words_of(phrase).stems if w not in STOP}
        if hit and _present(hit[1], phrase) >= len(content):
            return [phrase]
        return parts

    def organisation(self, phrase: str, partial: bool = False) -> tuple[str, str] | None:
        """The organisation a phrase names ("the central government", "the province", "the X office"): one of
        the vocabularies written whole (or with four fifths of its words), else a new one named by the phrase."""
        words = phrase.strip()
        if not words or words.lower() in _PRONOUNS:
            return None
        hit = self.best("funder", words, min_share=0.8)
        if hit and (hit[2].whole or partial) and _head(words) in words_of(hit[2].name).stems:
            return hit[1].id, hit[2].why()  # the phrase's head is the name's: "the State" is no "State Commission"
        lowered = words.lower()
        # the adjective of the region's own level names it: "the municipal finance" of a municipality
        municipal = "|municipal" if self.region and self.by_id[self.region].names[0].endswith("Municipality") else ""
        if re.fullmatch(
            rf"(?:the\s+)?(?:(?:province|region|autonomous\s+region|municipality)(?:['’]s)?|provincial|regional{municipal})"
            r"(?:\s+(?:level|government|people['’]s\s+government|finance|treasury|financial\s+departments?))?",
            lowered,
        ):
            gov = self.region_government()
            return (gov, f"{words!r} is the report's region") if gov else None
        place = self.best("area", words)
        if place and place[2].whole and place[1].id == self.region and len(words.split()) <= 3:
            gov = self.region_government()
            return (gov, f"{words!r} is the report's region") if gov else None
        other = self.other_region(words)
        if other:  # "Jiangsu Province", "the Beijing municipal government": a provincial-level unit's government
            return self.region_government(other), f"{words!r} names {other}"
        name = re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)
        slug = _name_slug(_org_key(name))
        region_slug = self.region.split("/", 1)[1] if self.region else ""
        national = re.match(r"(?:state|national|central|china|chinese|ministry)\b", name, re.IGNORECASE)
        if region_slug and not slug.startswith(region_slug) and not national:
            slug = f"{region_slug}-{slug}"
        oid = self.propose_entity(
            f"org/{slug}",
            "xjkg:OrganisationGroup" if name.endswith("s") else "xjkg:GovernmentOffice",
            name,
            "organisations.yaml",
            f"the text names {name!r}, which no organisation of the vocabularies is",
        )
        return oid, f"{words!r} names it"

    # ---- one figure ------------------------------------------------------------------------------------

    def headings(self, sentence: Sentence) -> str:
        """The section's title and the list item's first sentence ("1. Pilot projects for …"), filler dropped."""
        if not self.titles:
            item, section = "", None
            for s in self.report.sentences:
                if s.section != section:
                    item, section = "", s.section
                if re.match(r"\d{1,2}\.", s.text):
                    item = s.text
                words = f"{s.section} {item}".split()
                self.titles[s.number] = " ".join(
                    w for w in words if stem(re.sub(r"[^\w-]", "", w)) not in _FILLER_STEMS
                )
        return self.titles.get(sentence.number, "")

    def foreign(self) -> bool:
        """Whether every funder of the money being read is international or foreign: an organisation of that type,
        or one whose name says so ("the World Bank", "an overseas foundation")."""
        kinds = []
        for f in self.funders:
            term = self.by_id.get(f)
            named = f"{term.type} {' '.join(term.names)}" if term else f"{f} {self.new.get(f, {}).get('label', '')}"
            kinds.append(bool(_FOREIGN.search(named)))
        return bool(kinds) and all(kinds)

    def choose_indicator(
        self, m: Mention, ctext: str, sentence: Sentence, total: dict[str, Any] | None, grown: dict[str, Any] | None
    ) -> tuple[str, str, str]:
        """(indicator, why, label of a new one or "")."""
        kind = _unit_kind(m.unit)
        self.family = None
        if grown is not None and m.unit == "CNY":  # an increase in Yuan: its own indicator, the grown one's
            base = str(grown["indicator"])
            if f"{base}-increase" in self.known:
                return f"{base}-increase", f"the increase of {grown['id']} ({base})", ""
            return (
                f"{base}-increase",
                f"the increase of {grown['id']}: a new indicator",
                f"increase of {self._label(base)}",
            )
        if grown is not None:
            base = str(grown["indicator"])
            existing = sorted(i for i in self.known if i.startswith(f"{base}-growth"))
            if existing:
                return existing[0], f"the growth rate of {grown['id']} ({base})", ""
            label = self._label(base)
            return (
                f"{base}-growth-rate",
                f"the growth rate of {grown['id']}: a new indicator",
                f"growth rate of {label}",
            )
        if m.unit == "PERCENT":
            return "", "", ""  # a percentage that is no growth is a share (propose_meaning)
        self.family = family(self.text, m, sentence.start, self.known)
        over = self.family is not None and self.family.over_total and self.family.indicator
        if (
            total is not None
            and _unit_kind(self.mentions_at[self._start(total)].unit) == kind
            and not over
            and not self.subset
        ):
            return str(total["indicator"]), f"as its total {total['id']}", ""
        if m.unit == "CNY" and self.family is None and "indicator/foreign-funds" in self.known and self.foreign():
            return "indicator/foreign-funds", "money an international or foreign funder puts in", ""
        noun = counted_noun(self.text, m) if m.unit in ("COUNT", "HOUSEHOLD", "PERSON_TIME") else None
        before = self.text[max(sentence.start, m.start - 40) : m.start]
        self.acted_on = noun in ("villag", "county") and bool(_ACTED_ON.search(before))
        if self.acted_on and self.family is not None and self.family.type == "StatisticalFigure":
            self.family = None  # places an activity reached are no statistic of the region
        if noun in ("people", "household"):
            ctext += f" {noun}"  # "trained 42,000 farmers and herdsmen": a count of people
        if self.family is not None and self.family.indicator and (not self.attribute_of or self.family.over_attribute):
            return self.family.indicator, self.family.why, self.family.label
        if self.attribute_of:  # "260 villages with a population of 180,000": the people of those villages
            hit = self.best("indicator", f"people in {self.attribute_of} {self.headings(sentence)}", kind, "people")
            if hit and hit[1].id not in _REGION_DEMOGRAPHICS:
                return hit[1].id, f"{hit[2].why()} (the people of the {self.attribute_of})", ""
            words = "-".join(_slug(self.attribute_of, 4).split("-"))
            return (
                f"indicator/people-in-{words}",
                "the people of the things counted before it",
                (f"people in the {self.attribute_of}"),
            )
        own = self.best("indicator", ctext, kind, noun)
        if own is None and noun and noun not in ("people", "household", "villag", "county"):
            # "58 central units carried out fixed-point assistance": the one kind of indicator that counts units,
            # half of whose words stand there
            own = self.best("indicator", ctext, kind, noun, min_share=0.5)
        assistance = "indicator/assistance-funds"
        if own is None and m.unit == "CNY" and self.given_by_units and assistance in self.known:
            return assistance, "money that assisting units give, named no other way: their assistance funds", ""
        wide = self.best("indicator", f"{ctext} {self.headings(sentence)}", kind, noun, min_share=0.5)
        if (
            own
            and wide
            and wide[1].id != own[1].id
            and not own[2].whole
            and wide[0] > own[0]
            and _present(wide[1], ctext) >= _present(own[1], ctext)
        ):
            own = wide  # the heading decides between names the clause matches as well
        context = f"{ctext} {self.headings(sentence)}"
        if (
            own
            and wide
            and own[2].whole
            and wide[1].id != own[1].id
            and _present(wide[1], context) > _present(own[1], context)
            and best_match(wide[1].names, context, 1.0)
        ):
            own = wide  # "58 counties" under "Pilot projects for mutual funds": counties in the pilot, every word
        if own is None and wide is not None and (m.unit == "CNY" or best_match(wide[1].names, context)):
            own = wide  # "It invested N Yuan" under "Pilot projects for relocation": the pilot's funds
        if own:
            return own[1].id, f"{own[2].why()} ({own[1].source})", ""
        only = [i for i, u in self.uses.items() if u.unit == kind and i in self.known and u.type != "derived"]
        if len(only) == 1 and kind == "KM2":  # "covers an area of N square kilometers": a land area
            return only[0], f"the one indicator the corpus measures in {kind}", ""
        purpose = _PURPOSE.match(self.text, m.end) if m.unit == "CNY" else None
        general = _FILLER_STEMS | {stem("reduction")}
        if purpose and all(stem(w) in general for w in re.findall(r"[a-z]+", purpose.group(1))):
            purpose = None  # "raised N Yuan for poverty alleviation": what all the money of the series is for
        if purpose:  # "disbursed N Yuan for the migration": the money of that purpose
            words = purpose.group(1).strip()
            return f"indicator/{_slug(words, 4)}-funds", "the money of the purpose the text names", f"funds for {words}"
        heading = [w for w in re.findall(r"[a-z]+", sentence.section.lower()) if stem(w) not in general | STOP]
        if m.unit == "CNY" and len(heading) == 1 and re.search(r"(?:tion|ment)$", heading[0]):
            # "spent N yuan on moving …" under "Resettlement for poverty alleviation": the money of the one action
            # the section's heading names
            known = f"indicator/{heading[0]}-funds"
            return known, "the money of the action the section's heading names", f"{heading[0]} funds"
        if m.unit == "CNY":
            money = sorted(
                (i for i, u in self.uses.items() if u.unit == "CNY" and i in self.known),
                key=lambda i: -self.uses[i].figures,
            )
            if money:
                return (
                    money[0],
                    "the indicator the corpus's money figures use most (nothing more specific is named)",
                    "",
                )
        return "", "", ""

    def share_indicator(self, text: str, min_share: float = 2 / 3) -> tuple[float, Term, NameMatch] | None:
        """The indicator of a proportion whose whole ``text`` names best (half its words at least): "87% of the
        trainees were placed in jobs" is the share of the people trained who found jobs."""
        found: tuple[float, Term, NameMatch] | None = None
        for term in self.terms.get("indicator", []):
            names = [n for n in term.names if _PROPORTION_NAME.search(n) and "growth" not in n.lower()]
            if not names or (term.id in self.uses and self.uses[term.id].unit != "PERCENT"):
                continue
            # what it is a share of, its relative pronouns dropped ("the people trained who found jobs")
            wholes = [
                re.sub(
                    r"^(?:the\s+)?(?:share|proportion|percentage)\s+of\s+|\b(?:who|which|that)\b", " ", n, flags=re.I
                )
                for n in names
            ]
            hit = best_match(wholes, text, min_share)
            if hit and (found is None or hit.score > found[0]):
                found = (hit.score, term, hit)
        return found

    def _label(self, indicator: str) -> str:
        term = self.by_id.get(indicator)
        if term and term.names:
            return term.names[0]
        entity = self.new.get(indicator)
        return str(entity["label"]) if entity else indicator.split("/", 1)[1].replace("-", " ")

    def _start(self, entry: dict[str, Any]) -> int:
        return self.starts[id(entry)]

    def new_indicator(self, m: Mention, ctext: str, cstart: int, section: str) -> tuple[str, str]:
        """A new indicator named after the words of the clause: the thing counted after the number, or the words
        before it ("solved the drinking water problems of N people")."""
        at = m.start - cstart
        before = ctext[:at]
        after = ctext[at + len(m.text) :]
        if m.unit not in ("COUNT", "HOUSEHOLD"):
            after = re.sub(r"^\s*of\b", "", after)
        tail = re.match(r"\s*((?:[A-Za-z][A-Za-z'’-]*\s*){1,4})", after)
        noun = " ".join(w for w in (tail.group(1).split() if tail else []) if w.lower() not in STOP)
        noun = re.split(r"\s+(?:[a-z]+ed|is|are|was|were|will|which|who|with|from|in|to|for)\b", noun)[0]
        head = re.sub(
            r"\b(?:of|to|for|on|in|by|at|reached|was|were|amounted|is|are|totalled|totaled)\s*$", "", before.strip()
        ).strip()
        head = re.sub(r"^(?:[Ii]t|[Tt]hey|[Tt]he|[Aa]|[Aa]n|[Ii]n\s+addition,?)\s+", "", head).strip(" ,")
        generic = not noun or counted_noun(self.text, m) in ("people", "household")
        verb = re.search(r"\b([a-z]+ed|built|dug|made|set\s+up|held|sent|won|grown)$", head)
        if noun and not generic:
            label = f"{noun} {verb.group(1)}" if verb else noun  # "built N km of village roads": roads built
        else:
            label = f"{head} ({noun})" if noun and head else head or noun
        label = label.strip() or f"{_section_slug(section)} {m.unit.lower()}"
        words = [w for w in readable_words(_slug(label, 8).split("-")) if w != "figure"]
        slug = "-".join(words[:6]) or _section_slug(section)
        if f"indicator/{slug}" in self.known:  # not that one (it was passed over): named by what was done too
            doing = [w for w in _slug(head, 20).split("-") if w not in STOP and not w.isdigit()][-1:]
            slug, label = f"{slug}-{'-'.join(doing) or 'new'}", f"{label} ({' '.join(doing) or 'new'})"
        return f"indicator/{slug}", label

    def fund_type(
        self,
        ctext: str,
        total: dict[str, Any] | None,
        sentence: Sentence,
        m: Mention,
        indicator: str = "",
        funders: tuple[str, ...] = (),
    ) -> tuple[str, str]:
        """The kind of money: a fund type written whole near the number; else the words the text names it by
        ("minority development funds", "project management fee"), a fund type of the vocabularies if they are
        one (two thirds of its words), a new one if not; else its total's; else one the section's title names."""
        own = self.best("fund_type", ctext)
        if own and own[2].whole:
            return own[1].id, own[2].why()
        label = self._label(indicator) if indicator else ""
        purpose_words = {w for w in words_of(label).stems if w not in STOP}
        for phrase in _FUND_WORDS.finditer(ctext):
            words = re.sub(r"^.*?\byuan\s+", "", phrase.group(1).strip(), flags=re.I)
            words = re.sub(r"^(?:(?:the|a|an|of|and|was|were|is|in|addition|used|as)\s+)+", "", words, flags=re.I)
            named = [w for w in words_of(words).stems if w not in STOP and w not in _FUND_GENERIC]
            purpose = _FUND_PURPOSE.match(ctext[phrase.end() :])
            if not named and purpose:  # "special funds for science and technology": the purpose names the kind
                kept = [w for w in purpose.group(1).split() if stem(w) not in _FILLER_STEMS or stem(w) == "develop"]
                words = " ".join([*kept, phrase.group(1).split()[-1]]).strip()
                named = [w for w in words_of(words).stems if w not in STOP and w not in _FUND_GENERIC]
            if not named or words.lower().split()[0] in STOP:
                continue  # "the funds": nothing to name a kind by
            if purpose_words and set(named) <= purpose_words:
                continue  # "the training funds" of the training-funds indicator: what it is for, not its kind
            near = self.best("fund_type", words)
            if near:
                return near[1].id, near[2].why()
            fid = f"fund-type/{_name_slug(words)}"
            if fid in self.known:
                return fid, f"{words!r} stands in the sentence"
            self.propose_entity(
                fid,
                "xjkg:FundType",
                words,
                "fund-types.yaml",
                f"the text names {words!r}, which no fund type of the vocabularies is (move to vocab/ to share it)",
            )
            return fid, f"{words!r}: a new fund type"
        # its last word or its head ("matching funds of a province": funds) must stand there: "the Poverty
        # Alleviation Office" is no fund
        heads = {words_of(own[2].name).stems[-1], _head(own[2].name)} if own else set()
        if own and heads & set(words_of(fund_words(ctext)).stems):
            return own[1].id, own[2].why()
        if total is not None and total.get("fund_type"):
            return str(total["fund_type"]), f"as its total {total['id']}"
        listed = [self.entries[f.start] for f in self.sentence_figures if f.start < m.start and f.start in self.entries]
        listed = [f for f in listed if f.get("fund_type")]
        if listed:
            start = self._start(listed[-1])
            between = self.text[self.mentions_at[start].end : m.start]
            if start >= sentence.start and re.search(r",|\sand\s", between) and not re.search(r"[;()]", between):
                # "Hotan received 1.2 billion Yuan of the anti-poverty funds, Kashgar received 1.3 billion Yuan"
                return str(listed[-1]["fund_type"]), f"as {listed[-1]['id']} before it in the same list"
        heading = self.best("fund_type", f"{ctext} {sentence.section}")
        groups = [self.by_id[f].type if f in self.by_id else str(self.new.get(f, {}).get("type")) for f in funders]
        if heading and _present(heading[1], self.headings(sentence)) and groups and "OrganisationGroup" in groups[0]:
            # "issued by the units assigned to poor villages" under "Social poverty alleviation": funds of social
            # forces; a paired province's or city's money is a government's, of no kind the title names
            return heading[1].id, f"{heading[2].why()} (with the section's title)"
        return "", ""

    def figure(
        self,
        m: Mention,
        sentence: Sentence,
        node: Node,
        dated: dict[int, tuple[str, str]],
        figures: list[Mention],
        mentions: list[Mention],
        excluded: dict[int, str],
    ) -> dict[str, Any]:
        text = self.text
        a, b = clause(self.report, sentence, m, figures)
        self.clauses[m.start] = (a, b)
        ctext = text[a:b]
        kind = _unit_kind(m.unit)
        quote, figure = _quote(self.report, m, sentence, mentions)
        entry: dict[str, Any] = {"id": "", "type": "", "quote": quote}
        if figure:
            entry["figure"] = figure
        whys: list[str] = []
        before = text[max(sentence.start, m.start - 40) : m.start]
        earlier = [f for f in figures if f.end <= m.start and f.start in self.entries]
        if (
            earlier
            and not re.search(r"[A-Za-z]", text[a : m.start])
            and _COORDINATED.fullmatch(text[earlier[-1].end : a])
            and not _OWN_VERB.search(text[m.end : b])
        ):
            # "relocated 3,260 households and 14,800 people": the verb before the first number holds for both
            pa, _ = self.clauses[earlier[-1].start]
            ctext = text[pa : earlier[-1].start] + ctext
        total = self.entries.get(node.total.start) if node.total else None
        self.subset = node.marker.endswith("a predicate") or (  # "89,000 of whom found jobs": not its total's
            node.marker in ("of whom", "among whom", "among them")  # "of whom 60,000 persons found jobs" too
            and m.unit in ("COUNT", "HOUSEHOLD")
            and _OWN_PREDICATE.match(text, m.end) is not None
        )
        poverty_line = any(a <= s < b and "poverty line" in r for s, r in excluded.items())
        if total is not None and total.get("_increase"):
            total = None  # an increase over a year before is no whole of the parts after it
        if total is not None and poverty_line:
            total = None  # "of whom N lived below 1,196 Yuan": a count of the poor, not a part of the population
        if poverty_line:
            ctext += " poor"
        compared = None
        if _COMPARED_WITH.search(text[a : m.start]) or _COMPARED_WITH.search(before):
            same = [
                f for f in earlier
                if (f.unit == m.unit and None in (counted_noun(text, f), counted_noun(text, m)))
                or (f.unit == m.unit and counted_noun(text, f) == counted_noun(text, m)
                and not self.entries[f.start].get("_compared") and not self.entries[f.start].get("_increase"))
            ]  # fmt: skip
            compared = self.entries[same[-1].start] if same else None
        grown = share_part = None
        rates = [f for f in earlier if f.unit not in ("PERCENT", "PERCENTAGE_POINT")]
        bases = [f for f in rates if not self.entries[f.start].get("_compared")]
        if m.unit in ("PERCENT", "PERCENTAGE_POINT") and bases and (_GROWTH.search(before) or grows_after(text, m)):
            grown = self.entries[bases[-1].start]
        elif (
            m.unit == "CNY" and bases and bases[-1].unit == "CNY"
            and (_MORE_THAN.match(text, m.end) or increase_before(text, m))
        ):  # fmt: skip
            grown = self.entries[bases[-1].start]  # "3.05 billion Yuan, 380 million Yuan more than …": its increase
            entry["_increase"] = True
        elif m.unit == "PERCENT" and rates and (_SHARE.search(before) or shares_after(text, m)):
            share_part = self.entries[rates[-1].start]
        linked = (
            None if grown or share_part else share_link(text, m, [f for f in figures if f.end <= m.start], self.nodes)
        )
        if linked is not None:  # "63% of whom found jobs", "a placement rate of 92.7%" after its part
            share_part = self.entries.get((linked[0] or linked[1]).start)
        funders: list[str] = []
        plain = ctext
        self.given_by_units = self.assisting_givers(m, sentence, earlier) if m.unit == "CNY" else ""
        givers = self.organisation(self.given_by_units, partial=True) if self.given_by_units else None
        if givers:  # the counts of assisting units are who gives it: the words after their numbers name no other
            funders.append(givers[0])
            whys.append(f"funder: the assisting units that give it, {self.given_by_units!r}")
        elif m.unit == "CNY":
            reach = min([f.start for f in figures if f.start > m.start] + [sentence.end])
            for phrase, how in funder_phrases(text, a, max(b, reach), m):
                if phrase.strip().lower() in _PRONOUNS and earlier:
                    pa, pb = self.clauses[earlier[-1].start]
                    phrase = text[earlier[-1].start : pb]  # "N units were assigned …, and X was issued by them"
                for name in self.funder_names(phrase):
                    found = self.organisation(name, partial=True)
                    if found and found[0] not in funders:
                        funders.append(found[0])
                        whys.append(f"funder: {how} {name.strip()!r}")
                plain = plain.replace(phrase, " ")  # an office's name says nothing of what the money is
        if compared is not None:
            for key in ("indicator", "type", "area", "program", "fund_type", "funder", "beneficiary", "designation"):
                if key in compared:
                    entry[key] = compared[key]
            entry["_compared"] = compared["id"]
            whys.insert(0, f"the value {compared['id']} is compared with: its indicator, type, area and kind")
            funders = []
        else:
            self.funders = tuple(funders) or tuple(_listed_ids(total.get("funder") if total else None))
            host = _WITH_PEOPLE.fullmatch(text[earlier[-1].end : m.start]) if earlier else None
            self.attribute_of = host.group(1).strip() if host and m.unit == "COUNT" else ""
            right = b
            if linked is not None:  # "63% of whom found jobs": the share is named by the words after "of whom"
                stop = re.search(r"[,;.]\s", text[m.end : sentence.end])
                right = m.end + stop.start() if stop else sentence.end
            self.propose_meaning(m, entry, whys, (plain, ctext), sentence, total, grown, share_part, kind, right)
        if funders:
            entry["funder"] = funders[0] if len(funders) == 1 else funders
        elif m.unit == "CNY" and total is not None and total.get("funder"):
            entry["funder"] = total["funder"]
            entry["_inherited"] = True
            whys.append(f"funder: as its total {total['id']}")
        area = None if compared is not None else self.area(ctext, sentence, m, grown)
        if area:
            entry["area"] = area[0]
            whys.append(f"area: {area[1]}")
        elif "area" not in entry:
            whys.append("area: the report's default (no other place of the region named near it)")
        period = dated.get(m.start)
        if period and period[0] != self.defaults.get("period"):
            entry["period"] = period[0]
            self.periods_used.add(period[0])
            whys.append(f"period: {period[1]}")
        else:
            whys.append("period: the report's default")
        if m.qualifier:
            whys.append(f"qualifier {m.qualifier!r} (read by the build from the text)")
        if total is not None and compared is None:
            entry["component_of"] = total["id"]
            whys.append(f"part of {total['id']}: it follows its “{node.marker}”, in the same unit")
        if linked is not None and share_part is not None:
            whole_entry = self.entries.get(linked[1].start)
            if linked[0] is not None and whole_entry is not None:
                entry["share_of"] = {"part": share_part["id"], "whole": whole_entry["id"]}
                whys.append(f"share: its part {share_part['id']} and that part's total {whole_entry['id']}")
            elif whole_entry is not None:
                entry["note"] = f"A share of {whole_entry['id']}; its part is not stated, so there is no part to link."
                whys.append(f"share of {whole_entry['id']}, the number before it; its part is not stated")
        elif share_part is not None and not (shares_after(text, m) and not _SHARE.search(before)):
            # a share of a plan or a target names a whole the report does not state: no figure to look for
            whole = self.whole_of(m, share_part, text[m.end : b])
            if whole is not None:
                entry["share_of"] = {"part": share_part["id"], "whole": whole["id"]}
                whys.append(f"share of {whole['id']} (the whole the text names), its part {share_part['id']}")
        if grown is not None:
            entry["note"] = f"The growth of {grown['id']} (the figure before it) over the year it is compared with."
            whys.append(f"growth of {grown['id']}, the figure before it (said in its note)")
        entry["proposed"] = "; ".join(whys)
        return entry

    def assisting_givers(self, m: Mention, sentence: Sentence, earlier: list[Mention]) -> str:
        """Who gives money that a sentence's counts of assisting units give ("1,180 private enterprises paired up
        with poor villages and invested N Yuan", "47 central organs took part …, investing N Yuan"): the units'
        words for one count, "assisting units" for several; "" when no such count is the subject of the giving."""
        units = [
            f for f in earlier
            if f.start >= sentence.start and self.entries[f.start].get("indicator") == "indicator/assisting-units"
        ]  # fmt: skip
        if not units:
            return ""
        between = self.text[units[-1].end : m.start]
        if ";" in between or any(f.unit == "CNY" and f.start > units[-1].start for f in earlier):
            return ""
        if not _GIVING.search(between):
            return ""
        names = [g.group(1) for g in (_GIVERS.match(self.text, u.end) for u in units) if g]
        return names[0] if len(units) == 1 and names else "assisting units"

    def area(self, ctext: str, sentence: Sentence, m: Mention, grown: dict[str, Any] | None) -> tuple[str, str] | None:
        """A place of the report's region named near the number (or the region's key counties), else None."""
        if grown is not None and grown.get("area"):
            return str(grown["area"]), f"as the figure it grows, {grown['id']}"
        # the key counties of the number's own clause: its subject's noun phrase ("the income of farmers in the 50
        # key counties was N"), not a clause coordinated before it ("… in the key counties, and 88 firms drove …");
        # or where the amount went ("brought N Yuan to the key counties"; a share's whole stays the region's)
        b = self.clauses[m.start][1]
        own = re.split(r"[;:]|,\s*(?:and|while|but|whereas)\s", self.text[sentence.start : m.start])[-1]
        places = r"(?:the|these|its)\s+(?:[\d,]+\s+)?key\s+counties\b"
        subject = re.search(rf"\b(?:in|of|for|among)\s+{places}", own)
        if subject and re.search(r"(?<![\w,.])(?!(?:19|20)\d\d\b)\d", own[: subject.start()]):
            subject = None  # "supported 65 firms in the key counties and grew N mu": the phrase is the firms'
        key_counties = (
            subject
            or re.search(rf"\b(?:in|of|for|among)\s+{places}", self.text[m.end : b])
            or (re.search(rf"\b(?:to|into)\s+{places}", self.text[m.end : b]) if m.unit != "PERCENT" else None)
        )
        if key_counties and self.region and not re.match(r"\s+(?:\w+\s+)?key\s+counties", self.text[m.end :]):
            for term in self.terms.get("area", []):
                if term.id != self.region and any(re.search(r"\bkey\s+count", n, re.IGNORECASE) for n in term.names):
                    return term.id, f"{key_counties.group(0)!r}: the region's key counties"
            place = self.by_id[self.region]
            short = min(place.names, key=len) if place.names else self.region
            aid = self.propose_entity(
                f"area/{self.region.split('/', 1)[1]}-key-counties",
                "xjkg:TargetArea",
                f"the key counties for poverty alleviation and development of {short}",
                "places.yaml",
                "the text speaks of the region's key counties, which no place of the vocabularies is",
                part_of=self.region,
            )
            return aid, f"{key_counties.group(0)!r}: the region's key counties (a new target area)"
        zone = _ZONE.match(self.text, m.end, max(m.end, self.clauses[m.start][1]))
        if zone and self.region:  # "620 villages in the border areas": a part of the region the text names
            words = zone.group(1).strip()
            place = self.by_id[self.region]
            short = min(place.names, key=len) if place.names else self.region
            aid = self.propose_entity(
                f"area/{self.region.split('/', 1)[1]}-{_slug(words, 3)}-areas",
                "xjkg:TargetArea",
                f"the {words} areas of {short}",
                "places.yaml",
                f"the text counts what lies in the {words} areas of the region, which no place of the vocabularies is",
                part_of=self.region,
            )
            return aid, f"{zone.group(0).strip()!r}: a part of the region (a new target area)"
        area = self.best("area", ctext)
        if area is None:
            wide = self.best("area", sentence.text)
            area = (wide[0] / 2, wide[1], wide[2]) if wide and wide[0] >= 2 else None
        if area and area[1].id != self.defaults.get("area"):
            return area[1].id, area[2].why()
        return None

    def propose_meaning(
        self,
        m: Mention,
        entry: dict[str, Any],
        whys: list[str],
        texts: tuple[str, str],
        sentence: Sentence,
        total: dict[str, Any] | None,
        grown: dict[str, Any] | None,
        share_part: dict[str, Any] | None,
        kind: str,
        right: int,
    ) -> None:
        """Indicator, type, fund type, beneficiary, program and designation of a figure of its own. ``texts``:
        the clause without the funder's name (for the indicator), and whole (the funder may name the fund)."""
        ctext, whole_clause = texts
        indicator, why, label = self.choose_indicator(m, ctext, sentence, total, grown)
        proportion = m.unit == "PERCENT" and grown is None
        if proportion:  # a share of an indicator of proportions whose words its clause, whole and part say
            whole = _OF_WHOLE.match(self.text, m.end)
            part = self.clauses.get(self._start(share_part)) if share_part is not None else None
            about = f"{ctext} {whole.group(1) if whole else ''} {self.text[part[0] : part[1]] if part else ''}"
            # the whole the text names after "of" says most of what is shared; else every word stands around it
            share = (self.share_indicator(whole.group(1)) if whole else None) or self.share_indicator(about, 1.0)
            if share is not None:
                indicator, why = share[1].id, f"a share: {share[2].why()} ({share[1].source})"
        if proportion and not indicator:
            of = _OF_WHOLE.match(self.text, m.end)
            rate = re.search(
                r"\b((?:[a-z-]+\s+){1,2}(?:rate|ratio))\s+(?:of|was|stood\s+at|reached)\s+(?:about\s+|nearly\s+)?$",
                self.text[max(sentence.start, m.start - 50) : m.start],
            )
            whole_words = of.group(1) if of else self.text[m.end : right]
            words = [w for w in _slug(whole_words, 8).split("-") if not w.isdigit() and w not in _PRONOUNS | {"whom"}]
            if rate and not of:  # "a dropout ratio of 3.5%": the rate the text names
                indicator, label = f"indicator/{_slug(rate.group(1), 3)}", rate.group(1)
            else:
                indicator = "indicator/share-of-" + "-".join(readable_words(words)[:5] or ["whole"])
                label = f"share of {whole_words.strip()}"
            why = "a share: a new indicator named after its whole"
        if not indicator:
            a, b = self.clauses[m.start]
            indicator, label = self.new_indicator(m, self.text[a:b], a, sentence.section)
            why = "nothing in the vocabularies matched: a new indicator named after the words of the sentence"
        if indicator not in self.known and indicator not in self.new:
            self.propose_entity(
                indicator,
                "xjkg:Indicator",
                label,
                "indicators.yaml",
                "no indicator of the vocabularies matched the sentence: a new one, named after its words "
                "(move it to vocab/indicators.yaml to share it)",
            )
        use = self.uses.get(indicator)
        if use and use.unit != kind:
            indicator = f"{indicator}-{kind.lower().replace('_', '-')}"
            self.propose_entity(
                indicator,
                "xjkg:Indicator",
                f"{label or self._label(indicator)} ({kind.lower()})",
                "indicators.yaml",
                "a new indicator: the other one is measured in another unit",
            )
            use = None
        entry["indicator"] = indicator
        whys.insert(0, f"indicator: {why}")
        if share_part is not None or proportion:
            entry["type"] = "Share"  # a percentage that is no growth is part of a whole
        elif grown is not None:
            entry["type"] = "StatisticalFigure"
        elif self.attribute_of:
            entry["type"] = "BeneficiaryCount"  # the people of the villages a program reached
        elif self.family is not None and self.family.type:
            entry["type"] = self.family.type  # a family of wording (mapping/indicators.py) says what the number is
        elif use:
            entry["type"] = use.type
        elif m.unit in ("COUNT", "HOUSEHOLD") and re.search(
            r"(?<!rose)(?<!grew)(?<!increased)(?<!reached)(?<!amounted)(?<!up)\s(?:to|for)\s+$",
            self.text[max(0, m.start - 16) : m.start],
        ):
            entry["type"] = "BeneficiaryCount"  # "brought electricity to N villages": they are who benefits
        elif m.unit in ("COUNT", "HOUSEHOLD") and _RECEIVED.match(self.text, m.end):
            entry["type"] = "BeneficiaryCount"  # "1,500 villages received radio and TV signals": who benefits
        elif m.unit in _OUTPUT_UNITS and _HOLDS.search(self.text[max(0, m.start - 30) : m.start]):
            entry["type"] = "StatisticalFigure"  # "the bases covered 320,000 mu": what there is, not what was done
        elif self.attribute_of or re.search(r"\bpopulation\s+of\s+$", self.text[max(0, m.start - 30) : m.start]):
            entry["type"] = "BeneficiaryCount"  # "with a population of 180,000": people, whatever the unit word
        elif self.subset and total is not None:
            entry["type"] = total["type"]  # "89,000 of whom found jobs": the same kind of figure as the whole
        else:
            entry["type"] = _figure_type(m)
        whys.insert(1, f"type: {entry['type']}" + (" (as the indicator's figures in the other reports)" if use else ""))
        if entry["type"] == "FundAllocation":
            fund, fwhy = self.fund_type(whole_clause, total, sentence, m, indicator, self.funders)
            if fund:
                entry["fund_type"] = fund
                whys.append(f"fund type: {fwhy}")
        for key in ("beneficiary", "program", "designation"):
            if key == "designation" and m.unit not in ("COUNT", "HOUSEHOLD"):
                continue  # a designation says what a count counts
            hit = self.best(key, ctext)
            if hit:
                entry[key] = hit[1].id
                whys.append(f"{key}: {hit[2].why()}")
        if entry["type"] == "BeneficiaryCount" and "beneficiary" not in entry:
            entry["beneficiary"] = f"{TODO}who is counted (a beneficiary group of vocab/beneficiary-groups.yaml)"
            whys.append("beneficiary: no beneficiary group of the vocabularies is named near the number")

    def whole_of(self, m: Mention, part: dict[str, Any], words: str) -> dict[str, Any] | None:
        """The figure of the report that a share's "of the poor villages of Tibet" names: same unit as the part,
        the best match of the words with its quote, the part itself excluded."""
        unit = self.mentions_at[self._start(part)].unit
        best: tuple[float, dict[str, Any]] | None = None
        for start, entry in self.entries.items():
            if entry is part or self.mentions_at[start].unit != unit or entry.get("component_of"):
                continue
            a, b = self.clauses[start]
            hit = best_match([words], self.text[a:b], 0.5)
            if hit and (best is None or hit.score > best[0]):
                best = (hit.score, entry)
        del m
        return best[1] if best else None

    # ---- the report ------------------------------------------------------------------------------------

    def run(self) -> Draft:
        text = self.text
        mentions = extract(text, 0, self.report.body_end)
        quantities = [m for m in mentions if m.is_quantity]
        by_sentence: dict[int, list[Mention]] = {}
        sentences: dict[int, Sentence] = {}
        for m in quantities:
            sentence = self.report.sentence_at(m.start)
            by_sentence.setdefault(sentence.number, []).append(m)
            sentences[sentence.number] = sentence
        pending: list[tuple[str, str, list[str], dict[str, Any]]] = []
        previous: tuple[int, list[Mention]] | None = None  # the figures (not shares) of the sentence before
        replaced: set[str] = set()  # indicators a part said before its total gave up for the total's
        for number, found in by_sentence.items():
            sentence = sentences[number]
            section = sentence.section or "preamble"
            if section not in self.sections:
                self.sections[section] = f"figures/{len(self.sections) + 1:02d}-{_slug(section, 4)}.yaml"
            file = self.sections[section]
            excluded: dict[int, str] = {}
            for m in found:
                reason = None if m.unit == "YEAR" else _in_name(self.report, m, sentence)
                reason = f"part of a name: {reason}" if reason else None if m.unit == "YEAR" else not_a_figure(text, m)
                if reason:
                    excluded[m.start] = reason
            figures = [m for m in found if m.unit != "YEAR" and m.start not in excluded]
            years = [m for m in found if m.unit == "YEAR"]
            carried = None
            if previous and previous[0] == number - 1 and opens_with_marker(text, sentence):
                # "… 1.52 billion Yuan. Among them, …": the parts of the sentence before's last figure, not of the
                # one it was compared with ("21% more than the 1.95 billion Yuan of 2010")
                own = [
                    f for f in previous[1]
                    if not self.entries.get(f.start, {}).get("_compared")
                    and not _COMPARED_BEFORE.search(text[max(0, f.start - 40) : f.start])
                    and not is_difference(text, f)
                ]  # fmt: skip
                carried = carried_total(own or previous[1], figures)
            nodes = breakdown(text, sentence, figures, carried)
            self.nodes = nodes
            money = [f for f in figures if f.unit not in ("PERCENT", "PERCENTAGE_POINT")]
            previous = (number, money) if money else None
            self.sentence_figures = figures
            dated = periods(text, sentence, figures, years, str(self.defaults.get("period") or ""))
            for m in found:
                comments = [
                    f"【{section}】 sentence {sentence.number}: {sentence.text}",
                    f"{m.text!r} = {m.value} {m.unit}" + (f" (qualifier: {m.qualifier})" if m.qualifier else ""),
                ]
                if m.unit == "YEAR":
                    quote, _ = _quote(self.report, m, sentence, mentions)
                    role, owner = year_role(text, m, figures)
                    reason = {
                        "own": f"the year of the figure before it ({owner.text if owner else ''}): its period",
                        "comparison": "a year of comparison",
                        "clause": "the year of a clause inside a noun phrase (“the N villages started in 2010”)",
                        "sentence": "a year: it names the period of the figures after it",
                    }[role]
                    pending.append(
                        (
                            file,
                            section,
                            comments,
                            {
                                "quote": quote,
                                "reason": f"{reason}, not a quantity",
                                "proposed": f"the year {m.text}: {role}",
                            },
                        )
                    )
                    continue
                if m.start in excluded:
                    quote, _ = _quote(self.report, m, sentence, mentions)
                    pending.append(
                        (
                            file,
                            section,
                            comments,
                            {"quote": quote, "reason": excluded[m.start], "proposed": excluded[m.start]},
                        )
                    )
                    continue
                self.mentions_at[m.start] = m
                entry = self.figure(m, sentence, nodes[m.start], dated, figures, mentions, excluded)
                what = str(entry.get("fund_type") or entry["indicator"]).split("/", 1)[-1]
                base = f"{_section_slug(section)}/{what}"[:70]
                fid, n = base, 2
                while fid in self.used_ids:
                    fid, n = f"{base}-{n}", n + 1
                self.used_ids.add(fid)
                entry["id"] = fid
                entry = {"id": fid, **{k: v for k, v in entry.items() if k != "id"}}
                self.entries[m.start] = entry
                self.starts[id(entry)] = m.start
                pending.append((file, section, comments, entry))
            for node in nodes.values():
                later = node.total is not None and node.total.start > node.mention.start
                if later and node.total is not None and {node.mention.start, node.total.start} <= self.entries.keys():
                    # a total said after its parts ("31 … and 26 …, 57 in total"): known once its entry is made
                    part, whole = self.entries[node.mention.start], self.entries[node.total.start]
                    if "component_of" not in part and "_compared" not in part:
                        part["component_of"] = whole["id"]
                        part["proposed"] += f"; part of {whole['id']}: the total said after it (“{node.marker}”)"
                        same_kind = _unit_kind(node.mention.unit) == _unit_kind(node.total.unit)
                        if same_kind and part.get("indicator") != whole.get("indicator") and part["type"] != "Share":
                            # a part counts what its total counts, said before or after it: its indicator and type
                            replaced.add(str(part.get("indicator")))
                            part["indicator"], part["type"] = whole["indicator"], whole["type"]
                            part["proposed"] += f"; indicator: as its total {whole['id']}"
                if node.parts and node.mention.start in self.entries:
                    total_entry = self.entries[node.mention.start]
                    exhaustive = node.opens != "including" and len(node.parts) >= 2
                    total_entry["exhaustive"] = exhaustive
                    total_entry["proposed"] += (
                        f"; total of {len(node.parts)} part(s) after “{node.opens}” (exhaustive: {exhaustive})"
                    )
        used = {str(entry.get("indicator")) for entry in self.entries.values()}
        for eid in replaced - used:  # a new indicator no figure keeps, once its part took its total's
            self.new.pop(eid, None)
        self.funders_cover_parts()
        self.restatements()
        for file, section, comments, entry in pending:
            ordered = {k: entry[k] for k in entry if k not in ("proposed", "_compared", "_inherited", "_increase")}
            ordered["proposed"] = entry["proposed"]
            self.draft.add(file, section, comments, ordered)
        for eid, entity in self.new.items():
            self.draft.add(self.new_files[eid], "", [], entity)
        for period in sorted(self.periods_used - self.known):
            year = re.fullmatch(r"period/((?:19|20)\d\d)(?:-12-31)?", period)
            if year:
                for entity in _period_entities(year.group(1)):
                    if entity["id"] not in self.known:
                        self.known.add(entity["id"])
                        why = f"the report speaks of {year.group(1)}, which no vocabulary defines yet (move to vocab/)"
                        self.draft.add("periods.yaml", "", [], {**entity, "proposed": why})
        # The report covers every period its figures are about ("as of the end of 2008" in a 2009 section), so the
        # period check reads those figures as the report's, not as a proposal out of scope.
        report = self.draft.settings.get("report")
        if isinstance(report, dict) and isinstance(report.get("period"), list):
            listed = [str(p) for p in report["period"]]
            report["period"] = listed + sorted(p for p in self.periods_used if p not in listed)
        return self.draft

    def funders_cover_parts(self) -> None:
        """A total's funder pays for all of it: where a part names another funder ("Ningxia put in 1.52 billion
        Yuan …, namely 560 million Yuan provided by the central finance"), the subject names where the money went,
        and neither the total nor the parts that took its funder keep it."""
        children: dict[str, list[dict[str, Any]]] = {}
        for entry in self.entries.values():
            if entry.get("component_of"):
                children.setdefault(str(entry["component_of"]), []).append(entry)

        below: dict[str, set[str]] = {}  # each total's parts' own funders, read once (linear in the figures)

        def own_funders(entry: dict[str, Any]) -> set[str]:
            key = str(entry["id"])
            if key not in below:
                below[key] = set()
                for child in children.get(key, []):
                    if child.get("funder") and not child.get("_inherited"):
                        below[key] |= set(_listed_ids(child["funder"]))
                    below[key] |= own_funders(child)
            return below[key]

        def drop(entry: dict[str, Any], funder: Any) -> None:
            for child in children.get(str(entry["id"]), []):
                if child.get("_inherited") and child.get("funder") == funder:
                    del child["funder"]
                    child["proposed"] = child["proposed"].replace(f"; funder: as its total {entry['id']}", "")
                    drop(child, funder)

        for entry in self.entries.values():
            funder = entry.get("funder")
            if funder and not entry.get("_inherited") and own_funders(entry) - set(_listed_ids(funder)):
                del entry["funder"]
                entry["proposed"] += "; no funder: its parts name other funders, so the subject is where it went"
                drop(entry, funder)

    def restatements(self) -> None:
        """A figure that states again what an earlier one of the report states (same indicator, area, period,
        fund type, designation, beneficiary and value, neither a part of a breakdown) restates it."""
        keys = ("indicator", "area", "period", "fund_type", "designation", "beneficiary", "funder")
        first: dict[tuple[str, ...], dict[str, Any]] = {}
        for start, entry in self.entries.items():
            if entry.get("component_of") or "exhaustive" in entry or entry["type"] == "Share" or "_compared" in entry:
                continue
            m = self.mentions_at[start]
            key = (*(str(entry.get(k, "")) for k in keys), m.unit, str(m.value))
            if key in first:
                entry["restates"] = first[key]["id"]
                entry["proposed"] += f"; restates {first[key]['id']}: the same indicator, area, period and value"
            else:
                first[key] = entry


def draft_report(
    report: Report,
    settings: dict[str, Any],
    vocabulary: list[Term],
    uses: dict[str, IndicatorUse] | None = None,
) -> Draft:
    """Propose a mapping entry for every quantity of the report body.

    ``uses`` (indicator → unit kind and figure type in the corpus's other reports) keeps an indicator to one
    kind of unit and gives its figures the type they have elsewhere.

    >>> from xjkg.text.source import Report
    >>> text = "Title\\n【Investment】 In 2010, work-relief funds were 330 million Yuan."
    >>> report = Report(Path("r.txt"), text, "0" * 64, len(text))
    >>> terms = [Term("fund-type/work-relief-funds", "xjkg:FundType", ("work-relief funds",), "concepts.yaml")]
    >>> draft = draft_report(report, {"defaults": {"period": "period/2010"}}, terms)
    >>> [e["quote"] for _, _, e in draft.files["figures/01-investment.yaml"] if "id" in e]
    ['funds were 330 million Yuan.']
    """
    return _Drafter(report, settings, vocabulary, uses or {}).run()


# ---- checking and writing ----------------------------------------------------------------------------------


def check_draft(report: Report, draft: Draft) -> None:
    """Every quote of the draft stands once in the body and holds its quantity (mapping.py's own checks)."""
    mentions = extract(report.text, 0, report.body_end)
    for file, entries in draft.files.items():
        for _, _, entry in entries:
            if "quote" not in entry:
                continue
            where = Where(Path(file), 0, str(entry.get("id") or entry["quote"])[:60])
            span: Span = locate(report, entry["quote"], where)
            if "id" in entry:
                _claimed(mentions, span, report, entry.get("figure"), where)


def _comment(text: str) -> str:
    r"""``text`` fit for a YAML comment: what YAML reads as a line break (U+2028, U+0085…) or cannot print, escaped.

    >>> _comment("a\u2028b: c\x1b")
    'a\\u2028b: c\\x1b'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _dump(draft: Draft, file: str) -> str:
    kinds = {"entities": [], "figures": [], "exclusions": []}  # type: dict[str, list[str]]
    for section, comments, entry in draft.files[file]:
        kind = "exclusions" if "reason" in entry else "figures" if "quote" in entry else "entities"
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=10_000, default_style=None)
        lines = [f"  # {_comment(c)}" for c in comments] + ["  " + line for line in text.rstrip("\n").split("\n")]
        kinds[kind].append("\n".join(lines))
        del section
    header = (
        "# DRAFT written by `xjkg report new`: every entry with `proposed:` is a proposal (the build refuses it).\n"
        '# Review: correct what is wrong, fill every "TODO: …", then delete the `proposed:` line to accept.\n'
    )
    body = "\n\n".join(f"{kind}:\n" + "\n\n".join(items) for kind, items in kinds.items() if items)
    return header + "\n" + body + "\n"


def report_year(body: str) -> str | None:
    """The period a section is about: the year its title gives; else the commonest year its sentences open
    with ("In 2010, …"); else the commonest "in YEAR" that is no comparison or reference date. Ties go to the
    later year (a section compares with the year before, never with the year after).

    >>> report_year("Title\\nAs of the end of 2009, X had 5 people. In 2010, it spent 3 Yuan, against 2 in 2009.")
    'period/2010'
    """
    title = body.split("\n", 1)[0]
    candidates = re.findall(r"\b((?:19|20)\d\d)\b", title)
    if not candidates:
        candidates = re.findall(r"(?:^|[.!?】]\s*)In ((?:19|20)\d\d)\b", body, re.MULTILINE)
    if not candidates:
        candidates = [
            m.group(1) for m in re.finditer(r"\b[Ii]n ((?:19|20)\d\d)\b", body)
            if not re.search(r"(?:\d|\bend\s+of)\s*$", body[max(0, m.start() - 20) : m.start()])
        ]  # fmt: skip
    if not candidates:
        return None
    counts = Counter(candidates)
    return f"period/{max(counts, key=lambda y: (counts[y], y))}"


def report_region(title: str, body: str, vocabulary: list[Term]) -> str | None:
    """The provincial-level unit a section is about: the one its title names (the most specific name), else
    the one its body names most often (whole words)."""
    regions = [t for t in vocabulary if t.id.startswith("region/")]
    best: tuple[float, str] | None = None
    for term in regions:
        hit = best_match(term.names, title, 1.0)
        if hit and hit.whole and (best is None or hit.score > best[0]):
            best = (hit.score, term.id)
    if best:
        return best[1]
    counts = Counter(
        term.id for term in regions for name in term.names
        for _ in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body)
    )  # fmt: skip
    return max(counts, key=lambda r: (counts[r], r)) if counts else None


def _infer_settings(text: str, args: argparse.Namespace, vocabulary: list[Term], ask: bool) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines()]
    footer_start = len(lines)
    while footer_start > 1 and lines[footer_start - 1] and not re.search(r"[A-Za-z]{3}", lines[footer_start - 1]):
        footer_start -= 1  # the publisher's web-page footer: trailing lines with no English words
    footer = [line for line in lines[footer_start:] if line]
    marker = footer[0] if footer and text.count(footer[0]) == 1 else None
    period = report_year("\n".join(lines[:footer_start]))

    def value(given: str | None, guess: str | None, what: str) -> str:
        if given:
            return given
        if ask:
            answer = input(f"{what}{f' [{guess}]' if guess else ''}: ").strip()
            if answer or guess:
                return answer or str(guess)
        return guess or f"{TODO}{what}"

    title = lines[0] if lines and 0 < len(lines[0]) <= MAX_TITLE_CHARS else None
    region = report_region(title or "", "\n".join(lines[:footer_start]), vocabulary)
    publisher = next(
        (
            t.id
            for t in vocabulary
            if t.id.startswith("org/") and any(len(n) > 3 and n in "".join(footer) for n in t.names)
        ),
        None,
    )
    rights = next((line for line in footer if "©" in line or "版权" in line or "copyright" in line.lower()), None)
    settings: dict[str, Any] = {
        "source": {"file": Path(args.text).name, "sha256": "", "body_ends_before": marker},
        "report": {
            "title": value(args.title, title, "the report's title"),
            "publisher": value(args.publisher, publisher, "the publisher (an organisation id, e.g. org/iprcc)"),
            "series": f"{TODO}the series the section belongs to (null if the text does not name it)",
            "edition": f"{TODO}the edition (null if the text does not name it)",
            "language": "en",
            "period": [value(args.period, period, "the period its figures cover (e.g. period/2010)")],
            "region": value(args.region, region, "the region it is about (e.g. region/xinjiang)"),
            "url": f"{TODO}the public address of the text (null if none is known)",
            "rights_quote": rights or f"{TODO}the rights as the report states them",
        },
    }
    settings["defaults"] = {"area": settings["report"]["region"], "period": settings["report"]["period"][0]}
    if marker is None:
        del settings["source"]["body_ends_before"]
    return settings


def _check_text_name(text_file: Path) -> str:
    """The text's file name, if it can stand in the report's folder beside what ``report new`` writes there."""
    name = text_file.name
    if name in _WRITTEN_NAMES or name.startswith(".") or not name:
        raise XjkgError(
            f"{text_file}: a report text cannot be named {shown(name)} (report new writes report.yaml and mapping/ "
            "beside it, and hidden names are its own); copy it under another name"
        )
    if not name.isprintable() or len(name) > 200 or "\\" in name:
        raise XjkgError(f"{text_file}: rename the text: its name {shown(name)} cannot go into report.yaml")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise XjkgError(f"{text_file}: rename the text: its name is not UTF-8") from None
    return name


def new_report(
    text_file: Path,
    report_id: str,
    corpus: Path,
    args: argparse.Namespace,
    *,
    ask: bool = False,
    vocabulary: list[Term] | None = None,
    uses: dict[str, IndicatorUse] | None = None,
) -> Path:
    """Copy ``text_file`` into ``corpus/reports/<report_id>/`` with report.yaml and a draft mapping.

    ``vocabulary`` and ``uses`` default to what the corpus holds (:func:`load_vocabulary`,
    :func:`indicator_uses`); a caller adding many reports passes them to read the corpus once.
    """
    if not _ID.fullmatch(report_id):
        raise XjkgError(f"--id {shown(report_id)}: use lower-case letters, digits and hyphens (e.g. xinjiang-2010)")
    name = _check_text_name(text_file)
    raw = read_bytes(text_file, max_bytes=MAX_DRAFT_BYTES, what="report text")  # never /dev/zero or a FIFO
    text = decode(raw, text_file)
    if not text.strip():
        raise XjkgError(f"{text_file}: the report is empty")
    # Counted on the whole text, before anything else reads it: the body is part of it.
    numbers = sum(1 for m in extract(text) if m.is_quantity)
    if numbers > MAX_DRAFT_NUMBERS:
        raise XjkgError(
            f"{text_file}: {numbers:,} numbers, more than the {MAX_DRAFT_NUMBERS:,} a draft takes; "
            "split the text into sections and add each as its own report"
        )
    reports = corpus / "reports"
    target = reports / report_id
    if target.exists() or target.is_symlink():
        raise XjkgError(f"{target}: a report folder with this id exists already; it is never overwritten")
    vocabulary = load_vocabulary(corpus) if vocabulary is None else vocabulary
    args.text = name
    settings = _infer_settings(text, args, vocabulary, ask)
    settings["source"]["sha256"] = hashlib.sha256(raw).hexdigest()
    try:
        reports.mkdir(parents=True, exist_ok=True)
        remove_abandoned_work(reports)
        work = Path(tempfile.mkdtemp(prefix=work_prefix(report_id), suffix=".tmp", dir=reports))
    except OSError as exc:
        raise XjkgError(f"{reports}: cannot write ({exc.strerror or exc})", EXIT_FAILED) from None
    try:
        copy = work / name
        copy.write_bytes(raw)  # the bytes read and checked, not the file again (it may have changed since)
        report = load_report(copy, settings["source"]["sha256"], settings["source"].get("body_ends_before"))
        draft = draft_report(report, settings, vocabulary, indicator_uses(corpus) if uses is None else uses)
        check_draft(report, draft)
        header = '# Written by `xjkg report new`; fill every "TODO: …". The build refuses a changed text (sha256).\n'
        (work / "report.yaml").write_text(
            header + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
        )
        for file in draft.files:
            path = work / "mapping" / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dump(draft, file), encoding="utf-8")
        os.chmod(work, 0o755)
        if target.exists() or target.is_symlink():  # created meanwhile by someone else: leave it alone
            raise XjkgError(f"{target}: a report folder with this id exists already; it is never overwritten")
        os.rename(work, target)
    except OSError as exc:  # a full disk, a folder that became read-only: nothing is left behind
        raise XjkgError(f"{reports}: cannot write the report ({exc.strerror or exc})", EXIT_FAILED) from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


# ---- the list ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStatus:
    """One report of the corpus: its numbers and what became of them, and what is still open."""

    id: str
    title: str
    period: str
    numbers: int
    accounted: int
    proposals: int
    todos: int

    @property
    def unmapped(self) -> int:
        return self.numbers - self.accounted


def _count_open(value: Any) -> tuple[int, int]:
    """(entries carrying ``proposed``, strings starting with TODO) inside a YAML value."""
    if isinstance(value, dict):
        pairs = [_count_open(v) for v in value.values()]
        return int("proposed" in value) + sum(p for p, _ in pairs), sum(t for _, t in pairs)
    if isinstance(value, list):
        pairs = [_count_open(v) for v in value]
        return sum(p for p, _ in pairs), sum(t for _, t in pairs)
    return 0, int(isinstance(value, str) and value.startswith(TODO))


def report_status(folder: Path) -> ReportStatus:
    """Coverage of one report folder: which numbers of its body a reviewed (not proposed) entry accounts for."""
    settings = strip_lines(read_yaml(folder / "report.yaml")) or {}
    source = settings.get("source", {})
    report = load_report(folder / str(source.get("file")), source.get("sha256"), source.get("body_ends_before"))
    numbers = extract(report.text, 0, report.body_end)
    mentions = [m for m in numbers if m.is_quantity]
    enumerators = len(numbers) - len(mentions)  # list-item numbers ("1."): accounted for by the extractor itself
    proposals, todos = _count_open(settings)
    accounted: set[int] = set()
    for path in sorted((folder / "mapping").rglob("*.yaml")):
        raw = strip_lines(read_yaml(path)) or {}
        p, t = _count_open(raw)
        proposals, todos = proposals + p, todos + t
        for kind in ("figures", "entities", "exclusions"):
            for entry in raw.get(kind) or []:
                quotes = entry.get("quotes") or [entry.get("quote")]
                if "proposed" in entry or not quotes[0] or (kind == "entities" and "figure" not in entry):
                    continue
                where = Where(path, 0, str(entry.get("id") or entry["quote"])[:60])
                span = locate(report, str(quotes[0]), where, body_only=False)
                inside = _mentions_in(mentions, span)
                if kind != "exclusions":
                    inside = [_claimed(mentions, span, report, entry.get("figure"), where)]
                accounted.update(m.start for m in inside)
    meta = settings.get("report", {})
    periods = meta.get("period", [])
    return ReportStatus(
        id=folder.name,
        title=str(meta.get("title", "")),
        period=", ".join(periods) if isinstance(periods, list) else str(periods),
        numbers=len(numbers),  # every number of the body, as `xjkg coverage` counts them
        accounted=len(accounted) + enumerators,
        proposals=proposals,
        todos=todos,
    )


def list_reports(corpus: Path) -> list[ReportStatus]:
    """Every report folder of the corpus (``reports/*/report.yaml``), sorted by id."""
    reports = corpus / "reports"
    return [report_status(p.parent) for p in sorted(reports.glob("[!.]*/report.yaml"))]  # hidden: not a report


# ---- command line ------------------------------------------------------------------------------------------


def configure_report(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    new = sub.add_parser("new", help="add a report to the corpus with a draft mapping to review")
    new.add_argument("text", metavar="TEXT", type=Path, help="the report's text (UTF-8); copied, never edited")
    new.add_argument("--id", required=True, help="the report's id: its folder and IRI (e.g. xinjiang-2010)")
    new.add_argument("--title", help="the report's title (default: its first line)")
    new.add_argument("--period", help="the period its figures cover, e.g. period/2010 (default: the commonest year)")
    new.add_argument("--region", help="the region it is about, e.g. region/xinjiang (default: a region it names)")
    new.add_argument("--publisher", help="the publisher, an organisation id (default: one its footer names)")
    add_corpus_argument(new)
    listing = sub.add_parser("list", help="each report of the corpus: coverage and open proposals")
    add_corpus_argument(listing)


def run_report(args: argparse.Namespace) -> int:
    corpus = args.corpus or default_corpus()
    if args.corpus is not None and not corpus.is_dir():
        raise XjkgError(f"{corpus}: no such corpus folder", EXIT_BAD_INPUT)
    if args.action == "new":
        ask = sys.stdin.isatty() and sys.stdout.isatty()
        target = new_report(args.text, args.id, corpus, args, ask=ask)
        status = report_status(target)
        print(f"{target}: {status.numbers} numbers, {status.proposals} proposals and {status.todos} TODOs to review")
        print(f"review {target / 'mapping'} (delete each `proposed:` line you accept), then `xjkg build`")
        return EXIT_OK
    rows = list_reports(corpus)
    if not rows:
        print(f"{corpus / 'reports'}: no reports")
        return EXIT_OK
    print(
        f"{'report':28s} {'period':28s} {'numbers':>7s} {'mapped':>6s} {'unmapped':>8s} {'proposals':>9s} {'TODOs':>5s}"
    )
    for r in rows:
        counts = f"{r.numbers:7d} {r.accounted:6d} {r.unmapped:8d} {r.proposals:9d} {r.todos:5d}"
        print(f"{r.id:28s} {r.period:28s} {counts}")
    return EXIT_OK
