"""Build time against the number of reports (issue 12): 1, 10, 100 synthetic sections of the yearbook series.

Each synthetic section is written in the style of the series (overview, funds by type, entire village
advancement, training, pilots, social poverty alleviation: the test fixture's sentences, tests/data/corpus/),
for Xinjiang and one year each (1950, 1951, …), with numbers that change from year to year and a restatement
of the previous year's work-relief funds. It is added the way a researcher adds one: ``xjkg report new`` drafts
its mapping (:func:`xjkg.mapping.drafting.new_report`), a scripted review accepts every proposal and fills every TODO,
then ``xjkg build --corpus DIR`` is timed as a whole process (read, draft-free build, validation, write).

    .venv/bin/python bench/corpus.py                   # 1, 10, 100 reports, 1 repetition
    .venv/bin/python bench/corpus.py --reports 1,10 --repeat 3

Prints the build time per corpus size, the time per report, and the ratios against the 1-report build; the
target is linear growth and a 100-report build within 20x of a 1-report build. Corpora go to a temporary
folder (``--keep DIR`` keeps them there).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xjkg.mapping.drafting import indicator_uses, load_vocabulary, new_report

BENCH = Path(__file__).resolve().parent

#: The sections of a synthetic report; {placeholders} are filled per year (``section``).
TEMPLATE = """Poverty Alleviation and Development in Xinjiang Uygur Autonomous Region
【Overview】 SYNTHETIC: a section generated for xjkg's benchmark in the style of the yearbook series; none of its figures is true. As of the end of {prev}, Xinjiang has {key} key counties (cities) for poverty alleviation and development and {poor} million poor people.
【Investment of anti-poverty funds】 In {year}, the three types of anti-poverty funds invested by the state and Xinjiang amounted to {total} billion Yuan, up {growth}% over {prev}, of which {fin} million Yuan was financial anti-poverty funds, {work} million Yuan was work-relief funds and {credit} billion Yuan was credit loan funds. County financial departments put in {county} ten thousand Yuan. The work-relief funds of {prev} were {restated} million Yuan after the final accounts.
【Entire Village Advancement】 Xinjiang completed the entire village advancement projects in {villages} poor villages, built {roads} kilometers of village roads, improved {farmland} mu of farmland and planted {forest} hectares of fruit forest. The per capita net income of farmers in these villages rose to {income} Yuan, up {income_growth}% over {prev}.
【Poverty alleviation training】 It organized practical agricultural technology trainings for {trained} people and labor transfer trainings for {times} person-times, allocated {training_funds} million Yuan of financial anti-poverty training funds.
【Pilot projects of poverty alleviation and development】 1. Pilot projects for relocation-based poverty alleviation in high and cold mountain areas. It allocated {relocation} million Yuan and relocated {households} households and {people} people in total.
2. Pilot projects for mutual funds. The pilot projects covered {pilot_villages} poor villages of {pilot_counties} counties (cities).
【Social poverty alleviation】 A total of {units} units were assigned the task of poverty alleviation of poverty-stricken villages; they donated {grain} tons of grain and {seeds} kilograms of seeds. Hotan Prefecture received {hotan} billion Yuan of the three types of anti-poverty funds, Kashgar Prefecture received {kashgar} billion Yuan and Kizilsu Kirgiz Autonomous Prefecture received {kizilsu} billion Yuan.
扫描下载手机客户端
版权所有©测试样例 未经许可不得复制
"""  # noqa: E501 (one line a paragraph, as the series writes them)


def _grouped(value: int) -> str:
    return f"{value:,}"


def section(index: int) -> str:
    """The text of synthetic section ``index``: year 1950 + index (years the extractor reads and the shapes
    find plausible, 1949-2050); numbers grow a little every year."""
    year, k = 1950 + index, index
    work = 330 + 7 * k
    fin, credit_tenths = 780 + 11 * k, 199 + 3 * k  # credit in hundredths of a billion
    total = (fin + work) / 1000 + credit_tenths / 100
    values = {
        "year": year,
        "prev": year - 1,
        "key": 30,
        "poor": f"{2.05 - 0.01 * (k % 50):.2f}",
        "total": f"{total:.2f}",
        "growth": f"{5 + (k * 7) % 40}.{k % 10}",
        "fin": fin,
        "work": work,
        "credit": f"{credit_tenths / 100:.2f}",
        "county": _grouped(21_600 + 150 * k),
        "restated": work - 7 + (5 if k % 2 == 0 else 0),  # last year's figure, restated (differently every other year)
        "villages": 410 + 3 * k,
        "roads": _grouped(1_250 + 40 * k),
        "farmland": _grouped(35_000 + 900 * k),
        "forest": _grouped(2_400 + 60 * k),
        "income": _grouped(3_210 + 120 * k),
        "income_growth": f"{4 + k % 9}.{(k * 3) % 10}",
        "trained": _grouped(126_000 + 1_000 * k),
        "times": _grouped(262_000 + 2_000 * k),
        "training_funds": 26 + k,
        "relocation": 310 + 4 * k,
        "households": _grouped(1_720 + 10 * k),
        "people": _grouped(8_050 + 45 * k),
        "pilot_villages": 226 + k,
        "pilot_counties": 24,
        "units": _grouped(6_610 + 20 * k),
        "grain": _grouped(1_350 + 25 * k),
        "seeds": _grouped(92_000 + 500 * k),
        "hotan": f"{1.2 + 0.01 * k:.2f}",
        "kashgar": f"{1.3 + 0.01 * k:.2f}",
        "kizilsu": f"{0.9 + 0.01 * k:.2f}",
    }
    return TEMPLATE.format(**values)


#: The scripted review's answers to the drafter's TODOs (as tests/test_drafting.py reviews the fixture).
FILLS = {
    "the publisher": "org/iprcc",
    "the series": None,
    "the edition": None,
    "the public address": None,
    "who is counted": "beneficiary-group/farmers-and-herdsmen",
}


def accept(folder: Path) -> None:
    """Accept every proposal of a draft (delete its `proposed:` line) and fill every TODO."""

    def fill(match: re.Match[str]) -> str:
        key, todo = match.group(1), match.group(2).replace("''", "'")  # YAML's single-quoted escape
        named = re.fullmatch(r"name the indicator \(words after the number: '(.*)'\)", todo)
        if named:
            return f"{key}: {json.dumps(named.group(1))}"
        answer = next((value for start, value in FILLS.items() if todo.startswith(start)), f"reviewed: {todo}")
        return f"{key}: {json.dumps(answer)}"

    for path in [folder / "report.yaml", *sorted((folder / "mapping").rglob("*.yaml"))]:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text = "".join(line for line in lines if not re.match(r"\s*proposed: ", line))
        path.write_text(re.sub(r"^(\s*[\w-]+): '?TODO: (.*?)'?$", fill, text, flags=re.MULTILINE), encoding="utf-8")


def make_corpus(root: Path, reports: int) -> Path:
    """A corpus of ``reports`` synthetic sections, each drafted and reviewed; the corpus's vocabularies are
    read once and extended with each new report's own entities."""
    root.mkdir(parents=True)
    vocabulary = load_vocabulary(root)
    uses = indicator_uses(root)
    texts = root / "texts"
    texts.mkdir()
    for index in range(reports):
        text = texts / f"xinjiang-poverty-alleviation-{1950 + index}.txt"
        text.write_text(section(index), encoding="utf-8")
        args = argparse.Namespace(title=None, period=None, region=None, publisher=None)
        folder = new_report(text, f"synthetic-{1950 + index}", root, args, vocabulary=vocabulary, uses=uses)
        accept(folder)
        files = sorted((folder / "mapping").rglob("*.yaml"))
        known = {t.id for t in vocabulary}
        vocabulary += [t for t in load_vocabulary(root, files=files) if t.id not in known]
        for indicator, use in indicator_uses(root, files=files).items():
            uses.setdefault(indicator, use)
    shutil.rmtree(texts)
    return root


