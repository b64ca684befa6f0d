"""Find each lesson's checks: workbooks/<lesson>/checks.py, beside its workbook and solution.

In a clone of the course they are read from workbooks/; in the checker.pyz downloaded from the
site, the build put a copy of each under checker/data/lessons/<lesson>/. The checker names no
lesson: whatever has a checks.py is a lesson it can grade.

A checks module defines TASKS (a list of checker.tasks.Task) and may define reference(), the
values its checks compare against, computed once before any workbook code runs. Its tasks'
hints are page paths inside the lesson's own folder ("quiz/#quiz-1"); the module is given its
LESSON_ID before it runs, so it never has to spell its own name.
"""

import re
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
CHECKS = "checks.py"


def _bundled() -> dict[str, object]:
    try:
        folder = resources.files("checker") / "data" / "lessons"
        return {p.name: p / CHECKS for p in folder.iterdir() if (p / CHECKS).is_file()}
    except (FileNotFoundError, NotADirectoryError):
        return {}


def _sources() -> dict[str, object]:
    """lesson id -> where its checks are (a path in a clone, a resource in checker.pyz)."""
    if WORKBOOKS.is_dir():
        return {p.parent.name: p for p in sorted(WORKBOOKS.glob(f"*/{CHECKS}"))}
    return _bundled()


def lesson_ids() -> list[str]:
    return sorted(_sources())


def load_lesson(lesson_id: str) -> ModuleType:
    """The checks module of lesson_id (loaded once per process). KeyError if there is none."""
    sources = _sources()
    if lesson_id not in sources:
        known = ", ".join(sorted(sources)) or "none"
        raise KeyError(f"no checks for lesson {lesson_id!r}; known: {known}")
    name = "checker_lesson_" + re.sub(r"\W", "_", lesson_id)
    if name in sys.modules:
        return sys.modules[name]
    source = sources[lesson_id]
    filename = str(source)
    code = compile(source.read_text(encoding="utf-8"), filename, "exec")
    module = ModuleType(name, f"the checks of lesson {lesson_id}")
    module.__file__ = filename
    module.LESSON_ID = lesson_id
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    if not isinstance(getattr(module, "TASKS", None), list):
        del sys.modules[name]
        raise TypeError(f"{filename} defines no TASKS list")
    return module
