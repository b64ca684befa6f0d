"""Single source: every code block on the site is a snippet, and every snippet is on the site.

Each test takes the project folder as `root`, so tests/test_new_lesson.py runs them all on a
freshly scaffolded copy too.
"""

import pytest

from tests.inventory import includes, inline_code_blocks, snippet_files
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
    used = {(root / "snippets" / inc.target).resolve() for inc in includes(root)}
    unused = [str(p.relative_to(root)) for p in snippet_files(root) if p.resolve() not in used]
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
    long = [
        f"{p.relative_to(root)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p in snippet_files(root)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if t.startswith((">>>", "...")) and len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)
