"""The diagrams, as Chromium draws them in the light and the dark theme: every label is
readable (at least 4.5:1 against what lies under it, WCAG 1.4.3) and every line and cell
border visible (at least 3:1 against the page, WCAG 1.4.11), in the theme's own colours."""

import pytest

from course import ROOT
from course.inventory import pages
from course.pages import url_path
from tests.browser.colours import RGBA_JS, contrast

SCHEMES = ("light", "dark")
DIAGRAM_PAGES = [url_path(p) for p in pages(ROOT) if 'class="diagram"' in p.read_text()]

MEASURE = (
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
def measured(browser, base_url):
    """scheme -> [(page URL, diagram)] for every diagram of every page."""
    found = {}
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        found[scheme] = []
        for url in DIAGRAM_PAGES:
            page.goto(base_url + url)
            found[scheme] += [(url, diagram) for diagram in page.evaluate(MEASURE)]
        context.close()
    return found


def test_pages_with_diagrams_exist():
    assert len(DIAGRAM_PAGES) >= 4, DIAGRAM_PAGES


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_label_and_line_of_a_diagram_stands_out(measured, scheme):
    faint, labels = [], 0
    for url, diagram in measured[scheme]:
        for label in diagram["labels"]:
            labels += 1
            ratio = contrast(label["colour"], label["under"])
            if ratio < 4.5:
                faint.append(f"{url} {diagram['id']}: label {label['text']!r} {ratio:.2f}:1")
        for stroke in diagram["strokes"]:
            ratio = contrast(stroke["colour"], diagram["page"])
            if ratio < 3:
                faint.append(f"{url} {diagram['id']}: {stroke['shape']} {ratio:.2f}:1")
    assert labels > 100, f"only {labels} labels measured"
    assert not faint, "\n".join(faint[:30])


def test_diagrams_take_the_theme_colours(measured):
    """The same label is drawn in another colour in each theme: the theme's, not a fixed one."""
    light = {(url, d["id"]): d for url, d in measured["light"]}
    dark = {(url, d["id"]): d for url, d in measured["dark"]}
    assert light.keys() == dark.keys() and len(light) >= 4
    for key in light:
        first_light, first_dark = light[key]["labels"][0], dark[key]["labels"][0]
        assert first_light["colour"] != first_dark["colour"], key
        assert light[key]["page"] != dark[key]["page"], key
