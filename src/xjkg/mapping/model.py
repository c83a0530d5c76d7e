"""The declarative mapping of a report (``<corpus>/reports/<id>/mapping/*.yaml``) and the shared vocabularies.

Every entry refers to the report by a quote, never by offsets or by a retyped value. This module reads
every entry once, checks it (unknown keys, missing fields, types, proposals still to review) into a typed
model (:class:`Entity`, :class:`Figure`, :class:`Derived`, :class:`Exclusion`) that the build consumes, and
resolves each quote to its one place in the text and to the quantity mention it claims. Messages name
the file, the line and the entry, so a reviewer can fix the mapping without reading Python.

An entry that carries ``proposed: "<why>"`` (written by ``xjkg report new``), or any value ``"TODO: …"``,
is not reviewed yet: a build refuses it; a draft build (``xjkg build --draft``) takes the proposals and
leaves out the entries with a TODO.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from xjkg.core.errors import XjkgError
from xjkg.core.textfiles import shown
from xjkg.mapping.corpus import ReportInfo
from xjkg.mapping.yamlfiles import read_yaml, strip_lines
from xjkg.text.extract import Mention, extract
from xjkg.text.source import Report, load_report

__all__ = [
    "Derived",
    "Entity",
    "Exclusion",
    "Figure",
    "MappedFigure",
    "Mapping",
    "Resolved",
    "ReviewError",
    "Unit",
    "Vocabulary",
    "check_id",
    "collect",
    "load_mapping",
    "load_vocabulary",
    "read_yaml",
    "resolve",
    "strip_lines",
]

FORMULAS = {"ratio": "a / b", "share": "a / b * 100", "sum": "a + b + …"}
FIGURE_TYPES = {"FundAllocation", "BeneficiaryCount", "OutputCount", "Share", "StatisticalFigure"}


#: An id: words of letters, digits, "_", "-", "." and "~" between "/" ("county/luopu"), none starting with "."
#: (so no "." or ".." segment: an id never climbs into another report's IRIs), nothing an IRI must escape.
ID_FORM = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9_.~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*")
ID_MAX = 200


def check_id(value: str, where: object, what: str = "id") -> str:
    """``value`` if it can be minted into an IRI as it is (:data:`ID_FORM`); otherwise an error naming ``where``.

    >>> check_id("county/luopu", "x.yaml:3")
    'county/luopu'
    >>> check_id("../other/x", "x.yaml:3")
    Traceback (most recent call last):
    xjkg.core.errors.XjkgError: x.yaml:3: id '../other/x': use letters, digits, '_', '-', '.' and '~' between '/' ...
    """
    if len(value) > ID_MAX or not ID_FORM.fullmatch(value):
        raise XjkgError(
            f"{where}: {what} {shown(value)}: use letters, digits, '_', '-', '.' and '~' between '/' (no part "
            f"starting with '.', at most {ID_MAX} characters)"
        )
    return value


class ReviewError(XjkgError):
    """Every problem found in the mapping, each one line naming file, line, entry, field and what to do.

    The build collects them all (a reviewer fixes them in one pass, not one per run) and raises this once.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else ""
        super().__init__(
            f"{len(self.problems)} problem(s) in the mapping, each with its file, line and entry "
            f"(`xjkg build` lists them all); the first: {first}"
        )


def collect(problems: list[str], action: Any, *args: Any, **kwargs: Any) -> Any:
    """``action(*args)``, or None with its error appended to ``problems`` (the entry is left out)."""
    try:
        return action(*args, **kwargs)
    except ReviewError as exc:
        problems.extend(exc.problems)
    except XjkgError as exc:
        problems.append(exc.message)
    return None


@dataclass(frozen=True)
class Where:
    """Where an entry is written: for messages."""

    file: Path
    line: int
    entry: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: entry {self.entry!r}"


