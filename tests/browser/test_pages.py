"""Every page, in the light and the dark theme, as Chromium shows it at 1280 x 900; each page is
loaded once per theme for all the checks below.

- No console error, no failed request, no request to any host but the test server on
  127.0.0.1; every image, lazy ones too, loads and shows; the math is rendered as MathML
  boxes; axe-core finds no serious or critical accessibility violation.
- Every copy button is visible at rest, without hover (a phone has none): its icon has at
  least 3:1 contrast against the background it sits on (WCAG 1.4.11, non-text contrast). The
  icon's colour is the button's computed colour (Material draws its icon in currentColor, the
  lab's notebook cells an SVG filled with currentColor). The background is what the browser
  stacks under the icon's centre: each element's background colour, composited from the
  button's own box down to the first opaque one.
- Hovering or focusing a page's first glossary term shows its definition (light theme).
- The diagrams: every label readable (at least 4.5:1 against what lies under it, WCAG 1.4.3)
  and every line and cell border visible (at least 3:1 against the page, WCAG 1.4.11), in the
  theme's own colours.

A page that fails leaves a full-page screenshot of itself, as it first shows, in
screenshots/browser/ (git ignored). tools/screenshots.py takes them of every page for review.
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from course import ROOT
from course.inventory import pages
from course.pages import all_pages, url_path
from tests.browser.colours import RGBA_JS, contrast
from tests.browser.tooltips import hover_and_focus
from tools.screenshots import ALL_IMAGES_DONE, LOAD_LAZY_IMAGES, whole_page_screenshot

SCHEMES = {"light": "default", "dark": "slate"}  # Playwright color scheme -> Material's
PAGES = [(url, scheme) for url in all_pages() for scheme in SCHEMES]
SEVERE = {"serious", "critical"}
MIN_CONTRAST = 3.0
DIAGRAM_PAGES = [url_path(p) for p in pages(ROOT) if 'class="diagram"' in p.read_text()]

MATH_BOXES = """() => [...document.querySelectorAll("article math")].map(m => {
  const box = m.getBoundingClientRect();
  return {mathml: m instanceof MathMLElement, width: box.width, height: box.height,
          text: m.textContent.slice(0, 40)};
})"""


SHOW_ANSWERS = """() => document.querySelectorAll(".quiz + details").forEach(
  reasoning => reasoning.classList.add("quiz-reasoning--open"))"""


IMAGES = """() => [...document.images].map(image => ({
  src: image.getAttribute("src"), shown: image.naturalWidth > 0 && image.naturalHeight > 0}))"""

OPEN_EVERYTHING = """() => document.querySelectorAll("details").forEach(d => {
  d.open = true;
  d.classList.add("quiz-reasoning--open");
})"""

# Resolves once every running transition or animation that ends has ended (Material's colour
# transition after the mouse leaves a button is 0.25 s).
SETTLED = """async () => {
  for (;;) {
    const running = document.getAnimations().filter(animation =>
      animation.playState === "running" &&
      animation.effect.getComputedTiming().endTime !== Infinity);
    if (!running.length) return;
    await Promise.allSettled(running.map(animation => animation.finished));
  }
}"""

COPY_BUTTONS = (
    """() => {
"""
    + RGBA_JS
    + """
  const buttons = document.querySelectorAll("button[data-md-type=copy], clipboard-copy");
  return [...buttons].map(button => {
    button.scrollIntoView({block: "center", behavior: "instant"});
    const icon = button.querySelector("svg") || button;
    const box = icon.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const layers = [];
    for (const element of document.elementsFromPoint(x, y)) {
      if (icon.contains(element) && element !== button) continue;
      const colour = rgba(getComputedStyle(element).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    let background = [255, 255, 255, 1];  // the canvas, if nothing opaque is found
    for (const layer of layers.reverse()) background = over(layer, background);
    const where = button.closest("[id]");
    return {
      icon: rgba(getComputedStyle(icon).color),
      background: background,
      shown: box.width > 0 && box.height > 0 && getComputedStyle(button).opacity === "1",
      where: (where ? "#" + where.id : "") + " " + button.tagName.toLowerCase(),
    };
  });
}"""
)

# Every diagram's labels, each with the colour under it, and its lines and cell borders.
DIAGRAMS = (
    """() => {
"""
    + RGBA_JS
    + """
  function paint(element) {  // what an element lays over what is under it
    if (element instanceof SVGElement) {
      if (!(element instanceof SVGGeometryElement)) return null;
      const style = getComputedStyle(element);
      if (style.fill === "none") return null;
      const colour = rgba(style.fill);
      colour[3] *= parseFloat(style.fillOpacity) * parseFloat(style.opacity);
      return colour;
    }
    return rgba(getComputedStyle(element).backgroundColor);
  }
  function under(element) {
    const box = element.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const layers = [];
    for (const below of document.elementsFromPoint(x, y)) {
      if (below === element || element.contains(below)) continue;
      const colour = paint(below);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] >= 1) break;
    }
    let background = [255, 255, 255, 1];
    for (const layer of layers.reverse()) background = over(layer, background);
    return background;
  }
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll("figure.diagram svg")].map(svg => {
    svg.scrollIntoView({block: "center", behavior: "instant"});
    const labels = [...svg.querySelectorAll("text")].map(text => ({
      text: text.textContent,
      colour: rgba(getComputedStyle(text).fill),
      under: under(text),
    }));
    const strokes = [...svg.querySelectorAll("rect, line, path")]
      .filter(shape => getComputedStyle(shape).stroke !== "none")
      .map(shape => ({
        shape: shape.outerHTML.slice(0, 60),
        colour: rgba(getComputedStyle(shape).stroke),
      }));
    return {id: svg.getAttribute("aria-labelledby"), page, labels, strokes};
  });
}"""
)


@pytest.fixture(scope="module")
def axe():
    return Axe()


class Watch:
    """The console errors, page errors, failed requests, HTTP errors and requests to another
    host that a page shows while watched (a with block), and its requests in flight."""

    def __init__(self, page):
        self.page, self.problems, self.in_flight = page, [], set()
        self.handlers = {
            "console": lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"),
            "pageerror": lambda e: self.problems.append(f"page error: {e}"),
            "request": self.request,
            "requestfinished": lambda r: self.in_flight.discard(r),
            "requestfailed": self.failed,
            "response": lambda r: (
                r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}")
            ),
        }

    def request(self, request):
        self.in_flight.add(request)
        if urlsplit(request.url).hostname != "127.0.0.1" and not request.url.startswith(
            ("data:", "blob:")
        ):
            self.problems.append(f"request to another host: {request.url}")

    def failed(self, request):
        self.in_flight.discard(request)
        self.problems.append(f"failed: {request.url} {request.failure}")

    def wait_until_quiet(self, timeout_ms=10_000):
        """Wait until none of the page's requests is in flight: one made late (a lazy image
        scrolled into view) then finishes, or fails, while watched."""
        for _ in range(timeout_ms // 50):
            if not self.in_flight:
                return
            self.page.wait_for_timeout(50)
        self.problems += [f"still loading after {timeout_ms} ms: {r.url}" for r in self.in_flight]

    def __enter__(self):
        for event, handler in self.handlers.items():
            self.page.on(event, handler)
        return self

    def __exit__(self, *exception):
        for event, handler in self.handlers.items():
            self.page.remove_listener(event, handler)


def page_id(url, scheme):
    return f"{url.strip('/').replace('/', '__') or 'home'}-{scheme}"


def look_at(page, address, axe, hover_terms) -> dict:
    """Load a page and take, in this order, what every check here reads of it (hover and
    focus its first glossary term only if hover_terms)."""
    seen = {}
    with Watch(page) as watch:
        page.goto(address)
        seen["scheme"] = page.locator("body").get_attribute("data-md-color-scheme")
        # Then show what a reader can open (a quiz's reasoning, after a right answer), so
        # that its math and accessibility are checked too.
        page.evaluate(SHOW_ANSWERS)
        seen["math"] = page.evaluate(MATH_BOXES)
        seen["article"] = page.locator("article").inner_text()
        seen["violations"] = axe.run(page).response["violations"]
        if hover_terms:
            seen["tooltip_problems"] = hover_and_focus(page)
        # The copy buttons, with everything a reader can open open (collapsed blocks too),
        # nothing hovered, and Material's colour transitions over.
        page.evaluate(OPEN_EVERYTHING)
        page.mouse.move(0, 0)
        page.evaluate(SETTLED)
        seen["copy_buttons"] = page.evaluate(COPY_BUTTONS)
        seen["diagrams"] = page.evaluate(DIAGRAMS)
        # Its lazy images, as a reader who scrolls through it gets them, each loaded and shown;
        # then every request still in flight ends, so that leaving the page aborts none (the
        # "networkidle" load state would not do: it fires once, and may have fired already).
        page.evaluate(LOAD_LAZY_IMAGES)
        page.wait_for_function(ALL_IMAGES_DONE)
        seen["images"] = page.evaluate(IMAGES)
        watch.wait_until_quiet()
        page.goto("about:blank")
    seen["problems"] = watch.problems
    return seen


class Pages:
    """What each page showed (look_at), loaded at its first use in one browser tab per
    theme, so only the pages of the tests that run are loaded, each once per theme."""

    def __init__(self, browser, base_url, axe):
        self.browser, self.base_url, self.axe = browser, base_url, axe
        self.tabs, self.seen = {}, {}

    def tab(self, scheme):
        if scheme not in self.tabs:
            context = self.browser.new_context(
                color_scheme=scheme, viewport={"width": 1280, "height": 900}
            )
            self.tabs[scheme] = context.new_page()
        return self.tabs[scheme]

    def __call__(self, url, scheme) -> dict:
        if (url, scheme) not in self.seen:
            self.seen[url, scheme] = look_at(
                self.tab(scheme), self.base_url + url, self.axe, hover_terms=scheme == "light"
            )
        return self.seen[url, scheme]

    def screenshot(self, url, scheme, path):
        """A full-page screenshot of the page as it first shows (its lazy images loaded)."""
        page = self.tab(scheme)
        page.goto(self.base_url + url)
        whole_page_screenshot(page, path)
        page.goto("about:blank")


@pytest.fixture(scope="module")
def seen(browser, base_url, axe):
    pages = Pages(browser, base_url, axe)
    yield pages
    for tab in pages.tabs.values():
        tab.context.close()


def fail_with_a_screenshot(seen, screenshots_dir, url, scheme, failures):
    """Fail with these messages, if any, and a screenshot of the page to look at."""
    if failures:
        path = screenshots_dir / f"{page_id(url, scheme)}.png"
        try:
            seen.screenshot(url, scheme, path)
            failures.append(f"(screenshot: {path})")
        except PlaywrightError as error:
            failures.append(f"(no screenshot: {error})")
        pytest.fail("\n".join(failures), pytrace=False)


@pytest.mark.parametrize("url, scheme", PAGES, ids=[page_id(*p) for p in PAGES])
def test_page_loads_cleanly_renders_math_and_passes_axe(seen, screenshots_dir, url, scheme):
    page = seen(url, scheme)
    failures = []
    if page["scheme"] != SCHEMES[scheme]:
        failures.append(f"Material's colour scheme is {page['scheme']}, not {SCHEMES[scheme]}")
    unrendered = [
        m for m in page["math"] if not (m["mathml"] and m["width"] > 0 and m["height"] > 0)
    ]
    if unrendered:
        failures.append(f"math not rendered as MathML boxes: {unrendered}")
    if "\\(" in page["article"] or "\\[" in page["article"]:
        failures.append("LaTeX left in the page's text")
    failures += page["problems"]
    failures += [f"image not shown: {i['src']}" for i in page["images"] if not i["shown"]]
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in page["violations"]
        if v["impact"] in SEVERE
    ]
    if violations:
        failures.append("axe-core, serious or critical:\n" + "\n".join(violations))
    fail_with_a_screenshot(seen, screenshots_dir, url, scheme, failures)


@pytest.mark.parametrize("url, scheme", PAGES, ids=[page_id(*p) for p in PAGES])
def test_copy_buttons_are_visible_at_rest(seen, screenshots_dir, url, scheme):
    buttons = seen(url, scheme)["copy_buttons"]
    faint = [
        f"{button['where']}: {ratio:.2f}:1, shown={button['shown']}"
        for button in buttons
        if (ratio := contrast(button["icon"], button["background"])) < MIN_CONTRAST
        or not button["shown"]
    ]
    failures = (
        [f"{len(faint)} of {len(buttons)} copy buttons below {MIN_CONTRAST}:1:"] if faint else []
    )
    fail_with_a_screenshot(seen, screenshots_dir, url, scheme, failures + faint[:20])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_copy_button_check_sees_both_kinds(seen, scheme):
    """The check above is not vacuous: it measures many buttons, of Material's code blocks
    and of the lab's notebook cells."""
    buttons = [button for url in all_pages() for button in seen(url, scheme)["copy_buttons"]]
    kinds = {button["where"].rsplit(" ", 1)[-1] for button in buttons}
    assert len(buttons) > 30 and kinds == {"button", "clipboard-copy"}, (len(buttons), kinds)


