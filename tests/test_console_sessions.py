"""Every console session under snippets/ prints exactly what its page shows.

The vocab-parallel embedding script runs under torchrun with 2 and 4 processes (gloo, CPU);
torchrun's --standalone picks a free port itself, so parallel runs cannot clash.
"""

import difflib
import subprocess

import pytest

from tests.console import SUFFIX, ConsoleFormatError, read_session
from tests.suite import ROOT, SNIPPETS_DIR

SESSIONS = sorted(SNIPPETS_DIR.rglob(f"*{SUFFIX}"))
TIMEOUT = 300  # seconds; a hung rendezvous fails instead of blocking make test


@pytest.mark.parametrize("path", SESSIONS, ids=[p.name for p in SESSIONS])
def test_console_session_prints_what_the_page_shows(path):
    session = read_session(path)
    result = subprocess.run(
        session.argv,
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    where = path.relative_to(ROOT)
    assert result.returncode == 0, (
        f"{where}: `{' '.join(session.command)}` exited with {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr[-3000:]}"
    )
    diff = difflib.unified_diff(
        session.expected.splitlines(keepends=True),
        result.stdout.splitlines(keepends=True),
        fromfile=f"{where} (shown on the page)",
        tofile="printed now",
    )
    assert result.stdout == session.expected, "".join(diff)


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
