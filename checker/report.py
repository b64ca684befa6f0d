"""Turn a run's results into the text a learner reads, or JSON for a course platform."""

import json

from checker.tasks import PASS, SCORED, SELF, UNGRADED

MARKS = {
    "pass": "PASS",
    "fail": "FAIL",
    "todo": "TODO",
    "error": "ERROR",
    "ungraded": "NOT GRADED",
    "self-check": "SELF-CHECK",
}


def build(lesson, workbook, run, site_url: str) -> dict:
    tasks = []
    for task in lesson.TASKS:
        result = dict(run.results[task.id])
        tasks.append({"id": task.id, "title": task.title, **result, "hint": site_url + task.hint})
    scored = [t for t in tasks if t["status"] in SCORED]
    passed = sum(t["status"] == PASS for t in scored)
    return {
        "lesson": lesson.LESSON_ID,
        "workbook": str(workbook),
        "load_problems": run.load_problems,
        "load_output": run.load_output,
        "tasks": tasks,
        "score": {
            "passed": passed,
            "graded": len(scored),
            "percent": round(100 * passed / len(scored), 1) if scored else 0.0,
        },
    }


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.rstrip().splitlines())


def as_text(report: dict) -> str:
    lines = [f"Checking {report['workbook']} (lesson {report['lesson']})", ""]
    for problem in report["load_problems"]:
        lost = ", ".join(f"`{n}`" for n in problem["names"]) or "nothing the tasks need"
        lines.append(f"! workbook line {problem['line']}: {problem['message']} (lost: {lost})")
    if report["load_output"].strip():
        lines += ["! the workbook printed while loading:", _indent(report["load_output"])]
    if lines[-1]:
        lines.append("")
    for task in report["tasks"]:
        lines.append(f"[{MARKS[task['status']]:>10}] {task['title']}")
        if task["status"] == PASS:
            lines.append(f"      {task['message']}")
            continue
        lines.append(f"      {task['message']}")
        if task.get("expected") is not None:
            lines.append(f"      expected: {task['expected']}")
            lines.append(f"      got:      {task['got']}")
        if task["status"] == SELF:
            lines.append(_indent("model answer: " + task["model_answer"]))
        if task["status"] != UNGRADED:
            lines.append(f"      read:     {task['hint']}")
        if task.get("output", "").strip():
            lines += ["      your code printed:", _indent(task["output"], "        | ")]
    score = report["score"]
    lines += [
        "",
        f"Score: {score['passed']}/{score['graded']} graded tasks passed ({score['percent']:g} %).",
    ]
    ungraded = [t for t in report["tasks"] if t["status"] == UNGRADED]
    if ungraded:
        reason = ungraded[0]["message"].removeprefix("not graded: ")
        lines.append(f"{len(ungraded)} task(s) not graded: {reason}")
    return "\n".join(lines)


def as_json(report: dict) -> str:
    return json.dumps(report, indent=2)
