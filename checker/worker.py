"""The processes that run the learner's code: a keeper, the worker, and one child per task.

checker.sandbox starts `python -c BOOT <package root>` with the job as JSON on stdin. That
process splits in two at once:

- the keeper runs no workbook code. It is a subreaper, so whatever the workbook starts, even a
  process that detaches itself, stays below it; when the checker dies, however it dies, the
  kernel signals the keeper, which kills every process below it and removes the temporary folder;
- the worker imports torch, notes torch's clean settings and the lesson's reference values
  (before any workbook code runs, so the workbook cannot change them), loads the workbook (its
  top-level code runs once, here), then forks one child per task. Each child restores torch's
  settings, runs one check and exits, so nothing a task changes reaches the next one.

Messages go to the checker on a private pipe (fd in the job), one JSON line each, signed with the
job's token. The workbook's output goes to one file per task instead of the terminal.
"""

import errno
import gc
import json
import os
import re
import signal
import sys
import traceback

from checker import processes, torch_state
from checker.lessons import load_lesson
from checker.loader import describe, load, new_module
from checker.tasks import ERROR, FAIL, PASS, SELF, TODO, UNGRADED, Fail, Ungradable

BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from checker.worker import main; main()"
ALLOC_FAILED = re.compile(r"can't allocate memory|Cannot allocate memory|out of memory", re.I)
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"
FIELD_CHARS = {"message": 1500, "expected": 400, "got": 400}  # keeps a message under PIPE_BUF


class Channel:
    """One JSON line per message, written whole with os.write (safe across fork)."""

    def __init__(self, fd: int, token: str):
        self.fd, self.token = fd, token

    def send(self, event: str, **data) -> None:
        for key, limit in FIELD_CHARS.items():
            if isinstance(data.get(key), str) and len(data[key]) > limit:
                data[key] = data[key][:limit] + " ..."
        line = json.dumps({"event": event, "token": self.token, **data}, default=str) + "\n"
        view = memoryview(line.encode())
        while view:
            view = view[os.write(self.fd, view) :]


def main() -> None:
    job = json.loads(sys.stdin.buffer.read())
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the workbook's input() gets end-of-file, not the checker's pipe
    os.close(devnull)
    channel = Channel(job["channel_fd"], job["token"])
    keeper = os.getpid()
    worker = os.fork()
    if worker:
        keep(job, worker, channel)
    processes.die_with_parent(signal.SIGKILL, parent=keeper)
    try:
        work(job, channel)
    except BaseException as error:  # noqa: BLE001 - the checker's own failure, said once
        traceback.print_exc()
        channel.send("broken", error=describe(error))
    os._exit(0)


# --- The keeper ------------------------------------------------------------------------------


def keep(job: dict, worker: int, channel: Channel) -> None:
    """Reap until the worker exits, then leave nothing behind; never returns."""
    checker = job["checker_pid"]
    processes.become_subreaper()

    def stop(signum, frame):
        processes.kill_all(lambda: processes.descendants([os.getpid()]))
        if os.getppid() != checker:  # the checker is gone: nobody else will tidy up
            import shutil

            shutil.rmtree(job["work_dir"], ignore_errors=True)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)  # sent by the kernel when the checker dies (Linux)
    for ignored in (signal.SIGINT, signal.SIGHUP):
        signal.signal(ignored, signal.SIG_IGN)
    processes.die_with_parent(signal.SIGTERM, parent=checker)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == worker:
            break
    processes.kill_all(lambda: processes.descendants([os.getpid()]))
    channel.send("worker-exit", returncode=os.waitstatus_to_exitcode(status))
    os._exit(0)


# --- The worker ------------------------------------------------------------------------------


def apply_memory_limit(memory_mb: int) -> None:
    """Cap this process's address space at what it has now plus memory_mb (soft limit only,
    so a forked task can set its own). One process's cap; the checker sums the whole task."""
    try:
        import resource

        size = _vm_size_bytes()
        if size is None or memory_mb <= 0:
            return
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = size + memory_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass  # no address-space limit here (Windows, some macOS); the checker's watchdog stays


