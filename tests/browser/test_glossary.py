"""Glossary tooltips (hooks/glossary.py) in Chromium: on a 390 px touch phone a tap on a term
shows its definition inside the screen, without making the page scroll sideways, and a tap
elsewhere hides it; on a desktop, hovering shows it. Light and dark theme, every page that
has a term."""

import pytest

from course.pages import all_pages

SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TOOLTIP = """() => {
  const tip = document.querySelector(".md-tooltip2--active .md-tooltip2__inner");
  if (!tip) return null;
  const box = tip.getBoundingClientRect();
  return {left: box.left, right: box.right, text: tip.textContent.trim(),
          opacity: getComputedStyle(tip.closest(".md-tooltip2")).opacity,
          scrollWidth: document.documentElement.scrollWidth};
}"""


def first_term(page, base_url, url):
    page.goto(base_url + url)
    terms = page.locator("abbr.glossary").locator("visible=true")
    if not terms.count():
        return None, None
    term = terms.first
    term.scroll_into_view_if_needed()
    return term, term.get_attribute("title")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_tap_shows_a_terms_definition_on_a_phone(browser, base_url, scheme):
    context = browser.new_context(
        color_scheme=scheme, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    problems, checked = [], 0
    for url in all_pages():
        term, definition = first_term(page, base_url, url)
        if term is None:
            continue
        checked += 1
        term.tap()
        page.wait_for_timeout(400)
        shown = page.evaluate(TOOLTIP)
        if shown is None or shown["text"] != definition or shown["opacity"] != "1":
            problems.append(f"{url}: tapping {term.inner_text()!r} shows {shown}")
            continue
        if shown["left"] < 0 or shown["right"] > PHONE["width"]:
            problems.append(f"{url}: the tooltip runs off the screen: {shown}")
        if shown["scrollWidth"] > PHONE["width"]:
            problems.append(f"{url}: with the tooltip open the page is {shown['scrollWidth']} px")
        box = term.bounding_box()  # a tap elsewhere, in the page's margin, closes it
        page.touchscreen.tap(4, box["y"] + box["height"] / 2)
        page.wait_for_timeout(600)
        if page.evaluate(TOOLTIP) is not None:
            problems.append(f"{url}: the tooltip stays open after a tap elsewhere")
    context.close()
    assert checked >= 5, f"only {checked} pages with a glossary term"
    assert not problems, "\n".join(problems)


def test_hovering_or_focusing_a_term_shows_it_on_a_desktop(browser, base_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for url in all_pages():
        term, definition = first_term(page, base_url, url)
        if term is None:
            continue
        term.hover()
        page.wait_for_timeout(400)
        hovered = page.evaluate(TOOLTIP)
        page.mouse.move(0, 0)
        page.wait_for_timeout(600)
        term.focus()  # the Tab key reaches it too: tabindex="0"
        page.wait_for_timeout(400)
        focused = page.evaluate(TOOLTIP)
        for how, shown in (("hover", hovered), ("focus", focused)):
            if shown is None or shown["text"] != definition:
                problems.append(f"{url}: on {how}, {term.inner_text()!r} shows {shown}")
    context.close()
    assert not problems, "\n".join(problems)
