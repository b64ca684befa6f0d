"""Single source: every code block on the site is a snippet, and every snippet is on the site.

Each check runs once per lesson (the `lesson` fixture), on that lesson's folders, so a new
lesson is held to all of them; a few run on what lies outside every lesson.
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
    nav_pages,
    script_files,
    snippet_files,
)
from course.lessons import LESSON_ID, lesson_of, lessons
from course.suite import make_sybil

MAX_CODE_LINE = 88  # wider lines scroll sideways in the page's code boxes


def within(paths, folder):
    return [p for p in paths if p == folder or folder in p.parents]


def test_every_include_resolves(lesson):
    missing = [
        f"{inc.where(ROOT)} includes {inc.target!r}, which is not a file under snippets/"
        for inc in includes(ROOT)
        if inc.page in lesson.pages and not (ROOT / "snippets" / inc.target).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_snippet_is_used_by_a_page(lesson):
    """Included by a page with --8<--, or, for a lab, a page of the nav itself."""
    used = {(ROOT / "snippets" / inc.target).resolve() for inc in includes(ROOT)}
    used |= {(ROOT / "snippets" / page).resolve() for page in nav_pages(ROOT)}
    unused = [
        str(p.relative_to(ROOT))
        for p in within(all_snippet_files(ROOT), lesson.snippets)
        if p.resolve() not in used
    ]
    assert not unused, "snippets no page includes (add an include or delete them):\n" + "\n".join(
        unused
    )


def test_every_snippet_yields_an_example(lesson):
    sybil = make_sybil(lesson.snippets)
    empty = [
        f"{p.relative_to(ROOT)}: no '>>> ' example, so the tests would check nothing in it"
        for p in within(snippet_files(ROOT), lesson.snippets)
        if not list(sybil.parse(p))
    ]
    assert not empty, "\n".join(empty)


def inline_messages(blocks) -> list[str]:
    return [
        f"{b.page.relative_to(ROOT)}:{b.line}: a {b.lang} code block starts with "
        f"{b.first_line!r}; move the code to a file under snippets/ and include it with --8<--"
        for b in blocks
    ]


def test_no_python_written_inline_in_the_lessons_pages(lesson):
    blocks = [b for b in inline_code_blocks(ROOT) if b.page in lesson.pages]
    assert not blocks, "\n".join(inline_messages(blocks))


def test_no_python_written_inline_in_the_other_pages():
    blocks = [b for b in inline_code_blocks(ROOT) if lesson_of(b.page) is None]
    assert not blocks, "\n".join(inline_messages(blocks))


def test_every_snippet_and_workbook_folder_belongs_to_a_lesson():
    known = {lesson.id for lesson in lessons()}
    strays = [
        f"{tree}/{folder.name}: no docs/{folder.name}/ lesson has it"
        if LESSON_ID.match(folder.name)
        else f"{tree}/{folder.name}: not named <module>.<section>.<lesson>-<slug>"
        for tree in ("snippets", "workbooks")
        for folder in sorted((ROOT / tree).iterdir())
        if folder.is_dir() and folder.name not in known and folder.name != "__pycache__"
    ]
    assert not strays, "\n".join(strays)


NOT_PROJECT = {".git", "site", "build", "node_modules", "__pycache__", ".cache", "screenshots"}


def project_files(root=ROOT):
    """Every file of the project: what git tracks, and what a new lesson adds, not what a run
    builds or installs."""
    for path in sorted(root.iterdir()):
        if (
            path.name in NOT_PROJECT
            or path.name.startswith(".venv")
            or path.name.endswith(("_cache", ".egg-info"))
        ):
            continue
        if path.is_dir():
            yield from project_files(path)
        elif path.is_file():
            yield path


def test_no_file_outside_a_lesson_names_it(lesson):
    own = [lesson.docs, lesson.snippets, lesson.workbooks]
    naming = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if not any(folder in path.parents for folder in own)
        and lesson.id in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert not naming, f"{lesson.id} is named outside its own folders, in: {naming}"


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


def test_snippet_code_lines_fit_the_page(lesson):
    doctest_lines = [
        (p, n, t)
        for p in within(snippet_files(ROOT), lesson.snippets)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
        if t.startswith((">>>", "..."))
    ]
    script_lines = [
        (p, n, t)
        for p in within(script_files(ROOT), lesson.snippets)
        for n, t in enumerate(p.read_text().splitlines(), start=1)
    ]
    long = [
        f"{p.relative_to(ROOT)}:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for p, n, t in doctest_lines + script_lines
        if len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)


def test_snippets_are_of_a_known_kind(lesson):
    unknown = [
        f"{p.relative_to(ROOT)}: suffix {p.suffix!r} is none of {sorted(SNIPPET_SUFFIXES)}"
        for p in within(all_snippet_files(ROOT), lesson.snippets)
        if p.suffix not in SNIPPET_SUFFIXES
    ]
    assert not unknown, "\n".join(unknown)


def test_every_script_is_run_by_a_console_session(lesson):
    """tests/test_console_sessions.py runs every session, so a script in one is executed."""
    run = {
        (path.parent / argument).resolve()
        for path in console_files(ROOT)
        for argument in read_session(path).command[1:]
        if argument.endswith(".py")
    }
    never_run = [
        f"{p.relative_to(ROOT)}: no *.console session beside it runs it, so no test would"
        for p in within(script_files(ROOT), lesson.snippets)
        if p.resolve() not in run
    ]
    assert not never_run, "\n".join(never_run)


def test_the_lab_is_a_page_of_the_nav(lesson):
    if lesson.lab is None:
        pytest.skip(f"{lesson.id} has no lab")
    assert f"{lesson.id}/lab.py" in nav_pages(ROOT), (
        f"{lesson.lab.relative_to(ROOT)}: add `lab.py` to docs/{lesson.id}/.nav.yml"
    )


def test_lab_code_lines_fit_the_page(lesson):
    lines = lesson.lab.read_text().splitlines() if lesson.lab else []
    long = [
        f"{lesson.id}/lab.py:{n}: {len(t)} characters (at most {MAX_CODE_LINE})"
        for n, t in enumerate(lines, start=1)
        if not t.startswith("#") and len(t) > MAX_CODE_LINE
    ]
    assert not long, "\n".join(long)


def test_no_output_line_looks_like_code(lesson):
    """An output line that starts with '... ' reads as code to the notebook converter and
    the copy button, though doctest takes it as output."""
    looks_like_code = [
        f"{p.relative_to(ROOT)}:{n}: output line {t!r} starts like a continuation prompt; reword it"
        for p in within(snippet_files(ROOT), lesson.snippets)
        for n, t, previous in _lines_with_previous(p)
        if t.startswith("... ") and _is_output(previous)
    ]
    assert not looks_like_code, "\n".join(looks_like_code)


def _lines_with_previous(path):
    lines = path.read_text().splitlines()
    return [(n, t, lines[n - 2] if n > 1 else "") for n, t in enumerate(lines, start=1)]


def _is_output(line: str) -> bool:
    return bool(line.strip()) and not line.startswith((">>>", "..."))
