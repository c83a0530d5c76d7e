"""Measure ``xjkg serve`` under attack (README "Robustness"): `.venv/bin/python bench/hostile.py [--runaways N]`.

Starts a real server on 127.0.0.1 (``--port 0``) over the test graph, then prints, one line each:
how long each parse-bomb shape of the hostile suite takes to be refused at 12 KB and 100 KB; the latency of a
one-triple ASK from one address while N runaway cross-joins come from another (the per-client share) and while
they come from N addresses (every worker busy); how long SIGTERM takes to stop the server with runaways in
flight; the address space of an idle worker. Loopback only, bounded in requests and time.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from server_graph import live_server, write_fixture  # noqa: E402
from test_hostile_server import ASK, BOMBS, RUNAWAY, bomb, children  # noqa: E402


def _client(url: str, address: str = "127.0.0.1", timeout: float = 120) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=timeout, transport=httpx.HTTPTransport(local_address=address))


def _ask_latency(url: str, count: int) -> list[float]:
    times = []
    with _client(url) as http:
        for _ in range(count):
            started = time.perf_counter()
            answer = http.get("/sparql", params={"query": ASK})
            times.append(time.perf_counter() - started)
            assert answer.status_code in (200, 503), answer.text
            if answer.status_code != 200:
                times[-1] = float("inf")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runaways", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xjkg-hostile-bench-"))
    graph_file, queries = write_fixture(folder)
    extra = ("--timeout", str(args.timeout), "--workers", "2")
    with live_server(graph_file, folder / "serve.log", *extra, queries=queries) as live:
        worst = 0.0
        with _client(live.url) as http:
            for shape in sorted(BOMBS):
                for chars in (12_000, 100_000):
                    started = time.perf_counter()
                    answer = http.post("/sparql", data={"query": bomb(shape, chars)})
                    worst = max(worst, time.perf_counter() - started)
                    assert answer.status_code == 400, (shape, chars, answer.text)
        print(f"parse bombs: {len(BOMBS)} shapes x 12 KB and 100 KB refused with 400, slowest {worst * 1000:.0f} ms")
        idle = _ask_latency(live.url, 10)
        print(f"ASK, idle server: median {statistics.median(idle) * 1000:.0f} ms")
        for label, addresses in (
            ("from one other address", ["127.0.0.2"] * args.runaways),
            ("from as many addresses", [f"127.0.0.{2 + i}" for i in range(args.runaways)]),
        ):
            with concurrent.futures.ThreadPoolExecutor(max_workers=args.runaways) as pool:

                def runaway(address: str) -> int:
                    with _client(live.url, address) as http:
                        return http.get("/sparql", params={"query": RUNAWAY}).status_code

                futures = [pool.submit(runaway, a) for a in addresses]
                time.sleep(0.5)  # a measurement, not a test: let the runaways take the workers
                times = _ask_latency(live.url, 5)
                statuses = sorted({f.result() for f in futures})
            shown = ", ".join("503" if t == float("inf") else f"{t * 1000:.0f} ms" for t in times)
            under = f"ASK under {args.runaways} runaways {label} (--timeout {args.timeout:g})"
            print(f"{under}: {shown}; runaways {statuses}")
        workers = children(live.pid)
        for pid in workers:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmSize"):
                    print(f"idle worker {pid}: {line.split(':')[1].strip()} address space")
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:

            def send(address: str) -> None:
                with contextlib.suppress(httpx.HTTPError), _client(live.url, address) as http:
                    http.get("/sparql", params={"query": RUNAWAY})

            for i in range(2):
                pool.submit(send, f"127.0.0.{9 + i}")
            time.sleep(0.5)
            started = time.perf_counter()
            live.process.send_signal(signal.SIGTERM)
            live.process.wait(30)
            print(f"SIGTERM with 2 runaways running: stopped in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
