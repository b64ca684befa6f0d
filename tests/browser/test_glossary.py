"""Glossary tooltips (hooks/glossary.py) in Chromium: on a 390 px touch phone a tap on a term
shows its definition inside the screen, without making the page scroll sideways, and a tap
elsewhere hides it; on a desktop, hovering shows it (and moving the mouse away hides it), and so
does focusing it. Light and dark theme, every page that
has a term."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from course.pages import all_pages

SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Long enough for Material's 0.25 s delay and 0.25 s fade on a busy machine; the waits below
# end as soon as the tooltip is in the state they wait for.
SETTLE_MS = 2000
TOOLTIP = """() => {
  const tip = document.querySelector(".md-tooltip2--active .md-tooltip2__inner");
  if (!tip) return null;
  const box = tip.getBoundingClientRect();
  return {left: box.left, right: box.right, text: tip.textContent.trim(),
          opacity: getComputedStyle(tip.closest(".md-tooltip2")).opacity,
          scrollWidth: document.documentElement.scrollWidth};
}"""


def shown(page, definition, opaque=False):
    """The open tooltip once it shows the definition (fully faded in, if opaque), or else
    what is open SETTLE_MS after the call."""
    try:
        page.wait_for_function(
            f"""([definition, opaque]) => {{
              const tip = ({TOOLTIP})();
              return tip && tip.text === definition && (!opaque || tip.opacity === "1");
            }}""",
            arg=[definition, opaque],
            timeout=SETTLE_MS,
        )
    except PlaywrightTimeoutError:
        pass
    return page.evaluate(TOOLTIP)


def closes(page) -> bool:
    """Whether the open tooltip, if any, closes within SETTLE_MS."""
    try:
        page.wait_for_function(f"() => ({TOOLTIP})() === null", timeout=SETTLE_MS)
    except PlaywrightTimeoutError:
        return False
    return True


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


def test_hovering_or_focusing_a_term_shows_it_on_a_desktop(browser, base_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for url in all_pages():
        term, definition = first_term(page, base_url, url)
        if term is None:
            continue
        term.hover()
        hovered = shown(page, definition)
        page.mouse.move(0, 0)
        if not closes(page):  # else focusing the term would find the hover's tooltip open
            problems.append(f"{url}: the tooltip stays open when the mouse leaves")
        term.focus()  # the Tab key reaches it too: tabindex="0"
        focused = shown(page, definition)
        for how, tip in (("hover", hovered), ("focus", focused)):
            if tip is None or tip["text"] != definition:
                problems.append(f"{url}: on {how}, {term.inner_text()!r} shows {tip}")
    context.close()
    assert not problems, "\n".join(problems)
