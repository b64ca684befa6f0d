"""The doc-test suite fails, with a readable report, when a snippet is wrong.

One run of pytest, with the project's Sybil configuration, over a temporary folder of
snippets each broken in one way (and one correct control); each test reads the report a
maintainer would read.
"""

import subprocess
import sys

import pytest

from course import ROOT

SHAPE_SNIPPET = (
    ">>> import torch\n"
    ">>> torch.nn.Embedding(1000, 128).weight.shape\n"
    "torch.Size([1000, 128])\n"
)
CONFTEST = f"""
import pathlib, sys
sys.path.insert(0, {str(ROOT)!r})
from course.suite import make_suite
pytest_collect_file = make_suite(pathlib.Path(__file__).parent).pytest()
"""
RIGHT_SHAPE, WRONG_SHAPE = "torch.Size([1000, 128])", "torch.Size([128, 1000])"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snippets")
    text = SHAPE_SNIPPET
    assert RIGHT_SHAPE in text
    files = {
        "correct.pycon": text,
        "wrong_output.pycon": text.replace(RIGHT_SHAPE, WRONG_SHAPE, 1),
        "raises.pycon": ">>> 1 / 0\n1.0\n",
        "unseeded.pycon": ">>> import torch\n>>> torch.rand(2)\ntensor([0.4963, 0.7682])\n",
        "seeded.pycon": (
            ">>> import torch\n>>> _ = torch.manual_seed(0)\n>>> torch.rand(2)\n"
            "tensor([0.4963, 0.7682])\n"
        ),
        "hello.py": "print('hello')\n",
        "right_console.console": "$ python hello.py\nhello\n",
        "wrong_console.console": "$ python hello.py\nHello\n",
        "conftest.py": CONFTEST,
    }
    for name, content in files.items():
        (folder / name).write_text(content)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(folder),
            "-p",
            "no:doctest",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            "-q",
            "-rf",
        ],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    return result.returncode, result.stdout


def failed(report_text):
    return sorted(
        line.split()[1].split("::")[0]
        for line in report_text.splitlines()
        if line.startswith("FAILED ")
    )


def test_only_the_broken_snippets_fail(report):
    returncode, text = report
    assert returncode == 1, text
    assert failed(text) == [
        "raises.pycon",
        "unseeded.pycon",
        "wrong_console.console",
        "wrong_output.pycon",
    ], text


def test_a_wrong_output_shows_where_and_a_diff(report):
    _, text = report
    assert "wrong_output.pycon, line 2, column 1 did not evaluate as expected" in text
    assert f"Expected:\n    {WRONG_SHAPE}\nGot:\n    {RIGHT_SHAPE}" in text


def test_an_unexpected_exception_is_reported(report):
    _, text = report
    assert "raises.pycon, line 1" in text and "ZeroDivisionError: division by zero" in text


def test_a_snippet_that_forgets_its_seed_fails(report):
    _, text = report
    assert "unseeded.pycon, line 2, column 1 did not evaluate as expected" in text


def test_a_console_session_that_prints_otherwise_shows_a_diff(report):
    _, text = report
    assert "-Hello\n+hello" in text.replace("\r", ""), text
