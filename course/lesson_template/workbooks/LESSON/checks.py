# Lesson __NUMBER__, __TITLE__
"""The workbook's tasks and how each is checked (the checker finds this file by its folder;
checker/tasks.py says what a Task is).

A check gets the workbook's names (ns) and returns what passed, or raises Fail with what it
expected, what it got and why. Compute expected values independently of the workbook, and
import torch inside a check: only the worker process, which runs the learner's code, needs it.
"""

from checker.tasks import Fail, Task, quiz_task


def check_first_shape(ns, ctx):
    import torch

    expected = tuple(torch.randn(2, 3).shape)
    got = ns["FIRST_SHAPE"]
    if not (isinstance(got, tuple) and all(type(n) is int for n in got)):
        raise Fail("FIRST_SHAPE should be a tuple of ints", "a tuple", type(got).__name__)
    if got != expected:
        raise Fail("that is not the shape torch.randn(2, 3) returns", expected, got)
    return str(got)


TASKS = [
    Task(
        "first-shape",
        "1. The shape of torch.randn(2, 3)",
        ("FIRST_SHAPE",),
        "first-topic/#a-first-claim-what-randn-returns",
        check_first_shape,
    ),
    quiz_task(1),
]
