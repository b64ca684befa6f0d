import threading

from course import SNIPPETS_DIR
from course.suite import WARM_IMPORTS, snippets

pytest_collect_file = snippets.pytest()
_warming: list[threading.Thread] = []


def pytest_collection_finish(session):
    """Import the slow, pure-Python modules some snippets need (torch._dynamo, which every
    torch.optim optimizer loads, and transformers) on a background thread while the first
    snippets run: the full-size table's normal_ releases the GIL for seconds, so the second
    core does the imports meanwhile. Snippets still import what they use themselves; the
    copy-to-python3 browser tests run each one in a fresh interpreter."""
    if any(SNIPPETS_DIR in item.path.parents for item in session.items):
        thread = threading.Thread(target=_import_quietly, args=(WARM_IMPORTS,), daemon=True)
        _warming.append(thread)
        thread.start()


def pytest_runtest_setup(item):
    """A snippet that imports one of those modules waits for the background import to end:
    transformers' lazy module is not safe to import from two threads at once (the snippet's
    `from transformers import ...` can fail with an ImportError while the other thread is
    half-way through)."""
    if _warming and SNIPPETS_DIR in item.path.parents:
        text = item.path.read_text()
        if any(name in text for name in ("transformers", "torch.optim")):
            _warming[0].join()


def _import_quietly(names):
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional extra not installed: its snippets will say so
            pass


def pytest_collection_modifyitems(config, items):
    """COURSE_LESSON=<lesson id> keeps only the tests of that lesson: those parametrized with
    something that names it (the `lesson` fixture, one of its pages) and its snippets. The
    scaffold test runs a new lesson's whole suite this way."""
    import os

    lesson_id = os.environ.get("COURSE_LESSON")
    if not lesson_id:
        return
    lesson_snippets = SNIPPETS_DIR / lesson_id

    def of_the_lesson(item) -> bool:
        callspec = getattr(item, "callspec", None)
        if callspec and any(lesson_id in str(value) for value in callspec.params.values()):
            return True
        return item.path == lesson_snippets or lesson_snippets in item.path.parents

    kept = [item for item in items if of_the_lesson(item)]
    config.hook.pytest_deselected(items=[item for item in items if not of_the_lesson(item)])
    items[:] = kept
