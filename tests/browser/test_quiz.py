"""The quiz pages, used with the keyboard only: nothing gives an answer away before the reader
answers, a wrong answer shows only the chosen option's feedback (so "Try Again" still tests
something), a right one opens the question's reasoning, and progress survives a reload.

Every quiz page of every lesson is checked; the texts compared are read from the page itself.
"""

import re

import pytest

from course import ROOT
from course.inventory import pages
from course.pages import url_path

QUIZ_PAGES = [url_path(p) for p in pages(ROOT) if "<quiz>" in p.read_text()]

# For each question: the id, its options' values, which are right, each option's feedback,
# and the text of the reasoning block under it (textContent: hidden text too).
QUESTIONS = """() => [...document.querySelectorAll(".quiz")].map(quiz => {
  const next = quiz.nextElementSibling;
  return {
    id: quiz.id,
    options: [...quiz.querySelectorAll("input[name=answer]")].map(input => ({
      value: input.value,
      right: input.hasAttribute("data-correct"),
      feedback: input.parentElement.querySelector(".answer-feedback").textContent,
    })),
    reasoning: next && next.tagName === "DETAILS" ? next.textContent : null,
    title: next && next.tagName === "DETAILS" ? next.querySelector("summary").textContent : null,
  };
})"""

# The text of a question's answers (its options' feedback, the reasoning block under it) that
# the browser actually draws: text nodes with a box of non-zero size, in an element that is
# not hidden (a closed <details> keeps its content's boxes, but skips drawing it).
DRAWN_ANSWER_TEXT = """(quizId) => {
  const quiz = document.getElementById(quizId);
  const answers = [...quiz.querySelectorAll(".answer-feedback")];
  if (quiz.nextElementSibling && quiz.nextElementSibling.tagName === "DETAILS")
    answers.push(quiz.nextElementSibling);
  const drawn = [];
  for (const element of answers) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const boxes = [...range.getClientRects()];
      const shown = node.parentElement.checkVisibility({
        opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true,
      });
      if (node.data.trim() && shown && boxes.some(box => box.width > 0 && box.height > 0))
        drawn.push(node.data.trim());
    }
  }
  return drawn;
}"""


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def new_page(browser, base_url):
    contexts = []

    def open_page(url):
        context = browser.new_context()  # fresh storage: no progress from another test
        contexts.append(context)
        page = context.new_page()
        page.goto(base_url + url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def unanswered(browser, base_url):
    """URL path -> its quiz page as a new reader first sees it (fresh storage: nothing
    answered), loaded once for the tests that only read it."""
    context = browser.new_context()
    pages = {}

    def open_page(url):
        if url not in pages:
            pages[url] = context.new_page()
            pages[url].goto(base_url + url)
        return pages[url]

    yield open_page
    context.close()


def answer_with_keyboard(page, quiz_id, value):
    """Focus the question's first option, arrow down to the one with this value, Tab to
    Submit, Enter."""
    radios = page.locator(f"#{quiz_id} input[type=radio]")
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    radios.first.focus()
    page.keyboard.press("Space")
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def visible_text(page) -> str:
    return words(page.locator("body").inner_text())


def test_quiz_pages_exist():
    assert QUIZ_PAGES, "no page has a <quiz> block: the tests below would check nothing"


@pytest.mark.parametrize("url", QUIZ_PAGES)
def test_nothing_gives_an_answer_away_before_answering(unanswered, url):
    page = unanswered(url)
    questions = page.evaluate(QUESTIONS)
    assert questions, f"{url}: no quiz rendered"
    text = visible_text(page)
    for question in questions:
        quiz = question["id"]
        assert question["reasoning"], f"{url} #{quiz}: no reasoning block under it"
        drawn = page.evaluate(DRAWN_ANSWER_TEXT, quiz)
        assert drawn == [], f"{url} #{quiz}: answer text on screen before answering: {drawn}"
        # Titles may be neutral and shared ("Explanation"): DRAWN_ANSWER_TEXT covers them.
        hidden = [option["feedback"] for option in question["options"]]
        for answer_text in map(words, hidden):
            assert answer_text and answer_text not in text, (
                f"{url} #{quiz}: in the page's visible text before answering: {answer_text!r}"
            )
        marked = page.locator(f"#{quiz} fieldset > div:is(.correct, .wrong)")
        assert marked.count() == 0, f"{url} #{quiz}: an option is marked"


@pytest.mark.parametrize("url", QUIZ_PAGES)
def test_a_wrong_answer_shows_its_feedback_only_then_try_again_then_right(new_page, url):
    page = new_page(url)
    for question in page.evaluate(QUESTIONS):
        quiz = question["id"]
        wrong = next((o for o in question["options"] if not o["right"]), None)
        right = next(o for o in question["options"] if o["right"])
        if wrong is None:
            continue
        feedback = page.locator(f"#{quiz} .quiz-feedback")
        reasoning = page.locator(f"#{quiz} + details")

        answer_with_keyboard(page, quiz, wrong["value"])
        assert feedback.is_visible() and feedback.locator(".incorrect").count() == 1
        assert words(wrong["feedback"]) in words(feedback.inner_text())
        assert page.evaluate(DRAWN_ANSWER_TEXT, quiz) == [], f"#{quiz}: answers drawn"
        text = visible_text(page)
        assert words(right["feedback"]) not in text, f"#{quiz}: the right option's feedback"
        assert not reasoning.is_visible(), f"#{quiz}: its reasoning shows after a wrong pick"
        right_option = page.locator(f"#{quiz} input[value='{right['value']}'] >> xpath=..")
        assert "correct" not in (right_option.get_attribute("class") or "").split(), (
            f"#{quiz}: a wrong answer highlights the right option"
        )

        page.locator(f"#{quiz} .quiz-reset-button").click()  # Try Again
        assert page.locator(f"#{quiz} input:checked").count() == 0
        assert not feedback.is_visible() and not reasoning.is_visible()

        answer_with_keyboard(page, quiz, right["value"])
        assert feedback.locator(".correct").count() == 1
        assert words(right["feedback"]) in words(feedback.inner_text())
        assert reasoning.is_visible() and reasoning.get_attribute("open") is not None
        assert words(question["title"]) in visible_text(page)
        drawn = words(" ".join(page.evaluate(DRAWN_ANSWER_TEXT, quiz)))
        assert len(drawn) > len(words(question["reasoning"])) // 2, f"#{quiz}: {drawn!r}"


@pytest.mark.parametrize("url", QUIZ_PAGES)
def test_progress_and_the_open_reasoning_are_kept_across_reloads(new_page, url):
    page = new_page(url)
    first = page.evaluate(QUESTIONS)[0]
    right = next(o for o in first["options"] if o["right"])
    answer_with_keyboard(page, first["id"], right["value"])
    page.reload()
    quiz = first["id"]
    assert page.locator(f"#{quiz} input[value='{right['value']}']").is_checked()
    assert words(right["feedback"]) in words(page.locator(f"#{quiz} .quiz-feedback").inner_text())
    assert page.locator(f"#{quiz} + details").is_visible()
    assert "Answered: 1 /" in page.locator("#quiz-progress-sidebar").inner_text()


@pytest.mark.parametrize("url", QUIZ_PAGES)
def test_every_option_has_an_explanation(unanswered, url):
    for question in unanswered(url).evaluate(QUESTIONS):
        for option in question["options"]:
            assert option["feedback"].strip(), f"{url} #{question['id']}: an option has none"
