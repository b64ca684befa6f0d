"""python -m checker WORKBOOK [--json]: grade a lesson workbook and print what passed and why not.

Needs only Python 3.11+ and torch. Exit status: 0 when every graded task passes, 1 when some
do not, 2 when the command itself is wrong (no such file, unknown lesson).
"""

import argparse
import sys
from pathlib import Path

from checker import quiz_source, report
from checker.lessons import LESSONS, load_lesson
from checker.quiz_key import NoQuizError, parse_quiz
from checker.sandbox import Limits, run_workbook
from checker.tasks import PASS, SCORED


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m checker", description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="the workbook .py file you filled in")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--lesson",
        choices=sorted(LESSONS),
        help="lesson id (default: the LESSON line of the workbook)",
    )
    parser.add_argument(
        "--quiz",
        type=Path,
        help="quiz page to take the answer key from (default: the lesson's quiz page)",
    )
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per task")
    parser.add_argument(
        "--memory-limit",
        type=int,
        default=1024,
        help="MiB a task may allocate (besides torch itself)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not args.workbook.is_file():
        print(f"error: no workbook at {args.workbook}", file=sys.stderr)
        return 2
    lesson_id = args.lesson or quiz_source.lesson_of(args.workbook)
    if lesson_id not in LESSONS:
        print(
            f"error: {args.workbook} does not name a known lesson (a line "
            f'LESSON = "..."; known: {", ".join(sorted(LESSONS))}); pass --lesson',
            file=sys.stderr,
        )
        return 2
    lesson = load_lesson(lesson_id)
    context = {"quiz": None, "quiz_error": None}
    try:
        source, text = quiz_source.read_quiz_page(lesson_id, args.quiz)
        context["quiz"] = [q.to_json() for q in parse_quiz(text, source)]
    except (OSError, NoQuizError) as error:
        context["quiz_error"] = str(error)
    limits = Limits(time_s=args.time_limit, memory_mb=args.memory_limit)
    run = run_workbook(args.workbook, lesson_id, [t.id for t in lesson.TASKS], context, limits)
    result = report.build(lesson, args.workbook, run, quiz_source.site_url())
    print(report.as_json(result) if args.json else report.as_text(result))
    graded = [t for t in result["tasks"] if t["status"] in SCORED]
    return 0 if all(t["status"] == PASS for t in graded) else 1


if __name__ == "__main__":
    sys.exit(main())
