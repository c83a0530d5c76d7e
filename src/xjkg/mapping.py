"""The declarative mapping (``data/mapping/*.yaml``): what each quantity of the report means.

Every entry refers to the report by a quote, never by offsets or by a retyped value. This module
reads and checks the entries (unknown keys, missing fields, bad references) and resolves each quote
to its one place in the text and to the quantity mention it claims. Messages name the file, the line
and the entry, so a reviewer can fix the mapping without reading Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import XjkgError
from .extract import Mention, extract
from .source import Report, load_report

__all__ = [
    "Entry",
    "Exclusion",
    "MappedFigure",
    "Mapping",
    "Resolved",
    "load_mapping",
    "resolve",
]

ENTITY_KEYS = {
    "id", "type", "label", "label_zh", "alt_labels", "comment", "quote", "quotes", "figure", "reference",
    "code", "part_of", "scheme", "broader", "same_as", "close_match", "links", "texts", "data",
}  # fmt: skip
FIGURE_KEYS = {
    "id", "type", "quote", "figure", "indicator", "area", "period", "program", "fund_type", "funder",
    "recipient", "purpose", "beneficiary", "designation", "component_of", "exhaustive", "share_of",
    "restates", "note",
}  # fmt: skip
DERIVED_KEYS = {"id", "formula", "inputs", "indicator", "unit", "derived_for", "decimals", "note", "label"}
EXCLUSION_KEYS = {"quote", "reason"}
FORMULAS = {"ratio": "a / b", "share": "a / b * 100", "sum": "a + b + …"}


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping (for messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Where:
    """Where an entry is written: for messages."""

    file: Path
    line: int
    entry: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: entry {self.entry!r}"


@dataclass(frozen=True)
class Entry:
    """One entry of the mapping (an entity, a figure or a derived figure): its id, fields as written, place."""

    id: str
    fields: dict[str, Any]
    where: Where


@dataclass(frozen=True)
class Exclusion:
    quote: str
    reason: str
    where: Where


@dataclass
class Mapping:
    """All mapping entries, plus the report settings from ``report.yaml``."""

    settings: dict[str, Any]
    entities: list[Entry] = field(default_factory=list)
    figures: list[Entry] = field(default_factory=list)
    derived: list[Entry] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """A resolved quote: its offsets in the report."""

    start: int
    end: int


@dataclass(frozen=True)
class MappedFigure:
    figure: Entry
    quote: Span
    mention: Mention


@dataclass
class Resolved:
    """The mapping tied to the text: each quote located, each figure's mention found, coverage known."""

    report: Report
    mapping: Mapping
    mentions: list[Mention]
    figures: dict[str, MappedFigure]
    entity_spans: dict[str, list[Span]]
    entity_mentions: dict[str, list[Mention]]
    excluded: list[tuple[Mention, Exclusion]]

    def coverage(self) -> list[tuple[Mention, str, str]]:
        """(mention, status, what): status is ``figure``, ``entity``, ``excluded`` or ``enumerator``."""
        became: dict[int, tuple[str, str]] = {}
        for fid, mapped in self.figures.items():
            became[mapped.mention.start] = ("figure", fid)
        for eid, mentions in self.entity_mentions.items():
            for mention in mentions:
                became[mention.start] = ("entity", eid)
        for mention, exclusion in self.excluded:
            became.setdefault(mention.start, ("excluded", exclusion.reason))
        rows = []
        for mention in self.mentions:
            if not mention.is_quantity:
                rows.append((mention, "enumerator", "a list item number, not a quantity"))
            else:
                status, what = became.get(mention.start, ("unmapped", ""))
                rows.append((mention, status, what))
        return rows


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise XjkgError(f"{path}{line}: not valid YAML: {exc.problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise XjkgError(f"{path}: cannot read: {exc}") from None


def _entries(path: Path, raw: Any, section: str, keys: set[str], required: set[str]) -> list[tuple[dict, Where]]:
    items = raw.get(section, []) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise XjkgError(f"{path}: '{section}' must be a list of entries")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise XjkgError(f"{path}: every entry of '{section}' must be a mapping, got {item!r}")
        line = item.pop("__line__", 0)
        where = Where(path, line, str(item.get("id") or item.get("quote", "?"))[:60])
        unknown = set(item) - keys
        if unknown:
            raise XjkgError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(keys))}")
        missing = required - set(item)
        if missing:
            raise XjkgError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
        out.append((_strip_lines(item), where))
    return out


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_mapping(folder: Path) -> Mapping:
    """Read ``report.yaml`` and every other ``*.yaml`` under ``folder`` (sorted, so the build is deterministic)."""
    settings_file = folder / "report.yaml"
    if not settings_file.is_file():
        raise XjkgError(f"{settings_file}: the mapping has no report.yaml")
    settings = _strip_lines(_read_yaml(settings_file))
    mapping = Mapping(settings=settings)
    for path in sorted(folder.rglob("*.yaml")):
        if path == settings_file:
            continue
        raw = _read_yaml(path)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise XjkgError(f"{path}: expected sections (entities, figures, derived, exclusions)")
        unknown = set(raw) - {"entities", "figures", "derived", "exclusions", "__line__"}
        if unknown:
            raise XjkgError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
        for item, where in _entries(path, raw, "entities", ENTITY_KEYS, {"id", "type", "label"}):
            mapping.entities.append(Entry(item["id"], item, where))
        for item, where in _entries(path, raw, "figures", FIGURE_KEYS, {"id", "type", "quote", "indicator"}):
            mapping.figures.append(Entry(item["id"], item, where))
        for item, where in _entries(path, raw, "derived", DERIVED_KEYS, {"id", "formula", "inputs", "indicator"}):
            if item["formula"] not in FORMULAS:
                raise XjkgError(f"{where}: formula must be one of {', '.join(FORMULAS)}")
            mapping.derived.append(Entry(item["id"], item, where))
        for item, where in _entries(path, raw, "exclusions", EXCLUSION_KEYS, {"quote", "reason"}):
            mapping.exclusions.append(Exclusion(item["quote"], item["reason"], where))
    seen: dict[str, Where] = {}
    for entry in [*mapping.entities, *mapping.figures, *mapping.derived]:
        if entry.id in seen:
            raise XjkgError(f"{entry.where}: id {entry.id!r} is used again (first at {seen[entry.id]})")
        seen[entry.id] = entry.where
    return mapping


