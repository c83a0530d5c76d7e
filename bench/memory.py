"""Peak memory of reading and validating a file, per input byte (issue 11, item 7; README "Robustness").

Each measurement is a fresh process (``resource.getrusage`` of the child: its peak resident set), on
synthetic data from ``bench/generate.py`` written to a temporary folder:

* ``python``: the interpreter with xjkg imported, nothing read (the floor every command pays);
* ``read``: :func:`xjkg.core.readers.read_rdf` of the file;
* ``validate``: ``xjkg validate FILE --no-graph`` (the ontology as background);
* ``validate+graph``: ``xjkg validate FILE`` (the ontology and the built graph as background).

The factor printed is (peak - python floor) / file size. Run it by hand (it takes minutes):

    .venv/bin/python bench/memory.py --triples 10k --triples 50k --triples 100k
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, parse_size

CASES: dict[str, list[str]] = {
    "python": ["-c", "import xjkg.core.readers"],
    "read": ["-c", "import sys; from xjkg.core.readers import read_rdf; read_rdf(sys.argv[1], max_bytes=1 << 40)"],
    "validate": ["-m", "xjkg", "validate", "--max-bytes", str(1 << 40), "--no-graph", "--format", "json"],
    "validate+graph": ["-m", "xjkg", "validate", "--max-bytes", str(1 << 40), "--format", "json"],
}


def peak_rss(args: list[str]) -> int:
    """Peak resident set of one child process, in bytes (Linux reports kilobytes)."""
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the data does not conform (it has defects)
        raise SystemExit(f"{args}: failed: {process.stderr.read().decode() if process.stderr else ''}")
    return usage.ru_maxrss * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, action="append", help="10k, 100k (repeatable)")
    parser.add_argument("--only", default=",".join(CASES), help=f"cases, comma-separated ({', '.join(CASES)})")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.only.split(",") if c.strip()]
    floor = peak_rss(CASES["python"])
    print(f"python floor: {floor / 2**20:.0f} MB")
    print(f"{'case':<16}{'triples':>9}{'file MB':>9}{'peak MB':>9}{'per byte':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.triples or [10_000, 50_000]:
            made = generate(size, 1, Path(folder) / f"data-{size}.ttl", 101)
            file_size = made.path.stat().st_size
            for case in cases:
                if case == "python":
                    continue
                extra = [str(made.path)]
                peak = peak_rss([*CASES[case], *extra])
                factor = (peak - floor) / file_size
                print(f"{case:<16}{made.triples:>9}{file_size / 2**20:>9.1f}{peak / 2**20:>9.0f}{factor:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
