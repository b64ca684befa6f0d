from course import ROOT
from course.suite import snippets

pytest_collect_file = snippets.pytest()


def pytest_collection_modifyitems(config, items):
    # Long tests first (a stable sort: the rest keep their order); pyproject.toml says why.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    keep_only_one_lesson(config, items)


def keep_only_one_lesson(config, items):
    """COURSE_LESSON=<lesson id> keeps only the tests of that lesson: those parametrized with
    something that names it (the `lesson` fixture, one of its pages) and the tests in its
    snippets/ and workbooks/ folders. The
    scaffold test runs a new lesson's whole suite this way."""
    import os

    lesson_id = os.environ.get("COURSE_LESSON")
    if not lesson_id:
        return
    folders = [ROOT / part / lesson_id for part in ("snippets", "workbooks")]

    def of_the_lesson(item) -> bool:
        callspec = getattr(item, "callspec", None)
        if callspec and any(lesson_id in str(value) for value in callspec.params.values()):
            return True
        return any(item.path == f or f in item.path.parents for f in folders)

    kept = [item for item in items if of_the_lesson(item)]
    config.hook.pytest_deselected(items=[item for item in items if not of_the_lesson(item)])
    items[:] = kept
