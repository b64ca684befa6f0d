"""Turn a run's results into the text a learner reads, or JSON for a script that wraps the checker.

The JSON document (`--json`, schema_version 1; README "The workbook checker" lists every key):
every key is present in every document and every task, null when it does not apply.
"""

import json
import platform

from checker.tasks import NOT_REACHED, PASS, SELF, UNGRADED

SCHEMA_VERSION = 1
MARKS = {
    "pass": "PASS",
    "fail": "FAIL",
    "todo": "TODO",
    "error": "ERROR",
    "not-reached": "NOT RUN",
    "ungraded": "NOT GRADED",
    "self-check": "SELF-CHECK",
}
TASK_KEYS = (
    "id",
    "title",
    "status",
    "graded",
    "message",
    "expected",
    "got",
    "output",
    "hint",
    "model_answer",
)


def _document(outcome: str, lesson_id, workbook, **parts) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "outcome": outcome,  # pass | fail | cannot-run
        "error": parts.get("error"),
        "lesson": lesson_id,
        "workbook": str(workbook),
        "python": platform.python_version(),
        "torch": parts.get("torch"),
        "load_problems": parts.get("load_problems", []),
        "load_output": parts.get("load_output", ""),
        "notes": parts.get("notes", []),
        "tasks": parts.get("tasks", []),
        "score": parts.get("score", {"passed": 0, "graded": 0, "percent": 0.0}),
    }


def build(lesson, workbook, run, site_url: str, torch_pin: str = "") -> dict:
    lesson_url = f"{site_url}{lesson.LESSON_ID}/"
    tasks = []
    for task in lesson.TASKS:
        result = run.results[task.id]
        tasks.append(
            {
                "id": task.id,
                "title": task.title,
                "status": result["status"],
                # prose answers are never graded; neither is a task the checker cannot grade
                "graded": not task.self_assessed and result["status"] != UNGRADED,
                "message": result.get("message") or "",
                "expected": result.get("expected"),
                "got": result.get("got"),
                "output": result.get("output") or "",
                "hint": lesson_url + (result.get("hint") or task.hint),
                "model_answer": task.model_answer if task.self_assessed else None,
            }
        )
    graded = [t for t in tasks if t["graded"]]
    passed = sum(t["status"] == PASS for t in graded)
    notes = list(run.notes)
    pinned = torch_pin.partition("==")[2]
    if pinned and run.torch_version and run.torch_version.split("+")[0] != pinned:
        notes.append(
            f"checked with torch {run.torch_version}; the course pins torch {pinned}, the version "
            "its outputs were produced with"
        )
    return _document(
        "pass" if passed == len(graded) else "fail",
        lesson.LESSON_ID,
        workbook,
        torch=run.torch_version,
        load_problems=run.load_problems,
        load_output=run.load_output,
        notes=notes,
        tasks=tasks,
        score={
            "passed": passed,
            "graded": len(graded),
            "percent": round(100 * passed / len(graded), 1) if graded else 0.0,
        },
    )


def cannot_run(lesson_id, workbook, error: str) -> dict:
    return _document("cannot-run", lesson_id, workbook, error=error)


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.rstrip().splitlines())


def as_text(report: dict) -> str:
    lines = [f"Checking {report['workbook']} (lesson {report['lesson']})", ""]
    for problem in report["load_problems"]:
        lost = ", ".join(f"`{n}`" for n in problem["names"]) or "nothing the tasks need"
        lines.append(f"! workbook line {problem['line']}: {problem['message']} (lost: {lost})")
    if report["load_output"].strip():
        lines += ["! the workbook printed while loading:", _indent(report["load_output"])]
    for note in report["notes"]:
        lines.append(f"! {note}")
    if lines[-1]:
        lines.append("")
    for task in report["tasks"]:
        lines.append(f"[{MARKS[task['status']]:>10}] {task['title']}")
        lines.append(f"      {task['message']}")
        if task["status"] == PASS:
            continue
        if task["expected"] is not None or task["got"] is not None:
            if task["expected"] is not None:
                lines.append(f"      expected: {task['expected']}")
            lines.append(f"      got:      {task['got']}")
        if task["status"] == SELF:
            lines.append(_indent("model answer: " + task["model_answer"]))
        if task["status"] not in (UNGRADED, NOT_REACHED):
            lines.append(f"      read:     {task['hint']}")
        if task["output"].strip():
            lines += ["      your code printed:", _indent(task["output"], "        | ")]
    score = report["score"]
    lines += [
        "",
        f"Score: {score['passed']}/{score['graded']} graded tasks passed ({score['percent']:g} %).",
    ]
    prose = [t for t in report["tasks"] if t["status"] == SELF]
    if prose:
        lines.append(
            f"{len(prose)} answer(s) in your own words are not graded: compare them with the "
            "model answers above."
        )
    ungraded = [t for t in report["tasks"] if t["status"] == UNGRADED]
    if ungraded:
        reason = ungraded[0]["message"].removeprefix("not graded: ")
        lines.append(f"{len(ungraded)} task(s) not graded: {reason}")
    unreached = [t for t in report["tasks"] if t["status"] == NOT_REACHED]
    if unreached:
        lines.append(f"{len(unreached)} task(s) not run: the check's total time ran out.")
    return "\n".join(lines)


def as_json(report: dict) -> str:
    return json.dumps(report, indent=2)