def locate(report: Report, quote: str, where: Where, *, body_only: bool = True) -> Span:
    """The one place ``quote`` stands in the report; an error if it is absent or stands more than once."""
    haystack = report.body if body_only else report.text
    count = haystack.count(quote)
    if not quote or count == 0:
        raise XjkgError(f"{where}: quote not found in the report: {quote!r}")
    if count > 1:
        raise XjkgError(f"{where}: quote stands {count} times in the report, make it longer: {quote!r}")
    start = haystack.index(quote)
    return Span(start, start + len(quote))


def _mentions_in(mentions: list[Mention], span: Span) -> list[Mention]:
    return [m for m in mentions if m.is_quantity and span.start <= m.start and m.end <= span.end]


def _claimed(mentions: list[Mention], span: Span, report: Report, figure: str | None, where: Where) -> Mention:
    inside = _mentions_in(mentions, span)
    if figure is not None:
        quote_text = report.text[span.start : span.end]
        if quote_text.count(figure) != 1:
            raise XjkgError(f"{where}: figure {figure!r} must stand exactly once in the quote {quote_text!r}")
        at = span.start + quote_text.index(figure)
        inside = [m for m in inside if at <= m.start and m.end <= at + len(figure)]
    if len(inside) != 1:
        found = ", ".join(repr(m.text) for m in inside) or "none"
        raise XjkgError(f"{where}: the quote must contain exactly one quantity (name it with 'figure:'), found {found}")
    return inside[0]


def resolve(mapping: Mapping, folder: Path) -> Resolved:
    """Read the report named by the mapping, check its checksum, and tie every entry to the text."""
    source = mapping.settings.get("source", {})
    report = load_report(
        folder.parent / "source" / source["file"],
        expected_sha256=source["sha256"],
        footer_marker=source.get("body_ends_before"),
    )
    mentions = extract(report.text, 0, report.body_end)
    figures: dict[str, MappedFigure] = {}
    owner: dict[int, str] = {}

    def claim(mention: Mention, what: str, where: Where) -> None:
        if mention.start in owner:
            raise XjkgError(f"{where}: the quantity {mention.text!r} is already mapped by {owner[mention.start]}")
        owner[mention.start] = what

    for fig in mapping.figures:
        span = locate(report, fig.fields["quote"], fig.where)
        mention = _claimed(mentions, span, report, fig.fields.get("figure"), fig.where)
        claim(mention, f"figure {fig.id!r}", fig.where)
        figures[fig.id] = MappedFigure(fig, span, mention)
    entity_spans: dict[str, list[Span]] = {}
    entity_mentions: dict[str, list[Mention]] = {}
    for ent in mapping.entities:
        quotes = ent.fields.get("quotes") or ([ent.fields["quote"]] if "quote" in ent.fields else [])
        spans = [locate(report, q, ent.where, body_only=False) for q in quotes]  # the publisher is named in the footer
        entity_spans[ent.id] = spans
        if "figure" in ent.fields:
            mention = _claimed(mentions, spans[0], report, ent.fields["figure"], ent.where)
            claim(mention, f"entity {ent.id!r}", ent.where)
            entity_mentions[ent.id] = [mention]
    excluded: list[tuple[Mention, Exclusion]] = []
    for exclusion in mapping.exclusions:
        span = locate(report, exclusion.quote, exclusion.where)
        inside = _mentions_in(mentions, span)
        if not inside:
            raise XjkgError(f"{exclusion.where}: the excluded quote holds no quantity: {exclusion.quote!r}")
        for mention in inside:
            claim(mention, f"exclusion {exclusion.quote!r}", exclusion.where)
            excluded.append((mention, exclusion))
    return Resolved(report, mapping, mentions, figures, entity_spans, entity_mentions, excluded)
