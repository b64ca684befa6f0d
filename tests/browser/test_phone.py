"""Every page on a 390 px phone (and at 1280 px): no sideways scroll, one code size, code
lines kept whole.

- No page scrolls sideways: a wide code block or table scrolls inside its own box.
- Every code block, in the lesson pages, in admonitions and collapsed blocks, and in the lab's
  notebook cells, is drawn at one font size.
- No code line wraps (a wrapped Python line looks like wrong indentation): each block is as
  tall as its lines, and a block wider than the screen scrolls sideways instead.
"""

import pytest

from course.pages import all_pages

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Code blocks: Material's <pre><code>, the lab's <pre> (code cells and text outputs).
CODE_BLOCKS = """() => {
  document.querySelectorAll("details").forEach(d => {
    d.open = true;
    d.classList.add("quiz-reasoning--open");  // a quiz's reasoning, shown once answered
  });
  const blocks = [...document.querySelectorAll("article pre")].filter(
    pre => !pre.closest(".jp-Notebook") || pre.closest(".highlight-ipynb, .jp-RenderedText"));
  return blocks.map(pre => {
    const text = pre.querySelector("code") || pre;
    const style = getComputedStyle(text);
    const box = getComputedStyle(pre);
    const inner = pre.clientHeight - parseFloat(box.paddingTop) - parseFloat(box.paddingBottom);
    const codeBox = getComputedStyle(text);
    const codeInner = text === pre ? inner :
      text.clientHeight - parseFloat(codeBox.paddingTop) - parseFloat(codeBox.paddingBottom);
    const where = pre.closest("[id]");
    return {
      where: (where ? "#" + where.id : "") + " " + text.textContent.trim().slice(0, 40),
      fontSize: style.fontSize,
      lines: text.textContent.replace(/\\n$/, "").split("\\n").length,
      drawnLines: codeInner / parseFloat(style.lineHeight),
      scrolls: ["auto", "scroll"].includes(getComputedStyle(text).overflowX) ||
        ["auto", "scroll"].includes(box.overflowX),
      overflows: text.scrollWidth > text.clientWidth + 1,
    };
  });
}"""

SIDEWAYS = """() => {
  window.scrollTo(10000, window.scrollY);
  const shifted = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const right = element => element.getBoundingClientRect().right;
  // The outermost elements that reach past the right edge of the screen.
  const wide = shifted === 0 ? [] : [...document.querySelectorAll("body *")]
    .filter(e => right(e) > innerWidth + 1 && right(e.parentElement) <= innerWidth + 1)
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} (right edge ${Math.round(right(e))} px)`);
  return {shifted, scrollWidth: document.documentElement.scrollWidth, wide};
}"""


@pytest.fixture(scope="module", params=VIEWPORTS, ids=list(VIEWPORTS))
def measured(request, browser, base_url):
    """URL path -> (sideways scroll, code blocks) at one viewport, every page loaded once;
    and where the home page's "What you need" box is as it first shows."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    found, setup_box = {}, None
    for url in all_pages():
        page.goto(base_url + url)
        if url == "":
            setup_box = page.locator(".admonition", has_text="What you need").bounding_box()
        sideways = page.evaluate(SIDEWAYS)
        found[url] = sideways, page.evaluate(CODE_BLOCKS)
    context.close()
    return request.param, found, setup_box


def test_no_page_scrolls_sideways(measured):
    viewport, found, _ = measured
    problems = [
        f"{url}: scrolls {sideways['shifted']} px sideways; too wide: {sideways['wide']}"
        for url, (sideways, _) in found.items()
        if sideways["shifted"] > 0 or sideways["scrollWidth"] > VIEWPORTS[viewport]["width"]
    ]
    assert not problems, f"at {viewport} width:\n" + "\n".join(problems)


def test_every_code_block_has_one_font_size(measured):
    viewport, found, _ = measured
    sizes = {}
    for url, (_, blocks) in found.items():
        for block in blocks:
            sizes.setdefault(block["fontSize"], []).append(f"{url} {block['where']!r}")
    assert len(found) > 5 and sum(map(len, sizes.values())) > 40
    assert len(sizes) == 1, f"at {viewport} width, code in several sizes: " + "; ".join(
        f"{size}: {len(where)} blocks, e.g. {where[0]}" for size, where in sizes.items()
    )


def test_no_code_line_wraps(measured):
    viewport, found, _ = measured
    wrapped, scrolled = [], 0
    for url, (_, blocks) in found.items():
        for block in blocks:
            if block["drawnLines"] > block["lines"] + 0.5:
                wrapped.append(
                    f"{url} {block['where']!r}: {block['lines']} lines drawn as "
                    f"{block['drawnLines']:.1f}"
                )
            elif block["overflows"] and not block["scrolls"]:
                wrapped.append(f"{url} {block['where']!r}: too wide and does not scroll")
            scrolled += block["overflows"]
    assert not wrapped, f"at {viewport} width:\n" + "\n".join(wrapped)
    if viewport == "phone":  # the check above saw long lines, not only short ones
        assert scrolled > 10, f"only {scrolled} code blocks wider than a phone"


def test_a_newcomer_sees_the_setup_first(measured):
    """The home page's "What you need" box is on the first screen of a 390 x 844 phone (and of
    a 1280 x 900 desktop)."""
    viewport, _, box = measured
    assert box is not None, "no 'What you need' box on the home page"
    assert box["y"] + box["height"] <= VIEWPORTS[viewport]["height"], f"below the fold: {box}"
