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

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_OK, XjkgError
from xjkg.core.options import add_corpus_argument
from xjkg.core.paths import DATA_DIR, VOCAB_DIR
from xjkg.mapping.model import Span, Where, _claimed, locate, read_yaml, strip_lines
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
    """A vocabulary entry: its id, type and every name it goes by (label, alternative labels, Chinese name)."""

    id: str
    type: str
    names: tuple[str, ...]
    source: str


def _words(text: str) -> list[str]:
    found = (w.rstrip("'’-") for w in re.findall(r"[a-z\u4e00-\u9fff][a-z\u4e00-\u9fff'’-]*", text.lower()))
    return [w for w in found if w and w not in _STOP]


def _vocab_files(corpus: Path, exclude: Path | None) -> list[Path]:
    """The shipped vocabularies, the corpus's own, and the mappings of its other reports (their own entities)."""
    files = sorted(VOCAB_DIR.glob("*.yaml"))
    if (corpus / "vocab").resolve() != VOCAB_DIR.resolve():
        files += sorted((corpus / "vocab").glob("*.yaml"))
    reports = sorted((corpus / "reports").glob("*/mapping/**/*.yaml"))
    return files + [p for p in reports if exclude is None or exclude not in p.parents]


def load_vocabulary(corpus: Path, exclude: Path | None = None, *, files: list[Path] | None = None) -> list[Term]:
    """Every entity of the vocabularies (the shipped ``vocab/*.yaml``, the corpus's own) and of its reports
    (or of ``files`` only)."""
    terms: list[Term] = []
    seen: set[str] = set()
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
            terms.append(
                Term(str(item["id"]), kind, tuple(str(n) for n in names if n), f"{path.parent.name}/{path.name}")
            )
            seen.add(str(item["id"]))
    return terms


@dataclass(frozen=True)
class IndicatorUse:
    """How the corpus's reports already use an indicator: its kind of unit and its figures' type."""

    unit: str
    type: str
    fund_types: frozenset[str] = frozenset()


def indicator_uses(
    corpus: Path, exclude: Path | None = None, *, files: list[Path] | None = None
) -> dict[str, IndicatorUse]:
    """Indicator → unit kind and figure type, read from the figures of the corpus's reports (their quotes)."""
    uses: dict[str, IndicatorUse] = {}
    for path in _vocab_files(corpus, exclude) if files is None else files:
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
                if item.get("fund_type"):
                    uses[indicator] = IndicatorUse(use.unit, use.type, use.fund_types | {str(item["fund_type"])})
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
        "period": "period",
        "org": "funder",
    }.get(prefix, "")


def _match(term: Term, clause: str) -> tuple[float, str]:
    """How well one of the term's names is written in ``clause``: whole name (1.0), or share of its words."""
    lowered = clause.lower()
    best, why = 0.0, ""
    for name in term.names:
        plain = re.sub(r"\s*\([^)]*\)", "", name).strip().lower()
        if plain and plain in lowered:
            score = 1.0 + len(plain) / 1000  # a longer name written whole is the better proposal
            if score > best:
                best, why = score, f"{name!r} stands in the sentence"
            continue
        words = _words(plain)
        if len(words) >= 2:
            present = [w for w in words if re.search(rf"\b{re.escape(w)}", lowered)]
            score = len(present) / len(words)
            if score >= 0.75 and score > best:
                best, why = score, f"the words {' '.join(present)!r} of {name!r} stand near the number"
    return best, why


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
    return "-".join(words[:limit]) or "figure"


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
    others = [m for m in mentions if m.is_quantity and m.start != mention.start]

    def grows_into_other(a: int, b: int) -> bool:
        return any(a <= m.start < b or a < m.end <= b for m in others)

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
        if body.count(body[start:end]) == 1 and (
            end - start >= len(mention.text) + 8 or not options or grows_into_other(options[0][1], options[0][2])
        ):
            break  # unique, and long enough to read (or only longer by taking in another quantity)
        if not options:
            break
        _, start, end = options[0]
        prefer_left = not prefer_left
    quote = body[start:end].strip()
    inside = [m for m in mentions if m.is_quantity and start <= m.start and m.end <= end]
    return quote, (mention.text if len(inside) > 1 else None)


