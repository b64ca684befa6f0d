"""Time and measure the workbook checker on each lesson's reference solution, against the floor.

    python tools/bench_checker.py [--runs N]

The floor is a fresh process that imports torch: the checker's worker must do that much, so
the difference is the checker's own cost (starting its processes, loading the workbook, one
forked process per task, cleaning up). Runs alternate floor and checker, N times each; the
medians are compared. Memory is measured on one more run: the largest single process's peak
RSS (what /usr/bin/time reports) and the peak of all the check's processes together (summed
PSS, so pages shared between them count once), sampled every 20 ms. Budgets: the issue's
"about 2 s and 250 MB" on an idle machine, where importing torch takes about 1 s.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import processes  # noqa: E402
from checker.lessons import lesson_ids  # noqa: E402

MB = 10**6
BUDGET_OVER_FLOOR_S = 1.0
BUDGET_PEAK_RSS = 250 * MB
BUDGET_ALL_PROCESSES = 300 * MB
FLOOR = [sys.executable, "-c", "import torch"]


def checker_command(lesson_id: str) -> list[str]:
    solution = ROOT / "workbooks" / lesson_id / "solution.py"
    return [sys.executable, "-m", "checker", str(solution)]


def run(cmd, sample_memory: bool = False) -> tuple[float, int, int]:
    """Wall seconds, peak RSS of the largest process, peak summed PSS (0 unless sampled)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            tree = [proc.pid, *processes.descendants([proc.pid])]
            peak[0] = max(peak[0], _pss(tree))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    if sample_memory:
        sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} exited with {code}")
    return wall, usage.ru_maxrss * 1024, peak[0]


def _pss(pids) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith(b"Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total * 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args(argv).runs
    over = []
    for lesson_id in lesson_ids():
        floor, check = [], []
        for _ in range(runs):  # alternated, so a busy spell hurts both alike
            floor.append(run(FLOOR)[0])
            check.append(run(checker_command(lesson_id))[0])
        _, peak_rss, all_processes = run(checker_command(lesson_id), sample_memory=True)
        floor_s, check_s = statistics.median(floor), statistics.median(check)
        print(
            f"checker {lesson_id}: wall {check_s:.2f} s (median of {runs}), floor (import "
            f"torch) {floor_s:.2f} s, over the floor {check_s - floor_s:+.2f} s "
            f"(budget {BUDGET_OVER_FLOOR_S:+.1f} s)"
        )
        print(
            f"checker {lesson_id}: peak RSS of the largest process {peak_rss / MB:.0f} MB "
            f"(budget {BUDGET_PEAK_RSS / MB:.0f}), all its processes together "
            f"{all_processes / MB:.0f} MB PSS (budget {BUDGET_ALL_PROCESSES / MB:.0f})"
        )
        if check_s - floor_s > BUDGET_OVER_FLOOR_S:
            over.append(f"the check of {lesson_id} takes {check_s - floor_s:.2f} s over the floor")
        if peak_rss > BUDGET_PEAK_RSS:
            over.append(f"the check of {lesson_id} peaks at {peak_rss / MB:.0f} MB RSS")
        if all_processes > BUDGET_ALL_PROCESSES:
            over.append(f"the check of {lesson_id} uses {all_processes / MB:.0f} MB in all")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
