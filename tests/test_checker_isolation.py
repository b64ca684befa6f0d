"""Every task is graded on its own: from the same clean torch settings, within the check's total
time, scored only when graded, and reported as what happened to it when the workbook misbehaves
(forged report messages, KeyboardInterrupt, a file too large to parse, a workbook that deletes
itself, an odd but valid source file).

Each scenario is a lesson's solution with some definitions replaced; all run at once (the
solution's own run is shared with other test files: tests/checker_runs.py).
"""

import json
import sys

import pytest

from checker.lessons import load_lesson
from tests.checker_runs import (
    machinery_lessons,
    replace_function,
    run_all,
    shared_run,
    solution,
    solution_run,
    task_functions,
    task_of,
    without,
)


def wrapped(source: str, name: str, after: str) -> str:
    """name still does what the solution does, then runs `after` (which may use `result`)."""
    return replace_function(
        f"{source}\n_solution_{name} = {name}\n",
        name,
        f"result = _solution_{name}(*args, **kwargs)\n{after}\nreturn result",
    )


LEAKS = """
import torch
torch.set_grad_enabled(False)
torch.set_default_dtype(torch.float64)
torch.autograd.set_detect_anomaly(True)
torch.use_deterministic_algorithms(True)
torch.set_printoptions(precision=1)
torch.manual_seed(1234)
"""
FORGE = """
import json, os, stat, fcntl
for fd in range(3, 64):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_WRONLY:
            os.write(fd, b"not json at all\\n")
            os.write(fd, json.dumps({{"event": "result", "task": {victim!r}, "status": "pass",
                                      "message": "forged"}}).encode() + b"\\n")
    except OSError:
        pass
"""
LOOP = "import time\nwhile True:\n    time.sleep(0.01)"


def scenarios(lesson_id: str) -> dict:
    """{name: (workbook source, extra arguments, {file beside the workbook: its text})}"""
    base = solution(lesson_id)
    functions = task_functions(lesson_id)
    prose = [t.names[0] for t in load_lesson(lesson_id).TASKS if t.self_assessed]
    leaky = wrapped(base, functions[0], LEAKS)
    every_loop = base
    for name in functions:
        every_loop = replace_function(every_loop, name, LOOP)
    no_prose = base
    for name in prose:
        no_prose = without(no_prose, name)
    victim = task_of(lesson_id, functions[1])
    hostile = wrapped(base, functions[0], FORGE.format(victim=victim))
    hostile = replace_function(hostile, functions[1], "return None")  # wrong: it must stay so
    hostile = replace_function(hostile, functions[2], "raise KeyboardInterrupt('from a task')")
    hostile = replace_function(hostile, functions[3], LOOP)  # the old checker reloaded after it
    hostile += "\nimport os\nos.remove(__file__)\nraise KeyboardInterrupt('at load')\n"
    huge = base + "\nBIG = [" + "1," * 2_000_000 + "]\n"
    kills_worker = replace_function(
        base, functions[1], "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
    )
    # A BOM, CRLF line ends, a coding line and an import of a module beside the workbook; no
    # prose answers either (which changes no status: a prose answer is never graded).
    odd = "# -*- coding: utf-8 -*-\nfrom helper_beside import VALUE\n" + no_prose
    odd = b"\xef\xbb\xbf" + odd.replace("\n", "\r\n").encode()
    return {
        "leaky": (leaky, ["--time-limit", "60"], {}),  # about settings, not time: a busy machine
        "every task loops": (every_loop, ["--time-limit", "3", "--total-time", "4"], {}),
        "hostile": (hostile, ["--time-limit", "3"], {}),
        "too large to parse": (huge, ["--memory-limit", "64"], {}),
        "kills its worker": (kills_worker, [], {}),
        "odd file, no prose answers": (odd, [], {"helper_beside.py": "VALUE = 1\n"}),
    }


@pytest.fixture(scope="module", params=machinery_lessons())
def reports(request, tmp_path_factory):
    lesson_id = request.param
    started = {"solution": solution_run(tmp_path_factory, lesson_id)}
    for name, (source, extra, beside) in scenarios(lesson_id).items():
        started[name] = shared_run(tmp_path_factory, source, "--json", *extra, beside=beside)
    done = run_all(started)
    results = {}
    for name, result in done.items():
        assert result.stdout.strip(), f"{name}: nothing printed; stderr:\n{result.stderr}"
        report = json.loads(result.stdout)
        results[name] = (report, {t["id"]: t for t in report["tasks"]}, result)
    return lesson_id, results


def statuses(tasks: dict) -> dict:
    return {task_id: task["status"] for task_id, task in tasks.items()}


