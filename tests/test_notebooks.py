"""The lesson notebooks: the lab's figures are on its page, and every download works.

The site is the test run's one strict build (tests/conftest.py); with mkdocs-jupyter's cache
warm it does not execute the lab again.
"""

import ast
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
from course.lessons import lessons as all_lessons

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


def figure_calls(lab: Path) -> int:
    """How many figures the lab's top level draws: its calls to the function that writes
    the lab-figure markup (0 if it has none)."""
    tree = ast.parse(lab.read_text())
    makers = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and "lab-figure" in ast.unparse(node)
    }
    return sum(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) in makers
        for node in tree.body
    )


LABS = [lesson for lesson in all_lessons() if lesson.lab]


@pytest.mark.parametrize("lesson", LABS, ids=str)
def test_the_lab_page_shows_its_figures_with_alt_text_and_captions(site, lesson):
    figures = parse(site / lesson.id / "lab" / "index.html").figures
    assert len(figures) == figure_calls(lesson.lab), f"{len(figures)} lab figures on the page"
    for number, figure in enumerate(figures, start=1):
        img = figure["img"]
        assert img is not None, f"figure {number} has no image"
        # hooks/labs.py moves each inline PNG to a file next to the page, its size given.
        assert re.fullmatch(r"figure-[0-9a-f]{12}\.png", img["src"]), f"figure {number}: {img}"
        width, height = png_size((site / lesson.id / "lab" / img["src"]).read_bytes())
        assert width > 300 and height > 200, f"figure {number} is {width} x {height}"
        assert (img["width"], img["height"]) == (str(width), str(height)), f"figure {number}"
        assert img.get("loading") == "lazy", f"figure {number} is not loaded lazily"
        assert len(img.get("alt") or "") > 40, f"figure {number}: no real alt text"
        assert len(figure["caption"].strip()) > 40, f"figure {number}: no caption"


def lessons() -> list[str]:
    """Every lesson: a folder in both docs/ and snippets/ (as hooks/downloads.py finds them)."""
    return sorted(p.name for p in SNIPPETS_DIR.iterdir() if (DOCS_DIR / p.name).is_dir())


def downloads(lesson: str) -> dict[str, str]:
    notebooks = {"code": f"{lesson}/downloads/{lesson}-code.ipynb"}
    if (SNIPPETS_DIR / lesson / "lab.py").is_file():
        notebooks["lab"] = f"{lesson}/downloads/{lesson}-lab.ipynb"
    return notebooks


def lesson_pages(lesson: str) -> list[str]:
    """The lesson's Markdown pages, in nav order."""
    return [p for p in nav_pages(ROOT) if p.startswith(f"{lesson}/") and p.endswith(".md")]


def built_page(site: Path, page: str) -> Path:
    """docs path (a/b.md, a/index.md, a/lab.py) -> the built page's index.html."""
    stem = page.rsplit(".", 1)[0]
    return site / (stem[: -len("index")] if stem.endswith("/index") else stem + "/") / "index.html"


PAGES = [
    (lesson, page)
    for lesson in lessons()
    for page in nav_pages(ROOT)
    if page.startswith(f"{lesson}/")
]
NOTEBOOKS = [path for lesson in lessons() for path in downloads(lesson).values()]


@pytest.mark.parametrize("lesson, page", PAGES, ids=[p for _, p in PAGES])
def test_every_lesson_page_offers_the_downloads_and_they_resolve(site, lesson, page):
    html_page = built_page(site, page)
    links = [a for a in parse(html_page).links if "download" in a]
    targets = {
        (html_page.parent / a["href"]).resolve() for a in links if a["href"].endswith(".ipynb")
    }
    expected = {(site / path).resolve() for path in downloads(lesson).values()}
    assert targets == expected, f"{page}: download links {sorted(map(str, targets))}"
    for target in targets:
        nbformat.validate(nbformat.read(target, as_version=4))


def expected_code_lines(lesson: str) -> tuple[list[str], list[str]]:
    """The lesson's snippets' code lines, prompts stripped, and its page titles, read
    straight from mkdocs.yml, the pages and the .pycon files."""
    lines, titles = [], []
    for page in lesson_pages(lesson):
        text = (DOCS_DIR / page).read_text().splitlines()
        if text[0] == "---":  # front matter: YAML, whose comments also start with "# "
            text = text[text.index("---", 1) + 1 :]
        titles.append(next(t[2:].strip() for t in text if t.startswith("# ")))
        for target in [m["path"] for t in text if (m := INCLUDE.match(t))]:
            for line in (SNIPPETS_DIR / target).read_text().splitlines():
                if line.startswith((">>> ", "... ")) or line in (">>>", "..."):
                    lines.append(line[4:])
    return lines, titles


@pytest.mark.parametrize("lesson", lessons())
def test_the_code_notebook_is_the_snippets_in_page_order(site, lesson):
    notebook = nbformat.read(site / downloads(lesson)["code"], as_version=4)
    setup, *cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert 'get_ipython().ast_node_interactivity = "all"' in setup
    code = [line for cell in cells for line in cell.split("\n")]
    headings = [
        c.source[3:] for c in notebook.cells if c.cell_type == "markdown" and c.source[:3] == "## "
    ]
    lines, titles = expected_code_lines(lesson)
    assert lines, f"{lesson}: its pages include no snippet"
    assert code == lines, "the code notebook's cells differ from the snippets"
    assert headings == titles


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")


