"""The lesson notebooks: the lab's figures are on its page, and every download works.

The site built once per session (tests/conftest.py) serves all the tests here; with
mkdocs-jupyter's cache warm it does not execute the lab again.
"""

import os
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course import DOCS_DIR, ROOT, SNIPPETS_DIR
from course.build import build, copy_project
from course.inventory import INCLUDE, nav_pages

LESSON = "2.1.1-embeddings-initialization"
CODE_NOTEBOOK = f"{LESSON}/downloads/{LESSON}-code.ipynb"
LAB_NOTEBOOK = f"{LESSON}/downloads/{LESSON}-lab.ipynb"
LAB_FIGURES = 4
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Collector(HTMLParser):
    """Figures (img attributes + caption text) and links of one built page."""

    def __init__(self):
        super().__init__()
        self.figures, self.links, self._figure, self._caption = [], [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "lab-figure" in (attrs.get("class") or ""):
            self._figure = {"img": None, "caption": ""}
        elif tag == "img" and self._figure is not None:
            self._figure["img"] = attrs
        elif tag == "figcaption" and self._figure is not None:
            self._caption = True
        elif tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = False
        elif tag == "figure" and self._figure is not None:
            self.figures.append(self._figure)
            self._figure = None

    def handle_data(self, data):
        if self._caption:
            self._figure["caption"] += data


def parse(page: Path) -> Collector:
    collector = Collector()
    collector.feed(page.read_text())
    return collector


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC), "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_lab_page_shows_its_figures_with_alt_text_and_captions(site):
    figures = parse(site / LESSON / "lab" / "index.html").figures
    assert len(figures) == LAB_FIGURES, f"{len(figures)} lab figures on the page"
    for number, figure in enumerate(figures, start=1):
        img = figure["img"]
        assert img is not None, f"figure {number} has no image"
        # hooks/labs.py moves each inline PNG to a file next to the page, its size given.
        assert re.fullmatch(r"figure-[0-9a-f]{12}\.png", img["src"]), f"figure {number}: {img}"
        width, height = png_size((site / LESSON / "lab" / img["src"]).read_bytes())
        assert width > 300 and height > 200, f"figure {number} is {width} x {height}"
        assert (img["width"], img["height"]) == (str(width), str(height)), f"figure {number}"
        assert img.get("loading") == "lazy", f"figure {number} is not loaded lazily"
        assert len(img.get("alt") or "") > 40, f"figure {number}: no real alt text"
        assert len(figure["caption"].strip()) > 40, f"figure {number}: no caption"


@pytest.mark.parametrize("page", ["index.html", "lab/index.html"])
def test_lesson_pages_have_download_buttons_that_resolve(site, page):
    html_page = site / LESSON / page
    downloads = [a for a in parse(html_page).links if "download" in a]
    targets = {
        (html_page.parent / a["href"]).resolve() for a in downloads if a["href"].endswith(".ipynb")
    }
    expected = {(site / CODE_NOTEBOOK).resolve(), (site / LAB_NOTEBOOK).resolve()}
    assert targets == expected, f"{page}: download links {sorted(map(str, targets))}"
    for target in targets:
        nbformat.validate(nbformat.read(target, as_version=4))


def expected_code_lines() -> tuple[list[str], list[str]]:
    """The lesson's snippets' code lines, prompts stripped, and its page titles, read
    straight from mkdocs.yml, the pages and the .pycon files."""
    lines, titles = [], []
    for page in nav_pages(ROOT):
        if not (page.startswith(f"{LESSON}/") and page.endswith(".md")):
            continue
        text = (DOCS_DIR / page).read_text().splitlines()
        targets = [m["path"] for t in text if (m := INCLUDE.match(t))]
        if targets:
            titles.append(next(t[2:].strip() for t in text if t.startswith("# ")))
        for target in targets:
            for line in (SNIPPETS_DIR / target).read_text().splitlines():
                if line.startswith((">>> ", "... ")) or line in (">>>", "..."):
                    lines.append(line[4:])
    return lines, titles


def test_the_code_notebook_is_the_snippets_in_page_order(site):
    notebook = nbformat.read(site / CODE_NOTEBOOK, as_version=4)
    setup, *cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert setup.endswith('get_ipython().ast_node_interactivity = "all"')
    code = [line for cell in cells for line in cell.split("\n")]
    headings = [
        c.source[3:] for c in notebook.cells if c.cell_type == "markdown" and c.source[:3] == "## "
    ]
    lines, titles = expected_code_lines()
    assert len(lines) > 100
    assert code == lines, "the code notebook's cells differ from the snippets"
    assert headings == titles


@pytest.mark.parametrize("download", [CODE_NOTEBOOK, LAB_NOTEBOOK])
def test_a_downloaded_notebook_runs_top_to_bottom_in_a_fresh_kernel(site, tmp_path, download):
    notebook = nbformat.read(site / download, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,  # except in cells tagged raises-exception, as in Jupyter
        resources={"metadata": {"path": str(tmp_path)}},  # a fresh folder as the cwd
    )
    # One torch thread only for speed on a busy machine: outputs are the same either way.
    client.execute(env={**os.environ, "OMP_NUM_THREADS": "1"})
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    if download == CODE_NOTEBOOK:  # every value shows, as on the pages: the parameter count
        assert any(
            "411041792" in o.get("data", {}).get("text/plain", "")
            for c in notebook.cells
            for o in c.get("outputs", [])
        ), "a value the page shows is missing"
    tagged = [c for c in notebook.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert len(errors) == len(tagged), "only the cells tagged raises-exception may fail"


def test_a_failing_check_in_a_lab_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
    lab = project / "snippets" / LESSON / "lab.py"
    lab.write_text("# %%\nassert 1 + 1 == 3, 'a lab check failed'\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "a lab check failed" in result.stderr
