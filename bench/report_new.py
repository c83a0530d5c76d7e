"""``xjkg report new`` against the size of its text: time per number from 1,000 to 100,000 numbers (ratios).

Each size is a made-up text (never stored; its first sentence says it is made up) of sentences with two or three
quantities each, under a heading every 40 sentences, drafted into an empty corpus by :func:`new_report` in a
fresh process (``--one N``: wall time of the whole draft, the draft's own number count, peak RSS). A draft that
grows linearly keeps the time per 1,000 numbers flat: the ratio column divides it by the smallest size's.

    .venv/bin/python bench/report_new.py                          # 1k, 5k, 20k; 100k is refused (limit)
    .venv/bin/python bench/report_new.py --sizes 1000,4800,9600   # the sizes the first report measured
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xjkg.mapping.drafting import MAX_DRAFT_NUMBERS

_UNITS = ("kilometers of roads", "million Yuan", "farmers", "households", "tons of grain", "mu of farmland")


def _name(i: int) -> str:
    """A made-up place name, different for every ``i`` ("Akba", "Akbe", …)."""
    letters, out = "bdgkmnrstz", ""
    while True:
        i, rest = divmod(i, 10)
        out += letters[rest] + "aeiou"[rest % 5]
        if i == 0:
            return "Ak" + out


def make_text(numbers: int) -> str:
    """A text holding about ``numbers`` quantities."""
    lines = ["Made-up report for a benchmark", "TEST FIXTURE: made up by bench/report_new.py; no figure is true."]
    count, sentence = 0, 0
    while count < numbers:
        if sentence % 40 == 0:
            lines.append(f"【Part {_name(sentence // 40)}】")
        a, b = 100 + 7 * sentence, 20 + 3 * sentence
        unit_a, unit_b = _UNITS[sentence % 6], _UNITS[(sentence + 3) % 6]
        lines.append(f"In {_name(sentence)} county it reached {a:,} {unit_a} and {b:,} {unit_b}.")
        count, sentence = count + 2, sentence + 1
    return "\n".join(lines) + "\n"


def one(numbers: int) -> dict[str, float]:
    """Draft one text of ``numbers`` quantities into an empty corpus; the figures of that run."""
    from xjkg.core.errors import XjkgError
    from xjkg.mapping.drafting import new_report
    from xjkg.text.extract import extract

    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "section.txt"
        text = make_text(numbers)
        text_file.write_text(text, encoding="utf-8")
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        found = sum(1 for m in extract(text) if m.is_quantity)
        args = argparse.Namespace(title=None, period="period/2010", region="region/xinjiang", publisher="org/iprcc")
        start = time.perf_counter()
        try:
            new_report(text_file, "bench", corpus, args)
            refused = ""
        except XjkgError as exc:  # above the stated limit: the time it takes to say no
            refused = exc.message
        seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"numbers": found, "bytes": len(text.encode()), "seconds": seconds, "rss_mb": rss, "refused": refused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000,100000", help="numbers per text, comma-separated")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"size {size}: {done.stderr.strip().splitlines()[-1]}")
        rows.append(json.loads(done.stdout))
    base = rows[0]["seconds"] / rows[0]["numbers"]
    print(f"limit: {MAX_DRAFT_NUMBERS:,} numbers a text (xjkg.mapping.drafting.MAX_DRAFT_NUMBERS)")
    print(f"{'numbers':>8} {'text':>9} {'seconds':>8} {'s/1k numbers':>13} {'ratio':>6} {'peak RSS':>9}")
    for row in rows:
        per = row["seconds"] / row["numbers"]
        print(
            f"{row['numbers']:8,} {row['bytes'] / 1e6:7.2f}MB {row['seconds']:8.1f} {per * 1000:13.3f} "
            f"{per / base:6.2f} {row['rss_mb']:7.0f}MB"
            + ("  refused, one line: " + row["refused"][-60:] if row["refused"] else "")
        )


if __name__ == "__main__":
    main()