class _Fields:
    """Typed reads of an entry's fields, each failing with the entry's place."""

    def __init__(self, item: dict[str, Any], where: Where) -> None:
        self.item, self.where = item, where

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.item.get(key, default)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # codes and years written without quotes
        raise XjkgError(f"{self.where}: {key} must be text, got {value!r}")

    def req(self, key: str) -> str:
        value = self.text(key)
        if not value:
            raise XjkgError(f"{self.where}: {key} must not be empty")
        return value

    def ident(self, key: str) -> str:
        return check_id(self.req(key), self.where, key)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.item.get(key)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise XjkgError(f"{self.where}: {key} must be text or a list of texts, got {value!r}")
        return tuple(values)

    def flag(self, key: str) -> bool | None:
        value = self.item.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise XjkgError(f"{self.where}: {key} must be true or false, got {value!r}")

    def table(self, key: str) -> dict[str, tuple[str, ...]]:
        value = self.item.get(key) or {}
        if not isinstance(value, dict):
            raise XjkgError(f"{self.where}: {key} must map predicates to values, got {value!r}")
        out = {}
        for predicate, values in value.items():
            listed = values if isinstance(values, list) else [values]
            if not all(isinstance(v, str | bool) for v in listed):
                raise XjkgError(f"{self.where}: {key}.{predicate} must be text or a list of texts")
            out[str(predicate)] = tuple(listed)
        return out


@dataclass(frozen=True)
class Entity:
    """A thing: a place, organisation, program, concept, period… (``entities:``).

    A report's entry with only ``id`` and ``quote``/``quotes`` (and ``figure``) is a *citation* of a thing the
    vocabularies define (``cites_only``): where this report names it.
    """

    id: str
    where: Where
    types: tuple[str, ...] = ()
    label: str = ""
    label_zh: str | None = None
    alt_labels: tuple[str, ...] = ()
    comment: str | None = None
    quotes: tuple[str, ...] = ()
    figure: str | None = None
    reference: str | None = None
    code: str | None = None
    part_of: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    close_match: tuple[str, ...] = ()
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    data: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    proposed: str | None = None

    @property
    def cites_only(self) -> bool:
        return not self.types


@dataclass(frozen=True)
class Figure:
    """A number the report states (``figures:``)."""

    id: str
    where: Where
    type: str
    quote: str
    indicator: str
    figure: str | None = None
    area: str | None = None
    period: str | None = None
    program: tuple[str, ...] = ()
    fund_type: tuple[str, ...] = ()
    funder: tuple[str, ...] = ()
    purpose: str | None = None
    beneficiary: tuple[str, ...] = ()
    designation: tuple[str, ...] = ()
    component_of: str | None = None
    exhaustive: bool | None = None
    share_of: tuple[str, str] | None = None
    restates: str | None = None
    comparable_with: tuple[str, ...] = ()
    note: str | None = None
    #: Why the figure's area lies outside the report's region (else xsh:AreaInRegionShape warns).
    outside_region: str | None = None
    proposed: str | None = None


@dataclass(frozen=True)
class Derived:
    """A value computed from reported figures (``derived:``)."""

    id: str
    where: Where
    formula: str
    inputs: tuple[str, ...]
    indicator: str
    unit: str | None = None
    derived_for: str | None = None
    decimals: int = 2
    label: str | None = None
    note: str | None = None
    proposed: str | None = None


@dataclass(frozen=True)
class Exclusion:
    """Numbers inside ``quote`` that are not quantities (``exclusions:``), with the reason."""

    quote: str
    reason: str
    where: Where
    proposed: str | None = None


@dataclass(frozen=True)
class Unit:
    """How the extractor's unit ``code`` is written in the graph (``vocab/units.yaml``): IRI and datatype CURIEs."""

    code: str
    iri: str
    datatype: str
    label: str
    where: Where


def _keys(model: type, renamed: dict[str, set[str]] | None = None) -> frozenset[str]:
    """The keys an entry may have: the fields of its model (``where`` is ours, not the file's), a few written
    under another name; so a key the model has no field for (it would be read and dropped) is refused."""
    keys: set[str] = set()
    for f in fields(model):
        if f.name != "where":
            keys |= (renamed or {}).get(f.name, {f.name})
    return frozenset(keys)


