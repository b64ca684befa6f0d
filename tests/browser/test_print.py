"""Printing the quiz page prints the collapsed answers and every option's explanation."""

QUIZ = "2.1.1-embeddings-initialization/quiz/"


def test_print_shows_collapsed_answers(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + QUIZ)
    answer = page.locator("details").first.locator("li").first
    explanation = page.locator(".quiz .answer-feedback").first
    assert not answer.is_visible() and not explanation.is_visible()  # on screen: collapsed
    page.emulate_media(media="print")
    visible = answer.is_visible(), explanation.is_visible()
    context.close()
    assert visible == (True, True)
