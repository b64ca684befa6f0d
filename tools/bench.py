"""Time the doc tests against the floor: a fresh process that imports torch and builds one
100352 x 4096 table, the least any run of this lesson's snippets can cost.

    python tools/bench.py [--runs N]

Each command runs N times in a fresh process; the median wall time and the largest peak
RSS are printed with their ratios and the budgets from the issue. Then the workbook checker
on each lesson's solution, against its own floor (tools/bench_checker.py).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench_checker

ROOT = Path(__file__).resolve().parent.parent
GiB = 2**30
BUDGET_WALL_RATIO = 2.0
BUDGET_DOCTEST_RSS = 2.5 * GiB

FLOOR = [sys.executable, "-c", "import torch; torch.nn.Embedding(100352, 4096, padding_idx=0)"]
DOCTESTS = [sys.executable, "-m", "pytest", "snippets", "-q"]


def measure(cmd):
    """Wall seconds and peak RSS (bytes) of one run of cmd and the children it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss * 1024  # Linux reports kilobytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results = {}
    for name, cmd in [("floor", FLOOR), ("doc tests", DOCTESTS)]:
        samples = [measure(cmd) for _ in range(runs)]
        results[name] = (statistics.median(w for w, _ in samples), max(r for _, r in samples))
        print(
            f"{name:<10} wall {results[name][0]:6.2f} s (median of {runs})"
            f"   peak RSS {results[name][1] / GiB:5.2f} GiB"
        )
    (floor_wall, floor_rss), (doc_wall, doc_rss) = results["floor"], results["doc tests"]
    wall_ratio, rss_ratio = doc_wall / floor_wall, doc_rss / floor_rss
    print(
        f"ratio      wall {wall_ratio:6.2f}x (budget {BUDGET_WALL_RATIO}x)"
        f"   peak RSS {rss_ratio:5.2f}x (budget {BUDGET_DOCTEST_RSS / GiB} GiB absolute)"
    )
    over = []
    if wall_ratio > BUDGET_WALL_RATIO:
        over.append(f"doc tests take {wall_ratio:.2f}x the floor's wall time")
    if doc_rss > BUDGET_DOCTEST_RSS:
        over.append(f"doc tests peak at {doc_rss / GiB:.2f} GiB")
    for line in over:
        print(f"OVER BUDGET: {line}")
    checker_status = bench_checker.main(["--runs", str(runs)])
    return 1 if over or checker_status else 0


if __name__ == "__main__":
    sys.exit(main())
