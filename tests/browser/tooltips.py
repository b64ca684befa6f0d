"""Glossary tooltips (hooks/glossary.py, drawn by Material's content.tooltips) as the browser
tests read them: the open one, waits for it to show or close, a page's first term."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


def first_term(page):
    """The loaded page's first visible glossary term, scrolled into view, and its definition;
    (None, None) if it has none."""
    terms = page.locator("abbr.glossary").locator("visible=true")
    if not terms.count():
        return None, None
    term = terms.first
    term.scroll_into_view_if_needed()
    return term, term.get_attribute("title")


def hover_and_focus(page) -> list[str]:
    """On a desktop: hovering the page's first term shows its definition, moving the mouse
    away hides it, and focusing the term (the Tab key reaches it: tabindex="0") shows it.
    What went wrong, if anything; the term is left unfocused, its tooltip closed and gone."""
    term, definition = first_term(page)
    if term is None:
        return []
    problems = []
    term.hover()
    hovered = shown(page, definition)
    page.mouse.move(0, 0)
    if not closes(page):  # else focusing the term would find the hover's tooltip open
        problems.append("the tooltip stays open when the mouse leaves")
    term.focus()
    focused = shown(page, definition)
    for how, tip in (("hover", hovered), ("focus", focused)):
        if tip is None or tip["text"] != definition:
            problems.append(f"on {how}, {term.inner_text()!r} shows {tip}")
    term.blur()
    if not closes(page):
        problems.append("the tooltip stays open when the term loses focus")
    # Material removes a closed tooltip from the page 0.25 s later; in a quiz that change
    # would make quiz-reasoning.js close the reasoning blocks a later check opens.
    try:
        page.wait_for_function("() => !document.querySelector('.md-tooltip2')", timeout=SETTLE_MS)
    except PlaywrightTimeoutError:
        pass
    return problems