@pytest.mark.parametrize("url", all_pages(), ids=[page_id(url, "light") for url in all_pages()])
def test_hovering_or_focusing_a_term_shows_it(seen, screenshots_dir, url):
    """The page's first glossary term shows its definition on hover and on focus (in the
    light theme; a tap on a phone, in both: test_glossary.py)."""
    problems = seen(url, "light")["tooltip_problems"]
    fail_with_a_screenshot(seen, screenshots_dir, url, "light", problems)


def test_pages_with_diagrams_exist():
    assert len(DIAGRAM_PAGES) >= 4, DIAGRAM_PAGES


@pytest.mark.parametrize(
    "url, scheme",
    [(url, scheme) for url in DIAGRAM_PAGES for scheme in SCHEMES],
    ids=[page_id(url, scheme) for url in DIAGRAM_PAGES for scheme in SCHEMES],
)
def test_every_label_and_line_of_a_diagram_stands_out(seen, screenshots_dir, url, scheme):
    """Every label is readable (at least 4.5:1 against what lies under it, WCAG 1.4.3) and
    every line and cell border visible (at least 3:1 against the page, WCAG 1.4.11)."""
    diagrams = seen(url, scheme)["diagrams"]
    faint = [] if diagrams else ["no diagram drawn"]
    for diagram in diagrams:
        for label in diagram["labels"]:
            ratio = contrast(label["colour"], label["under"])
            if ratio < 4.5:
                faint.append(f"{diagram['id']}: label {label['text']!r} {ratio:.2f}:1")
        for stroke in diagram["strokes"]:
            ratio = contrast(stroke["colour"], diagram["page"])
            if ratio < 3:
                faint.append(f"{diagram['id']}: {stroke['shape']} {ratio:.2f}:1")
    fail_with_a_screenshot(seen, screenshots_dir, url, scheme, faint[:30])