def _clause(report: Report, mention: Mention, sentence: Sentence) -> str:
    """The words around the mention that say what it is: its clause (between ; or , of which / including)."""
    text = report.text
    left = max(
        sentence.start,
        *[
            text.rfind(sep, sentence.start, mention.start) + len(sep)
            for sep in (";", ", of which", "including", ",", " and ")
        ],
    )
    right_candidates = [text.find(sep, mention.end, sentence.end) for sep in (";", ",", " and ")]
    right = min([r for r in right_candidates if r >= 0] or [sentence.end])
    return text[left:right]


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
            "links": {"time:hasBeginning": f"period/{year}-01-01", "time:hasEnd": f"period/{year}-12-31"},
            "data": {"time:hasXSDDuration": "P1Y^^xsd:duration"},
        },
        {"id": f"period/{year}-01-01", "type": "time:Instant", "label": f"1 January {year}",
         "data": {"time:inXSDDate": f"{year}-01-01^^xsd:date"}},
        {"id": f"period/{year}-12-31", "type": "time:Instant", "label": f"31 December {year}",
         "data": {"time:inXSDDate": f"{year}-12-31^^xsd:date"}},
    ]  # fmt: skip


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
    uses = uses or {}
    known = {t.id for t in vocabulary}
    mentions = extract(report.text, 0, report.body_end)
    draft = Draft(settings)
    defaults = settings.get("defaults", {})
    used_ids: set[str] = set()
    new_indicators: dict[str, dict[str, Any]] = {}
    new_units: dict[str, str] = {}
    sections: dict[str, str] = {}
    totals: dict[int, tuple[str, str, int]] = {}  # sentence number → (total id, unit, offset of "of which")
    periods_used: set[str] = {str(p) for p in (settings.get("report", {}).get("period") or []) if p}
    for mention in mentions:
        if not mention.is_quantity:
            continue  # list-item numbers are recognised by the extractor, nothing to map
        sentence = report.sentence_at(mention.start)
        section = sentence.section or "preamble"
        if section not in sections:
            sections[section] = f"figures/{len(sections) + 1:02d}-{_slug(section, 4)}.yaml"
        file = sections[section]
        comments = [
            f"【{section}】 sentence {sentence.number}: {sentence.text}",
            f"{mention.text!r} = {mention.value} {mention.unit}"
            + (f" (qualifier: {mention.qualifier})" if mention.qualifier else ""),
        ]
        if mention.unit == "YEAR":
            quote, _ = _quote(report, mention, sentence, mentions)
            reason, why = _year_exclusion(report, mention)
            draft.add(file, section, comments, {"quote": quote, "reason": f"{reason}, not a quantity", "proposed": why})
            continue
        name = _in_name(report, mention, sentence)
        if name:
            quote, _ = _quote(report, mention, sentence, mentions)
            draft.add(file, section, comments, {"quote": quote, "reason": f"part of a name: {name}", "proposed": name})
            continue
        quote, figure = _quote(report, mention, sentence, mentions)
        clause = _clause(report, mention, sentence)
        kind = _unit_kind(mention.unit)
        whys: list[str] = []
        entry: dict[str, Any] = {"id": "", "type": "", "quote": quote}
        if figure:
            entry["figure"] = figure
        best: dict[str, tuple[float, Term, str]] = {}
        for term in vocabulary:
            key = _kind(term)
            if not key:
                continue
            if key == "indicator" and term.id in uses and uses[term.id].unit != kind:
                continue  # one indicator, one kind of unit
            score, why = _match(term, clause)
            if not score and key == "area":
                score, why = _match(term, sentence.text)
                score /= 2
            if not score and key in ("indicator", "fund_type") and mention.unit == "CNY":
                # The sentence's subject often names what all its figures are ("the funds invested … amounted
                # to X, of which Y was …"): weaker than a match in the number's own clause.
                score, why = _match(term, report.text[sentence.start : mention.start])
                score, why = score / 2, why.replace("near the number", "before the number")
            if score and (key not in best or score > best[key][0]):
                best[key] = (score, term, why)
        by_fund_type = sorted(
            i for i, use in uses.items() if "fund_type" in best and best["fund_type"][1].id in use.fund_types
        )
        if "indicator" in best:
            indicator = best["indicator"][1].id
            whys.append(f"indicator: {best['indicator'][2]} ({best['indicator'][1].source})")
        elif by_fund_type and uses[by_fund_type[0]].unit == kind:
            indicator = by_fund_type[0]
            whys.append(f"indicator: the one the other reports give {best['fund_type'][1].id} figures")
        else:
            counted = mention.unit_word if mention.unit in ("COUNT", "HOUSEHOLD") else ""
            at = clause.find(mention.text)
            words = _slug(f"{counted} {clause[at + len(mention.text) :]}", 5)
            if words == "figure":  # nothing after the number: the words before it ("covers an area of X")
                words = "-".join(_slug(clause[:at], 20).split("-")[-4:])
            indicator = f"indicator/{words}"
            if uses.get(indicator, IndicatorUse(kind, "")).unit != kind or new_units.get(indicator, kind) != kind:
                indicator = f"{indicator}-{kind.lower().replace('_', '-')}"
            new_units[indicator] = kind
            if indicator in known:  # a report of the corpus named it so already: reuse it, never define it twice
                whys.append(f"indicator: {indicator} is what another report of the corpus calls these words")
            elif indicator not in new_indicators:
                new_indicators[indicator] = {
                    "id": indicator,
                    "type": "xjkg:Indicator",
                    "label": f"{TODO}name the indicator (words after the number: {clause.strip()!r})",
                    "proposed": "no indicator of the vocabularies matched the sentence: a new one, named after "
                    "the words that follow the number (move it to vocab/indicators.yaml to share it)",
                }
            if indicator not in known:
                whys.append("indicator: nothing in the vocabularies matched, a new indicator is proposed")
        entry["indicator"] = indicator
        entry["type"] = uses[indicator].type if indicator in uses else _figure_type(mention)
        if indicator in uses:
            whys.append(f"type: {entry['type']}, as the indicator's figures in the other reports")
        for key in ("fund_type", "beneficiary", "program", "designation"):
            if key in best and not (key == "fund_type" and entry["type"] != "FundAllocation"):
                entry[key] = best[key][1].id
                whys.append(f"{key.replace('_', ' ')}: {best[key][2]}")
        if entry["type"] == "BeneficiaryCount" and "beneficiary" not in entry:
            entry["beneficiary"] = f"{TODO}who is counted (a beneficiary group of vocab/beneficiary-groups.yaml)"
            whys.append("beneficiary: no beneficiary group of the vocabularies is named near the number")
        if "area" in best and best["area"][1].id != defaults.get("area"):
            entry["area"] = best["area"][1].id
            whys.append(f"area: {best['area'][2]}")
        else:
            whys.append("area: the report's default (no other place named in the sentence)")
        years = [
            m for m in mentions if m.unit == "YEAR" and sentence.start <= m.start < sentence.end
            and _year_exclusion(report, m)[0].startswith("a year: it names")
        ]  # fmt: skip
        end_of = years and re.search(r"\bend\s+of\s+$", report.text[max(0, years[0].start - 12) : years[0].start])
        period = f"period/{years[0].text}-12-31" if end_of else f"period/{years[0].text}" if years else None
        if period and period != defaults.get("period"):
            entry["period"] = period
            periods_used.add(period)
            whys.append(f"period: the sentence says {'the end of ' if end_of else ''}{years[0].text}")
        else:
            whys.append("period: the report's default")
        if mention.qualifier:
            whys.append(f"qualifier {mention.qualifier!r} (read by the build from the text)")
        split = re.search(r",?\s*(of which|including)\b", sentence.text)
        marker = sentence.start + split.start() if split else -1
        if split and mention.end <= marker and sentence.number not in totals:
            entry["exhaustive"] = split.group(1) == "of which"
            totals[sentence.number] = ("", mention.unit, marker)
            whys.append(f"total: {split.group(1)!r} follows it (exhaustive: {entry['exhaustive']})")
        elif sentence.number in totals and mention.start > totals[sentence.number][2]:
            total_id, unit, _ = totals[sentence.number]
            if unit == mention.unit and total_id:
                entry["component_of"] = total_id
                whys.append(f"part of {total_id}: it follows the total's “of which”/“including” in the same unit")
        # "<section>/<what>": the section's leading words, then the fund type or else the indicator.
        what = str(entry.get("fund_type") or indicator).split("/", 1)[-1]
        base = f"{_section_slug(section)}/{what}"[:70]
        fid, n = base, 2
        while fid in used_ids:
            fid, n = f"{base}-{n}", n + 1
        used_ids.add(fid)
        entry["id"] = fid
        if sentence.number in totals and not totals[sentence.number][0] and "exhaustive" in entry:
            totals[sentence.number] = (fid, mention.unit, totals[sentence.number][2])
        entry["proposed"] = "; ".join(whys)
        draft.add(file, section, comments, entry)
    for proposed_indicator in new_indicators.values():
        draft.add("indicators.yaml", "", [], proposed_indicator)
    for period in sorted(periods_used - known):
        year = re.fullmatch(r"period/((?:19|20)\d\d)(?:-12-31)?", period)
        if year:
            for entity in _period_entities(year.group(1)):
                if entity["id"] not in known:
                    known.add(entity["id"])
                    why = f"the report speaks of {year.group(1)}, which no vocabulary defines yet (move to vocab/)"
                    draft.add("periods.yaml", "", [], {**entity, "proposed": why})
    return draft


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


