"""Single source: every code block on the site is a snippet, and every snippet is on the site.

Each test takes the project folder as `root`, so tests/test_new_lesson.py runs them all on a
freshly scaffolded copy too.
"""

import pytest

from course import ROOT
from course.console import read_session
from course.inventory import (
    SNIPPET_SUFFIXES,
    all_snippet_files,
    console_files,
    includes,
    inline_code_blocks,
    lab_files,
    nav_pages,
    script_files,
    snippet_files,
)
from course.suite import make_sybil

MAX_CODE_LINE = 88  # wider lines scroll sideways in the page's code boxes


@pytest.fixture
def root():
    return ROOT


def test_every_include_resolves(root):
    missing = [
        f"{inc.where(root)} includes {inc.target!r}, which is not a file under snippets/"
        for inc in includes(root)
        if not (root / "snippets" / inc.target).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_snippet_is_used_by_a_page(root):
    """Included by a page with --8<--, or, for a lab, a page of the nav itself."""
    used = {(root / "snippets" / inc.target).resolve() for inc in includes(root)}
    used |= {(root / "snippets" / page).resolve() for page in nav_pages(root)}
    unused = [str(p.relative_to(root)) for p in all_snippet_files(root) if p.resolve() not in used]
    assert not unused, "snippets no page includes (add an include or delete them):\n" + "\n".join(
        unused
    )


def test_every_snippet_yields_an_example(root):
    sybil = make_sybil(root / "snippets")
    empty = [
        f"{p.relative_to(root)}: no '>>> ' example, so the tests would check nothing in it"
        for p in snippet_files(root)
        if not list(sybil.parse(p))
    ]
    assert not empty, "\n".join(empty)


def test_no_python_written_inline_in_docs(root):
    inline = [
        f"{b.page.relative_to(root)}:{b.line}: a {b.lang} code block starts with "
        f"{b.first_line!r}; "
        "move the code to a file under snippets/ and include it with --8<--"
        for b in inline_code_blocks(root)
    ]
    assert not inline, "\n".join(inline)


PLANTED_INLINE_CODE = {
    "fenced": "```python\nx = 1\n```\n",
    "fenced_pycon": "```pycon\n>>> 1 + 1\n2\n```\n",
    "tilde": "~~~\nimport torch\n~~~\n",
    "indented": "Text.\n\n    >>> import torch\n    >>> torch.ones(2)\n",
    "in_admonition": '!!! note "N"\n    ```pycon\n    >>> 1\n    1\n    ```\n',
    "in_tab": '=== "A"\n\n    ```py\n    print(1)\n    ```\n',
    "include_plus_code": '```pycon\n--8<-- "a/b.pycon"\n>>> extra = 1\n```\n',
}


@pytest.mark.parametrize("form", PLANTED_INLINE_CODE)
def test_inline_python_is_found_in_every_form(tmp_path, form):
    """The inline-code check renders pages with the site's extensions, so it sees them all."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text())
    page = tmp_path / "docs" / "page.md"
    page.write_text("# Page\n\n" + PLANTED_INLINE_CODE[form])
    found = inline_code_blocks(tmp_path)
    assert [b.page for b in found] == [page], f"{form}: not reported as inline Python"
    assert found[0].line > 2


def test_included_code_and_console_blocks_are_not_inline(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text())
    (tmp_path / "docs" / "page.md").write_text(
        '```pycon\n--8<-- "a/b.pycon"\n```\n\n    --8<-- "c/d.pycon"\n\n'
        "```console\n$ make test\n```\n"
    )
    assert inline_code_blocks(tmp_path) == []


def test_snippet_code_lines_fit_the_page(root):
    doctest_lines = [
        (p, n, t)
        for p in snippet_files(root)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if t.startswith((">>>", "..."))
    ]
    script_lines = [
        (p, n, t)
        for p in script_files(root)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
    ]
    long = [
        f"{p.relative_to(root)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p, n, t in doctest_lines + script_lines
        if len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)


def test_snippets_are_of_a_known_kind(root):
    unknown = [
        f"{p.relative_to(root)}: suffix {p.suffix!r} is none of {sorted(SNIPPET_SUFFIXES)}"
        for p in all_snippet_files(root)
        if p.suffix not in SNIPPET_SUFFIXES
    ]
    assert not unknown, "\n".join(unknown)


def test_every_script_is_run_by_a_console_session(root):
    """tests/test_console_sessions.py runs every session, so a script in one is executed."""
    run = {
        (path.parent / argument).resolve()
        for path in console_files(root)
        for argument in read_session(path).command[1:]
        if argument.endswith(".py")
    }
    never_run = [
        f"{p.relative_to(root)}: no *.console session beside it runs it, so no test would"
        for p in script_files(root)
        if p.resolve() not in run
    ]
    assert not never_run, "\n".join(never_run)


def test_every_lab_is_a_page_of_the_nav(root):
    in_nav = set(nav_pages(root))
    not_in_nav = [
        f"{p.relative_to(root)}: add it to mkdocs.yml's nav as {p.relative_to(root / 'snippets')}"
        for p in lab_files(root)
        if p.relative_to(root / "snippets").as_posix() not in in_nav
    ]
    assert not not_in_nav, "labs no page shows:\n" + "\n".join(not_in_nav)


def test_lab_code_lines_fit_the_page(root):
    long = [
        f"{p.relative_to(root)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p in lab_files(root)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if not t.startswith("#") and len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)
