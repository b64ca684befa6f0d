"""Every copy button is visible at rest, without hover (a phone has none): its icon has at
least 3:1 contrast against the background it sits on, in both themes (WCAG 1.4.11,
non-text contrast).

The icon's colour is the button's computed colour (Material draws its icon in currentColor,
the lab's notebook cells an SVG filled with currentColor). The background is what the
browser stacks under the icon's centre: each element's background colour, composited from
the button's own box down to the first opaque one.
"""

import pytest

from course.pages import all_pages
from tests.browser.colours import RGBA_JS, contrast

SCHEMES = ("light", "dark")
MIN_CONTRAST = 3.0
BUTTONS = "button[data-md-type=copy], clipboard-copy"
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

ICON_AND_BACKGROUND = (
    """(selector) => {
"""
    + RGBA_JS
    + """
  return [...document.querySelectorAll(selector)].map(button => {
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


def test_contrast_is_the_wcag_formula():
    assert round(contrast((0, 0, 0, 1), (255, 255, 255, 1)), 2) == 21.0
    assert round(contrast((118, 118, 118, 1), (255, 255, 255, 1)), 2) == 4.54
    assert contrast((0, 0, 0, 0.07), (245, 245, 245, 1)) < 1.3  # Material's resting icon


@pytest.mark.parametrize("scheme", SCHEMES)
def test_copy_buttons_are_visible_at_rest(browser, base_url, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    faint, counted, kinds = [], 0, set()
    for url in all_pages():
        page.goto(base_url + url)
        # Open what a reader can open: collapsed blocks, and a quiz's reasoning (shown once
        # the question is answered right, javascripts/quiz-reasoning.js).
        page.evaluate(OPEN_EVERYTHING)
        page.mouse.move(0, 0)  # nothing hovered
        page.evaluate(SETTLED)
        for button in page.evaluate(ICON_AND_BACKGROUND, BUTTONS):
            counted += 1
            kinds.add(button["where"].rsplit(" ", 1)[-1])
            ratio = contrast(button["icon"], button["background"])
            if ratio < MIN_CONTRAST or not button["shown"]:
                faint.append(f"{url} {button['where']}: {ratio:.2f}:1, shown={button['shown']}")
    context.close()
    assert counted > 30 and kinds == {"button", "clipboard-copy"}, (counted, kinds)
    assert not faint, f"{len(faint)} of {counted} copy buttons below {MIN_CONTRAST}:1:\n" + (
        "\n".join(faint[:20])
    )
