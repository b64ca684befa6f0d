"""The child process: load the learner's workbook and run checks, one task at a time.

Started by checker.sandbox with the job as JSON on stdin. It reports on a private pipe (fd
given in the job), one JSON line per event, so nothing the workbook prints can fake a result.
It limits its own address space (after importing torch) and the size of any file it writes,
and sends each task's stdout and stderr to a file of its own.
"""

import errno
import json
import os
import re
import signal
import sys
import traceback

from checker.lessons import load_lesson
from checker.loader import load
from checker.tasks import ERROR, FAIL, PASS, SELF, TODO, UNGRADED, Fail, Ungradable

ALLOC_FAILED = re.compile(r"can't allocate memory|Cannot allocate memory|out of memory", re.I)
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"


def _vm_size_bytes() -> int | None:
    try:
        with open("/proc/self/status") as status:
            match = re.search(r"VmSize:\s+(\d+) kB", status.read())
        return int(match[1]) * 1024 if match else None
    except OSError:
        return None


def apply_limits(memory_mb: int, output_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no limits, the time limit still holds
        return
    if hasattr(signal, "SIGXFSZ"):  # a too-large write raises OSError(EFBIG) instead of killing
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
    base = _vm_size_bytes()
    if base is not None and memory_mb > 0:
        limit = base + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def redirect_output(path: str) -> None:
    """Point fds 1 and 2 (and sys.stdout/err) at a fresh file: C-level writes land there too."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", closefd=False, errors="replace", buffering=1)  # noqa: SIM115
    sys.stderr = sys.stdout


def explain_exception(error: BaseException, workbook: str, memory_mb: int, output_bytes: int):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == workbook]
    where = f" (workbook line {frames[-1].lineno}, in {frames[-1].name})" if frames else ""
    text = f"{type(error).__name__}: {error}".strip()
    if isinstance(error, NotImplementedError):
        return TODO, "not done yet: your code still raises NotImplementedError"
    if isinstance(error, MemoryError) or ALLOC_FAILED.search(str(error)):
        return ERROR, (
            f"memory limit: the task tried to allocate more than the {memory_mb} MiB it may use"
            f"{where}. The checker calls your code with small sizes: build tables from the "
            "arguments, not at 100352 x 4096"
        )
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return ERROR, (
            f"output limit: the task printed or wrote more than {output_bytes} bytes{where}"
        )
    if LEAF_IN_PLACE in str(error):
        return ERROR, (
            f"your code raised {text[:300]}{where}. Writing into a parameter must happen "
            "under `with torch.no_grad():`, so autograd does not record it"
        )
    if not frames:
        return ERROR, f"the check failed with {text[:500]} (is the returned object right?)"
    return ERROR, f"your code raised {text[:500]}{where}"


def is_placeholder(value) -> bool:
    return value is Ellipsis or (isinstance(value, str) and not value.strip())


def run_task(task, namespace, problems, context, job) -> dict:
    missing = [name for name in task.names if name not in namespace]
    if missing:
        lost = [p for p in problems if set(p["names"]) & set(missing)]
        if lost:
            return {
                "status": ERROR,
                "message": f"`{missing[0]}` could not be loaded: {lost[0]['message']}",
            }
        return {"status": ERROR, "message": f"missing: the workbook defines no `{missing[0]}`"}
    if task.self_assessed:
        answer = namespace[task.names[0]]
        if is_placeholder(answer) or not isinstance(answer, str):
            return {
                "status": SELF,
                "message": "not answered yet",
                "model_answer": task.model_answer,
            }
        words = len(answer.split())
        return {
            "status": SELF,
            "message": f"answered ({words} words): compare with the model answer",
            "model_answer": task.model_answer,
        }
    if any(is_placeholder(namespace[name]) for name in task.names):
        blank = next(n for n in task.names if is_placeholder(namespace[n]))
        return {"status": TODO, "message": f"not done yet: `{blank}` is still `...`"}
    import torch

    torch.manual_seed(0)
    try:
        passed = task.check(namespace, context)
    except Fail as failure:
        return {
            "status": FAIL,
            "message": failure.message,
            "expected": failure.expected,
            "got": failure.got,
        }
    except Ungradable as reason:
        return {"status": UNGRADED, "message": f"not graded: {reason}"}
    except (Exception, SystemExit) as error:
        status, message = explain_exception(
            error, job["workbook"], job["memory_mb"], job["output_bytes"]
        )
        return {"status": status, "message": message}
    return {"status": PASS, "message": passed}


def main() -> None:
    job = json.loads(sys.stdin.read())
    channel = os.fdopen(job["channel_fd"], "w", buffering=1)

    def send(event: str, **data):
        channel.write(json.dumps({"event": event, **data}) + "\n")

    import torch  # noqa: F401 - imported before the memory limit: its own mapping is not the task's

    lesson = load_lesson(job["lesson"])
    tasks = {task.id: task for task in lesson.TASKS}
    apply_limits(job["memory_mb"], job["output_bytes"])
    send("started")
    namespace = {"__name__": "workbook", "__file__": job["workbook"]}
    redirect_output(os.path.join(job["out_dir"], "load.txt"))
    problems = [p.to_json() for p in load(job["workbook"], namespace)]
    send("loaded", problems=problems)
    for task_id in job["tasks"]:
        send("start", task=task_id)
        redirect_output(os.path.join(job["out_dir"], f"{task_id}.txt"))
        result = run_task(tasks[task_id], namespace, problems, job["context"], job)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        send("result", task=task_id, **result)
    send("done")


if __name__ == "__main__":
    main()
