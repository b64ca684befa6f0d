"""The quiz, used with the keyboard only: a wrong answer, a right one, and a reload."""

import pytest

from checker.quiz_key import parse_quiz
from tests.suite import DOCS_DIR

QUIZ = "2.1.1-embeddings-initialization/quiz/"
KEY = parse_quiz((DOCS_DIR / f"{QUIZ.rstrip('/')}.md").read_text())


@pytest.fixture
def quiz_page(browser, base_url):
    context = browser.new_context()  # fresh storage: no progress from another test
    page = context.new_page()
    page.goto(base_url + QUIZ)
    yield page
    context.close()


def answer_with_keyboard(page, quiz, arrow_presses):
    """Focus the question's first option, move with the arrows, then Tab to Submit, Enter."""
    page.locator(f"#{quiz} input[type=radio]").first.focus()
    page.keyboard.press("Space")
    for _ in range(arrow_presses):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def test_wrong_then_right_answer_give_feedback_and_explanations(quiz_page):
    feedback = quiz_page.locator("#quiz-0 .quiz-feedback")
    answer_with_keyboard(quiz_page, "quiz-0", 0)  # a) (hidden_size, vocab_size): wrong
    assert feedback.is_visible()
    assert feedback.locator(".incorrect").count() == 1
    assert "Wrong: that is the transpose" in feedback.inner_text()
    # The right answer is shown, and the reader can try again.
    assert "correct" in quiz_page.locator("#quiz-0 input#quiz-0-1 >> xpath=..").get_attribute(
        "class"
    )
    quiz_page.locator("#quiz-0 .quiz-reset-button").click()
    answer_with_keyboard(quiz_page, "quiz-0", 1)  # b) (vocab_size, hidden_size): right
    assert feedback.locator(".correct").count() == 1
    assert "Right: one row per vocabulary entry" in feedback.inner_text()


def test_progress_is_kept_across_reloads(quiz_page):
    answer_with_keyboard(quiz_page, "quiz-2", 0)  # the init std: right
    assert "Right: transformers' " in quiz_page.locator("#quiz-2 .quiz-feedback").inner_text()
    quiz_page.reload()
    assert quiz_page.locator("#quiz-2 input#quiz-2-0").is_checked()
    assert "Right: transformers' " in quiz_page.locator("#quiz-2 .quiz-feedback").inner_text()
    answered = f"Answered: 1 / {len(KEY)}"
    assert answered in quiz_page.locator("#quiz-progress-sidebar").inner_text()


def test_every_option_has_an_explanation(quiz_page):
    options = quiz_page.locator(".quiz fieldset > div")
    assert options.count() == sum(len(question.options) for question in KEY)
    for index in range(options.count()):
        explanation = options.nth(index).locator(".answer-feedback")
        assert explanation.count() == 1 and explanation.inner_text().strip()