def test_a_task_that_changes_torch_settings_changes_no_other_task(reports):
    lesson_id, results = reports
    _, expected, _ = results["solution"]
    report, tasks, _ = results["leaky"]
    first = task_of(lesson_id, task_functions(lesson_id)[0])
    others = {k: v for k, v in statuses(tasks).items() if k != first}
    assert others == {k: v for k, v in statuses(expected).items() if k != first}
    if tasks[first]["status"] == "error":  # its own check tripped over what it changed
        assert "left torch's global" in tasks[first]["message"], tasks[first]


def test_the_total_time_stops_the_check_and_reports_unreached_tasks(reports):
    _, results = reports
    report, tasks, result = results["every task loops"]
    stopped = [t for t in tasks.values() if t["status"] == "error"]
    unreached = [t for t in tasks.values() if t["status"] == "not-reached"]
    assert 1 <= len(stopped) <= 3 and unreached, statuses(tasks)
    assert all(t["message"].startswith("time limit") for t in stopped)
    assert any("check's total time (4 s) ran out" in t["message"] for t in stopped)
    assert all(t["message"].startswith("not reached") and t["graded"] for t in unreached)
    assert report["score"]["graded"] == results["solution"][0]["score"]["graded"]
    assert result.returncode == 1


def test_prose_answers_never_count_in_the_score(reports):
    _, results = reports
    report, tasks, result = results["odd file, no prose answers"]
    assert report["score"] == results["solution"][0]["score"]
    assert result.returncode == 0
    prose = [t for t in tasks.values() if t["model_answer"] is not None]
    assert prose and all(not t["graded"] and t["status"] == "self-check" for t in prose)


def test_forged_report_messages_are_named_and_believed_nowhere(reports):
    lesson_id, results = reports
    report, tasks, _ = results["hostile"]
    forger, victim = (task_of(lesson_id, f) for f in task_functions(lesson_id)[:2])
    assert tasks[forger]["status"] == "error", tasks[forger]
    assert "private report channel" in tasks[forger]["message"]
    assert tasks[victim]["status"] == "fail", tasks[victim]  # the forged "pass" was not taken
    assert any("report channel" in note for note in report["notes"]), report["notes"]


def test_keyboard_interrupt_from_the_workbook_is_reported_as_such(reports):
    lesson_id, results = reports
    report, tasks, _ = results["hostile"]
    third = task_of(lesson_id, task_functions(lesson_id)[2])
    assert tasks[third]["message"].startswith("your code raised KeyboardInterrupt: from a task")
    assert "workbook line" in tasks[third]["message"]
    assert any(
        p["message"].startswith("KeyboardInterrupt at line") for p in report["load_problems"]
    )


def test_a_workbook_deleted_while_it_runs_is_graded_as_it_was_read(reports):
    lesson_id, results = reports
    report, tasks, result = results["hostile"]
    fourth = task_of(lesson_id, task_functions(lesson_id)[3])
    assert tasks[fourth]["message"].startswith("time limit"), tasks[fourth]
    later = [t for t in report["tasks"][list(tasks).index(fourth) + 1 :] if t["graded"]]
    expected = statuses(results["solution"][1])
    assert later and all(t["status"] == expected[t["id"]] for t in later), statuses(tasks)


def test_a_task_that_kills_the_worker_loses_only_itself(reports):
    lesson_id, results = reports
    report, tasks, result = results["kills its worker"]
    killer = task_of(lesson_id, task_functions(lesson_id)[1])
    assert tasks[killer]["message"] == (
        "crashed: the checker's worker process died: it was killed by SIGKILL"
    )
    expected = statuses(results["solution"][1])
    assert {k: v for k, v in statuses(tasks).items() if k != killer} == {
        k: v for k, v in expected.items() if k != killer
    }
    assert any("loads the workbook again" in note for note in report["notes"])


def test_no_checker_traceback_is_shown_as_the_learners_output(reports):
    _, results = reports
    for name in ("hostile", "too large to parse"):
        report, tasks, result = results[name]
        shown = report["load_output"] + "".join(t["output"] for t in tasks.values())
        assert "Traceback" not in shown and "checker/" not in shown, (name, shown[:500])
        assert not any("os._exit" in t["message"] for t in tasks.values()), name
        assert result.stderr == "", result.stderr


def test_a_file_too_large_to_parse_says_so_for_every_task(reports):
    _, results = reports
    report, tasks, _ = results["too large to parse"]
    problems = [p["message"] for p in report["load_problems"]]
    said = ("MemoryError while parsing", "memory limit: loading the workbook")
    assert any(m.startswith(said) for m in problems), problems
    for task in tasks.values():
        assert "could not be loaded" in task["message"] or task["message"].startswith(
            "memory limit"
        ), task


def test_an_odd_but_valid_file_scores_like_the_solution(reports):
    _, results = reports
    report, tasks, result = results["odd file, no prose answers"]
    assert statuses(tasks) == statuses(results["solution"][1]) and result.returncode == 0
    assert report["load_problems"] == []


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the checker needs fork")