ENTITY_KEYS = _keys(Entity, {"types": {"type"}, "quotes": {"quote", "quotes"}})
#: An entry of a report that only says where the report names a thing of the vocabularies.
CITATION_KEYS = frozenset({"id", "quote", "quotes", "figure", "proposed"})
FIGURE_KEYS = _keys(Figure)
DERIVED_KEYS = _keys(Derived)
EXCLUSION_KEYS = _keys(Exclusion)
UNIT_KEYS = _keys(Unit)


@dataclass
class Vocabulary:
    """The shared vocabularies: entities by id, in file order, and the units by extractor code."""

    entities: dict[str, Entity] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    #: Entries left out because they are wrong (one line each: file, line, entry, what to do).
    problems: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    """One report's mapping entries and its ``report.yaml``."""

    report: ReportInfo
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    #: Entries left out of a draft build because a value is still "TODO: …" (their place, and why).
    skipped: list[tuple[Where, str]] = field(default_factory=list)
    #: Entries left out because they are wrong (one line each: file, line, entry, what to do).
    problems: list[str] = field(default_factory=list)

    @property
    def proposals(self) -> list[Entity | Figure | Derived | Exclusion]:
        items: list[Entity | Figure | Derived | Exclusion] = [*self.entities, *self.figures, *self.derived]
        return [e for e in [*items, *self.exclusions] if e.proposed is not None]


@dataclass(frozen=True)
class Span:
    """A resolved quote: its offsets in the report."""

    start: int
    end: int


@dataclass(frozen=True)
class MappedFigure:
    figure: Figure
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
    #: Entries whose quote could not be tied to the text (left out; one line each).
    problems: list[str] = field(default_factory=list)

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


def _todo(value: Any) -> str | None:
    """The first "TODO: …" value inside ``value``, if any."""
    if isinstance(value, str):
        return value if value.strip().upper().startswith("TODO") else None
    if isinstance(value, dict):
        return next((t for v in value.values() if (t := _todo(v))), None)
    if isinstance(value, list):
        return next((t for v in value if (t := _todo(v))), None)
    return None


class _Reader:
    """Reads entries of one file, refusing proposals unless drafting; a wrong entry is a problem, left out."""

    def __init__(self, draft: bool, skipped: list[tuple[Where, str]], problems: list[str]) -> None:
        self.draft, self.skipped, self.problems = draft, skipped, problems

    def entries(self, path: Path, raw: Any, section: str, keys: frozenset[str]) -> list[tuple[dict[str, Any], Where]]:
        items = raw.get(section, []) if isinstance(raw, dict) else None
        if items is None:
            items = []
        if not isinstance(items, list):
            raise XjkgError(f"{path}: '{section}' must be a list of entries")
        out = []
        for item in items:
            entry = collect(self.problems, self._entry, path, item, section, keys)
            if entry is not None:
                out.append(entry)
        return out

    def _entry(self, path: Path, item: Any, section: str, keys: set[str]) -> tuple[dict[str, Any], Where] | None:
        if not isinstance(item, dict):
            raise XjkgError(f"{path}: every entry of '{section}' must be a mapping, got {item!r}")
        line = item.pop("__line__", 0)
        where = Where(path, line, str(item.get("id") or item.get("code") or item.get("quote", "?"))[:60])
        item = strip_lines(item)
        unknown = set(item) - keys
        if unknown:
            raise XjkgError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(keys))}")
        todo_key = next((k for k, v in item.items() if k != "proposed" and _todo(v)), None)
        todo = None if todo_key is None else _todo(item[todo_key])
        if "proposed" in item and not self.draft:
            raise XjkgError(
                f"{where}: is a proposal still to review (proposed: {item['proposed']!r}); check it against the "
                "report, remove `proposed:`, and build again (or build a draft graph with `xjkg build --draft`)"
                + (f"; {todo_key} is still to be filled in: {todo!r}" if todo is not None else "")
            )
        if todo is not None:
            if not self.draft:
                raise XjkgError(f"{where}: {todo_key}: a value is still to be filled in: {todo!r}")
            self.skipped.append((where, f"{todo_key}: {todo}"))
            return None
        return item, where


