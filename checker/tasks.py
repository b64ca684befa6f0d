"""What a lesson task is, and how a check says it failed (used by lessons and the worker)."""

from collections.abc import Callable
from dataclasses import dataclass

PASS, FAIL, TODO, ERROR, UNGRADED, SELF = "pass", "fail", "todo", "error", "ungraded", "self-check"
NOT_REACHED = "not-reached"  # the check's total time ran out before the task started
STATUSES = (PASS, FAIL, TODO, ERROR, NOT_REACHED, UNGRADED, SELF)


class Fail(Exception):
    """A check saw wrong behaviour: what it expected, what it got, and why that matters."""

    def __init__(self, message: str, expected=None, got=None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.expected = None if expected is None else str(expected)
        self.got = None if got is None else str(got)
        self.hint = hint  # a more precise place in the lesson than the task's own hint


class Ungradable(Exception):
    """The checker cannot grade this task (for instance the answer key is missing)."""


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    names: tuple[str, ...]  # what the workbook must define
    hint: str  # the page and anchor that explain it, inside the lesson ("padding/#why")
    check: Callable[..., str]  # check(namespace, context) -> what passed; raises Fail
    self_assessed: bool = False  # prose: shown with a model answer, never scored
    model_answer: str = ""


def quiz_task(number: int) -> Task:
    """Task `quizN`: the workbook's QUIZ_N, graded against question N of the lesson's own quiz
    page like the page grades it. A wrong answer gets the page's feedback on the option picked
    and a link to the question, never the right answer."""

    def check(ns, ctx):
        from checker.quiz_key import Question, grade_answer

        if ctx.get("quiz_error"):
            raise Ungradable(ctx["quiz_error"])
        key = [Question.from_json(q) for q in ctx["quiz"]]
        if len(key) < number:
            raise Ungradable(f"the quiz page has {len(key)} questions, not {number}")
        question = key[number - 1]
        link = f"quiz/#{question.anchor}"
        try:
            correct, read_as, feedback = grade_answer(question, ns[f"QUIZ_{number}"])
        except ValueError as error:
            raise Fail(f"cannot read the answer: {error}", hint=link) from None
        if not correct:
            said = f" The quiz page says: {feedback}" if feedback else ""
            raise Fail(f"wrong answer.{said}", got=read_as, hint=link)
        return read_as

    return Task(f"quiz{number}", f"Quiz question {number}", (f"QUIZ_{number}",), "quiz/", check)
