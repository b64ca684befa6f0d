"""Single source: every code block on the site is a snippet, and every snippet is on the site."""

from tests.inventory import includes, inline_code_blocks, lab_files, nav_pages, snippet_files
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


def test_every_file_under_snippets_is_a_snippet_or_a_lab_in_the_nav():
    labs = lab_files(ROOT)
    in_nav = set(nav_pages(ROOT))
    not_in_nav = [
        f"{p.relative_to(ROOT)}: add it to mkdocs.yml's nav as {p.relative_to(SNIPPETS_DIR)}"
        for p in labs
        if p.relative_to(SNIPPETS_DIR).as_posix() not in in_nav
    ]
    assert not not_in_nav, "labs no page shows:\n" + "\n".join(not_in_nav)
    known = set(snippet_files(ROOT)) | set(labs)
    stray = [
        str(p.relative_to(ROOT))
        for p in SNIPPETS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p not in known
    ]
    assert not stray, "files under snippets/ that are neither a snippet nor a lab:\n" + "\n".join(
        stray
    )


def test_lab_code_lines_fit_the_page():
    long = [
        f"{p.relative_to(ROOT)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p in lab_files(ROOT)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if not t.startswith("#") and len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)
