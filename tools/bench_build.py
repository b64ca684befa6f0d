"""Time the site build: cold (the lab notebooks executed) and a rebuild with no change.

    python tools/bench_build.py [--runs N]

"Cold" empties mkdocs-jupyter's execution cache (.cache/mkdocs-jupyter) first, so every
lab runs in a fresh kernel, as on a fresh clone or after a dependency change; the rebuild
right after it finds every lab in the cache. Each is `properdocs build --strict`, as `make
build` runs it, into a temporary folder. Prints the median of N runs of each against the
budgets (30 s cold, 5 s rebuild) and exits 1 if one is over.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.build import build  # noqa: E402

CACHE = ROOT / ".cache" / "mkdocs-jupyter"
BUDGETS = {"cold build": 30.0, "rebuild": 5.0}


def build_seconds(site: Path) -> float:
    start = time.perf_counter()
    result = build(ROOT, site)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(result.args)} failed ({result.returncode}):\n{result.stderr}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    samples = {name: [] for name in BUDGETS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            shutil.rmtree(CACHE, ignore_errors=True)
            samples["cold build"].append(build_seconds(Path(tmp) / "site"))
            samples["rebuild"].append(build_seconds(Path(tmp) / "site"))
    over = []
    for name, budget in BUDGETS.items():
        median = statistics.median(samples[name])
        print(
            f"{name:<10} wall {median:6.2f} s (median of {runs}; budget {budget:.0f} s)"
            f"   runs: {', '.join(f'{s:.2f}' for s in samples[name])}"
        )
        if median > budget:
            over.append(f"{name} takes {median:.2f} s, over its {budget:.0f} s")
    load = os.getloadavg()[0]
    print(f"load average (1 min) {load:.2f} on {os.cpu_count()} cores: timings include it")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
