"""A paste forked by the paste server (tests/browser/repl.py, which the copy test uses) is as
fresh as a new `python -i`: the real interactive loop reads it, it has none of the server's
names (a forgotten import is a NameError), its random generators are seeded anew (a forgotten
seed shows), and a statement it leaves open is still caught.

Known differences from a new process, none of which a snippet may rely on: sys.flags
(interactive, inspect) and sys.orig_argv, sys.modules already holding torch's modules, and the
str hash seed, shared by the pastes of one server.
"""

import re

import pytest

from tests.browser.repl import ReplServer, paste


@pytest.fixture(scope="module")
def server():
    with ReplServer() as server:
        yield server


def printed(transcript, label: str) -> list[str]:
    """What the paste printed on lines starting with label (not the echo of its input)."""
    return re.findall(rf"^{label} (.*)$", transcript.text, re.MULTILINE)


def test_a_paste_that_forgets_to_import_torch_raises_name_error(server):
    forgot = server.paste('print("ZEROS", torch.zeros(2))\n')
    assert forgot.errors() == ["NameError"] and forgot.last_exception == "NameError", forgot.text
    imported = server.paste('import torch\nprint("ZEROS", torch.zeros(2))\n')
    assert imported.errors() == [] and imported.last_exception is None, imported.text
    assert printed(imported, "ZEROS") == ["tensor([0., 0.])"]


def test_a_paste_gets_none_of_the_servers_names(server):
    names = server.paste('print("NAMES", sorted(n for n in globals() if n[:2] != "__"))\n')
    assert printed(names, "NAMES") == ["[]"], names.text
    forgot = server.paste('print("PID", os.getpid())\n')  # the server imported os
    assert forgot.errors() == ["NameError"], forgot.text


DRAWS = 'print("TORCH", torch.randn(3).tolist())\nprint("RANDOM", random.random())\n'
UNSEEDED = "import random, torch\n" + DRAWS
SEEDED = "import random, torch\ntorch.manual_seed(0)\nrandom.seed(0)\n" + DRAWS


def test_unseeded_draws_differ_between_pastes_and_seeded_ones_do_not(server):
    unseeded = [server.paste(UNSEEDED), server.paste(UNSEEDED)]
    seeded = [server.paste(SEEDED), server.paste(SEEDED)]
    for label in ("TORCH", "RANDOM"):
        first, second = (printed(t, label) for t in unseeded)
        assert len(first) == 1 and first != second, f"{label}: {first} {second}"
        first, second = (printed(t, label) for t in seeded)
        assert len(first) == 1 and first == second, f"{label}: {first} {second}"


@pytest.mark.parametrize(
    "text, timeout",
    [
        ("for i in range(2):\n    print(i)\n", 180),  # no blank line ends the block
        ("print((1)\n", 180),  # a bracket left open
        ("x = 1 + \\\n", 180),  # a line continued into the probe
        ('s = """\n', 1),  # swallows everything typed after it: caught at the timeout
    ],
    ids=["block", "bracket", "continuation", "string"],
)
def test_a_paste_that_leaves_a_statement_open_is_caught(server, text, timeout):
    with pytest.raises(AssertionError, match="never ran the probe"):
        server.paste(text, timeout=timeout)


def test_a_closed_block_is_not_mistaken_for_an_open_one(server):
    closed = server.paste("for i in range(2):\n    print('LOOP', i)\n\n")
    assert printed(closed, "LOOP") == ["0", "1"] and closed.errors() == [], closed.text


REPORT = """\
for i in range(2):
    print("LOOP", i)

1/0
import os, sys
print("ARGV", sys.argv, repr(sys.path[0]), sys.ps1, sys.ps2)
print("TTY", sys.stdin.isatty(), sys.stdout.isatty(), sys.stdout.line_buffering)
print("STREAMS", sys.stdin.encoding, sys.stdout.errors, sys.stderr.errors)
print("READLINE", "readline" in sys.modules, sys.__interactivehook__.__module__)
print("ENV", "PYTHONINSPECT" in os.environ, os.getsid(0) == os.getpid())
print("NAMES", sorted(n for n in globals() if n[:2] != "__"))
"""
LABELS = ("LOOP", "ARGV", "TTY", "STREAMS", "READLINE", "ENV", "NAMES")


def test_a_forked_paste_reads_and_prints_as_a_new_python_i_does(server):
    """Prompts, the blank line closing a block, the error and the interpreter's state as the
    paste sees them: the same from the server as from a new `python -i -q` on a pty."""
    forked, fresh = server.paste(REPORT), paste(REPORT)

    def seen(transcript):
        lines = [
            line
            for line in transcript.text.splitlines()
            if line.startswith((">>>", "...", "Traceback", "  File", *LABELS))
        ]
        return lines, transcript.errors(), transcript.last_exception

    assert seen(forked) == seen(fresh), f"forked:\n{forked.text}\nfresh:\n{fresh.text}"
    assert seen(forked)[1:] == (["ZeroDivisionError"], "ZeroDivisionError")
    assert printed(forked, "LOOP") == ["0", "1"]


def test_a_server_that_cannot_start_says_why():
    with ReplServer(preload=("no_such_module_for_the_paste_server",)) as broken:
        with pytest.raises(RuntimeError, match="(?s)the paste server stopped.*ModuleNotFound"):
            broken.paste("1\n")
