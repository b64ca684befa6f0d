# Lesson __NUMBER__, __TITLE__
"""The reference solution: not published on the site; the tests require it to score 100 %."""

LESSON = "__LESSON_ID__"

FIRST_SHAPE = (2, 3)

QUIZ_1 = "a"
