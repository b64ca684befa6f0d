"""The site builds with ProperDocs (`properdocs build --strict`, course/build.py), and what the
build guarantees really holds."""

import re
from html import unescape
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from mkdocs.exceptions import PluginError

from course import ROOT
from course.build import build, log_problems
from course.compat import read_report, render, report_path, sources_hash
from course.inventory import includes, lab_files
from course.lessons import lessons
from course.project import supported_pythons
from hooks.blank_lines import show_blank_lines
from hooks.code_spans import plain_code
from hooks.labs import collapse_hidden_cells, hidden_cells, strip_notebook_styles

MAX_STYLE_BYTES = 20_000  # mkdocs-jupyter inlines 575 KB of JupyterLab CSS unless removed
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)


def lesson_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if p.parent != site / "search")


def test_mkdocs_yml_has_no_duplicate_keys():
    """YAML keeps the last of two equal keys silently (two `plugins:` lists lose the first)."""

    class StrictLoader(yaml.SafeLoader):
        pass

    def no_duplicates(loader, node):
        keys = [loader.construct_object(k) for k, _ in node.value]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        assert not repeated, f"mkdocs.yml line {node.start_mark.line + 1}: {repeated} repeated"
        return loader.construct_mapping(node)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, no_duplicates)
    StrictLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
    yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=StrictLoader)


def test_strict_build_passes_on_properdocs(site):
    """ProperDocs built the site, not MkDocs 1.6.1 (installed too: the plugins require it)."""
    generator = re.search(
        r'<meta name="generator" content="([^"]*)"', (site / "index.html").read_text()
    )
    assert generator and "ProperDocs" in generator[1], generator  # mkdocs: "mkdocs-1.6.1, ..."


def test_a_warning_fails_the_build(project_copy, tmp_path):
    """A link to no page is only a warning; the strict build must stop on it (with --quiet,
    ProperDocs and MkDocs drop warnings before --strict counts them)."""
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text() + "\n[a page that is not there](no-such-page.md)\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0, result.stderr
    assert "no-such-page.md" in result.stderr and "WARNING" in result.stderr, result.stderr
    # This build runs to the end, labs included: a copy's labs come from the notebook cache
    # the real site filled (tests/conftest.py), or each such build runs them again.
    labs = lab_files(project_copy)
    ran = [lab for lab in labs if f"Cache hit: {lab}\n" not in result.stderr]
    assert labs and not ran, f"labs run again in the copy: {ran}\n{result.stderr}"


def test_a_notice_in_the_build_log_is_a_problem():
    """The site fixture (tests/conftest.py) fails on these lines of a build that succeeded."""
    log = (
        "INFO    -  Building documentation to directory: /tmp/site\n"
        "WARNING -  A plugin's warning\n"
        "INFO    -  The configuration file 'mkdocs.yml' should be renamed to 'properdocs.yml'\n"
        "  Material for MkDocs reaches end of life on May 5, 2027.\n"
        "INFO    -  Documentation built in 20.20 seconds\n"
    )
    assert [line[:20] for line in log_problems(log)] == [
        "WARNING -  A plugin'",
        "INFO    -  The confi",
        "  Material for MkDoc",
    ]


