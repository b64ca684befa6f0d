"""Every page, in the light and the dark theme, as Chromium shows it.

No console error, no failed request, no request to any host but the test server on
127.0.0.1; the math is rendered as MathML boxes; axe-core finds no serious or critical
accessibility violation. A full-page screenshot of each, as it first shows, lands in
screenshots/browser/ (git ignored) for review.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from course.pages import all_pages

SCHEMES = {"light": "default", "dark": "slate"}  # Playwright color scheme -> Material's
PAGES = [(url, scheme) for url in all_pages() for scheme in SCHEMES]
SEVERE = {"serious", "critical"}

MATH_BOXES = """() => [...document.querySelectorAll("article math")].map(m => {
  const box = m.getBoundingClientRect();
  return {mathml: m instanceof MathMLElement, width: box.width, height: box.height,
          text: m.textContent.slice(0, 40)};
})"""


SHOW_ANSWERS = """() => document.querySelectorAll(".quiz + details").forEach(
  reasoning => reasoning.classList.add("quiz-reasoning--open"))"""


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab per theme, opened at its first use and reused by the pages' tests:
    a new context for each page would cost as much as loading it. Each test loads its page
    afresh and leaves the tab on about:blank, so nothing of one page outlives its test."""
    tabs = {}

    def open_tab(scheme):
        if scheme not in tabs:
            context = browser.new_context(
                color_scheme=scheme, viewport={"width": 1280, "height": 900}
            )
            tabs[scheme] = context.new_page()
        return tabs[scheme]

    yield open_tab
    for page in tabs.values():
        page.context.close()


@contextmanager
def problems_seen(page):
    """The console errors, page errors, failed requests, HTTP errors and requests to another
    host that the page shows while in this block."""
    problems = []
    handlers = {
        "console": lambda m: m.type == "error" and problems.append(f"console: {m.text}"),
        "pageerror": lambda e: problems.append(f"page error: {e}"),
        "requestfailed": lambda r: problems.append(f"failed: {r.url} {r.failure}"),
        "response": lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
        "request": lambda r: (
            urlsplit(r.url).hostname != "127.0.0.1"
            and not r.url.startswith(("data:", "blob:"))
            and problems.append(f"request to another host: {r.url}")
        ),
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        yield problems
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)


def page_id(url, scheme):
    return f"{url.strip('/').replace('/', '__') or 'home'}-{scheme}"


@pytest.mark.parametrize("url, scheme", PAGES, ids=[page_id(*p) for p in PAGES])
def test_page_loads_cleanly_renders_math_and_passes_axe(
    tab, base_url, screenshots_dir, axe, url, scheme
):
    page = tab(scheme)
    with problems_seen(page) as problems:
        page.goto(base_url + url)
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        page.screenshot(path=screenshots_dir / f"{page_id(url, scheme)}.png", full_page=True)
        # Then show what a reader can open (a quiz's reasoning, after a right answer), so
        # that its math and accessibility are checked too.
        page.evaluate(SHOW_ANSWERS)

        math = page.evaluate(MATH_BOXES)
        unrendered = [m for m in math if not (m["mathml"] and m["width"] > 0 and m["height"] > 0)]
        assert not unrendered, f"math not rendered as MathML boxes: {unrendered}"
        article = page.locator("article").inner_text()
        assert "\\(" not in article and "\\[" not in article, "LaTeX left in the page's text"

        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in axe.run(page).response["violations"]
            if v["impact"] in SEVERE
        ]
        # Every request the page makes after its load event (the checks above take longer
        # than the 0.5 s without one that ends the wait, so it seldom waits), then its unload.
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")
    assert not problems, "\n".join(problems)
    assert not violations, "axe-core, serious or critical:\n" + "\n".join(violations)


def test_math_pages_exist():
    """The math check above is not vacuous: the lesson has pages with math."""
    from course import DOCS_DIR

    assert any("$" in p.read_text() for p in DOCS_DIR.rglob("*.md"))