def _vm_size_bytes() -> int | None:
    try:
        with open("/proc/self/status") as status:
            match = re.search(r"VmSize:\s+(\d+) kB", status.read())
        return int(match[1]) * 1024 if match else None
    except OSError:
        return None


def apply_output_limit(output_bytes: int) -> None:
    try:
        import resource

        if hasattr(signal, "SIGXFSZ"):  # a too-large write raises OSError(EFBIG) instead
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
    except (ImportError, ValueError, OSError):
        pass


def redirect_output(path: str) -> None:
    """Point fds 1 and 2 (and sys.stdout/err) at a fresh file: C-level writes land there too."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", closefd=False, errors="replace", buffering=1)  # noqa: SIM115
    sys.stderr = sys.stdout


def work(job: dict, channel: Channel) -> None:
    try:
        import torch
    except BaseException as error:  # noqa: BLE001 - a broken torch: said once, by the checker
        channel.send("cannot-start", error=describe(error))
        return
    torch.set_num_threads(1)  # a fork of a process whose thread pool ran can hang if it uses one
    clean = torch_state.snapshot(torch)
    lesson = load_lesson(job["lesson"])
    tasks = {task.id: task for task in lesson.TASKS}
    reference = lesson.reference() if hasattr(lesson, "reference") else {}
    torch_state.restore(torch, clean)
    context = {**job["context"], "reference": reference}
    apply_output_limit(job["output_bytes"])
    channel.send("started", pid=os.getpid(), torch=torch.__version__)

    namespace = _module_namespace(job)
    redirect_output(os.path.join(job["out_dir"], "load.txt"))
    apply_memory_limit(job["memory_mb"])
    me = os.getpid()
    with open(job["source_copy"], "rb") as handle:
        data = handle.read()
    problems = [
        p.to_json() for p in load(data, job["workbook"], namespace, after_each=lambda: _only_in(me))
    ]
    redirect_output(os.path.join(job["out_dir"], "worker.txt"))
    channel.send("loaded", problems=problems)
    to_run = []
    for task_id in job["tasks"]:  # first what needs no workbook code: never cut short
        if (result := decide_without_running(tasks[task_id], namespace, problems)) is not None:
            channel.send("result", task=task_id, **result)
        else:
            to_run.append(tasks[task_id])
    gc.freeze()  # forked tasks then copy fewer of the worker's pages
    for task in to_run:
        done_r, done_w = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(done_r)
            run_child(task, namespace, context, clean, job, channel, me, done_w)
        os.close(done_w)
        finished = os.read(done_r, 1)  # b"." once it has reported; b"" if it died
        os.close(done_r)
        returncode = 0
        if finished != b".":
            returncode = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        channel.send("exited", task=task.id, returncode=returncode)
        _reap()  # a finished task tears down while the next one starts
    channel.send("done")


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _module_namespace(job: dict) -> dict:
    """A real module for the workbook, as `import workbook` would make (pickling works)."""
    module = new_module(job["workbook"], sys.modules)
    sys.modules[module.__name__] = module
    sys.path[:] = job["sys_path"]
    sys.argv[:] = [job["workbook"]]
    os.environ.pop("PYTHONINSPECT", None)
    return module.__dict__


def _only_in(pid: int) -> None:
    """A process the workbook forked, returning into the checker's code, leaves quietly."""
    if os.getpid() != pid:
        os._exit(0)


# --- One task --------------------------------------------------------------------------------


def is_placeholder(value) -> bool:
    return value is Ellipsis or (isinstance(value, str) and not str.strip(value))