def paragraphs(markdown: str) -> list[str]:
    """The first line of each paragraph of running text, at the top level of a page (not in
    a code fence, an admonition, a table or a quiz), links reduced to their text."""
    found, fenced, previous = [], False, ""
    for line in markdown.splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line[:1].isalpha() and not previous.strip() and "{{" not in line:
            found.append(LINK.sub(r"\1", line).strip())
        previous = line
    return found


@pytest.mark.parametrize("lesson", lessons())
def test_the_code_notebook_reads_like_the_pages(site, lesson):
    """Each page's prose is there, as Markdown cells between its code cells."""
    notebook = nbformat.read(site / downloads(lesson)["code"], as_version=4)
    markdown = "\n".join(
        LINK.sub(r"\1", c.source) for c in notebook.cells if c.cell_type == "markdown"
    )
    missing, checked = [], 0
    for page in lesson_pages(lesson):
        for first_line in paragraphs((DOCS_DIR / page).read_text()):
            checked += 1
            if first_line not in markdown:
                missing.append(f"{page}: {first_line!r}")
    assert checked >= len(lesson_pages(lesson)), f"only {checked} paragraphs in the pages"
    assert not missing, "prose missing from the notebook:\n" + "\n".join(missing)
    kinds = [c.cell_type for c in notebook.cells]
    between = sum(
        1
        for a, b, c in zip(kinds, kinds[1:], kinds[2:], strict=False)
        if (a, b, c) == ("code", "markdown", "code")
    )
    with_code = sum(
        any(INCLUDE.match(t) for t in (DOCS_DIR / page).read_text().splitlines())
        for page in lesson_pages(lesson)
    )
    assert between >= with_code - 1, f"only {between} prose cells sit between two code cells"
    assert "--8<--" not in markdown and "!!! " not in markdown and "<quiz>" not in markdown
    assert not re.search(r"\]\([^)]*\.md\b", markdown), "a link to a .md page is left"
    # The pages' images (diagrams) travel inside the notebook, as cell attachments.
    images = {
        name
        for page in lesson_pages(lesson)
        for name in re.findall(
            r"!\[[^\]]*\]\((?:[^)/]*/)*([^)/]+\.(?:svg|png))\)", (DOCS_DIR / page).read_text()
        )
    }
    attached = {name for c in notebook.cells for name in c.get("attachments", {})}
    assert attached == images, f"attached {sorted(attached)}, the pages show {sorted(images)}"
    raw = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert all(f"(attachment:{name})" in raw for name in images)


@pytest.mark.parametrize("lesson", lessons())
def test_the_code_notebook_carries_the_outputs_the_pages_show(site, lesson):
    notebook = nbformat.read(site / downloads(lesson)["code"], as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"][1:]
    with_outputs = [c for c in code_cells if c.outputs]
    assert len(with_outputs) > 0.8 * len(code_cells), (
        f"{len(with_outputs)} of {len(code_cells)} code cells have saved outputs"
    )
    texts = "\n".join(saved_text(c) for c in code_cells)
    first_outputs = [first_output(SNIPPETS_DIR / target) for target in included(lesson)]
    missing = [line for line in first_outputs if line and line not in texts]
    assert not missing, f"snippet outputs not saved in the notebook: {missing}"
    tagged = [c for c in code_cells if "raises-exception" in c.metadata.get("tags", [])]
    raising = [t for t in included(lesson) if "Traceback" in (SNIPPETS_DIR / t).read_text()]
    assert bool(tagged) == bool(raising), f"{lesson}: error cells {len(tagged)}, raising snippets"
    assert all(c.outputs[-1].output_type == "error" for c in tagged)


def included(lesson: str) -> list[str]:
    """The .pycon snippets the lesson's pages include, in page order."""
    return [
        m["path"]
        for page in lesson_pages(lesson)
        for t in (DOCS_DIR / page).read_text().splitlines()
        if (m := INCLUDE.match(t)) and m["path"].endswith(".pycon")
    ]


def first_output(snippet: Path) -> str:
    """The first output line a snippet's doc test checks ("" if it prints nothing)."""
    for line in snippet.read_text().splitlines():
        text = line.strip()
        prompt = line.startswith((">>>", "..."))
        if text and text != "..." and not prompt and "Traceback" not in text:
            return line.rstrip()
    return ""


def saved_text(cell) -> str:
    """A cell's printed text and values, as the doctest session shows them (stderr aside)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", "") + "\n")
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}\n")
    return "".join(parts)


@pytest.mark.parametrize("download", NOTEBOOKS)
def test_a_downloaded_notebook_runs_top_to_bottom_in_a_fresh_kernel(site, tmp_path, download):
    notebook = nbformat.read(site / download, as_version=4)
    saved = [saved_text(c) for c in notebook.cells if c.cell_type == "code"]
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
    tagged = [c for c in notebook.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert len(errors) == len(tagged), "only the cells tagged raises-exception may fail"
    if download.endswith("-code.ipynb"):  # the saved outputs are what a kernel prints
        run = [saved_text(c) for c in notebook.cells if c.cell_type == "code"]
        differ = [
            f"cell {n}:\n--- saved\n{a}--- run\n{b}"
            for n, (a, b) in enumerate(zip(saved, run, strict=True))
            if a != b
        ]
        assert not differ, "saved outputs differ from a run:\n" + "\n".join(differ[:5])


def test_a_failing_check_in_a_lab_fails_the_build(tmp_path):
    """The hook's behaviour, shown on the first lesson that has a lab."""
    project = copy_project(tmp_path)
    lab = project / LABS[0].lab.relative_to(ROOT)
    lab.write_text("# %%\nassert 1 + 1 == 3, 'a lab check failed'\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "a lab check failed" in result.stderr
