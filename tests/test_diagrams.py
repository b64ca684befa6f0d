"""The lesson diagrams (SVG files in the lessons' docs folders, drawn inline by
hooks/diagrams.py): each carries a text alternative, loads and runs nothing, is shown by a
page, and a diagram that breaks those rules fails the build."""

import re
from html.parser import HTMLParser

import pytest
from mkdocs.exceptions import PluginError

from course import DOCS_DIR, ROOT
from course.build import build, copy_project
from hooks.diagrams import check

DIAGRAMS = sorted(DOCS_DIR.glob("*/diagrams/*.svg"))
EXTERNAL = re.compile(r"""(?:href\s*=\s*["'](?!#)|url\(\s*["']?(?!#)|@import|<script|\son\w+=)""")


def test_the_lessons_have_diagrams():
    assert len(DIAGRAMS) >= 4, DIAGRAMS


@pytest.mark.parametrize("path", DIAGRAMS, ids=[p.name for p in DIAGRAMS])
def test_a_diagram_has_a_text_alternative_and_no_outside_reference(path):
    svg = path.read_text()
    assert not EXTERNAL.search(svg), f"{path.name}: {EXTERNAL.search(svg)[0]!r}"
    root = re.search(r"<svg\b[^>]*>", svg)[0]
    assert 'role="img"' in root
    title_id, desc_id = re.search(r'aria-labelledby="(\S+) (\S+)"', root).groups()
    title = re.search(rf'<title id="{title_id}">(.*?)</title>', svg, re.DOTALL)
    desc = re.search(rf'<desc id="{desc_id}">(.*?)</desc>', svg, re.DOTALL)
    assert title and len(title[1].split()) >= 3, f"{path.name}: no <title>"
    assert desc and len(desc[1].split()) >= 30, f"{path.name}: the <desc> says too little"
    # Colours come from the theme's variables (with the light theme as the fallback), never
    # from a fixed fill or stroke on an element.
    assert "var(--md-default-fg-color" in svg
    assert not re.search(r'\s(?:fill|stroke)="#', svg), f"{path.name}: a fixed colour"


class Figures(HTMLParser):
    """Diagram figures of a built page: the inline <svg>'s attributes, the link around it."""

    def __init__(self):
        super().__init__()
        self.figures, self._in, self._link = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "diagram" in (attrs.get("class") or "").split():
            self._in = True
            self.figures.append({"svg": None, "link": None, "img": False, "caption": False})
        elif self._in and tag == "a":
            self._link = attrs.get("href")
        elif self._in and tag == "svg" and self.figures[-1]["svg"] is None:
            self.figures[-1].update(svg=attrs, link=self._link)
        elif self._in and tag == "img":
            self.figures[-1]["img"] = True
        elif self._in and tag == "figcaption":
            self.figures[-1]["caption"] = True

    def handle_endtag(self, tag):
        if tag == "figure":
            self._in = False


def test_every_diagram_is_on_a_page_inline_and_opens_full_size(site):
    shown = set()
    for page in site.rglob("index.html"):
        parser = Figures()
        parser.feed(page.read_text())
        for figure in parser.figures:
            where = page.relative_to(site)
            assert figure["svg"] and not figure["img"], f"{where}: a diagram not drawn inline"
            assert figure["svg"].get("role") == "img" and figure["caption"], where
            target = (page.parent / figure["link"]).resolve()
            assert target.is_file() and target.suffix == ".svg", f"{where}: {figure['link']}"
            shown.add(target.relative_to(site.resolve()).as_posix())
    expected = {p.relative_to(DOCS_DIR).as_posix() for p in DIAGRAMS}
    assert shown == expected, f"diagrams not shown: {expected - shown}"


@pytest.mark.parametrize(
    "bad, message",
    [
        ("<script>alert(1)</script>", "a script"),
        ('<image href="https://example.org/x.png"/>', "a reference outside the file"),
        ('<rect onclick="go()"/>', "an event handler"),
        ("", "aria-labelledby"),
    ],
    ids=["script", "remote image", "event handler", "no text alternative"],
)
def test_the_hook_refuses_a_diagram_that_loads_or_runs_something_or_has_no_text(bad, message):
    svg = DIAGRAMS[0].read_text()
    check(svg, "docs/x.svg")  # the real file passes as it is
    if bad:
        svg = svg.replace("</svg>", bad + "</svg>")
    else:
        svg = re.sub(r'\saria-labelledby="[^"]*"', "", svg)
    with pytest.raises(PluginError, match=message):
        check(svg, "docs/x.svg")


def test_a_bad_diagram_fails_the_build_naming_the_file(tmp_path):
    project = copy_project(tmp_path)
    path = project / DIAGRAMS[0].relative_to(ROOT)
    path.write_text(path.read_text().replace("</svg>", "<script>alert(1)</script></svg>"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "a script" in result.stderr and path.name in result.stderr, result.stderr
