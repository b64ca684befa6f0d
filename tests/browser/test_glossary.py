"""Glossary tooltips (hooks/glossary.py) in Chromium on a 390 px touch phone, in the light and
the dark theme, on every page that has a term: a tap on a term shows its definition inside the
screen, without making the page scroll sideways, and a tap elsewhere hides it. (Hovering and
focusing a term on a desktop: tests/browser/test_pages.py, on its load of each page.)"""

import pytest

from course.pages import all_pages
from tests.browser.tooltips import closes, first_term, shown

SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_tap_shows_a_terms_definition_on_a_phone(browser, base_url, scheme):
    context = browser.new_context(
        color_scheme=scheme, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    problems, checked = [], 0
    for url in all_pages():
        page.goto(base_url + url)
        term, definition = first_term(page)
        if term is None:
            continue
        checked += 1
        term.tap()
        tip = shown(page, definition, opaque=True)
        if tip is None or tip["text"] != definition or tip["opacity"] != "1":
            problems.append(f"{url}: tapping {term.inner_text()!r} shows {tip}")
            continue
        if tip["left"] < 0 or tip["right"] > PHONE["width"]:
            problems.append(f"{url}: the tooltip runs off the screen: {tip}")
        if tip["scrollWidth"] > PHONE["width"]:
            problems.append(f"{url}: with the tooltip open the page is {tip['scrollWidth']} px")
        box = term.bounding_box()  # a tap elsewhere, in the page's margin, closes it
        page.touchscreen.tap(4, box["y"] + box["height"] / 2)
        if not closes(page):
            problems.append(f"{url}: the tooltip stays open after a tap elsewhere")
    context.close()
    assert checked >= 5, f"only {checked} pages with a glossary term"
    assert not problems, "\n".join(problems)
