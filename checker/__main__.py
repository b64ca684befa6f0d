"""Grade a lesson workbook: say, task by task, what passes, what was expected, what your code
gave, and which section of the lesson explains it.

It is a self-check, not an exam: your code runs in processes this checker starts, so a workbook
written to fool it can. Needs Python 3.11+ and torch, nothing else.
"""

# ruff: noqa: E402 - the stop signals are handled before the slower imports below
import signal
import sys

for _stop_early in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGINT)):
    # Until main() takes over nothing has started: stopping needs no clean-up, only quiet.
    signal.signal(_stop_early, lambda signum, frame: sys.exit(128 + signum))

import argparse
import importlib.machinery
import math
import os
from pathlib import Path

from checker import EXIT_CANNOT_RUN, EXIT_FAIL, EXIT_PASS, EXIT_SIGNAL_BASE, EXIT_USAGE, report
from checker import quiz_source as course
from checker.lessons import lesson_ids, load_lesson
from checker.loader import decode
from checker.quiz_key import NoQuizError, parse_quiz
from checker.sandbox import CannotRun, Limits, run_workbook, worker_sys_path

CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # PyTorch's own index of CPU-only wheels
EPILOG = f"""\
exit status:
  {EXIT_PASS}    every graded task passes
  {EXIT_FAIL}    some graded task does not pass (the report says which and why)
  {EXIT_USAGE}    the command is wrong: no such workbook or quiz file, unknown lesson, bad option
  {EXIT_CANNOT_RUN}    the checker cannot run here: torch is missing or broken, Python is too old
  {EXIT_SIGNAL_BASE}+N stopped by signal N (130 for Ctrl-C); nothing it started is left running

Each task runs in its own process, from the same clean torch settings, with a time limit and a
memory limit covering every process it starts; the whole check has a total time limit. Answers
in your own words are never graded: the report shows a model answer to compare with. Your
workbook is loaded as a module, so code under `if __name__ == "__main__":` does not run.
--json prints one JSON document (schema_version 1; its keys are listed in the course README).
"""


class Stopped(Exception):
    """A signal asked the checker to stop (Ctrl-C, SIGTERM, SIGHUP: a closed terminal)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM] + (
    [signal.SIGHUP] if hasattr(signal, "SIGHUP") else []
)


def _stop(signum, frame):
    for sig in STOP_SIGNALS:  # a second signal must not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
        return value

    return parse


def parse_args(argv):
    program = "python checker.pyz" if sys.argv[0].endswith(".pyz") else "python -m checker"
    parser = argparse.ArgumentParser(
        prog=program,
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("workbook", type=Path, help="the workbook .py file you filled in")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--lesson",
        choices=lesson_ids(),
        help="lesson id (default: the LESSON line of the workbook)",
    )
    parser.add_argument(
        "--quiz",
        type=Path,
        help="quiz page to take the answer key from (default: the lesson's quiz page)",
    )
    parser.add_argument(
        "--time-limit", type=_positive(float), default=10.0, metavar="S", help="seconds per task"
    )
    parser.add_argument(
        "--total-time",
        type=_positive(float),
        default=30.0,
        metavar="S",
        help="seconds for loading the workbook and all its tasks together (default 30)",
    )
    parser.add_argument(
        "--memory-limit",
        type=_positive(int),
        default=1024,
        metavar="MiB",
        help="memory a task may use, all its processes together, besides torch itself",
    )
    args = parser.parse_args(argv)
    if args.quiz is not None:
        try:
            args.quiz_page = (str(args.quiz), args.quiz.read_text(encoding="utf-8"))
            args.quiz_key = [q.to_json() for q in parse_quiz(args.quiz_page[1], str(args.quiz))]
        except (OSError, UnicodeDecodeError) as error:
            parser.error(f"--quiz {args.quiz}: cannot read it ({error.__class__.__name__})")
        except NoQuizError as error:
            parser.error(f"--quiz: {error}")
    return args


def main(argv=None) -> int:
    previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS}
    try:
        return check(parse_args(argv))
    except Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        _say(f"checker stopped by {name}: every process it started has been stopped.")
        return EXIT_SIGNAL_BASE + stopped.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(text: str) -> None:
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:  # the terminal is gone (SIGHUP): nobody to tell
        pass


def _usage_error(text: str) -> int:
    _say(f"error: {text}")
    return EXIT_USAGE


def torch_missing(search_path: list[str]) -> str | None:
    """The sentence to say when the worker's Python cannot import torch, else None."""
    if importlib.machinery.PathFinder.find_spec("torch", search_path) is not None:
        return None
    requirement = course.torch_requirement()
    index = f" --index-url {CPU_INDEX}" if sys.platform.startswith("linux") else ""
    return (
        f"torch is not installed for {sys.executable} (Python {sys.version.split()[0]}), the "
        "Python that runs the checker and your workbook. Install the course's CPU build of torch "
        f"for it:\n\n    {sys.executable} -m pip install {requirement}{index}\n\n"
        "or run the checker with the Python that has torch."
    )


def check(args) -> int:
    try:
        data = args.workbook.read_bytes()
    except OSError as error:
        return _usage_error(f"no workbook at {args.workbook} ({error.strerror or error})")
    try:
        text = decode(data)
    except SyntaxError:
        text = data.decode("latin-1")  # only to find the LESSON line; loading reports the rest
    lesson_id = args.lesson or course.lesson_of(text)
    if lesson_id not in lesson_ids():
        return _usage_error(
            f"{args.workbook} does not name a known lesson (a line "
            f'LESSON = "..."; known: {", ".join(lesson_ids())}); pass --lesson'
        )
    lesson = load_lesson(lesson_id)
    if not hasattr(os, "fork"):
        return _cannot_run(args, lesson_id, "the checker needs Linux or macOS (on Windows: WSL)")
    if (missing := torch_missing(worker_sys_path(args.workbook))) is not None:
        return _cannot_run(args, lesson_id, missing)
    context = {"quiz": getattr(args, "quiz_key", None), "quiz_error": None}
    if context["quiz"] is None:
        try:
            source, page = course.read_quiz_page(lesson_id)
            context["quiz"] = [q.to_json() for q in parse_quiz(page, source)]
        except (OSError, NoQuizError) as error:
            context["quiz_error"] = str(error)
    limits = Limits(time_s=args.time_limit, total_s=args.total_time, memory_mb=args.memory_limit)
    try:
        run = run_workbook(
            args.workbook, data, lesson_id, [t.id for t in lesson.TASKS], context, limits
        )
    except CannotRun as error:
        return _cannot_run(args, lesson_id, str(error))
    result = report.build(lesson, args.workbook, run, course.site_url(), course.torch_requirement())
    try:
        print(report.as_json(result) if args.json else report.as_text(result), flush=True)
    except BrokenPipeError:
        sys.stdout = None  # the reader went away (`| head`); the status still says it
    return EXIT_PASS if result["outcome"] == "pass" else EXIT_FAIL


def _cannot_run(args, lesson_id: str, message: str) -> int:
    _say(f"cannot run: {message}")
    if args.json:
        print(report.as_json(report.cannot_run(lesson_id, args.workbook, message)))
    return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
