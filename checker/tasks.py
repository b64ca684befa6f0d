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
        self.hint = hint  # a more precise place on the site than the task's own hint


class Ungradable(Exception):
    """The checker cannot grade this task (for instance the answer key is missing)."""


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    names: tuple[str, ...]  # what the workbook must define
    hint: str  # page path and anchor on the site that explains it
    check: Callable[..., str]  # check(namespace, context) -> what passed; raises Fail
    self_assessed: bool = False  # prose: shown with a model answer, never scored
    model_answer: str = ""
