"""Paste text into a fresh interactive Python, on a pseudo-terminal, as a reader would.

The interpreter is the project's (so torch imports) in interactive mode on a pty: it reads
one statement at a time with readline, echoes, and needs a blank line to end a compound
statement, exactly like a reader's terminal. The pasted text is typed as it is (no Enter is
added: a paste must end its own last statement), then a probe that prints the type of the
last uncaught exception (sys.last_type); a statement the paste left open swallows the probe.
"""

import os
import pty
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

MARK = "REPL-PROBE"
# Written as a concatenation so that the echoed input does not contain MARK itself.
PROBE = (
    'print("REPL-" + "PROBE", getattr(__import__("sys"), "last_type", type(None)).__name__)\n'
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
ERROR_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)): ")


@dataclass
class Transcript:
    text: str
    last_exception: str | None  # name of sys.last_type after the paste, None if nothing raised

    def errors(self) -> list[str]:
        """Names of the exceptions the interpreter reported, in order."""
        return [m["name"] for line in self.text.splitlines() if (m := ERROR_LINE.match(line))]


def paste(text: str, timeout: float = 180.0) -> Transcript:
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "PYTHONSTARTUP": "", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-i", "-q"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    chunks: list[bytes] = []

    def read():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for line in (text + PROBE).splitlines(keepends=True):
            os.write(master, line.encode())
        deadline = time.monotonic() + timeout
        while MARK not in _decoded(chunks) or not _decoded(chunks).rstrip().endswith(">>>"):
            if proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        os.write(master, b"exit()\n")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        os.close(master)
    transcript = _decoded(chunks)
    probe = re.search(rf"^{MARK} (\w+)$", transcript, re.MULTILINE)
    if probe is None:
        raise AssertionError(
            "the interpreter never ran the probe after the paste (a statement left open, "
            f"or a hang):\n{transcript[-3000:]}"
        )
    last = None if probe[1] == "NoneType" else probe[1]
    return Transcript(transcript[: probe.start()], last)


def _decoded(chunks: list[bytes]) -> str:
    return ANSI.sub("", b"".join(chunks).decode(errors="replace"))