def _dump(draft: Draft, file: str) -> str:
    kinds = {"entities": [], "figures": [], "exclusions": []}  # type: dict[str, list[str]]
    for section, comments, entry in draft.files[file]:
        kind = "exclusions" if "reason" in entry else "figures" if "quote" in entry else "entities"
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=10_000, default_style=None)
        lines = [f"  # {c}" for c in comments] + ["  " + line for line in text.rstrip("\n").split("\n")]
        kinds[kind].append("\n".join(lines))
        del section
    header = (
        "# DRAFT written by `xjkg report new`: every entry with `proposed:` is a proposal (the build refuses it).\n"
        '# Review: correct what is wrong, fill every "TODO: …", then delete the `proposed:` line to accept.\n'
    )
    body = "\n\n".join(f"{kind}:\n" + "\n\n".join(items) for kind, items in kinds.items() if items)
    return header + "\n" + body + "\n"


def _infer_settings(text: str, args: argparse.Namespace, vocabulary: list[Term], ask: bool) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines()]
    footer_start = len(lines)
    while footer_start > 1 and lines[footer_start - 1] and not re.search(r"[A-Za-z]{3}", lines[footer_start - 1]):
        footer_start -= 1  # the publisher's web-page footer: trailing lines with no English words
    footer = [line for line in lines[footer_start:] if line]
    marker = footer[0] if footer and text.count(footer[0]) == 1 else None
    years = Counter(re.findall(r"\b[Ii]n ((?:19|20)\d\d)\b", "\n".join(lines[:footer_start])))

    def value(given: str | None, guess: str | None, what: str) -> str:
        if given:
            return given
        if ask:
            answer = input(f"{what}{f' [{guess}]' if guess else ''}: ").strip()
            if answer or guess:
                return answer or str(guess)
        return guess or f"{TODO}{what}"

    title = lines[0] if lines and lines[0] else None
    region = next((t.id for t in vocabulary if t.id.startswith("region/") and any(n in text for n in t.names)), None)
    publisher = next(
        (
            t.id
            for t in vocabulary
            if t.id.startswith("org/") and any(len(n) > 3 and n in "".join(footer) for n in t.names)
        ),
        None,
    )
    rights = next((line for line in footer if "©" in line or "版权" in line or "copyright" in line.lower()), None)
    period = f"period/{years.most_common(1)[0][0]}" if years else None
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
        raise XjkgError(f"--id {report_id!r}: use lower-case letters, digits and hyphens (e.g. xinjiang-2010)")
    try:
        raw = text_file.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise XjkgError(f"{text_file}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise XjkgError(f"{text_file}: not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise XjkgError(f"{text_file}: the report is empty")
    reports = corpus / "reports"
    target = reports / report_id
    if target.exists():
        raise XjkgError(f"{target}: a report folder with this id exists already; it is never overwritten")
    vocabulary = load_vocabulary(corpus) if vocabulary is None else vocabulary
    args.text = str(text_file)
    settings = _infer_settings(text, args, vocabulary, ask)
    settings["source"]["sha256"] = hashlib.sha256(raw).hexdigest()
    reports.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{report_id}.", dir=reports))
    try:
        copy = work / text_file.name
        shutil.copyfile(text_file, copy)
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
        if target.exists():  # created meanwhile by someone else: leave it alone
            raise XjkgError(f"{target}: a report folder with this id exists already; it is never overwritten")
        os.rename(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work)
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
    mentions = [m for m in extract(report.text, 0, report.body_end) if m.is_quantity]
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
                inside = [m for m in mentions if span.start <= m.start and m.end <= span.end]
                if kind != "exclusions":
                    inside = [_claimed(mentions, span, report, entry.get("figure"), where)]
                accounted.update(m.start for m in inside)
    meta = settings.get("report", {})
    periods = meta.get("period", [])
    return ReportStatus(
        id=folder.name,
        title=str(meta.get("title", "")),
        period=", ".join(periods) if isinstance(periods, list) else str(periods),
        numbers=len(mentions),
        accounted=len(accounted),
        proposals=proposals,
        todos=todos,
    )


def list_reports(corpus: Path) -> list[ReportStatus]:
    """Every report folder of the corpus (``reports/*/report.yaml``), sorted by id."""
    return [report_status(p.parent) for p in sorted((corpus / "reports").glob("*/report.yaml"))]


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
