"""Time the whole test suite, and what one more lesson adds to it, against the floor.

    python tools/bench_suite.py          (part of `make bench`)

The floor is a fresh process that imports torch and builds one 100352 x 4096 table (the
least any run of the course's doc tests costs), its median over three runs. Then, in the same
run, so that a busy machine slows both alike:

1. `make test`'s own commands (ruff, then pytest: every test, the scaffold test included);
   budget: 30 times the floor;
2. one more lesson: `make lesson` in a copy of the project, then that lesson's whole suite
   (`COURSE_LESSON=<id> pytest`, its site build included); goal: under 5 times the floor.
   The copy's build also holds the other lessons, so this is an upper bound.

Nothing is timed inside a test; the budgets live here. Exit status 1 when over budget.
Each command's whole output is kept in build/bench-suite/ (the suite's with its 25 slowest
tests), to read after a failure or to see where the time went. On Linux each line also gives
the CPU time the whole machine spent meanwhile (from /proc/stat, so Chromium, the kernels and
every other process the tests start count): when it is about the wall time times the number of
cores, the suite is bound by its work, not by waiting, and only less work makes it faster.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.build import copy_whole_project  # noqa: E402
from course.lessons import lessons, next_free_number  # noqa: E402

FLOOR = [sys.executable, "-c", "import torch; torch.nn.Embedding(100352, 4096, padding_idx=0)"]
SUITE_BUDGET, LESSON_GOAL = 30.0, 5.0
LOGS = ROOT / "build" / "bench-suite"


def machine_cpu() -> float:
    """Seconds of CPU the whole machine has spent, all cores, since boot (0 off Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(field) for field in fields]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


CPU = {}  # log name -> machine CPU seconds during that command


def timed(cmd, cwd=ROOT, env=None, log=None) -> float:
    cpu = machine_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    wall = time.perf_counter() - start
    CPU[log] = CPU.get(log, 0.0) + machine_cpu() - cpu
    if log:
        LOGS.mkdir(parents=True, exist_ok=True)
        (LOGS / log).write_text(result.stdout)
    if result.returncode != 0:
        kept = f"\n(whole output: {LOGS / log})" if log else ""
        tail = result.stdout[-3000:]
        sys.exit(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n{tail}{kept}")
    return wall


def floor() -> float:
    return statistics.median(timed(FLOOR) for _ in range(3))


def one_more_lesson(folder: Path) -> float:
    project = copy_whole_project(folder / "project")
    number = next_free_number(project)
    new_lesson = [sys.executable, "tools/new_lesson.py", number, "Bench lesson", "--root", "."]
    timed(new_lesson, cwd=project)
    (lesson,) = [lesson for lesson in lessons(project) if lesson.number == number]
    parts = ["tests", f"snippets/{lesson.id}", f"workbooks/{lesson.id}"]
    env = {**os.environ, "COURSE_LESSON": lesson.id}
    pytest = [sys.executable, "-m", "pytest", "-q", "--durations=25", *parts]
    return timed(pytest, cwd=project, env=env, log="one-more-lesson.log")


def main() -> int:
    base = floor()
    print(f"floor        {base:7.1f} s  (import torch + one 100352 x 4096 table, median of 3)")
    suite = timed([sys.executable, "-m", "ruff", "check", "."], log="ruff.log") + timed(
        [sys.executable, "-m", "pytest", "-q", "--durations=25"], log="suite.log"
    )
    print(
        f"make test    {suite:7.1f} s  {suite / base:5.1f}x the floor (budget {SUITE_BUDGET:.0f}x)"
        f"; CPU {CPU['ruff.log'] + CPU['suite.log']:.0f} s on {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as folder:
        extra = one_more_lesson(Path(folder))
    print(
        f"+1 lesson    {extra:7.1f} s  {extra / base:5.1f}x the floor"
        f" (goal under {LESSON_GOAL:.0f}x); CPU {CPU['one-more-lesson.log']:.0f} s"
    )
    over = []
    if suite / base > SUITE_BUDGET:
        over.append(f"make test takes {suite / base:.1f}x the floor")
    if extra / base > LESSON_GOAL:
        over.append(f"one more lesson takes {extra / base:.1f}x the floor")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
