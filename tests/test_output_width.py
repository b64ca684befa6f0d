"""Outputs fit a phone: every output line a lesson shows is at most MAX_OUTPUT columns.

A phone 390 px wide shows about 45 columns of code; an output table or a printed value that
carries a page's point should not hide its last column off-screen, so outputs are held to
60 columns (code lines, which the reader copies rather than compares, to 88:
tests/test_inventory.py). Checked for every lesson: the doctest sessions' expected outputs,
the console sessions' outputs, and the lab's outputs as the built site shows them.

One exemption, stated here and nowhere else: the message line of an expected error
(`RuntimeError: ...`). It is the library's own text, which the doctest compares verbatim and
the reader sees the same in their own terminal; shortening it would make it untrue.
"""

import doctest
from html.parser import HTMLParser

from course import ROOT
from course.console import read_session
from course.inventory import console_files, snippet_files

MAX_OUTPUT = 60


def within(paths, folder):
    return [p for p in paths if folder in p.parents]


def doctest_output_lines(path) -> list[tuple[int, str]]:
    """(line number, text) of every expected output line, error messages left out."""
    found = []
    for example in doctest.DocTestParser().get_examples(path.read_text(), str(path)):
        first = example.lineno + len(example.source.splitlines()) + 1  # 1-based
        for offset, line in enumerate(example.want.splitlines()):
            if example.exc_msg is not None and line == example.exc_msg.splitlines()[0]:
                continue  # the library's own message (see the module docstring)
            found.append((first + offset, line))
    return found


def wide(lines, where) -> list[str]:
    return [
        f"{where}:{number}: output line of {len(text)} columns (at most {MAX_OUTPUT}): {text!r}"
        for number, text in lines
        if len(text) > MAX_OUTPUT
    ]


def test_doctest_outputs_fit_a_phone(lesson):
    found = [
        problem
        for path in within(snippet_files(ROOT), lesson.snippets)
        for problem in wide(doctest_output_lines(path), path.relative_to(ROOT))
    ]
    assert not found, "\n".join(found)


def test_console_outputs_fit_a_phone(lesson):
    found = []
    for path in within(console_files(ROOT), lesson.snippets):
        lines = enumerate(read_session(path).expected.splitlines(), start=2)
        found += wide(lines, path.relative_to(ROOT))
    assert not found, "\n".join(found)


class LabOutputs(HTMLParser):
    """The text of each output the built lab page shows (nbconvert's jp-RenderedText)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.outputs: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif "jp-RenderedText" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.outputs.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.outputs[-1] += data


def test_lab_outputs_fit_a_phone(site, lesson):
    if lesson.lab is None:
        return
    parser = LabOutputs()
    parser.feed((site / lesson.id / "lab" / "index.html").read_text())
    assert parser.outputs, f"{lesson.id}/lab: no text output found on the built page"
    lines = [line for output in parser.outputs for line in output.strip("\n").splitlines()]
    found = wide(enumerate(lines, start=1), f"{lesson.id}/lab.py (output)")
    assert not found, "\n".join(found)


def test_a_wide_output_is_named_and_an_error_message_is_not(tmp_path):
    path = tmp_path / "x.pycon"
    path.write_text(
        ">>> print('x' * 61)\n" + "x" * 61 + "\n"
        ">>> 1 / 0\nTraceback (most recent call last):\n  ...\n"
        "ZeroDivisionError: " + "y" * 70 + "\n"
    )
    found = wide(doctest_output_lines(path), "x.pycon")
    assert len(found) == 1 and found[0].startswith("x.pycon:2: output line of 61 columns")
