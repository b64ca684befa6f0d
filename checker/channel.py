"""The worker's process as the checker sees it: started, heard on its signed report channel,
stopped with everything below it.

Only messages that parse, carry the job's token and name a known event are believed; anything
else on the channel raises Forged, for the session to report as what it is.
"""

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import checker
from checker import processes
from checker.worker import BOOT

OUTPUT_SHOWN = 1500  # characters of output kept in a report
EVENTS = {
    "started",
    "cannot-start",
    "broken",
    "loaded",
    "start",
    "result",
    "exited",
    "done",
    "worker-exit",
}


class Forged(Exception):
    """Something other than the checker wrote on its report channel."""


def _keeper_setup() -> None:  # runs in the new process before Python starts there
    processes.die_with_parent(signal.SIGTERM)


class Worker:
    """The keeper process (and the worker below it), and the channel they report on."""

    def __init__(self, job: dict, work: Path):
        read_fd, write_fd = os.pipe()
        self.token = job["token"]
        package_root = str(Path(checker.__file__).resolve().parent.parent)
        flags = subprocess._args_from_interpreter_flags()
        with open(work / "worker-stderr.txt", "ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, *flags, "-B", "-c", BOOT, package_root],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                cwd=work / "cwd",
                pass_fds=(write_fd,),
                start_new_session=True,
                preexec_fn=_keeper_setup if processes.LINUX else None,
            )
        os.close(write_fd)
        self.channel = read_fd
        self.selector = selectors.DefaultSelector()
        self.selector.register(read_fd, selectors.EVENT_READ)
        self.buffer = b""
        self.eof = False
        self.pid = None  # the worker's, once it says so
        try:
            self.process.stdin.write(json.dumps({**job, "channel_fd": write_fd}).encode())
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died at once; the channel says so

    def next(self, timeout: float) -> dict | None:
        """The next message, None on timeout, {'event': 'eof'} once nothing can write any more.

        Raises Forged for a line the checker did not write.
        """
        deadline = time.monotonic() + max(timeout, 0)
        while b"\n" not in self.buffer:
            if self.eof:
                return {"event": "eof"}
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(self.channel, 65536)
            if chunk:
                self.buffer += chunk
            else:
                self.eof = True
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            raise Forged(f"a line that is not a checker message: {line[:80]!r}") from None
        if not isinstance(message, dict) or message.get("token") != self.token:
            raise Forged(f"a message without the checker's signature: {line[:80]!r}")
        if message.get("event") not in EVENTS:
            raise Forged(f"an unknown message: {line[:80]!r}")
        return message

    def stderr_tail(self, work: Path) -> str:
        try:
            return (work / "worker-stderr.txt").read_text(errors="replace")[-OUTPUT_SHOWN:]
        except OSError:
            return ""

    def close(self) -> None:
        processes.kill_all(lambda: processes.descendants([self.process.pid]))
        if not processes.LINUX:
            processes.kill_group(self.process.pid)
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.process.wait()
        self.selector.close()
        os.close(self.channel)