def _entity(item: dict[str, Any], where: Where, *, citation_allowed: bool) -> Entity:
    f = _Fields(item, where)
    if "type" not in item or "label" not in item:
        extra = set(item) - CITATION_KEYS
        if not citation_allowed or extra or not ({"quote", "quotes"} & set(item)):
            raise XjkgError(
                f"{where}: missing key(s) {', '.join(sorted({'type', 'label'} - set(item)))}"
                + (
                    " (an entry citing a thing of the vocabularies has only id, quote(s) and figure)"
                    if citation_allowed
                    else ""
                )
            )
    quotes = f.texts("quotes") or f.texts("quote")
    if "quote" in item and "quotes" in item:
        raise XjkgError(f"{where}: give quote or quotes, not both")
    return Entity(
        id=f.ident("id"),
        where=where,
        types=f.texts("type"),
        label=f.text("label") or "",
        label_zh=f.text("label_zh"),
        alt_labels=f.texts("alt_labels"),
        comment=f.text("comment"),
        quotes=quotes,
        figure=f.text("figure"),
        reference=f.text("reference"),
        code=f.text("code"),
        part_of=f.texts("part_of"),
        broader=f.texts("broader"),
        same_as=f.texts("same_as"),
        close_match=f.texts("close_match"),
        links=f.table("links"),
        texts=f.table("texts"),
        data=f.table("data"),
        proposed=f.text("proposed"),
    )


def _figure(item: dict[str, Any], where: Where) -> Figure:
    f = _Fields(item, where)
    for key in ("id", "type", "quote", "indicator"):
        if key not in item:
            raise XjkgError(f"{where}: missing key(s) {key}")
    kind = f.req("type")
    if kind not in FIGURE_TYPES:
        raise XjkgError(f"{where}: type must be one of {', '.join(sorted(FIGURE_TYPES))}, got {kind!r}")
    share = item.get("share_of")
    if share is not None and not (isinstance(share, dict) and set(share) == {"part", "whole"}):
        raise XjkgError(f"{where}: share_of must be {{part: <figure>, whole: <figure>}}")
    return Figure(
        id=f.ident("id"),
        where=where,
        type=kind,
        quote=f.req("quote"),
        indicator=f.req("indicator"),
        figure=f.text("figure"),
        area=f.text("area"),
        period=f.text("period"),
        program=f.texts("program"),
        fund_type=f.texts("fund_type"),
        funder=f.texts("funder"),
        purpose=f.text("purpose"),
        beneficiary=f.texts("beneficiary"),
        designation=f.texts("designation"),
        component_of=f.text("component_of"),
        exhaustive=f.flag("exhaustive"),
        share_of=(str(share["part"]), str(share["whole"])) if share else None,
        restates=f.text("restates"),
        comparable_with=f.texts("comparable_with"),
        note=f.text("note"),
        outside_region=f.text("outside_region"),
        proposed=f.text("proposed"),
    )


def _derived(item: dict[str, Any], where: Where) -> Derived:
    f = _Fields(item, where)
    for key in ("id", "formula", "inputs", "indicator"):
        if key not in item:
            raise XjkgError(f"{where}: missing key(s) {key}")
    if item["formula"] not in FORMULAS:
        raise XjkgError(f"{where}: formula must be one of {', '.join(FORMULAS)}")
    decimals = item.get("decimals", 2)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
        raise XjkgError(f"{where}: decimals must be a whole number from 0 to 12")
    return Derived(
        id=f.ident("id"),
        where=where,
        formula=f.req("formula"),
        inputs=f.texts("inputs"),
        indicator=f.req("indicator"),
        unit=f.text("unit"),
        derived_for=f.text("derived_for"),
        decimals=decimals,
        label=f.text("label"),
        note=f.text("note"),
        proposed=f.text("proposed"),
    )


def _sections(path: Path, allowed: set[str]) -> Any:
    raw = read_yaml(path)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise XjkgError(f"{path}: expected sections ({', '.join(sorted(allowed))})")
    unknown = set(raw) - allowed - {"__line__"}
    if unknown:
        raise XjkgError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    return raw


