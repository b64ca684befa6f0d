"""Console sessions: their format, and that a wrong one fails.

The sessions themselves run with the doc tests (course/suite.py collects each .console file
as one Sybil example). The vocab-parallel embedding script runs under torchrun with 2 and 4
processes (gloo, CPU); torchrun's --standalone picks a free port itself, so parallel runs
cannot clash.
"""

import os

import pytest

from course import SNIPPETS_DIR
from course.console import SUFFIX, ConsoleFormatError, failure, read_session, run_session

SESSIONS = sorted(SNIPPETS_DIR.rglob(f"*{SUFFIX}"))


def test_there_are_console_sessions():
    assert SESSIONS, f"no *{SUFFIX} file under {SNIPPETS_DIR}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\n", ":1: a console session starts with '$ command'"),
        ("$ python a.py\nout\n$ python b.py\n", ":3: one command per console session"),
        ("$ bash -c 'rm -rf x'\n", ":1: runs ['bash']; a session may run only"),
    ],
)
def test_a_malformed_session_is_named_with_its_line(tmp_path, text, message):
    path = tmp_path / f"bad{SUFFIX}"
    path.write_text(text)
    with pytest.raises(ConsoleFormatError) as error:
        read_session(path)
    assert f"{path}{message}" in str(error.value)


def test_a_session_that_prints_otherwise_fails_with_a_diff(tmp_path):
    (tmp_path / "hello.py").write_text("print('hello')\nprint('world')\n")
    path = tmp_path / f"hello{SUFFIX}"
    path.write_text("$ python hello.py\nhello\nWorld\n")
    session = read_session(path)
    message = failure(session, run_session(session))
    assert message and "-World\n+world\n" in message and "(shown on the page)" in message
    path.write_text("$ python hello.py\nhello\nworld\n")
    assert failure(read_session(path), run_session(read_session(path))) is None


def test_a_session_whose_command_fails_shows_its_exit_status_and_stderr(tmp_path):
    (tmp_path / "boom.py").write_text("raise SystemExit('broken on purpose')\n")
    path = tmp_path / f"boom{SUFFIX}"
    path.write_text("$ python boom.py\n")
    message = failure(read_session(path), run_session(read_session(path)))
    assert "exited with 1" in message and "broken on purpose" in message


@pytest.mark.parametrize("given", [None, "1", "3"])
def test_a_session_runs_with_the_thread_count_given_else_one_per_cpu(tmp_path, monkeypatch, given):
    """torchrun would give each rank one thread when OMP_NUM_THREADS is unset; the doc tests set
    it, so that the main run and the one-thread run differ for the sessions too."""
    if given is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        expected = str(
            len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        )
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", given)
        expected = given
    (tmp_path / "threads.py").write_text("import os\nprint(os.environ['OMP_NUM_THREADS'])\n")
    path = tmp_path / f"threads{SUFFIX}"
    path.write_text(f"$ python threads.py\n{expected}\n")
    session = read_session(path)
    assert failure(session, run_session(session)) is None
