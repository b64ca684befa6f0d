"""For every lesson, the checker grades its workbook end to end: the reference solution scores
100 %, the empty workbook 0 % with "not done yet" on each task, both define the same names, and
`make check` prints each task with a link into the lesson. (Each lesson's own mistakes and
wrong answers are tested beside its checks, in workbooks/<lesson>/.)"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.lessons import load_lesson
from checker.quiz_source import site_url
from course import ROOT
from course.lessons import lessons
from tests.checker_runs import make_check_run, run_all, solution_run, workbook_run

SELF = "self-check"


@pytest.fixture(scope="module", params=lessons(), ids=str)
def runs(request, tmp_path_factory):
    """The checker's JSON report on the lesson's solution and on its empty workbook, run at
    once; {"solution"|"workbook": (report, returncode, stderr)}, plus the lesson."""
    lesson = request.param
    running = {
        "solution": solution_run(tmp_path_factory, lesson.id),
        "workbook": workbook_run(tmp_path_factory, lesson.id),
    }
    results = {"lesson": lesson}
    for name, done in run_all(running).items():
        out, err = done.stdout, done.stderr
        assert out.strip(), f"{lesson.id}: the checker printed nothing for {name}; stderr:\n{err}"
        results[name] = (json.loads(out), done.returncode, err)
    return results


def test_reference_solution_scores_100_percent(runs):
    report, returncode, stderr = runs["solution"]
    graded = [t for t in load_lesson(runs["lesson"].id).TASKS if not t.self_assessed]
    failing = {t["id"]: t["message"] for t in report["tasks"] if t["status"] not in ("pass", SELF)}
    assert not failing, failing
    assert report["score"] == {"passed": len(graded), "graded": len(graded), "percent": 100.0}
    assert returncode == 0 and report["load_problems"] == [] and stderr.strip() == ""


def test_the_empty_workbook_scores_zero_with_not_done_messages(runs):
    report, returncode, stderr = runs["workbook"]
    assert returncode == 1 and report["score"]["passed"] == 0 and stderr.strip() == ""
    assert {t["status"] for t in report["tasks"]} <= {"todo", SELF}, report["tasks"]
    todo = [t for t in report["tasks"] if t["status"] == "todo"]
    assert todo and all(t["message"].startswith("not done yet") for t in todo), todo


def test_every_hint_is_a_link_into_the_lesson(runs):
    lesson_url = f"{site_url()}{runs['lesson'].id}/"
    for name in ("solution", "workbook"):
        for task in runs[name][0]["tasks"]:
            assert task["hint"].startswith(lesson_url), (name, task)


def defined_names(path: Path) -> set[str]:
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return found


def test_workbook_and_solution_define_the_same_names_and_every_task_name(lesson):
    workbook, solution = lesson.workbooks / "workbook.py", lesson.workbooks / "solution.py"
    assert defined_names(workbook) == defined_names(solution)
    needed = {name for task in load_lesson(lesson.id).TASKS for name in task.names}
    assert needed <= defined_names(workbook), sorted(needed - defined_names(workbook))


def test_make_check_prints_each_task_and_a_link(lesson, tmp_path_factory):
    result = make_check_run(tmp_path_factory, lesson.id).result()
    assert result.returncode != 0
    first = load_lesson(lesson.id).TASKS[0]
    assert f"] {first.title}\n" in result.stdout, result.stdout
    assert f"read:     {site_url()}{lesson.id}/{first.hint}" in result.stdout, result.stdout
    assert "Score: " in result.stdout


def test_a_missing_workbook_is_a_usage_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "checker", str(tmp_path / "nope.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "no workbook at" in result.stderr