def load_vocabulary(files: list[Path]) -> Vocabulary:
    """The shared vocabularies (``vocab/*.yaml``: ``entities:`` only, full definitions, no proposals).

    >>> from xjkg.mapping.corpus import open_corpus
    >>> vocab = load_vocabulary(open_corpus().vocab_files)
    >>> vocab.entities["county/luopu"].code
    '653224'
    """
    vocab = Vocabulary()
    reader = _Reader(False, [], vocab.problems)

    def unit_of(item: dict[str, Any], where: Where) -> None:
        f = _Fields(item, where)
        unit = Unit(f.req("code"), f.req("iri"), f.req("datatype"), f.req("label"), where)
        if unit.code in vocab.units:
            raise XjkgError(f"{where}: unit {unit.code!r} is defined again (first at {vocab.units[unit.code].where})")
        vocab.units[unit.code] = unit

    def entity_of(item: dict[str, Any], where: Where) -> None:
        entity = _entity(item, where, citation_allowed=False)
        if entity.quotes or entity.figure:
            raise XjkgError(f"{where}: a vocabulary entry quotes no report; cite it from the report's mapping")
        if entity.id in vocab.entities:
            raise XjkgError(f"{where}: id {entity.id!r} is defined again (first at {vocab.entities[entity.id].where})")
        vocab.entities[entity.id] = entity

    for path in files:
        raw = collect(vocab.problems, _sections, path, {"entities", "units"})
        if raw is None:
            continue
        for item, where in reader.entries(path, raw, "units", UNIT_KEYS):
            collect(vocab.problems, unit_of, item, where)
        for item, where in reader.entries(path, raw, "entities", ENTITY_KEYS):
            collect(vocab.problems, entity_of, item, where)
    return vocab


def load_mapping(report: ReportInfo, *, draft: bool = False) -> Mapping:
    """Read every ``*.yaml`` under the report's ``mapping/`` (sorted, so the build is deterministic).

    With ``draft`` the proposals are taken and entries with a "TODO: …" value are left out
    (:attr:`Mapping.skipped`); without it either is a problem naming file, line and entry. A wrong entry is
    left out too, and named in :attr:`Mapping.problems` (every one, not the first only).
    """
    folder = report.mapping_dir
    if not folder.is_dir():
        raise XjkgError(f"{folder}: the report has no mapping/ folder")
    mapping = Mapping(report=report)
    problems = mapping.problems
    reader = _Reader(draft, mapping.skipped, problems)

    def exclusion(item: dict[str, Any], where: Where) -> Exclusion:
        f = _Fields(item, where)
        return Exclusion(f.req("quote"), f.req("reason"), where, f.text("proposed"))

    for path in sorted(folder.rglob("*.yaml")):
        raw = collect(problems, _sections, path, {"entities", "figures", "derived", "exclusions"})
        if raw is None:
            continue
        for item, where in reader.entries(path, raw, "entities", ENTITY_KEYS):
            mapping.entities.append(collect(problems, _entity, item, where, citation_allowed=True))
        for item, where in reader.entries(path, raw, "figures", FIGURE_KEYS):
            mapping.figures.append(collect(problems, _figure, item, where))
        for item, where in reader.entries(path, raw, "derived", DERIVED_KEYS):
            mapping.derived.append(collect(problems, _derived, item, where))
        for item, where in reader.entries(path, raw, "exclusions", EXCLUSION_KEYS):
            mapping.exclusions.append(collect(problems, exclusion, item, where))
    mapping.entities = [e for e in mapping.entities if e is not None]
    mapping.figures = [e for e in mapping.figures if e is not None]
    mapping.derived = [e for e in mapping.derived if e is not None]
    mapping.exclusions = [e for e in mapping.exclusions if e is not None]
    seen: dict[str, Where] = {}
    kept: set[int] = set()
    entries: list[Entity | Figure | Derived] = [*mapping.entities, *mapping.figures, *mapping.derived]
    for entry in entries:
        if entry.id in seen:
            problems.append(f"{entry.where}: id {entry.id!r} is used again (first at {seen[entry.id]}): rename one")
            continue
        seen[entry.id] = entry.where
        kept.add(id(entry))
    mapping.entities = [e for e in mapping.entities if id(e) in kept]
    mapping.figures = [e for e in mapping.figures if id(e) in kept]
    mapping.derived = [e for e in mapping.derived if id(e) in kept]
    return mapping