def test_diagrams_take_the_theme_colours(seen):
    """The same label is drawn in another colour in each theme: the theme's, not a fixed one;
    and the checks above measured many labels."""
    light, dark = (
        {(url, d["id"]): d for url in DIAGRAM_PAGES for d in seen(url, scheme)["diagrams"]}
        for scheme in SCHEMES
    )
    assert light.keys() == dark.keys() and len(light) >= 4
    for found in light, dark:
        labels = sum(len(d["labels"]) for d in found.values())
        assert labels > 100, f"only {labels} labels measured"
    for key in light:
        first_light, first_dark = light[key]["labels"][0], dark[key]["labels"][0]
        assert first_light["colour"] != first_dark["colour"], key
        assert light[key]["page"] != dark[key]["page"], key


def test_contrast_is_the_wcag_formula():
    assert round(contrast((0, 0, 0, 1), (255, 255, 255, 1)), 2) == 21.0
    assert round(contrast((118, 118, 118, 1), (255, 255, 255, 1)), 2) == 4.54
    assert contrast((0, 0, 0, 0.07), (245, 245, 245, 1)) < 1.3  # Material's resting icon


def test_math_pages_exist():
    """The math check above is not vacuous: the lesson has pages with math."""
    from course import DOCS_DIR

    assert any("$" in p.read_text() for p in DOCS_DIR.rglob("*.md"))
