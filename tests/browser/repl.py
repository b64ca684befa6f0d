"""Paste text into a fresh interactive Python, on a pseudo-terminal, as a reader would.

The interpreter is the project's (so torch imports) in interactive mode on a pty: it reads
one statement at a time with readline, echoes, and needs a blank line to end a compound
statement, exactly like a reader's terminal. The pasted text is typed as it is (no Enter is
added: a paste must end its own last statement), then a probe that prints the type of the
last uncaught exception (sys.last_type); a statement the paste left open swallows the probe
(it never prints, or an error follows it). Then a blank line and an end mark, so that a
swallowed probe is known at once rather than at the timeout.

Two ways to get the fresh interpreter, with the same terminal and the same checks:
`paste` starts `python -i -q`; a `ReplServer` (tests/browser/repl_server.py) imports torch
once and forks a child per paste that enters CPython's own interactive loop with an empty
__main__ and reseeded random generators, which saves each paste the interpreter start and
`import torch` (about 2 s).
"""

import os
import pty
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MARK = "REPL-PROBE"
END = "REPL-END"
# Written as concatenations so that the echoed input does not contain the marks themselves.
PROBE = 'print("REPL-" + "PROBE", getattr(__import__("sys"), "last_type", type(None)).__name__)\n'
CLOSE = '\nprint("REPL-" + "END")\n'
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
ERROR_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)): ")
ENV = {**os.environ, "TERM": "dumb", "PYTHONSTARTUP": "", "PYTHONDONTWRITEBYTECODE": "1"}
SERVER_PROGRAM = (Path(__file__).parent / "repl_server.py").read_text()


@dataclass
class Transcript:
    text: str
    last_exception: str | None  # name of sys.last_type after the paste, None if nothing raised

    def errors(self) -> list[str]:
        """Names of the exceptions the interpreter reported, in order."""
        return _errors(self.text)


def paste(text: str, timeout: float = 180.0, python: str = sys.executable) -> Transcript:
    """Paste into a new `python -i -q` process."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [python, "-i", "-q"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=ENV,
        start_new_session=True,
    )
    os.close(slave)
    try:
        return _session(master, text, timeout, proc.kill)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


class ReplServer:
    """Forks a fresh interactive python per paste from one that has imported `preload`."""

    def __init__(self, preload: tuple[str, ...] = ("torch",), python: str = sys.executable):
        ours, theirs = socket.socketpair()
        # The server's own terminal, so that it starts with tty streams like `python -i`;
        # it prints nothing there unless it fails.
        self._console, console = pty.openpty()
        self._proc = subprocess.Popen(
            [python, "-c", SERVER_PROGRAM, str(theirs.fileno()), *preload],
            stdin=console,
            stdout=console,
            stderr=console,
            pass_fds=[theirs.fileno()],
            env=ENV,
            start_new_session=True,
        )
        os.close(console)
        theirs.close()
        self._socket = ours
        self._lock = threading.Lock()

    def paste(self, text: str, timeout: float = 180.0) -> Transcript:
        master, slave = pty.openpty()
        try:
            with self._lock:
                socket.send_fds(self._socket, [b"p"], [slave])
                reply = self._socket.recv(8, socket.MSG_WAITALL)
        except OSError:  # the server is gone
            reply = b""
        finally:
            os.close(slave)
        if len(reply) != 8:
            os.close(master)
            raise RuntimeError(f"the paste server stopped:\n{self._console_output()}")
        pid = int.from_bytes(reply, "little")
        return _session(master, text, timeout, lambda: _kill(pid))

    def close(self):
        self._socket.close()  # the server exits when it reads the end of the socket
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._console)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _console_output(self) -> str:
        os.set_blocking(self._console, False)
        chunks = []
        while True:
            try:
                data = os.read(self._console, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        return _decoded(chunks)


def _session(master: int, text: str, timeout: float, kill) -> Transcript:
    """Type text, the probe and the end mark into the interpreter on master; read it all."""
    chunks: list[bytes] = []

    def read():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the interpreter closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for line in (text + PROBE + CLOSE).splitlines(keepends=True):
            os.write(master, line.encode())
        deadline = time.monotonic() + timeout
        while END not in _decoded(chunks):
            if not reader.is_alive() or time.monotonic() > deadline:
                break
            time.sleep(0.02)
    finally:
        # Nothing after the end mark is checked: stop the interpreter rather than wait for
        # exit() to finalize it (most of a second once torch is imported).
        kill()
        reader.join(timeout=30)
        os.close(master)
    transcript = _decoded(chunks)
    probe = re.search(rf"^{MARK} (\w+)$", transcript, re.MULTILINE)
    if probe is None or _errors(transcript[probe.end() :]):
        raise AssertionError(
            "the interpreter never ran the probe after the paste (a statement left open, "
            f"or a hang):\n{transcript[-3000:]}"
        )
    last = None if probe[1] == "NoneType" else probe[1]
    return Transcript(transcript[: probe.start()], last)


def _kill(pid: int):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _errors(text: str) -> list[str]:
    return [m["name"] for line in text.splitlines() if (m := ERROR_LINE.match(line))]


def _decoded(chunks: list[bytes]) -> str:
    return ANSI.sub("", b"".join(chunks).decode(errors="replace"))