def locate(report: Report, quote: str, where: Where, *, body_only: bool = True) -> Span:
    """The one place ``quote`` stands in the report; an error if it is absent or stands more than once."""
    haystack = report.body if body_only else report.text
    # Through the index of the text's words: a scan of the text for every quote made drafting quadratic.
    found = (report.body_words if body_only else report.text_words).places(quote) if quote else []
    if not found:
        raise XjkgError(f"{where}: quote not found in the report: {quote!r} (copy it from the text as it stands)")
    if len(found) > 1:
        count = haystack.count(quote)  # the message says how often
        raise XjkgError(f"{where}: quote stands {count} times in the report, make it longer: {quote!r}")
    start = found[0]
    return Span(start, start + len(quote))


def _mentions_in(mentions: list[Mention], span: Span) -> list[Mention]:
    """The quantities inside ``span``; ``mentions`` are in text order (a binary search, not a scan)."""
    found = []
    for m in mentions[bisect.bisect_left(mentions, span.start, key=lambda m: m.start) :]:
        if m.start >= span.end:
            break
        if m.is_quantity and m.end <= span.end:
            found.append(m)
    return found


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


def resolve(mapping: Mapping) -> Resolved:
    """Read the mapping's report, check its checksum, and tie every entry to the text."""
    info = mapping.report
    report = load_report(info.source_file, expected_sha256=info.sha256, footer_marker=info.body_ends_before)
    mentions = extract(report.text, 0, report.body_end)
    figures: dict[str, MappedFigure] = {}
    owner: dict[int, str] = {}

    def claim(mention: Mention, what: str, where: Where) -> None:
        if mention.start in owner:
            raise XjkgError(f"{where}: the quantity {mention.text!r} is already mapped by {owner[mention.start]}")
        owner[mention.start] = what

    problems: list[str] = []

    def tie_figure(fig: Figure) -> None:
        span = locate(report, fig.quote, fig.where)
        mention = _claimed(mentions, span, report, fig.figure, fig.where)
        claim(mention, f"figure {fig.id!r}", fig.where)
        figures[fig.id] = MappedFigure(fig, span, mention)

    def tie_entity(ent: Entity) -> None:
        spans = [locate(report, q, ent.where, body_only=False) for q in ent.quotes]  # the publisher is in the footer
        if ent.figure is not None:
            if not spans:
                raise XjkgError(f"{ent.where}: 'figure' names a number inside the quote: give a quote")
            mention = _claimed(mentions, spans[0], report, ent.figure, ent.where)
            claim(mention, f"entity {ent.id!r}", ent.where)
            entity_mentions[ent.id] = [mention]
        entity_spans[ent.id] = spans

    def tie_exclusion(exclusion: Exclusion) -> None:
        span = locate(report, exclusion.quote, exclusion.where)
        inside = _mentions_in(mentions, span)
        if not inside:
            raise XjkgError(f"{exclusion.where}: the excluded quote holds no quantity: {exclusion.quote!r}")
        for mention in inside:
            claim(mention, f"exclusion {exclusion.quote!r}", exclusion.where)
            excluded.append((mention, exclusion))

    for fig in mapping.figures:
        collect(problems, tie_figure, fig)
    entity_spans: dict[str, list[Span]] = {}
    entity_mentions: dict[str, list[Mention]] = {}
    for ent in mapping.entities:
        collect(problems, tie_entity, ent)
    excluded: list[tuple[Mention, Exclusion]] = []
    for exclusion in mapping.exclusions:
        collect(problems, tie_exclusion, exclusion)
    return Resolved(report, mapping, mentions, figures, entity_spans, entity_mentions, excluded, problems)
