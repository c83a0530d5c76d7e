"""``xjkg query`` of two trees against the pyoxigraph script, alternating, in the same minutes.

``bench/commands.py --parts query`` measures one tree; on a shared machine the load moves between two runs. This
runs, for every stored query (default parameters, ``-f json``), the command of the tree ``--before`` (a ``src/``
folder put first on ``PYTHONPATH``), the command of this checkout and the script of ``commands.py``, in turns,
and prints the medians and the ratios to the script, of wall time and of CPU time (the processes' own):

    mkdir /tmp/main-tree && git archive main | tar -x -C /tmp/main-tree
    .venv/bin/python -m compileall -q /tmp/main-tree/src
    .venv/bin/python bench/query_ab.py --before /tmp/main-tree/src --rounds 5

(The whole tree, not only ``src/``: the package reads ``ontology/``, ``queries/`` and ``data/`` beside it.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from commands import BASELINE_QUERY, XJKG  # noqa: E402
from xjkg.core.paths import GRAPH_FILE  # noqa: E402
from xjkg.core.sparql_safety import insert_values  # noqa: E402
from xjkg.query.engines import values_block  # noqa: E402
from xjkg.query.stored import bind_params, stored_queries  # noqa: E402


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(command: list[str], env: dict[str, str] | None) -> tuple[float, float]:
    """Wall time and CPU time of the command's processes (its query worker included: the command reaps it)."""
    cpu, started = _cpu(), time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the tree to compare with")
    parser.add_argument("--rounds", type=int, default=5, help="turns per query (5)")
    args = parser.parse_args()
    before_env = {**os.environ, "PYTHONPATH": str(args.before)}
    times: dict[str, dict[str, list[float]]] = {}
    cpus: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="xjkg-ab-") as tmp:
        texts = {}
        for name, query in sorted(stored_queries().items()):
            bindings = bind_params(query, {})
            text_file = Path(tmp) / f"{name}.rq"
            text_file.write_text(insert_values(query.text, values_block(bindings)) if bindings else query.text)
            texts[name] = text_file
            times[name] = {"before": [], "after": [], "script": []}
            cpus[name] = {"before": [], "after": [], "script": []}
        for turn in range(args.rounds):
            for name, text_file in texts.items():
                runs = [
                    ("before", [*XJKG, "query", name, "-f", "json"], before_env),
                    ("after", [*XJKG, "query", name, "-f", "json"], None),
                    ("script", [sys.executable, "-c", BASELINE_QUERY, str(GRAPH_FILE), str(text_file), "JSON"], None),
                ]
                for kind, command, env in runs if turn % 2 == 0 else reversed(runs):
                    wall, cpu = _run(command, env)
                    times[name][kind].append(wall)
                    cpus[name][kind].append(cpu)
    # Wall time is what a person waits for; CPU time moves less with the load of a shared machine.
    for measure, found_all in (("wall", times), ("cpu", cpus)):
        ratios: dict[str, list[float]] = {"before": [], "after": []}
        for name, found in found_all.items():
            before, after, script = (statistics.median(found[k]) for k in ("before", "after", "script"))
            ratios["before"].append(before / script)
            ratios["after"].append(after / script)
            print(
                f"{measure:4} {name:28} before {before * 1000:5.0f} ms  after {after * 1000:5.0f} ms"
                f"  script {script * 1000:5.0f} ms  {before / script:4.2f}x -> {after / script:4.2f}x"
            )
        for kind, ratio in ratios.items():
            print(f"{measure} {kind}: median {statistics.median(ratio):.2f}x, worst {max(ratio):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
