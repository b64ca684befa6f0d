"""The checker's answer key is read from the quiz page, in the mkdocs-quiz format."""

import ast

import pytest

from checker.quiz_key import NoQuizError, grade_answer, parse_quiz
from course import ROOT

LESSON = "2.1.1-embeddings-initialization"
FIXTURE = ROOT / "tests" / "checker_fixtures" / "quiz_mkdocs_quiz_format.md"
REAL_QUIZ = ROOT / "docs" / LESSON / "quiz.md"
SOLUTION = ROOT / "workbooks" / LESSON / "solution.py"


def solution_answers() -> dict:
    tree = ast.parse(SOLUTION.read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id.startswith("QUIZ_")
    }


def test_reads_the_three_questions_of_the_lesson():
    q1, q2, q3 = parse_quiz(FIXTURE.read_text())
    assert len(q1.options) == 3 and q1.correct == [1]
    assert q2.options == ["True", "False"] and q2.correct == [0]
    assert q3.correct == [0] and "standard deviation" in q3.options[0].lower()
    assert q1.explanation.startswith("One row per vocabulary entry")


def test_answers_by_letter_text_or_bool():
    q1, q2, q3 = parse_quiz(FIXTURE.read_text())
    assert grade_answer(q1, "b")[0] and grade_answer(q1, "B)")[0]
    assert not grade_answer(q1, "a")[0]
    assert grade_answer(q1, "(vocab_size, hidden_size)")[0]
    assert grade_answer(q2, True)[0] and not grade_answer(q2, False)[0]
    assert grade_answer(q3, "standard deviation of the normal init")[0]
    with pytest.raises(ValueError, match="neither a letter"):
        grade_answer(q1, "d")
    with pytest.raises(ValueError, match="got int"):
        grade_answer(q2, 1)


def test_fill_in_the_blank_form():
    (question,) = parse_quiz(
        "<quiz>\n`initializer_range` is the [[standard deviation]] of the init.\n\n---\n"
        "It is the std.\n</quiz>\n"
    )
    assert question.blanks == ["standard deviation"] and question.explanation == "It is the std."
    assert grade_answer(question, "  Standard   Deviation ")[0]
    assert not grade_answer(question, "bound")[0]


def test_a_page_without_a_quiz_or_with_no_right_option_is_an_error():
    with pytest.raises(NoQuizError, match="no machine-readable quiz"):
        parse_quiz("# Quiz\n\n## 1. A question\n\na) one\n")
    with pytest.raises(NoQuizError, match="question 1: no option is marked"):
        parse_quiz("<quiz>\nQ?\n- [ ] a\n- [ ] b\n</quiz>\n")


def test_the_real_quiz_page_is_the_answer_key_and_the_solution_passes_it():
    key = parse_quiz(REAL_QUIZ.read_text(), str(REAL_QUIZ.relative_to(ROOT)))
    assert len(key) == 3, f"{REAL_QUIZ} has {len(key)} quiz questions, the workbook asks 3"
    answers = solution_answers()
    for question in key:
        answer = answers[f"QUIZ_{question.number}"]
        correct, read_as = grade_answer(question, answer)
        assert correct, f"question {question.number}: solution {answer!r} read as {read_as!r}"
