"""Single source: every code block on the site is a snippet, and every snippet is on the site.

Each test takes the project folder as `root`, so tests/test_new_lesson.py runs them all on a
freshly scaffolded copy too.
"""

import pytest

from tests.console import read_session
from tests.inventory import (
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
from tests.suite import ROOT, make_sybil

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
        f"{b.page.relative_to(root)}:{b.line}: ```{b.lang} block starts with {b.first_line!r}; "
        "move the code to a file under snippets/ and include it with --8<--"
        for b in inline_code_blocks(root)
    ]
    assert not inline, "\n".join(inline)


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


def test_no_output_line_looks_like_code(root):
    """An output line that starts with '... ' reads as code to the notebook converter and
    the copy button, though doctest takes it as output."""
    looks_like_code = [
        f"{p.relative_to(root)}:{n}: output line {t!r} starts like a continuation prompt; reword it"
        for p in snippet_files(root)
        for n, t, previous in _lines_with_previous(p)
        if t.startswith("... ") and _is_output(previous)
    ]
    assert not looks_like_code, "\n".join(looks_like_code)


def _lines_with_previous(path):
    lines = path.read_text().splitlines()
    return [(n, t, lines[n - 2] if n > 1 else "") for n, t in enumerate(lines, start=1)]


def _is_output(line: str) -> bool:
    return bool(line.strip()) and not line.startswith((">>>", "..."))
