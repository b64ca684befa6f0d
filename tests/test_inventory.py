"""Single source: every code block on the site is a snippet, and every snippet is on the site."""

from tests.inventory import includes, inline_code_blocks, snippet_files
from tests.suite import ROOT, SNIPPETS_DIR, make_sybil

MAX_CODE_LINE = 88  # wider lines scroll sideways in the page's code boxes


def test_every_include_resolves():
    missing = [
        f"{inc.where(ROOT)} includes {inc.target!r}, which is not a file under snippets/"
        for inc in includes(ROOT)
        if not (SNIPPETS_DIR / inc.target).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_snippet_is_used_by_a_page():
    used = {(SNIPPETS_DIR / inc.target).resolve() for inc in includes(ROOT)}
    unused = [str(p.relative_to(ROOT)) for p in snippet_files(ROOT) if p.resolve() not in used]
    assert not unused, "snippets no page includes (add an include or delete them):\n" + "\n".join(
        unused
    )


def test_every_snippet_yields_an_example():
    sybil = make_sybil()
    empty = [
        f"{p.relative_to(ROOT)}: no '>>> ' example, so the tests would check nothing in it"
        for p in snippet_files(ROOT)
        if not list(sybil.parse(p))
    ]
    assert not empty, "\n".join(empty)


def test_no_python_written_inline_in_docs():
    inline = [
        f"{b.page.relative_to(ROOT)}:{b.line}: ```{b.lang} block starts with {b.first_line!r}; "
        "move the code to a file under snippets/ and include it with --8<--"
        for b in inline_code_blocks(ROOT)
    ]
    assert not inline, "\n".join(inline)


def test_snippet_code_lines_fit_the_page():
    long = [
        f"{p.relative_to(ROOT)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p in snippet_files(ROOT)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if t.startswith((">>>", "...")) and len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)
