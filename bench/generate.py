"""Synthetic data in xjkg's model (ontology/README.md), deterministic by seed, at any size.

The shape follows the built graph: one region, prefectures, counties and villages linked by
``xjkg:partOf``; concept schemes; organisations; programs; figures (fund allocations, beneficiary
counts, shares) with indicator, area, period, unit and a ``xjkg:ReportSpan`` with its quote and
position selectors cut from the real report text, so quotes match ``source[start:end]``. A few
deliberate defects (a negative amount, a share above 100, a figure without a unit, a bad division
code) give validators something to find; ``--defects 0`` turns them off.

    .venv/bin/python bench/generate.py --triples 100k          # bench/data/xjkg-100k.ttl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xjkg.core.atomic import atomic_open
from xjkg.core.namespaces import BASE_ID, PREFIXES
from xjkg.mapping.corpus import open_corpus
from xjkg.text.source import load_report

__all__ = ["DATA_DIR", "Generated", "data_file", "generate", "main", "parse_size"]

DATA_DIR = Path(__file__).resolve().parent / "data"
_FIRST_REPORT = open_corpus().reports[0]  # the synthetic data cites real spans of the first report
REPORT = f"<{_FIRST_REPORT.iri}>"
YEAR = f"<{BASE_ID}period/2009>"
# Only these prefixes are used in the output (full IRIs for things: '/' is not allowed in a prefixed name).
_USED_PREFIXES = [
    "xjkg",
    "qb",
    "sdmx-dimension",
    "sdmx-attribute",
    "sdmx-measure",
    "oa",
    "prov",
    "org",
    "skos",
    "time",
    "unit",
    "cur",
    "schema",
    "rdf",
    "rdfs",
    "xsd",
]

FUND_TYPES = ["central-fiscal", "regional-fiscal", "county-fiscal", "credit", "social", "ifad"]
PROGRAM_TYPES = ["village-advancement", "training", "industrialization", "relocation", "pilot", "social"]
GROUPS = ["poor-households", "poor-people", "rural-labourers", "village-cadres", "students", "herders"]
INDICATORS = {  # indicator → (figure class, unit, datatype)
    "funds-allocated": ("FundAllocation", "cur:CNY", "decimal"),
    "funds-invested": ("FundAllocation", "cur:CNY", "decimal"),
    "people-trained": ("BeneficiaryCount", "unit:NUM", "integer"),
    "households-relocated": ("BeneficiaryCount", "unit:NUM", "integer"),
    "people-lifted": ("BeneficiaryCount", "unit:NUM", "integer"),
    "villages-completed": ("OutputCount", "unit:NUM", "integer"),
    "roads-built-km": ("OutputCount", "unit:NUM", "integer"),
    "share-of-poor": ("Share", "unit:PERCENT", "decimal"),
}
DEFECTS = ("negative-amount", "share-above-100", "no-unit", "bad-division-code")


@dataclass
class Generated:
    """What a run wrote: the file, its triple count and the number of each kind of thing."""

    path: Path
    triples: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    defects: dict[str, list[str]] = field(default_factory=dict)


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500.

    >>> parse_size("100k"), parse_size("1M"), parse_size("12")
    (100000, 1000000, 12)
    """
    text = text.strip()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if scale > 1 else text
    try:
        value = int(float(number) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 100k, 1M)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return value


def size_label(triples: int) -> str:
    """The short label of a size: 10000 → ``10k``, 1000000 → ``1M``.

    >>> size_label(10_000), size_label(1_000_000), size_label(2500)
    ('10k', '1M', '2500')
    """
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


def data_file(triples: int, seed: int = 1) -> Path:
    """Where the data of this size and seed lives: ``bench/data/xjkg-10k.ttl`` (seed 1) or ``…-s2.ttl``."""
    suffix = "" if seed == 1 else f"-s{seed}"
    return DATA_DIR / f"xjkg-{size_label(triples)}{suffix}.ttl"


def _iri(path: str) -> str:
    return f"<{BASE_ID}{path}>"