def decide_without_running(task, namespace, problems) -> dict | None:
    """The verdicts that need none of the workbook's code to run: missing names, `...`, prose."""
    missing = [name for name in task.names if name not in namespace]
    lost = [p for p in problems if set(p["names"]) & set(missing)]
    if task.self_assessed:
        answer = namespace.get(task.names[0])
        if missing or is_placeholder(answer) or not isinstance(answer, str):
            said = "not answered yet"
            if missing:
                said = f"missing: the workbook defines no `{missing[0]}`"
            if lost:
                said = f"`{missing[0]}` could not be loaded: {lost[0]['message']}"
            return _result(SELF, said, model_answer=task.model_answer)
        words = len(str.split(answer))
        return _result(
            SELF,
            f"answered ({words} words): compare with the model answer",
            model_answer=task.model_answer,
        )
    if missing:
        if lost:
            return _result(ERROR, f"`{missing[0]}` could not be loaded: {lost[0]['message']}")
        return _result(ERROR, f"missing: the workbook defines no `{missing[0]}`")
    if blank := next((n for n in task.names if is_placeholder(namespace[n])), None):
        return _result(TODO, f"not done yet: `{blank}` is still `...`")
    return None


def _result(status, message, expected=None, got=None, hint=None, model_answer=None) -> dict:
    return {
        "status": status,
        "message": message,
        "expected": expected,
        "got": got,
        "hint": hint,
        "model_answer": model_answer,
    }


def run_child(task, namespace, context, clean, job, channel, parent, done) -> None:
    """Run one task in this fresh fork, report it, say so on `done`; never returns."""
    me = os.getpid()
    try:
        processes.die_with_parent(signal.SIGKILL, parent=parent)
        processes.become_subreaper()  # what the task starts stays below it while it runs
        channel.send("start", task=task.id, pid=me)
        redirect_output(os.path.join(job["out_dir"], f"{task.id}.txt"))
        import torch

        torch_state.restore(torch, clean)
        apply_memory_limit(job["memory_mb"])
        result = run_task(task, namespace, context, clean, job)
        _only_in(me)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        channel.send("result", task=task.id, **result)
    except BaseException as error:  # noqa: BLE001 - the checker's own failure in this task
        _only_in(me)
        channel.send(
            "result",
            task=task.id,
            **_result(ERROR, f"the checker itself failed on this task: {describe(error)}"),
        )
    os.write(done, b".")
    os.close(done)  # before exiting: tearing this process down takes a while
    os._exit(0)


def run_task(task, namespace, context, clean, job) -> dict:
    import torch

    try:
        passed = task.check(namespace, context)
    except Fail as failure:
        return _result(FAIL, failure.message, failure.expected, failure.got, failure.hint)
    except Ungradable as reason:
        return _result(UNGRADED, f"not graded: {reason}")
    except BaseException as error:  # whatever the workbook raises, even KeyboardInterrupt
        status, message = explain_exception(error, job["workbook"], job["memory_mb"], job)
        changed = [k for k, v in torch_state.snapshot(torch).items() if clean.get(k) != v]
        if status == ERROR and changed:
            message = (
                f"{message.removesuffix(' (is the returned object right?)')}, after your code "
                f"left torch's global {', '.join(changed)} changed: change such settings only "
                "inside a `with` block (`with torch.no_grad():`, say)"
            )
        return _result(status, message)
    return _result(PASS, passed)


def explain_exception(error: BaseException, workbook: str, memory_mb: int, job: dict):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == workbook]
    where = f" (workbook line {frames[-1].lineno}, in {frames[-1].name})" if frames else ""
    text = describe(error)
    if isinstance(error, NotImplementedError):
        return TODO, "not done yet: your code still raises NotImplementedError"
    if isinstance(error, MemoryError) or ALLOC_FAILED.search(text):
        return ERROR, (
            f"memory limit: the task tried to allocate more than the {memory_mb} MiB it may use"
            f"{where}. The checker calls your code with small sizes: build tables from the "
            "arguments, not at 100352 x 4096"
        )
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return ERROR, (
            f"output limit: the task printed or wrote more than {job['output_bytes']} bytes{where}"
        )
    if LEAF_IN_PLACE in text:
        return ERROR, (
            f"your code raised {text[:300]}{where}. Writing into a parameter must happen "
            "under `with torch.no_grad():`, so autograd does not record it"
        )
    if not frames:
        return ERROR, f"the check failed with {text} (is the returned object right?)"
    return ERROR, f"your code raised {text}{where}"
