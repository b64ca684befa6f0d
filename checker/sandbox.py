"""Run a workbook's tasks in other processes, within limits, and leave nothing behind.

One worker process (checker.worker, heard through checker.channel) loads the workbook once
and runs each task in a fork of itself. This process only watches: each task's time, the
memory of all the processes a task started together (on Linux), the total time of the
check, and the messages on the private report channel, which it checks (signed, well-formed,
about the task that runs) before believing them. A task over a limit is stopped with
everything it started; a worker that dies is replaced for the tasks left. Whatever happens,
including a signal to this process, every process below it is killed and the temporary
folder removed before it returns.
"""

import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import checker
from checker import processes
from checker.channel import OUTPUT_SHOWN, Forged, Worker
from checker.tasks import ERROR, NOT_REACHED

STARTUP_SECONDS = 120  # importing torch on a busy machine
POLL_SECONDS = 0.1  # how often a running task's memory is measured
MAX_RESTARTS = 3  # workers replaced after one died, before giving up on the rest
MAX_NOTES = 10


@dataclass
class Limits:
    time_s: float = 10.0  # per task, and for loading the workbook
    total_s: float = 30.0  # loading and every task together
    memory_mb: int = 1024  # per task, all its processes together
    output_bytes: int = 1024 * 1024


@dataclass
class Run:
    results: dict = field(default_factory=dict)  # task id -> result dict
    load_problems: list = field(default_factory=list)
    load_output: str = ""
    notes: list = field(default_factory=list)  # about the run itself
    torch_version: str | None = None


class CannotRun(Exception):
    """The worker could not start at all (torch missing or broken, no fork, ...)."""


