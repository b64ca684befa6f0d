"""Nothing a check starts outlives it: not on a signal, a timeout, a closed terminal, a kill -9
of the checker, nor at a normal end; and a task's memory limit covers all its processes.

Each scenario is a real checker run on a lesson's solution whose first task function starts a
looping child, a detached grandchild (new session, double fork) and then loops itself. Every
process of a run carries a unique environment mark, so the test can find any survivor.
"""

import os
import pty
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.checker_runs import (
    environment,
    machinery_lessons,
    marked_processes,
    marker,
    replace_function,
    solution,
    start,
    task_functions,
    task_of,
    wait_until_none_marked,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")

LOOPING = """
import os, subprocess, sys, time
marks = {marks!r}
os.makedirs(marks, exist_ok=True)
subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(0.05)"])
if os.fork() == 0:  # a grandchild that detaches itself
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(0.05)
    os._exit(0)
with open(os.path.join(marks, "cwd"), "w") as handle:
    handle.write(os.getcwd())
os.rename(os.path.join(marks, "cwd"), os.path.join(marks, "ready"))
while True:
    time.sleep(0.01)
"""
# (how the checker is stopped, the exit status expected)
STOPS = {
    "SIGTERM": 128 + signal.SIGTERM,
    "SIGHUP": 128 + signal.SIGHUP,
    "SIGINT": 128 + signal.SIGINT,
    "SIGKILL": -signal.SIGKILL,
    "timeout": 124,  # timeout(1) sends SIGTERM (to the checker's whole group) and reports 124
    "closed terminal": 128 + signal.SIGHUP,
}
LIMITS = ["--time-limit", "120", "--total-time", "240"]
MEMORY_HOG = """
import subprocess, sys, time
hog = "import time; data = b'x' * (700 << 20); time.sleep(120)"
children = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(3)]
time.sleep(60)
"""
DETACHED = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
time.sleep(0.5)
return None
"""


def looping_workbook(folder: Path, lesson_id: str) -> Path:
    folder.mkdir(parents=True)
    first = task_functions(lesson_id)[0]
    path = folder / "loop.py"
    path.write_text(replace_function(solution(lesson_id), first, LOOPING.format(marks=str(folder))))
    return path


def wait_for(path: Path, seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"the looping task never started ({path} missing)"
        time.sleep(0.1)


def start_in_terminal(workbook: Path, env: dict) -> int:
    """Start the checker as the session leader of a new pseudo-terminal; return its pid and
    the terminal's fd, which the caller closes to hang it up."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workbook.parent)
        argv = [sys.executable, "-m", "checker", str(workbook), *LIMITS]
        os.execve(sys.executable, argv, env)
    return pid, fd


def start_heavy(lesson_id: str, folder: Path):
    """A run whose first task starts three 700 MiB processes (1 GiB limit) and whose second
    leaves a detached process behind, then returns normally."""
    first, second = task_functions(lesson_id)[:2]
    source = replace_function(solution(lesson_id), first, MEMORY_HOG)
    workbook = folder / "heavy.py"
    workbook.write_text(replace_function(source, second, DETACHED))
    mark = marker()
    limits = ["--memory-limit", "1024", "--time-limit", "90", "--total-time", "200"]
    env = environment(CHECKER_TEST_MARK=mark)
    return start(workbook, "--json", *limits, env=env), mark, time.monotonic(), first


@pytest.fixture(scope="module", params=machinery_lessons())
def checks(request, tmp_path_factory):
    """Every way of stopping a checker in the middle of an endless task, and the heavy run,
    all at once: {"stopped": {how: (exit status, stderr, folder, mark)}, "heavy": (...)}."""
    heavy, heavy_mark, heavy_start, hog = start_heavy(
        request.param, tmp_path_factory.mktemp("heavy")
    )
    runs = {}
    for how in STOPS:
        folder = tmp_path_factory.mktemp("stop") / how.replace(" ", "-")
        workbook = looping_workbook(folder, request.param)
        mark = marker()
        (folder / "tmp").mkdir()  # the checker's temporary folder goes in here
        env = environment(CHECKER_TEST_MARK=mark, TMPDIR=str(folder / "tmp"))
        if how == "closed terminal":
            runs[how] = (start_in_terminal(workbook, env), folder, mark)
        else:
            command = [sys.executable, "-m", "checker"]
            if how == "timeout":
                command = ["timeout", "300", *command]
            runs[how] = (start(workbook, *LIMITS, command=command, env=env), folder, mark)
    results = {}
    for how, (process, folder, mark) in runs.items():
        wait_for(folder / "ready")
        if how == "closed terminal":
            pid, fd = process
            os.close(fd)  # the terminal goes away: the kernel sends SIGHUP to the checker
            _, status = os.waitpid(pid, 0)
            results[how] = (os.waitstatus_to_exitcode(status), "", folder, mark)
            continue
        if how == "timeout":
            # timeout(1)'s own timer signal, SIGALRM, now that the task loops: its time is
            # up, with no wait for it
            process.send_signal(signal.SIGALRM)
        else:
            process.send_signal(getattr(signal, how))
        _, err = process.communicate(timeout=120)
        results[how] = (process.returncode, err, folder, mark)
    out, _ = heavy.communicate(timeout=300)
    seconds = time.monotonic() - heavy_start
    return {"stopped": results, "heavy": (request.param, out, heavy_mark, seconds, hog)}


@pytest.fixture(scope="module")
def stopped(checks):
    return checks["stopped"]


@pytest.fixture(scope="module")
def heavy(checks):
    return checks["heavy"]


@pytest.mark.parametrize("how", list(STOPS))
def test_a_stopped_checker_leaves_no_process_and_no_folder(stopped, how):
    returncode, stderr, folder, mark = stopped[how]
    assert returncode == STOPS[how], (returncode, stderr)
    assert wait_until_none_marked(mark) == [], f"still running after {how}"
    assert Path((folder / "ready").read_text()).parent.parent == folder / "tmp"
    end = time.monotonic() + 10  # after a kill -9 the keeper removes it, a moment later
    while list((folder / "tmp").iterdir()) and time.monotonic() < end:
        time.sleep(0.1)
    assert list((folder / "tmp").iterdir()) == [], f"left behind after {how}"


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_checker_says_one_line_not_a_traceback(stopped, how):
    stderr = stopped[how][1]
    assert stderr.strip().count("\n") == 0 and "Traceback" not in stderr, stderr
    assert stderr.startswith(f"checker stopped by {how}"), stderr


def test_the_memory_limit_covers_all_the_processes_of_a_task(heavy):
    import json

    lesson_id, out, _, seconds, first = heavy
    task = {t["id"]: t for t in json.loads(out)["tasks"]}[task_of(lesson_id, first)]
    assert task["status"] == "error" and task["message"].startswith("memory limit"), task
    assert "processes together" in task["message"], task
    assert seconds < 60, f"the task was not stopped when it went over ({seconds:.0f} s)"


def test_nothing_the_workbook_started_survives_a_normal_end(heavy):
    assert wait_until_none_marked(heavy[2], seconds=5) == []


def test_ctrl_c_while_the_worker_starts_stops_everything(tmp_path):
    workbook = tmp_path / "solution.py"
    workbook.write_text(solution(machinery_lessons()[0]))
    mark = marker()
    process = start(workbook, env=environment(CHECKER_TEST_MARK=mark))
    while not any("checker.worker" in p for p in marked_processes(mark)):
        time.sleep(0.01)  # until the keeper runs: then the worker is importing torch
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGINT, err
    assert err.startswith("checker stopped by SIGINT") and "Traceback" not in err, err
    assert wait_until_none_marked(mark) == []
