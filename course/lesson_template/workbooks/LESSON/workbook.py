# Lesson __NUMBER__, __TITLE__
"""Your workbook: fill in every `...`, then check it:

    python checker.pyz workbook.py        (checker.pyz from the lesson's overview page)
    make check WORKBOOK=workbook.py        (in a clone of the course)

Each task's report says what was expected, what your code gave, and which section of the
lesson explains it. Needs Python 3.11+ and torch; nothing else.
"""

LESSON = "__LESSON_ID__"  # tells the checker which lesson this is

# --- 1. First topic ----------------------------------------------------------------------------

# The shape of torch.randn(2, 3), as a tuple of ints.
FIRST_SHAPE = ...

# --- Quiz: the letter of your answer ("b"), or the option's text ------------------------------

# 1. A first question
QUIZ_1 = ...
