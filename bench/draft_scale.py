"""How the drafter's time grows with a section's length: a made-up overview sentence group repeated n and 4n times.

TEST FIXTURE: made up. The sentences are made up in the style of the yearbook; none of their figures is true.

    .venv/bin/python bench/draft_scale.py [n]     # default n = 160: drafts 160 and 640 repetitions
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from xjkg.mapping.drafting import draft_report, indicator_uses, load_vocabulary
from xjkg.text.source import Report

GROUP = (
    "The province is divided into 14 leagues and cities and 90 banners (counties, districts). Its resident "
    "population stood at 25.1 million, and the rural poor numbered 1.7 million. It has 30 state-level key "
    "banners. In 2009 it invested 2.4 billion Yuan, 18.2% higher than in 2008, with an average of 400,000 Yuan "
    "per village. It moved 3,000 households with 12,000 people, 95% of the plan.\n"
)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    settings = {
        "report": {"region": "region/gansu", "period": ["period/2009"]},
        "defaults": {"area": "region/gansu", "period": "period/2009"},
    }
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        (corpus / "reports").mkdir()
        vocabulary, uses = load_vocabulary(corpus), indicator_uses(corpus)
        for count in (n, 4 * n):
            text = "Made up (TEST FIXTURE: made up)\n【Overview】 TEST FIXTURE: made up. " + GROUP * count
            report = Report(Path("made-up.txt"), text, "0" * 64, len(text))
            start = time.perf_counter()
            draft_report(report, settings, vocabulary, uses)
            print(f"{count} groups, {len(text)} characters: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
