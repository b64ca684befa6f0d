"""A block that shows an error says so: its fence carries title="raises <Error>".

The reader sees the title above the code, and the browser test (tests/browser/test_copy.py)
reads it to know which error the copied code must raise. A snippet whose expected output is
a traceback is included only under such a title naming the traceback's exception, and the
title is used on no other block.
"""

import re

from course import ROOT, SNIPPETS_DIR
from course.inventory import FENCE, includes

TITLE = re.compile(r'\btitle="(?P<title>[^"]*)"')
RAISES = re.compile(r"^raises (?P<error>\w+)$")
TRACEBACK = "Traceback (most recent call last):"
EXCEPTION_LINE = re.compile(r"^(?P<error>[A-Za-z_][\w.]*)(?::|$)")


def fence_title(page_lines: list[str], include_line: int) -> str:
    """The title= of the fence that opens the code block holding the include on that line."""
    for text in reversed(page_lines[: include_line - 1]):
        if FENCE.match(text):
            match = TITLE.search(text)
            return match["title"] if match else ""
    return ""


def raised_by(snippet_text: str) -> str | None:
    """The exception a snippet's expected output shows, None if it shows no traceback."""
    lines = snippet_text.splitlines()
    if TRACEBACK not in lines:
        return None
    after = lines[lines.index(TRACEBACK) + 1 :]
    for text in after:
        if not text.startswith((" ", ">>>", "...")) and (match := EXCEPTION_LINE.match(text)):
            return match["error"].rsplit(".", 1)[-1]
    return "?"


def test_error_blocks_are_titled_with_the_error_they_raise():
    problems = []
    for inc in includes(ROOT):
        title = fence_title(inc.page.read_text().splitlines(), inc.line)
        raises = RAISES.match(title)
        error = raised_by((SNIPPETS_DIR / inc.target).read_text())
        where = f"{inc.where(ROOT)} ({inc.target})"
        if error and not raises:
            problems.append(f'{where}: shows a {error} traceback; title its fence "raises {error}"')
        elif raises and not error:
            problems.append(f"{where}: titled {title!r} but its snippet shows no traceback")
        elif raises and raises["error"] != error:
            problems.append(f"{where}: titled {title!r} but its traceback is a {error}")
    assert not problems, "\n".join(problems)


def test_the_error_block_rule_can_fail():
    shown = ">>> 1/0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: x\n"
    assert raised_by(shown) == "ZeroDivisionError"
    assert raised_by(">>> 1\n1\n") is None
    lines = ["```pycon", '--8<-- "a.pycon"', "```"]
    assert fence_title(lines, 2) == ""
    lines[0] = '```pycon title="raises ZeroDivisionError"'
    assert fence_title(lines, 2) == "raises ZeroDivisionError"