def _read_output(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    text = data[:OUTPUT_SHOWN].decode("utf-8", "replace")
    if len(data) > OUTPUT_SHOWN:
        text += f"\n... [{len(data) - OUTPUT_SHOWN} more bytes not shown]"
    return text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class Clock:
    """The check's total time: it runs while the workbook loads and tasks run, not while a
    worker imports torch."""

    def __init__(self, total_s: float):
        self.left_s, self.since = total_s, None

    def resume(self) -> None:
        self.since = time.monotonic()

    def pause(self) -> None:
        if self.since is not None:
            self.left_s -= time.monotonic() - self.since
            self.since = None

    def left(self) -> float:
        return self.left_s - (time.monotonic() - self.since if self.since is not None else 0)


def run_workbook(
    workbook: Path, data: bytes, lesson: str, task_ids: list[str], context: dict, limits: Limits
) -> Run:
    """Grade every task; raises CannotRun when no worker can start.

    Run it in a process of its own (the command line does): when it returns, or raises, every
    process below the calling process has been killed.
    """
    run = Run()
    pending = list(task_ids)
    processes.become_subreaper()  # what escapes the keeper still stays below this process
    clock = Clock(limits.total_s)
    work = Path(tempfile.mkdtemp(prefix="checker-"))
    try:
        for folder in ("out", "cwd"):
            (work / folder).mkdir()
        (work / "source").write_bytes(data)
        for attempt in range(MAX_RESTARTS + 1):
            worker = Worker(_job(workbook, lesson, pending, context, limits, work), work)
            try:
                finished = Session(worker, run, pending, limits, work, clock, attempt).drive()
            finally:
                with processes.signals_held():
                    clock.pause()
                    worker.close()
            if finished or not pending:
                break
        else:
            for task_id in pending:
                run.results[task_id] = _error(
                    "not run: the checker's worker process kept dying (see above)"
                )
    finally:
        with processes.signals_held():
            processes.kill_all(lambda: processes.descendants([os.getpid()]))
            shutil.rmtree(work, ignore_errors=True)
    return run


def worker_sys_path(workbook: Path) -> list[str]:
    """The module search path of the workbook's code: `python workbook.py`'s, plus the checker."""
    path = str(workbook.resolve())
    search = [] if sys.flags.safe_path else [os.path.dirname(path)]  # the workbook's folder
    package_root = str(Path(checker.__file__).resolve().parent.parent)
    return search + sys.path[1:] + [package_root]


def _job(workbook: Path, lesson, pending, context, limits: Limits, work: Path) -> dict:
    return {
        "workbook": str(workbook.resolve()),
        "source_copy": str(work / "source"),  # read once: the workbook may go while it runs
        "lesson": lesson,
        "tasks": list(pending),
        "context": context,
        "memory_mb": limits.memory_mb,
        "output_bytes": limits.output_bytes,
        "out_dir": str(work / "out"),
        "work_dir": str(work),
        "token": secrets.token_hex(16),
        "checker_pid": os.getpid(),
        "sys_path": worker_sys_path(workbook),
    }


def _error(message: str, output: str = "") -> dict:
    return {
        "status": ERROR,
        "message": message,
        "expected": None,
        "got": None,
        "hint": None,
        "model_answer": None,
        "output": output,
    }


class Session:
    """One worker's life: start, load, then the tasks until done, a limit, or its death."""

    def __init__(self, worker, run, pending, limits, work, clock, attempt):
        self.worker, self.run, self.pending, self.limits = worker, run, pending, limits
        self.work, self.clock, self.first = work, clock, attempt == 0
        self.out = work / "out"
        self.current = None  # (task id, pid, started at) of the task that runs
        self.exit_reason = None
        self.tainted: set[str] = set()

    # -- messages --

    def _next(self, timeout: float) -> dict | None:
        try:
            return self.worker.next(timeout)
        except Forged as forged:
            blamed = self.current[0] if self.current else "loading"
            self._note(
                f"the checker's private report channel received {forged} while {blamed} ran: "
                "something in the workbook wrote to it, so that result is not trusted"
            )
            if self.current:
                self.tainted.add(self.current[0])
            return {"event": "forged"}

    def _note(self, text: str) -> None:
        if len(self.run.notes) < MAX_NOTES:
            self.run.notes.append(text)
        elif len(self.run.notes) == MAX_NOTES:
            self.run.notes.append("... and more of the same, not shown")

    def _wait_for(self, events: set, timeout: float, watch=None):
        """The next message of the given kinds; None on timeout (or when watch() says stop)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            message = self._next(min(left, POLL_SECONDS) if watch else left)
            if message is None:
                if watch and (stop := watch()):
                    return stop
                continue
            if message["event"] in events | {"eof", "worker-exit", "cannot-start", "broken"}:
                return message

    def _death(self, message: dict) -> str:
        if message.get("event") == "worker-exit":
            code = message["returncode"]
            if code < 0:
                return f"it was killed by {_signal_name(-code)}"
            return f"it exited with code {code} (os._exit() in your code?)"
        if message.get("event") == "broken":
            return f"the checker failed: {message.get('error')}"
        return "it was killed (by your code?)"

    # -- phases --

    def drive(self) -> bool:
        """True when this worker finished every task (or no task can run); False to restart."""
        started = self._wait_for({"started"}, STARTUP_SECONDS)
        if started is None or started["event"] != "started":
            if started is not None and started["event"] == "cannot-start":
                raise CannotRun(f"importing torch failed: {started['error']}")
            tail = self.worker.stderr_tail(self.work).strip()
            reason = "did not start in time" if started is None else self._death(started)
            raise CannotRun(
                f"the checker's worker process {reason}" + (f":\n{tail}" if tail else "")
            )
        self.worker.pid = started["pid"]
        self.run.torch_version = started["torch"]
        self.clock.resume()
        if not self._load():
            return True
        return self._tasks()

    def _over_memory(self, pids, baseline: int = 0) -> int | None:
        limit = self.limits.memory_mb * 2**20
        if not pids or self.limits.memory_mb <= 0:
            return None
        if processes.resident_bytes(pids) - baseline <= limit:
            return None
        used = processes.private_bytes(pids) - baseline
        return used if used > limit else None

    def _load(self) -> bool:
        if self.clock.left() <= 0:  # a replacement worker started too late
            self._deadline()
            return False
        baseline = processes.private_bytes([self.worker.pid]) if processes.LINUX else 0
        over = {}

        def watch():
            if self.clock.left() <= 0:
                return {"event": "deadline"}
            used = self._over_memory(processes.descendants([self.worker.process.pid]), baseline)
            if used is not None:
                over["used"] = used
                return {"event": "memory"}
            return None

        budget = min(self.limits.time_s, self.clock.left())
        loaded = self._wait_for({"loaded"}, budget, watch)
        if self.first:
            self.run.load_output = _read_output(self.out / "load.txt")
        if loaded is not None and loaded["event"] == "loaded":
            if self.first:
                self.run.load_problems = loaded["problems"]
            return True
        if loaded is None or loaded["event"] == "deadline":
            seconds = min(self.limits.time_s, self.limits.total_s)
            reason = (
                f"loading the workbook took longer than {seconds:g} s: does top-level code "
                "(outside the functions) loop forever?"
            )
        elif loaded["event"] == "memory":
            reason = (
                f"memory limit: loading the workbook (its top-level code) used "
                f"{over['used'] / 2**20:.0f} MiB, more than the {self.limits.memory_mb} MiB allowed"
            )
        else:
            reason = f"loading the workbook stopped the checker's worker: {self._death(loaded)}"
        for task_id in self.pending:
            self.run.results[task_id] = _error(reason)
        self.pending.clear()
        return False

    def _record(self, task_id: str, result: dict) -> None:
        if task_id in self.tainted:
            result = _error(
                "not graded: something wrote to the checker's private report channel while "
                "this task ran, so its result cannot be trusted"
            )
        result.setdefault("output", _read_output(self.out / f"{task_id}.txt"))
        self.run.results[task_id] = result
        if task_id in self.pending:
            self.pending.remove(task_id)

    def _stop_task(self, message: str) -> None:
        task_id, pid, _ = self.current
        self._clean_up(pid)
        if task_id in self.pending:
            self._record(task_id, _error(message))

    def _clean_up(self, task_pid: int | None, itself: bool = True) -> None:
        """Kill all the task's process started (orphans reattach to the keeper), and the
        process itself unless it reported and is on its way out already."""
        keeper = self.worker.process.pid

        def leftovers():
            table = processes._table() if processes.LINUX else {}
            found = processes.descendants([task_pid], table) if task_pid else []
            if itself and task_pid in table and table[task_pid][1] != b"Z":
                found.append(task_pid)
            for orphan in processes.children_of(keeper, table) if table else []:
                if orphan != self.worker.pid:
                    found += [orphan, *processes.descendants([orphan], table)]
            return found

        if processes.LINUX:
            processes.kill_all(leftovers)
        elif task_pid:
            try:
                os.kill(task_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _task_watch(self):
        task_id, pid, since = self.current
        if self.clock.left() <= 0:
            return {"event": "deadline"}
        if time.monotonic() - since > self.limits.time_s:
            return {"event": "timeout"}
        table = processes._table() if processes.LINUX else None
        if table is not None:
            pids = [pid, *processes.descendants([pid], table)]
            keeper = self.worker.process.pid
            orphans = [p for p in processes.children_of(keeper, table) if p != self.worker.pid]
            pids += orphans + processes.descendants(orphans, table)
            if (used := self._over_memory([p for p in pids if p in table])) is not None:
                return {"event": "memory", "used": used}
        return None

    def _tasks(self) -> bool:
        while self.pending:
            if self.current:
                watch, budget = self._task_watch, STARTUP_SECONDS
            else:
                watch, budget = self._idle_watch, STARTUP_SECONDS
            message = self._wait_for({"start", "result", "exited", "done", "forged"}, budget, watch)
            if message is None:
                return self._worker_lost("it stopped responding")
            event = message["event"]
            if event == "deadline":
                self._deadline()
                return True
            if event == "timeout":
                self._stop_task(
                    f"time limit: the task ran longer than {self.limits.time_s:g} s "
                    "(an endless loop?) and was stopped"
                )
            elif event == "memory":
                self._stop_task(
                    f"memory limit: the task's processes together used "
                    f"{message['used'] / 2**20:.0f} MiB, more than the "
                    f"{self.limits.memory_mb} MiB a task may use; they were stopped"
                )
            elif event == "start":
                if message.get("task") not in self.pending or self.current:
                    self._forged_event(message)
                    continue
                self.current = (message["task"], message["pid"], time.monotonic())
            elif event == "result":
                task_id = message.pop("task", None)
                if task_id not in self.pending or (self.current and self.current[0] != task_id):
                    self._forged_event(message)
                    continue
                for key in ("event", "token"):
                    message.pop(key)
                self._record(task_id, message)
            elif event == "exited":
                self._exited(message)
            elif event == "done":
                return True
            elif event in ("eof", "worker-exit", "broken"):
                return self._worker_lost(self._death(message))
        return True

    def _idle_watch(self):
        return {"event": "deadline"} if self.clock.left() <= 0 else None

    def _forged_event(self, message: dict) -> None:
        shown = {k: v for k, v in message.items() if k != "token"}
        self._note(
            f"the checker's report channel received a message out of turn ({str(shown)[:120]}): "
            "something in the workbook wrote to it; it was ignored"
        )
        if self.current:
            self.tainted.add(self.current[0])

    def _exited(self, message: dict) -> None:
        task_id = message.get("task")
        pid = self.current[1] if self.current and self.current[0] == task_id else None
        self._clean_up(pid, itself=task_id in self.pending)
        if task_id in self.pending:  # no result: the task's process died
            code = message.get("returncode", 0)
            if code < 0:
                how = f"was killed by {_signal_name(-code)}"
                if -code == signal.SIGKILL:
                    how += " (out of memory, or killed by your code?)"
            else:
                how = f"exited with code {code} before reporting (os._exit() in your code?)"
            self._record(task_id, _error(f"crashed: the process running the task {how}"))
        self.current = None

    def _deadline(self) -> None:
        total = f"{self.limits.total_s:g} s"
        if self.current:
            self._stop_task(f"time limit: stopped when the check's total time ({total}) ran out")
        for task_id in list(self.pending):
            self._record(
                task_id,
                {
                    **_error(
                        f"not reached: the check's total time ({total}, --total-time) ran out "
                        "before this task started"
                    ),
                    "status": NOT_REACHED,
                },
            )

    def _worker_lost(self, reason: str) -> bool:
        blamed = self.current[0] if self.current else (self.pending[0] if self.pending else None)
        if blamed:
            self._record(blamed, _error(f"crashed: the checker's worker process died: {reason}"))
            self._note(
                f"the worker process died during {blamed} ({reason}); the tasks left go to a "
                "new one, which loads the workbook again"
            )
        self.current = None
        return False