def _string(text: str, lang: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


class _Writer:
    """Turtle grouped by subject, counting triples as they are written."""

    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        self.handle = handle
        self.triples = 0
        self._buffer: list[str] = []
        for prefix in _USED_PREFIXES:
            handle.write(f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n".encode())
        handle.write(b"\n")

    def subject(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        self.triples += len(pairs)
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self._buffer.append(f"{subject}\n    {body} .\n")
        if len(self._buffer) >= 2000:
            self.flush()

    def flush(self) -> None:
        self.handle.write("".join(self._buffer).encode())
        self._buffer.clear()


class _Spans:
    """Real spans of the report: quotes cut from the text, each span IRI used once."""

    def __init__(self, rng: random.Random) -> None:
        report = load_report(_FIRST_REPORT.source_file)
        self.text = report.text
        self.sentences = [(s.number, s.start, s.end) for s in report.sentences if s.end - s.start > 12]
        self.rng = rng
        self.used: set[tuple[int, int]] = set()

    def pick(self) -> tuple[int, int, int]:
        """(start, end, sentence number) of a fresh span inside one sentence."""
        while True:
            number, s_start, s_end = self.rng.choice(self.sentences)
            length = self.rng.randint(4, min(60, s_end - s_start))
            start = self.rng.randint(s_start, s_end - length)
            if (start, start + length) not in self.used:
                self.used.add((start, start + length))
                return start, start + length, number

    def write(self, out: _Writer, start: int, end: int, sentence: int) -> str:
        span = _iri(f"span/{start}-{end}")
        quote, position = _iri(f"span/{start}-{end}/quote"), _iri(f"span/{start}-{end}/position")
        out.subject(
            span,
            [
                ("a", "xjkg:ReportSpan"),
                ("oa:hasSource", REPORT),
                ("oa:hasSelector", f"{quote}, {position}"),
                ("xjkg:inSentence", _iri(f"sentence/{sentence}")),
            ],
        )
        out.triples += 1  # the second oa:hasSelector object
        out.subject(
            quote,
            [
                ("a", "oa:TextQuoteSelector"),
                ("oa:exact", _string(self.text[start:end])),
                ("oa:prefix", _string(self.text[max(0, start - 20) : start])),
                ("oa:suffix", _string(self.text[end : end + 20])),
            ],
        )
        out.subject(
            position,
            [
                ("a", "oa:TextPositionSelector"),
                ("oa:start", _typed(str(start), "nonNegativeInteger")),
                ("oa:end", _typed(str(end), "nonNegativeInteger")),
            ],
        )
        return span


def _concepts(out: _Writer) -> None:
    schemes = {
        "indicators": ("Indicator", list(INDICATORS)),
        "fund-types": ("FundType", FUND_TYPES),
        "program-types": ("ProgramType", PROGRAM_TYPES),
        "beneficiary-groups": ("BeneficiaryGroup", GROUPS),
    }
    for scheme, (cls, members) in schemes.items():
        out.subject(
            _iri(f"scheme/{scheme}"),
            [("a", "skos:ConceptScheme"), ("skos:prefLabel", _string(scheme.replace("-", " "), "en"))],
        )
        kind = scheme.rstrip("s") if scheme != "indicators" else "indicator"
        for member in members:
            out.subject(
                _iri(f"{kind}/{member}"),
                [
                    ("a", f"xjkg:{cls}, skos:Concept"),
                    ("skos:prefLabel", _string(member.replace("-", " "), "en")),
                    ("skos:inScheme", _iri(f"scheme/{scheme}")),
                ],
            )
            out.triples += 1


def _places(
    out: _Writer, rng: random.Random, counties: int, villages: int, defect: bool
) -> tuple[list[str], list[str]]:
    """Region → prefectures → counties → villages; returns every place IRI and the defective counties."""
    defects: list[str] = []
    region = _iri("region/xinjiang")
    out.subject(
        region,
        [
            ("a", "xjkg:Region"),
            ("rdfs:label", _string("Xinjiang Uygur Autonomous Region", "en")),
            ("rdfs:label", _string("新疆维吾尔自治区", "zh-Hans")),
            ("xjkg:divisionCode", _string("650000")),
        ],
    )
    prefectures = [_iri(f"prefecture/p{i:02d}") for i in range(1, min(14, counties) + 1)]
    places = [region, *prefectures]
    for i, pref in enumerate(prefectures, 1):
        out.subject(
            pref,
            [
                ("a", "xjkg:Prefecture"),
                ("rdfs:label", _string(f"Prefecture {i}", "en")),
                ("rdfs:label", _string(f"地区{i}", "zh-Hans")),
                ("xjkg:divisionCode", _string(f"65{i:02d}00")),
                ("xjkg:partOf", region),
            ],
        )
    for c in range(1, counties + 1):
        county = _iri(f"county/c{c:05d}")
        p = (c - 1) % len(prefectures)
        code = f"65{p + 1:02d}{c % 100:02d}"
        if defect and c == counties // 2:
            code = f"65{p + 1:02d}{c % 100:02d}X"
            defects.append(county.strip("<>"))
        out.subject(
            county,
            [
                ("a", "xjkg:County"),
                ("rdfs:label", _string(f"County {c}", "en")),
                ("rdfs:label", _string(f"县{c}", "zh-Hans")),
                ("skos:altLabel", _string(f"Xian {c}", "en")),
                ("xjkg:divisionCode", _string(code)),
                ("xjkg:partOf", prefectures[p]),
            ],
        )
        places.append(county)
        for v in range(1, villages + 1):
            village = _iri(f"village/c{c:05d}-v{v:02d}")
            out.subject(
                village,
                [
                    ("a", "xjkg:Village"),
                    ("rdfs:label", _string(f"Village {c}-{v}", "en")),
                    ("xjkg:partOf", county),
                ],
            )
            places.append(village)
    return places, defects


def _figures(
    out: _Writer,
    rng: random.Random,
    spans: _Spans,
    places: list[str],
    programs: list[str],
    funders: list[str],
    target: int,
    defect_every: int,
    defects: dict[str, list[str]],
) -> int:
    """Figures until the file holds ``target`` triples; returns how many."""
    indicators = list(INDICATORS)
    n = 0
    while out.triples < target:
        n += 1
        indicator = rng.choice(indicators)
        cls, unit, datatype = INDICATORS[indicator]
        if datatype == "integer":
            value = str(rng.randint(1, 500_000))
        elif cls == "Share":
            value = f"{rng.randint(0, 10000) / 100:.2f}"
        else:
            value = f"{rng.randint(1, 10**9) / 100:.2f}"
        defect = None
        if defect_every and n % defect_every == 0:
            defect = DEFECTS[(n // defect_every) % 3]  # bad-division-code is on a county, not a figure
            if defect == "negative-amount":
                cls, unit, datatype, value = (
                    "FundAllocation",
                    "cur:CNY",
                    "decimal",
                    f"-{rng.randint(1, 10**6)}.00",
                )
            elif defect == "share-above-100":
                cls, unit, datatype, value = "Share", "unit:PERCENT", "decimal", "150.00"
        figure = _iri(f"figure/f{n:07d}")
        start, end, sentence = spans.pick()
        span = spans.write(out, start, end, sentence)
        f_start, f_end, f_sentence = spans.pick()
        figure_span = spans.write(out, f_start, f_end, f_sentence)
        pairs = [
            ("a", f"xjkg:{cls}, xjkg:ReportedFigure, qb:Observation"),
            ("qb:dataSet", _iri("dataset/reported")),
            ("xjkg:indicator", _iri(f"indicator/{indicator}")),
            ("sdmx-dimension:refArea", rng.choice(places)),
            ("sdmx-dimension:refPeriod", YEAR),
            ("sdmx-measure:obsValue", _typed(value, datatype)),
            ("xjkg:program", rng.choice(programs)),
            ("prov:wasDerivedFrom", span),
            ("xjkg:figureSpan", figure_span),
            ("prov:wasAttributedTo", REPORT),
        ]
        out.triples += 2  # the three classes
        if defect != "no-unit":
            pairs.append(("sdmx-attribute:unitMeasure", unit))
        if cls == "FundAllocation":
            pairs += [
                ("xjkg:fundType", _iri(f"fund-type/{rng.choice(FUND_TYPES)}")),
                ("xjkg:funder", rng.choice(funders)),
            ]
        elif cls == "BeneficiaryCount":
            pairs.append(("xjkg:beneficiaryGroup", _iri(f"beneficiary-group/{rng.choice(GROUPS)}")))
        if rng.random() < 0.1:
            pairs.append(("xjkg:qualifier", _string(rng.choice(["nearly", "averagely", "at least"]), "en")))
        out.subject(figure, pairs)
        if defect:
            defects.setdefault(defect, []).append(figure.strip("<>"))
    return n


def generate(triples: int, seed: int = 1, path: Path | None = None, defect_every: int = 101) -> Generated:
    """Write about ``triples`` triples (never fewer, a few dozen more) to ``path``; same seed, same bytes.

    >>> import tempfile, pathlib
    >>> g = generate(2000, path=pathlib.Path(tempfile.mkdtemp()) / "g.ttl")
    >>> 2000 <= g.triples < 2100
    True
    """
    rng = random.Random(seed)
    if path is None:
        path = data_file(triples, seed)
        path.parent.mkdir(exist_ok=True)  # bench/data/ is ours (git-ignored); outputs never make folders
    # Budget: ~12% places (a county is 6 triples + 8 villages of 3), ~3% programs, the rest figures.
    villages = 8
    counties = max(3, int(triples * 0.12 / (6 + 3 * villages)))
    n_programs = max(5, triples // 400)
    n_funders = max(3, triples // 4000)
    defects: dict[str, list[str]] = {}
    with atomic_open(path) as handle:
        out = _Writer(handle)
        spans = _Spans(rng)
        out.subject(
            REPORT,
            [
                ("a", "xjkg:Report, prov:Entity"),
                (
                    "rdfs:label",
                    _string("Poverty Alleviation and Development in Xinjiang Uygur Autonomous Region", "en"),
                ),
            ],
        )
        out.triples += 1
        out.subject(YEAR, [("a", "time:ProperInterval"), ("rdfs:label", _string("2009", "en"))])
        for number, _start, _end in spans.sentences:
            out.subject(
                _iri(f"sentence/{number}"),
                [
                    ("a", "xjkg:Sentence"),
                    ("xjkg:sentenceNumber", _typed(str(number), "integer")),
                    ("oa:hasSource", REPORT),
                ],
            )
        _concepts(out)
        places, bad_codes = _places(out, rng, counties, villages, bool(defect_every))
        if bad_codes:
            defects["bad-division-code"] = bad_codes
        funders = []
        for i in range(1, n_funders + 1):
            funder = _iri(f"organisation/o{i:04d}")
            funders.append(funder)
            out.subject(
                funder,
                [
                    ("a", "xjkg:GovernmentOffice, org:FormalOrganization"),
                    ("rdfs:label", _string(f"Office {i}", "en")),
                ],
            )
            out.triples += 1
        programs = []
        for i in range(1, n_programs + 1):
            program = _iri(f"program/p{i:05d}")
            programs.append(program)
            pairs = [
                ("a", "xjkg:Program"),
                ("rdfs:label", _string(f"Program {i}", "en")),
                ("xjkg:programType", _iri(f"program-type/{rng.choice(PROGRAM_TYPES)}")),
                ("xjkg:implementedIn", rng.choice(places[: 15 + counties])),
                ("xjkg:period", YEAR),
                ("xjkg:funder", rng.choice(funders)),
            ]
            if i > 5 and rng.random() < 0.3:
                pairs.append(("xjkg:subProgramOf", programs[rng.randrange(0, 5)]))
            out.subject(program, pairs)
        n_figures = _figures(out, rng, spans, places, programs, funders, triples, defect_every, defects)
        out.flush()
    counts = {
        "counties": counties,
        "villages": counties * villages,
        "programs": n_programs,
        "organisations": n_funders,
        "figures": n_figures,
    }
    result = Generated(path=path, triples=out.triples, seed=seed, counts=counts, defects=defects)
    meta = {**asdict(result), "path": str(path)}
    with atomic_open(path.with_suffix(".json")) as handle:
        handle.write(json.dumps(meta, indent=2).encode())
    return result


def main(argv: list[str] | None = None) -> int:
    """Generate the files asked for; prints one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, action="append", help="10k, 100k, 1M (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=int, default=101, help="one defect every N figures (0: none)")
    parser.add_argument("--output", type=Path, help="file to write (default bench/data/xjkg-SIZE.ttl)")
    args = parser.parse_args(argv)
    sizes = args.triples or [10_000]
    if args.output and len(sizes) > 1:
        parser.error("--output takes one --triples")
    for size in sizes:
        made = generate(size, args.seed, args.output, args.defects)
        n_defects = sum(map(len, made.defects.values()))
        print(f"{made.path}: {made.triples} triples, {made.counts}, {n_defects} defects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
