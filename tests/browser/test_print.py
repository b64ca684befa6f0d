"""Printing a lesson's quiz page prints the collapsed answers and every option's explanation."""

import pytest


def test_print_shows_collapsed_answers(browser, base_url, lesson):
    if lesson.quiz is None:
        pytest.fail(f"{lesson.id} has no quiz.md")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}{lesson.id}/quiz/")
    answer = page.locator("details").first.locator(":scope > :not(summary)").first
    explanation = page.locator(".quiz .answer-feedback").first
    assert not answer.is_visible() and not explanation.is_visible()  # on screen: collapsed
    page.emulate_media(media="print")
    visible = answer.is_visible(), explanation.is_visible()
    context.close()
    assert visible == (True, True)
