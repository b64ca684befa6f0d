"""Run a workbook's tasks in child processes, never in the checker's own process.

One worker process loads the workbook and runs the tasks in order (importing torch once).
Each task has a time limit: a task that overruns, or a worker that dies, is recorded and a new
worker carries on with the remaining tasks. The worker runs in an empty temporary directory,
so files the workbook writes there vanish afterwards.
"""

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import checker
from checker.tasks import ERROR

STARTUP_SECONDS = 120  # importing torch on a busy machine
OUTPUT_SHOWN = 1500  # characters of a task's output kept in the report


@dataclass
class Limits:
    time_s: float = 10.0
    memory_mb: int = 1024
    output_bytes: int = 1024 * 1024


@dataclass
class Run:
    results: dict = field(default_factory=dict)  # task id -> result dict
    load_problems: list = field(default_factory=list)
    load_output: str = ""


def _read_output(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    text = data[:OUTPUT_SHOWN].decode("utf-8", "replace")
    if len(data) > OUTPUT_SHOWN:
        text += f"\n... [{len(data) - OUTPUT_SHOWN} more bytes not shown]"
    return text


def _kill(process: subprocess.Popen) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


class Worker:
    def __init__(self, job: dict, work: Path):
        read_fd, write_fd = os.pipe()
        package_root = str(Path(checker.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": package_root, "PYTHONDONTWRITEBYTECODE": "1"}
        cwd = work / "cwd"
        cwd.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "checker.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "worker-stderr.txt", "ab"),  # noqa: SIM115 - child owns it
            cwd=cwd,
            env=env,
            pass_fds=(write_fd,),
            start_new_session=True,
        )
        os.close(write_fd)
        self.channel = os.fdopen(read_fd, "rb")
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.channel, selectors.EVENT_READ)
        self.buffer = b""
        self.process.stdin.write(json.dumps({**job, "channel_fd": write_fd}).encode())
        self.process.stdin.close()

    def next_event(self, timeout: float) -> dict | None:
        """The next message, or None on timeout; {'event': 'died'} if the worker exited."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(self.channel.fileno(), 65536)
            if not chunk:
                self.process.wait()
                return {"event": "died", "returncode": self.process.returncode}
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        _kill(self.process)
        self.selector.close()
        self.channel.close()


def _death_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"the process running it was killed by signal {name}"
    return f"the process running it exited with code {returncode} (os._exit or exit() in C?)"


def run_workbook(
    workbook: Path, lesson: str, task_ids: list[str], context: dict, limits: Limits
) -> Run:
    run = Run()
    pending = list(task_ids)
    with tempfile.TemporaryDirectory(prefix="checker-") as tmp:
        work = Path(tmp)
        out_dir = work / "out"
        out_dir.mkdir()
        first_worker = True
        while pending:
            job = {
                "workbook": str(workbook.resolve()),
                "lesson": lesson,
                "tasks": pending,
                "context": context,
                "memory_mb": limits.memory_mb,
                "output_bytes": limits.output_bytes,
                "out_dir": str(out_dir),
            }
            worker = Worker(job, work)
            try:
                stop = _drive(worker, run, pending, limits, out_dir, first_worker)
            finally:
                worker.close()
            first_worker = False
            if stop:
                break
        stderr = (work / "worker-stderr.txt").read_text(errors="replace")
    for task_id in pending:  # only when the workbook could not be loaded at all
        run.results.setdefault(task_id, {"status": ERROR, "message": "not run"})
    if stderr.strip() and not run.results:
        run.load_output += "\n" + stderr[-OUTPUT_SHOWN:]
    return run


def _drive(worker, run, pending, limits, out_dir, first_worker) -> bool:
    """Feed one worker until it finishes or fails; return True to stop trying."""
    event = worker.next_event(STARTUP_SECONDS)
    if not event or event["event"] != "started":
        reason = (
            "did not start in time" if event is None else _death_reason(event.get("returncode", 1))
        )
        for task_id in pending:
            run.results[task_id] = {
                "status": ERROR,
                "message": f"checker could not start: {reason}",
            }
        pending.clear()
        return True
    event = worker.next_event(limits.time_s)
    if first_worker:
        run.load_output = _read_output(out_dir / "load.txt")
    if not event or event["event"] != "loaded":
        reason = (
            (
                f"loading the workbook took longer than {limits.time_s:g} s: does top-level "
                "code (outside the functions) loop forever?"
            )
            if event is None
            else (f"loading the workbook stopped it: {_death_reason(event['returncode'])}")
        )
        for task_id in pending:
            run.results[task_id] = {"status": ERROR, "message": reason}
        pending.clear()
        return True
    if first_worker:
        run.load_problems = event["problems"]
    current = None
    while True:
        event = worker.next_event(limits.time_s if current else STARTUP_SECONDS)
        if event is None or event["event"] == "died":
            if current is None:  # died between tasks: blame the next one, so no endless retry
                if not pending:
                    return True
                current = pending[0]
            if event is None:
                message = (
                    f"time limit: the task ran longer than {limits.time_s:g} s "
                    "(an endless loop?) and was stopped"
                )
            else:
                message = f"crashed: {_death_reason(event['returncode'])}"
            run.results[current] = {
                "status": ERROR,
                "message": message,
                "output": _read_output(out_dir / f"{current}.txt"),
            }
            pending.remove(current)
            return False
        if event["event"] == "start":
            current = event["task"]
        elif event["event"] == "result":
            task_id = event.pop("task")
            event.pop("event")
            event["output"] = _read_output(out_dir / f"{task_id}.txt")
            run.results[task_id] = event
            pending.remove(task_id)
            current = None
        elif event["event"] == "done":
            return True
