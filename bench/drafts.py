"""How many of the drafter's proposals a careful reviewer would accept unchanged (issue 19, item 7).

For each report of a corpus folder (e.g. ``tests/data/series``, whose mappings are reviewed), the report's text is
drafted anew with ``xjkg report new`` into a temporary corpus holding the same ``vocab/`` (and, with
``--with-others``, the corpus's other reviewed reports, as when a section is added to a grown corpus), and each
proposal is compared with the reviewed entry for the same number. Entries are matched by the position of their
number in the text (the draft's ids differ from the review's).

    .venv/bin/python bench/drafts.py tests/data/series                # a table
    .venv/bin/python bench/drafts.py tests/data/series --json         # the same as JSON
    .venv/bin/python bench/drafts.py tests/data/series-holdout        # held out: once, at the end of a change
    .venv/bin/python bench/drafts.py tests/data/series-blind          # blind: once, at the end of a change

A proposal is one number of the body the draft accounts for. It is **wholly right** when its kind agrees (a figure,
or not a quantity: an exclusion and a part of a name are one kind here, as a reviewer may write a name's number
either way and the drafter writes exclusions; a year cited as its period is a part of a name) and, for a figure,
when all of these agree with the review: type, area, period (each with the report's defaults), component_of (the
total's number position), funder, fund_type, and indicator (the same id where the review uses a shipped or
``vocab/`` one, or one another report defines; a new entry where the review defines a new one). A value still
"TODO: …" agrees with nothing. Also counted: figure proposals whose area lies outside the report's region (its
partOf chain; the country counts as inside, for national figures), and part-of proposals attached to the right
total.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xjkg.core.paths import VOCAB_DIR
from xjkg.text.extract import Mention, extract

#: The fields of a figure proposal compared with the review, in the order of the table.
FIELDS = ("type", "area", "period", "component_of", "funder", "fund_type", "indicator")
COUNTRY = "country/china"


@dataclass(frozen=True)
class Entry:
    """What a mapping says about one number: its kind, and for a figure the entry's fields."""

    kind: str  # "figure", "exclusion" or "name"
    id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Mapped:
    """A report's mapping read for scoring: entries by number position, defaults, its own entities' ids."""

    entries: dict[int, Entry]
    defaults: dict[str, str]
    defined: set[str]  # ids of the entities this mapping defines (has a type), not cites
    parents: dict[str, set[str]]  # part_of of the entities it defines
    positions: dict[str, int]  # figure id -> its number's position
    unresolved: int = 0  # entries whose quote does not stand once in the body (a draft's own fault)


@dataclass
class Score:
    """One report's (or the corpus's) figures."""

    report: str
    numbers: int = 0
    proposals: int = 0
    not_drafted: int = 0
    wholly_right: int = 0
    kind_right: int = 0
    figure_proposals: int = 0
    figure_pairs: int = 0  # figure proposals the review also maps as a figure
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    outside_region: int = 0
    part_of_proposed: int = 0
    part_of_right: int = 0
    part_of_reviewed: int = 0
    unresolved: int = 0
    #: One line per proposal that is not wholly right: the number, the kinds, the fields that differ.
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in asdict(other).items():
            if name == "fields":
                for key, count in value.items():
                    self.fields[key] += count
            elif isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
            elif name == "wrong":
                self.wrong.extend(f"{other.report} {line}" for line in value)

    def percent(self) -> dict[str, float | None]:
        def pct(part: int, whole: int) -> float | None:
            return round(100 * part / whole, 1) if whole else None

        shares: dict[str, float | None] = {
            "wholly_right": pct(self.wholly_right, self.proposals),
            "kind": pct(self.kind_right, self.proposals),
        }
        shares.update({key: pct(count, self.figure_pairs) for key, count in self.fields.items()})
        shares["part_of_right"] = pct(self.part_of_right, self.part_of_proposed)
        return shares


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _todo(value: Any) -> bool:
    return any(v.strip().upper().startswith("TODO") for v in _listed(value))


def _quotes(item: dict[str, Any]) -> list[str]:
    return _listed(item.get("quotes")) if "quotes" in item else _listed(item.get("quote"))


