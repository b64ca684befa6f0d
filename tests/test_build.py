"""The site builds with `mkdocs build --strict`, and what the build guarantees really holds."""

import re
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from course import ROOT
from course.build import build, copy_project
from course.inventory import lab_files
from hooks.blank_lines import show_blank_lines
from hooks.code_spans import plain_code
from hooks.labs import strip_notebook_styles

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


def test_strict_build_passes(site):
    assert (site / "index.html").is_file()


def test_pages_name_the_torch_version_that_ran_the_tests(site):
    overview = (site / "2.1.1-embeddings-initialization" / "index.html").read_text()
    installed = re.escape(version("torch").split("+")[0])
    assert re.search(rf"PyTorch\s+{installed}\b", overview), "overview does not name torch"
    leftovers = [p for p in lesson_pages(site) if "{{" in p.read_text()]
    assert not leftovers, f"unreplaced placeholders in {leftovers}"


def test_math_is_rendered_to_mathml_at_build_time(site):
    page = (site / "2.1.1-embeddings-initialization" / "initialization" / "index.html").read_text()
    assert "<math" in page
    assert 'class="arithmatex"' not in page, "LaTeX left for a JavaScript renderer"


def test_included_snippets_appear_on_the_pages(site):
    page = (site / "2.1.1-embeddings-initialization" / "code-tasks" / "index.html").read_text()
    assert "411041792" in page and "--8&lt;--" not in page and "--8<--" not in page


def test_code_blocks_keep_their_text_but_not_the_spans_that_draw_nothing(site):
    """hooks/code_spans.py: fewer elements per page, the same code on it."""
    page = (site / "2.1.1-embeddings-initialization" / "padding" / "index.html").read_text()
    blocks = re.findall(r'<div class="language-pycon highlight">.*?</div>', page, re.DOTALL)
    assert len(blocks) >= 4
    body = "".join(blocks)
    for token in ("n", "w", "p", "o", "ow"):
        assert f'<span class="{token}">' not in body, f"a {token!r} span is still on the page"
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


def test_a_missing_include_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "2.1.1-embeddings-initialization" / "quiz.md"
    page.write_text(page.read_text() + '\n```pycon\n--8<-- "no/such/snippet.pycon"\n```\n')
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no/such/snippet.pycon" in result.stderr and "could not be found" in result.stderr


def test_an_unknown_placeholder_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
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
