"""Run the workbook checker the ways a learner or a wrapping script would, for the tests.

Lessons are discovered (checker.lessons.lesson_ids); a test workbook is a lesson's reference
solution with some of its top-level definitions replaced, so the same scenario works for every
lesson.

Each run starts a worker that imports torch, a few seconds each: a run that several test files
need (the solution's JSON report, say) happens once per test session, shared by the files and
the pytest-xdist workers (shared_run).
"""

import ast
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

from filelock import FileLock, Timeout

from checker.lessons import lesson_ids, load_lesson
from course import ROOT

LESSON_IDS = lesson_ids()
WORKBOOKS = ROOT / "workbooks"


def solution(lesson_id: str) -> str:
    return (WORKBOOKS / lesson_id / "solution.py").read_text()


def task_functions(lesson_id: str) -> list[str]:
    """Names of the solution's top-level functions that some task needs, in task order."""
    defined = {
        node.name
        for node in ast.parse(solution(lesson_id)).body
        if isinstance(node, ast.FunctionDef)
    }
    names = [n for task in load_lesson(lesson_id).TASKS for n in task.names if n in defined]
    return list(dict.fromkeys(names))


def machinery_lessons() -> list[str]:
    """The lessons whose solution has at least four task functions: the checker's own machinery
    (isolation, processes, the command line) is tested on each, with some of those functions
    replaced. A lesson with fewer (a new one, say) is still graded by tests/test_checker.py."""
    found = [lesson_id for lesson_id in LESSON_IDS if len(task_functions(lesson_id)) >= 4]
    assert found, "no lesson has four task functions to test the checker's machinery with"
    return found


def task_of(lesson_id: str, name: str) -> str:
    return next(t.id for t in load_lesson(lesson_id).TASKS if name in t.names)


def replace_function(source: str, name: str, body: str) -> str:
    """source with function `name` redefined at the end (any arguments) to run body."""
    assert f"def {name}(" in source, name
    return f"{source}\n\ndef {name}(*args, **kwargs):\n{textwrap.indent(body.strip(), '    ')}\n"


def set_value(source: str, name: str, value: str) -> str:
    """source with the top-level assignment to name given another right-hand side."""
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            first, last = node.lineno - 1, node.end_lineno
            return "".join(lines[:first] + [f"{name} = {value}\n"] + lines[last:])
    raise AssertionError(f"no top-level assignment to {name}")


def without(source: str, name: str) -> str:
    """source without the top-level statement that defines name."""
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        bound = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if getattr(node, "name", None) == name or name in bound:
            return "".join(lines[: node.lineno - 1] + lines[node.end_lineno :])
    raise AssertionError(f"{name} is not defined at top level")