def _claim(text: str, body_end: int, mentions: list[Mention], quote: str, figure: str | None) -> list[Mention]:
    """The quantities a quote accounts for: the one it names (``figure``) or all inside it. None if the quote
    does not stand exactly once in the body."""
    body = text[:body_end]
    if not quote or body.count(quote) != 1:
        return []
    start = body.index(quote)
    end = start + len(quote)
    if figure is not None:
        if quote.count(figure) != 1:
            return []
        start += quote.index(figure)
        end = start + len(figure)
    return [m for m in mentions if start <= m.start and m.end <= end]


def read_mapping(folder: Path, text: str, body_end: int, mentions: list[Mention]) -> Mapped:
    """A report folder's ``report.yaml`` defaults and every ``mapping/**/*.yaml`` entry, by number position.

    Raw YAML on purpose: a draft's proposals and TODOs are read as they are, not refused.
    """
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8")) or {}
    defaults = {str(k): str(v) for k, v in (settings.get("defaults") or {}).items()}
    mapped = Mapped({}, defaults, set(), {}, {})
    figures: list[tuple[dict[str, Any], list[Mention]]] = []
    for path in sorted((folder / "mapping").rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("entities") or []:
            if "type" in item:
                mapped.defined.add(str(item["id"]))
                mapped.parents[str(item["id"])] = set(_listed(item.get("part_of")))
            if item.get("figure") is not None and _quotes(item):
                claimed = _claim(text, len(text), mentions, _quotes(item)[0], str(item["figure"]))
                mapped.unresolved += len(claimed) != 1
                for mention in claimed[:1]:
                    mapped.entries.setdefault(mention.start, Entry("name", str(item["id"])))
        for item in raw.get("figures") or []:
            figure = None if item.get("figure") is None else str(item["figure"])
            claimed = _claim(text, body_end, mentions, str(item.get("quote", "")), figure)
            mapped.unresolved += len(claimed) != 1
            if len(claimed) == 1:
                figures.append((item, claimed))
        for item in raw.get("exclusions") or []:
            claimed = _claim(text, body_end, mentions, str(item.get("quote", "")), None)
            mapped.unresolved += not claimed
            for mention in claimed:
                mapped.entries.setdefault(mention.start, Entry("exclusion"))
    for item, claimed in figures:
        fid = str(item.get("id", ""))
        mapped.positions[fid] = claimed[0].start
        mapped.entries.setdefault(claimed[0].start, Entry("figure", fid, dict(item)))
    return mapped


def shared_ids(files: Iterable[Path]) -> tuple[set[str], dict[str, set[str]]]:
    """The ids the vocabulary files define, and their part_of."""
    ids: set[str] = set()
    parents: dict[str, set[str]] = {}
    for path in files:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("entities") or [] if isinstance(raw, dict) else []:
            if isinstance(item, dict) and "id" in item and "type" in item:
                ids.add(str(item["id"]))
                parents[str(item["id"])] = set(_listed(item.get("part_of")))
    return ids, parents


def _inside(area: str, region: str, parents: dict[str, set[str]]) -> bool:
    """The region, a place whose partOf chain reaches it, or the country itself (a national figure); a place of
    another region reaches the country too, through its own region, and is outside."""
    if area == COUNTRY:
        return True
    seen: set[str] = set()
    todo = [area]
    while todo:
        place = todo.pop()
        if place == region:
            return True
        if place not in seen:
            seen.add(place)
            todo.extend(parents.get(place, ()))
    return False


def score_report(
    report_id: str,
    text: str,
    body_end: int,
    region: str,
    review: Mapped,
    draft: Mapped,
    shared: set[str],
    parents: dict[str, set[str]],
) -> Score:
    """Compare a draft with the review of the same text, number by number.

    ``shared`` holds the ids a draft may reuse (shipped and corpus vocabularies, other reports' entities);
    ``parents`` their part_of, to which the draft's own entities' part_of is added.
    """
    score = Score(report_id, unresolved=draft.unresolved)
    place_parents = {**parents, **draft.parents}
    mentions = [m for m in extract(text, 0, body_end) if m.is_quantity]
    score.numbers = len(mentions)
    score.part_of_reviewed = sum(
        1 for e in review.entries.values() if e.kind == "figure" and e.fields.get("component_of")
    )
    for mention in mentions:
        mine, truth = draft.entries.get(mention.start), review.entries.get(mention.start)
        where = f"{mention.start:>5} {mention.text!r}"
        if mine is None:
            score.not_drafted += 1
            score.wrong.append(f"{where}: not drafted")
            continue
        score.proposals += 1
        # Figure or not: a reviewer writes a number that is part of a name either as the entity's `figure:` or as
        # an exclusion with a reason, and the drafter only as an exclusion; both say "not a quantity".
        kind_ok = truth is not None and (mine.kind == "figure") == (truth.kind == "figure")
        score.kind_right += kind_ok
        if not kind_ok:
            score.wrong.append(f"{where}: drafted as {mine.kind}, reviewed as {truth.kind if truth else 'nothing'}")
        if mine.kind != "figure":
            score.wholly_right += kind_ok
            continue
        score.figure_proposals += 1
        area = mine.fields.get("area") or draft.defaults.get("area", "")
        if _todo(area) or not _inside(str(area), region, place_parents):
            score.outside_region += 1
        total = mine.fields.get("component_of")
        if total:
            score.part_of_proposed += 1
        if not (kind_ok and truth is not None):
            continue
        score.figure_pairs += 1
        agree = _agreement(mine, truth, draft, review, shared)
        for key, ok in agree.items():
            score.fields[key] += ok
        score.wholly_right += all(agree.values())
        if not all(agree.values()):
            differ = ", ".join(
                f"{key} {_shown(mine, key, draft)} (review: {_shown(truth, key, review)})"
                for key, ok in agree.items()
                if not ok
            )
            score.wrong.append(f"{where}: {differ}")
        score.part_of_right += bool(total) and agree["component_of"]
    return score


def _shown(entry: Entry, key: str, mapped: Mapped) -> str:
    value = entry.fields.get(key)
    if value is None and key in ("area", "period"):
        value = mapped.defaults.get(key)
    if key == "component_of" and value:
        return f"the number at {mapped.positions.get(str(value), '?')}"
    return "none" if value is None else str(value)


def _agreement(mine: Entry, truth: Entry, draft: Mapped, review: Mapped, shared: set[str]) -> dict[str, bool]:
    def value(entry: Entry, mapped: Mapped, key: str) -> Any:
        given = entry.fields.get(key)
        return given if given is not None else mapped.defaults.get(key)

    def total(entry: Entry, mapped: Mapped) -> int | None:
        fid = entry.fields.get("component_of")
        return None if not fid else mapped.positions.get(str(fid), -1)

    agree: dict[str, bool] = {}
    for key in ("type", "area", "period"):
        got = value(mine, draft, key)
        agree[key] = not _todo(got) and got == value(truth, review, key)
    agree["component_of"] = total(mine, draft) == total(truth, review)
    for key in ("funder", "fund_type"):
        got = mine.fields.get(key)
        agree[key] = not _todo(got) and set(_listed(got)) == set(_listed(truth.fields.get(key)))
    got, expected = str(mine.fields.get("indicator") or ""), str(truth.fields.get("indicator") or "")
    if _todo(got) or not got:
        agree["indicator"] = False
    elif expected in shared:
        agree["indicator"] = got == expected
    else:  # the review defines a new indicator: the draft must propose a new one too, not reuse another
        agree["indicator"] = got not in shared
    return agree


def _body_end(text: str, settings: dict[str, Any]) -> int:
    marker = (settings.get("source") or {}).get("body_ends_before")
    return text.index(marker) if marker and marker in text else len(text)


def draft_corpus(corpus: Path, report: Path, work: Path, *, with_others: bool) -> Path:
    """Draft ``report``'s text with ``xjkg report new`` into a fresh corpus under ``work``; the draft's folder."""
    target = work / report.name
    (target / "reports").mkdir(parents=True)
    if (corpus / "vocab").is_dir():
        shutil.copytree(corpus / "vocab", target / "vocab")
    if with_others:
        for other in sorted((corpus / "reports").iterdir()):
            if other.is_dir() and other.name != report.name:
                shutil.copytree(other, target / "reports" / other.name)
    settings = yaml.safe_load((report / "report.yaml").read_text(encoding="utf-8"))
    text = report / str(settings["source"]["file"])
    command = [sys.executable, "-m", "xjkg", "report", "new", str(text), "--id", report.name, "--corpus", str(target)]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{report.name}: `xjkg report new` exited {done.returncode}: {done.stderr.strip()}")
    return target / "reports" / report.name


def score_corpus(
    corpus: Path, *, with_others: bool = False, only: set[str] | None = None, keep: Path | None = None
) -> list[Score]:
    """Draft and score each report of ``corpus``; the last row is the whole corpus. ``keep``: where the drafts
    stay (a new folder), else a temporary one."""
    vocab = sorted(VOCAB_DIR.glob("*.yaml")) + sorted((corpus / "vocab").glob("*.yaml"))
    reports = sorted(p for p in (corpus / "reports").iterdir() if (p / "report.yaml").is_file())
    reports = [p for p in reports if only is None or p.name in only]
    rows: list[Score] = []
    with tempfile.TemporaryDirectory(prefix="xjkg-drafts-") as tmp:
        work = Path(tmp) if keep is None else keep
        for folder in reports:
            settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
            text = (folder / str(settings["source"]["file"])).read_text(encoding="utf-8")
            end = _body_end(text, settings)
            mentions = [m for m in extract(text, 0, end) if m.is_quantity]
            others = [
                p for p in (corpus / "reports").glob("*/mapping/**/*.yaml") if with_others and folder not in p.parents
            ]  # fmt: skip
            shared, parents = shared_ids([*vocab, *others])
            drafted = draft_corpus(corpus, folder, work, with_others=with_others)
            review = read_mapping(folder, text, end, mentions)
            draft = read_mapping(drafted, text, end, mentions)
            region = str(settings["report"]["region"])
            rows.append(score_report(folder.name, text, end, region, review, draft, shared, parents))
    total = Score("all")
    for row in rows:
        total.add(row)
    return [*rows, total]


def table(rows: list[Score]) -> str:
    """The scores as a text table: counts, then each share in percent ("-" where nothing was counted)."""

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    head = ["report", "numbers", "proposals", "wholly right", "%", "kind %", "figures"]
    head += [f"{key.replace('_', ' ')} %" for key in FIELDS] + ["outside region", "part-of right %"]
    lines = [head]
    for row in rows:
        shares = row.percent()
        lines.append(
            [row.report, str(row.numbers), str(row.proposals), str(row.wholly_right), cell(shares["wholly_right"]),
             cell(shares["kind"]), str(row.figure_proposals), *(cell(shares[key]) for key in FIELDS),
             str(row.outside_region), f"{cell(shares['part_of_right'])} ({row.part_of_right}/{row.part_of_proposed})"]
        )  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    rendered = []
    for line in lines:
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        rendered.append("  ".join(cells))
    return "\n".join(rendered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder with reviewed mappings (reports/<id>/, vocab/)")
    parser.add_argument("--report", action="append", help="score only this report (repeatable)")
    parser.add_argument("--with-others", action="store_true", help="draft with the corpus's other reviewed reports")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--explain", action="store_true", help="after the table, each proposal not wholly right")
    parser.add_argument("--keep", type=Path, help="keep the drafts in this folder (it must not exist)")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True)  # never into a folder that exists: nothing of the user's is overwritten
    only = set(args.report) if args.report else None
    rows = score_corpus(args.corpus, with_others=args.with_others, only=only, keep=args.keep)
    if args.json:
        print(json.dumps([{**asdict(r), "percent": r.percent()} for r in rows], indent=2))
    else:
        print(table(rows))
        if args.explain:
            print("\nnot wholly right (position, number: what differs):")
            print("\n".join(rows[-1].wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
