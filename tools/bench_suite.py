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
the CPU time the whole machine spent meanwhile (from /proc/stat, so Chromium, the notebook
kernels and every other process the tests start count): when it is about the wall time times
the number of cores, the suite is bound by its work, not by waiting, and only less work makes
it faster.
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


def machine_cpu() -> float | None:
    """Seconds of CPU the whole machine has spent, all cores, since boot; None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(field) for field in fields]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


class Timed:
    """Wall time and, on Linux, the machine's CPU time of some commands run one after another."""

    def __init__(self):
        self.wall, self.cpu = 0.0, 0.0

    def run(self, cmd, cwd=ROOT, env=None, log=None) -> "Timed":
        """Run a command; exit with its output's end (all of it kept in LOGS/log) if it fails."""
        cpu, start = machine_cpu(), time.perf_counter()
        result = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.wall += time.perf_counter() - start
        self.cpu = None if cpu is None or self.cpu is None else self.cpu + machine_cpu() - cpu
        if log:
            LOGS.mkdir(parents=True, exist_ok=True)
            (LOGS / log).write_text(result.stdout)
        if result.returncode != 0:
            kept = f"\n(whole output: {LOGS / log})" if log else ""
            tail = result.stdout[-3000:]
            sys.exit(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n{tail}{kept}")
        return self

    def cpu_text(self) -> str:
        return "" if self.cpu is None else f"; CPU {self.cpu:.0f} s on {os.cpu_count()} cores"


def floor() -> float:
    return statistics.median(Timed().run(FLOOR).wall for _ in range(3))


def one_more_lesson(folder: Path) -> Timed:
    project = copy_whole_project(folder / "project")
    number = next_free_number(project)
    new_lesson = [sys.executable, "tools/new_lesson.py", number, "Bench lesson", "--root", "."]
    Timed().run(new_lesson, cwd=project)
    (lesson,) = [lesson for lesson in lessons(project) if lesson.number == number]
    parts = ["tests", f"snippets/{lesson.id}", f"workbooks/{lesson.id}"]
    env = {**os.environ, "COURSE_LESSON": lesson.id}
    pytest = [sys.executable, "-m", "pytest", "-q", "--durations=25", *parts]
    return Timed().run(pytest, cwd=project, env=env, log="one-more-lesson.log")


def main() -> int:
    base = floor()
    print(f"floor        {base:7.1f} s  (import torch + one 100352 x 4096 table, median of 3)")
    suite = Timed().run([sys.executable, "-m", "ruff", "check", "."], log="ruff.log")
    suite.run([sys.executable, "-m", "pytest", "-q", "--durations=25"], log="suite.log")
    ratio = suite.wall / base
    print(
        f"make test    {suite.wall:7.1f} s  {ratio:5.1f}x the floor (budget {SUITE_BUDGET:.0f}x)"
        + suite.cpu_text()
    )
    with tempfile.TemporaryDirectory() as folder:
        extra = one_more_lesson(Path(folder))
    extra_ratio = extra.wall / base
    print(
        f"+1 lesson    {extra.wall:7.1f} s  {extra_ratio:5.1f}x the floor"
        f" (goal under {LESSON_GOAL:.0f}x)" + extra.cpu_text()
    )
    over = []
    if ratio > SUITE_BUDGET:
        over.append(f"make test takes {ratio:.1f}x the floor")
    if extra_ratio > LESSON_GOAL:
        over.append(f"one more lesson takes {extra_ratio:.1f}x the floor")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