def environment(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def make_check(workbook: Path | None) -> list[str]:
    """`make check` with the Python running the tests: its environment is ready, and a copy
    of the project without .venv/ (tests/test_new_lesson.py runs the suite in one) would
    otherwise build a new one first."""
    command = ["make", "-s", "check", "READY=", f"BIN={Path(sys.executable).parent}"]
    return command + ([f"WORKBOOK={workbook}"] if workbook else [])


def start(workbook: Path, *args, command=None, env=None, cwd=None, **popen) -> subprocess.Popen:
    command = command or [sys.executable, "-m", "checker"]
    return subprocess.Popen(
        [*command, str(workbook), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or environment(),
        cwd=cwd or workbook.parent,
        **popen,
    )


def run_all(runs: dict, timeout: float = 300) -> dict:
    """{name: Popen or SharedRun} -> {name: CompletedProcess}, all running at once."""
    done = {}
    for name, process in runs.items():
        if isinstance(process, SharedRun):
            done[name] = process.result(timeout)
            continue
        out, err = process.communicate(timeout=timeout)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


def shared_folder(tmp_path_factory) -> Path:
    """One folder for the whole test session, also when pytest-xdist runs it in workers."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "checker-runs"
    folder.mkdir(exist_ok=True)
    return folder


class SharedRun:
    """A checker run made once per test session: the first to ask starts it; anyone else, in
    this process or another xdist worker, gets its result (see shared_run)."""

    def __init__(self, folder: Path, key: str, files: dict, args: tuple, make: bool):
        self.folder, self.saved = folder / key, folder / f"{key}.json"
        self.files, self.args, self.make, self.process = files, args, make, None
        self.workbook = self.folder / next(iter(files))
        self.lock = FileLock(folder / f"{key}.lock")
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            return  # another xdist worker runs it: result() waits for it
        if self.saved.exists():
            self.lock.release()
        else:
            self._start()

    def _start(self) -> None:
        self.folder.mkdir(exist_ok=True)
        for name, data in self.files.items():
            (self.folder / name).write_bytes(data)
        if self.make:
            self.process = subprocess.Popen(
                make_check(self.workbook),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
        else:
            self.process = start(self.workbook, *self.args)

    def result(self, timeout: float = 300) -> subprocess.CompletedProcess:
        if self.process is None and not self.saved.exists():
            self.lock.acquire(timeout=timeout)  # held by whoever runs it
            if self.saved.exists():
                self.lock.release()
            else:  # they stopped before saving a result
                self._start()
        if self.process is not None:
            process, self.process = self.process, None
            try:
                out, err = process.communicate(timeout=timeout)
                done = {"args": process.args, "returncode": process.returncode}
                part = self.saved.with_suffix(".part")
                part.write_text(json.dumps({**done, "stdout": out, "stderr": err}))
                part.replace(self.saved)
            finally:
                if process.returncode is None:  # it timed out
                    process.kill()
                    process.communicate()
                self.lock.release()
        return subprocess.CompletedProcess(**json.loads(self.saved.read_text()))


_RUNS: dict[Path, SharedRun] = {}  # this process's, by folder


def shared_run(tmp_path_factory, workbook, *args, name="workbook.py", beside=None, make=False):
    """`python -m checker <workbook> <args>`, or with make=True `make check` (a text report),
    on workbook (text or bytes) saved as `name` in a folder of its own, with the files beside
    (name: text or bytes); that folder is the run's working directory. Made once per test
    session, whoever asks; result() waits for it."""
    files = {name: workbook, **(beside or {})}
    files = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
    what = [make, list(args), sorted((k, v.hex()) for k, v in files.items()), name]
    key = hashlib.sha256(json.dumps(what).encode()).hexdigest()[:24]
    folder = shared_folder(tmp_path_factory)
    if folder / key not in _RUNS:
        _RUNS[folder / key] = SharedRun(folder, key, files, args, make)
    return _RUNS[folder / key]


def solution_run(tmp_path_factory, lesson_id: str) -> SharedRun:
    """`python -m checker solution.py --json` on the lesson's reference solution."""
    return shared_run(tmp_path_factory, solution(lesson_id), "--json", name="solution.py")


def empty_workbook(lesson_id: str) -> str:
    """The lesson's workbook as the learner downloads it: nothing done yet, so it fails."""
    return (WORKBOOKS / lesson_id / "workbook.py").read_text()


def workbook_run(tmp_path_factory, lesson_id: str) -> SharedRun:
    """`python -m checker workbook.py --json` on the empty workbook."""
    return shared_run(tmp_path_factory, empty_workbook(lesson_id), "--json", name="workbook.py")


def make_check_run(tmp_path_factory, lesson_id: str) -> SharedRun:
    """`make check workbook.py` on the empty workbook."""
    return shared_run(tmp_path_factory, empty_workbook(lesson_id), name="workbook.py", make=True)


def marker() -> str:
    """A unique environment value: every process a checker run starts inherits it."""
    return f"checker-test-{uuid.uuid4().hex}"


def marked_processes(mark: str) -> list[str]:
    """Living processes (not zombies) whose environment carries the mark, from /proc."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
            if stat[stat.rfind(b")") + 2 :].startswith(b"Z"):
                continue
            if f"CHECKER_TEST_MARK={mark}".encode() in Path(f"/proc/{pid}/environ").read_bytes():
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                found.append(f"{pid}: {command.decode(errors='replace')[:200]}")
        except OSError:
            pass
    return found


def wait_until_none_marked(mark: str, seconds: float = 10) -> list[str]:
    end = time.monotonic() + seconds
    while (left := marked_processes(mark)) and time.monotonic() < end:
        time.sleep(0.1)
    return left


def build_pyz(folder: Path, site_url: str = "") -> Path:
    """checker.pyz as the site serves it (hooks/workbooks.py), without building the site."""
    spec = importlib.util.spec_from_file_location("_workbooks_hook", ROOT / "hooks/workbooks.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    path = folder / "checker.pyz"
    config = {"docs_dir": str(ROOT / "docs"), "site_url": site_url}
    path.write_bytes(hook.build_checker_archive(config))
    return path
