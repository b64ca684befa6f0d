"""One module per lesson: its tasks, their checks and where the site explains each."""

import importlib

LESSONS = {
    "2.1.1-embeddings-initialization": "checker.lessons.embeddings_initialization",
}


def load_lesson(lesson_id: str):
    if lesson_id not in LESSONS:
        raise KeyError(f"unknown lesson {lesson_id!r}; known: {', '.join(sorted(LESSONS))}")
    return importlib.import_module(LESSONS[lesson_id])