def built(site: Path, page: Path) -> str:
    """The HTML built from docs/<...>.md."""
    rel = page.relative_to(ROOT / "docs").with_suffix("")
    folder = rel.parent if rel.name == "index" else rel
    return (site / folder / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_each_lesson_overview_names_the_torch_version_that_ran_the_tests(site, lesson):
    overview = built(site, lesson.docs / "index.md")
    installed = re.escape(version("torch").split("+")[0])
    assert re.search(rf"PyTorch\s+{installed}\b", text_of(overview)), (
        f"{lesson.id}: the overview does not name torch {installed}"
    )
    leftovers = [p for p in lesson_pages(site) if "{{" in p.read_text()]
    assert not leftovers, f"unreplaced placeholders in {leftovers}"


def test_each_lesson_overview_says_which_torch_versions_reproduce_it(site, lesson):
    """From docs/<lesson>/torch-compat.json (make compat) while the lesson's snippets and lab
    are those it checked, else that they were not re-verified; and the Pythons tested."""
    shown = render(read_report(report_path(lesson)), sources_hash(lesson)).split("\n")[0]
    shown = " ".join(shown.replace("**", "").replace("??? note ", "").strip('"').split())
    overview = " ".join(text_of(built(site, lesson.docs / "index.md")).split())
    assert shown in overview, f"{lesson.id}: the overview does not show {shown!r}"
    pythons = supported_pythons()
    assert f"on Python {pythons[0]} and {pythons[-1]}: the oldest and the newest" in overview
    assert f"supports ({pythons[0]} to {pythons[-1]})" in overview


MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$", re.DOTALL)


def test_math_is_rendered_to_mathml_at_build_time(site, lesson):
    with_math = [p for p in lesson.pages if MATH.search(p.read_text())]
    for page in with_math:
        html = built(site, page)
        assert "<math" in html, f"{page.name}: math in the source, no MathML in the page"
        assert 'class="arithmatex"' not in html, f"{page.name}: LaTeX left for JavaScript"


def test_included_snippets_appear_on_the_pages(site, lesson):
    missing = []
    for include in includes(ROOT):
        if include.page.is_relative_to(lesson.docs) and include.target.endswith(".pycon"):
            snippet = (ROOT / "snippets" / include.target).read_text()
            shown = text_of(built(site, include.page))
            lines = [line.rstrip() for line in snippet.splitlines() if line.strip()]
            if not all(line in shown for line in lines):
                missing.append(f"{include.where(ROOT)}: {include.target}")
            if "--8<--" in shown:
                missing.append(f"{include.where(ROOT)}: an include line is left on the page")
    assert not missing, "snippets not shown whole on their page:\n" + "\n".join(missing)


def test_code_blocks_keep_their_text_but_not_the_spans_that_draw_nothing(site):
    """hooks/code_spans.py: fewer elements per page, the same code on it."""
    body = ""
    for page in lesson_pages(site):
        blocks = re.findall(
            r'<div class="language-pycon highlight">.*?</div>', page.read_text(), re.DOTALL
        )
        body += "".join(blocks)
    assert body, "no pycon code block on any page"
    for token in ("n", "w", "p", "o", "ow"):
        assert f'<span class="{token}">' not in body, f"a {token!r} span is still on a page"
    assert '<span class="gp">&gt;&gt;&gt; </span>' in body  # the copy button reads these
    assert '<span class="go">' in body and '<span class="mi">' in body
    sample = '<code><span class="n">x</span><span class="w"> </span><span class="o">=</span>'
    sample += ' <span class="mi">1</span><span class="p">,</span></code>'
    assert plain_code(sample) == '<code>x = <span class="mi">1</span>,</code>'
    lab = '<pre><span class="k">for</span><span class="w"> </span><span class="n">i</span></pre>'
    assert plain_code(lab) == '<pre><span class="k">for</span> i</pre>'
    assert plain_code('<p><span class="n">not code</span></p>') == (
        '<p><span class="n">not code</span></p>'
    )


def test_doctest_blank_line_markers_show_as_empty_lines():
    """hooks/blank_lines.py: a snippet's <BLANKLINE> reads as the empty line Python prints."""
    import markdown

    source = '```pycon\n>>> print("a\\n\\nb")\na\n<BLANKLINE>\nb\n```'
    html = markdown.markdown(source, extensions=["pymdownx.superfences", "pymdownx.highlight"])
    assert "&lt;BLANKLINE&gt;" in html
    shown = show_blank_lines(html)
    assert "BLANKLINE" not in shown
    assert '<span class="go">a</span>\n\n<span class="go">b</span>' in shown
    assert show_blank_lines("<p>&lt;BLANKLINE&gt; in prose</p>") == (
        "<p>&lt;BLANKLINE&gt; in prose</p>"
    )


def test_no_page_shows_a_blank_line_marker(site):
    shown = [p for p in site.rglob("*.html") if "&lt;BLANKLINE&gt;" in p.read_text()]
    assert not shown, f"pages showing doctest's <BLANKLINE>: {shown}"


def test_a_missing_include_fails_the_build(project_copy, tmp_path):
    project = project_copy
    page = lessons(project)[0].docs / "index.md"
    page.write_text(page.read_text() + '\n```pycon\n--8<-- "no/such/snippet.pycon"\n```\n')
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no/such/snippet.pycon" in result.stderr and "could not be found" in result.stderr


def test_an_unknown_placeholder_fails_the_build(project_copy, tmp_path):
    project = project_copy
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\n{{ torch_verison }}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "torch_verison" in result.stderr and "index.md" in result.stderr


def test_lab_pages_inline_no_large_stylesheet(site):
    """hooks/labs.py removes the JupyterLab CSS mkdocs-jupyter inlines in each lab page."""
    pages = [site / lab.parent.name / "lab" / "index.html" for lab in lab_files(ROOT)]
    assert pages, "no lab pages"
    for page in pages:
        sizes = [len(css.encode()) for css in STYLE.findall(page.read_text())]
        assert max(sizes, default=0) <= MAX_STYLE_BYTES, f"{page}: <style> sizes {sizes}"


def test_a_lab_page_without_the_expected_notebook_styles_fails_the_build():
    """A mkdocs-jupyter whose markup changed is reported, naming the page."""
    html = "<style>.jupyter-wrapper .jp-OutputArea-output {}</style><div>cells</div>"
    with pytest.raises(PluginError, match=r"lesson/lab\.py.*JupyterLab theme CSS"):
        strip_notebook_styles(html, "lesson/lab.py")


class FigureImages(HTMLParser):
    """Each <img> inside a <figure> of a page, with the href of the link around it, if any."""

    def __init__(self):
        super().__init__()
        self.images, self._figures, self._links = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self._figures += 1
        elif tag == "a":
            self._links.append(attrs.get("href"))
        elif tag == "img" and self._figures:
            self.images.append((attrs.get("src"), self._links[-1] if self._links else None))

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figures -= 1
        elif tag == "a" and self._links:
            self._links.pop()


def test_every_figure_opens_full_size(site):
    """On a phone a figure's labels are small: a tap on it opens the image file itself."""
    checked = []
    for page in lesson_pages(site):
        parser = FigureImages()
        parser.feed(page.read_text())
        for src, href in parser.images:
            where = f"{page.relative_to(site)}: figure {src}"
            assert href is not None, f"{where} is not a link"
            assert (page.parent / href).resolve() == (page.parent / src).resolve(), (
                f"{where} links to {href}, not to itself"
            )
            assert (page.parent / src).is_file(), f"{where}: no such file"
            checked.append(where)
    assert len(checked) >= 4, checked


def test_the_home_page_lists_every_lesson(site, lesson):
    home = (site / "index.html").read_text(encoding="utf-8")
    links = {unquote(href): text for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', home)}
    assert f"{lesson.id}/" in links, f"{lesson.id} is not in the home page's lesson list"
    assert text_of(links[f"{lesson.id}/"]) == lesson.title.replace("`", "")  # `x` is <code>


def test_a_lesson_no_section_takes_in_fails_the_build(project_copy, tmp_path):
    nav = project_copy / "docs" / ".nav.yml"
    first = lessons(project_copy)[0]
    section = first.number.rsplit(".", 1)[0]
    nav.write_text(nav.read_text().replace(f"{section}.*-*", "9.9.*-*"))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"docs/{first.id}/ is in no section of docs/.nav.yml" in result.stderr, result.stderr


def test_a_lesson_without_a_description_fails_the_build(project_copy, tmp_path):
    overview = lessons(project_copy)[0].docs / "index.md"
    overview.write_text(overview.read_text().replace("description:", "summary:", 1))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "index.md: its front matter needs a `description:`" in result.stderr, result.stderr


def test_a_labs_collapsed_cells_are_collapsed_on_its_page(site, lesson):
    """A code cell the notebook keeps collapsed (jupyter.source_hidden) sits in a closed
    <details> on the page, under its first comment line, and its code is still there."""
    if lesson.lab is None:
        pytest.skip(f"{lesson.id} has no lab")
    _, hidden = hidden_cells(lesson.lab)
    html = (site / lesson.id / "lab" / "index.html").read_text()
    blocks = re.findall(
        r'<details class="note lab-collapsed"><summary>(.*?)</summary>(.*?)</details>',
        html,
        re.DOTALL,
    )
    assert [unescape(summary) for summary, _ in blocks] == list(hidden.values())
    assert all('class="jp-Cell jp-CodeCell' in body for _, body in blocks)


def test_collapsing_a_cell_that_is_not_on_the_page_fails_the_build():
    cell = '<div class="jp-Cell jp-CodeCell jp-Notebook-cell"><div>x</div></div>'
    html = cell + cell.replace("x", "y")
    collapsed = collapse_hidden_cells(html, 2, {1: "Setup"}, "a/lab.py")
    summary = '<details class="note lab-collapsed"><summary>Setup</summary>'
    assert collapsed == cell + summary + cell.replace("x", "y") + "</details>"
    with pytest.raises(PluginError, match="a/lab.py: 2 code cells on the page, 3 in the"):
        collapse_hidden_cells(html, 3, {1: "Setup"}, "a/lab.py")