def time_build(corpus: Path) -> float:
    """Seconds of one whole `xjkg build --corpus DIR` process (it must succeed)."""
    xjkg = Path(sys.executable).with_name("xjkg")
    started = time.perf_counter()
    done = subprocess.run([str(xjkg), "build", "--corpus", str(corpus)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"xjkg build --corpus {corpus} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", default="1,10,100", help="corpus sizes, comma-separated (1,10,100)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the median is reported")
    parser.add_argument("--keep", type=Path, help="write the corpora here (must not exist) and keep them")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.reports.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="xjkg-bench-corpus-"))
    if args.keep and args.keep.exists():
        parser.error(f"--keep {args.keep}: exists already (never overwritten)")
    results: dict[int, float] = {}
    try:
        for size in sizes:
            started = time.perf_counter()
            corpus = make_corpus(work / f"corpus-{size}", size)
            drafted = time.perf_counter() - started
            times = [time_build(corpus) for _ in range(args.repeat)]
            results[size] = statistics.median(times)
            print(
                f"{size:4d} reports: build {results[size]:7.2f} s ({results[size] / size:6.3f} s a report; "
                f"runs {', '.join(f'{t:.2f}' for t in times)}); drafting and review took {drafted:.1f} s",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    base = results.get(1)
    if base:
        print("\nratios against the 1-report build (target: linear, 100 reports within 20x):")
        for size, seconds in results.items():
            print(f"{size:4d} reports: {seconds / base:6.2f}x the time for {size}x the reports")
        if 100 in results:
            verdict = "met" if results[100] / base <= 20 else "missed"
            print(f"target 100 reports within 20x of 1: {verdict} ({results[100] / base:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
