"""Console sessions under snippets/: a `$ command` line, then the output it must print.

A page shows such a file in a ```console block. Each file is one Sybil example (parsed by
`parse_console`, collected with the doctests by course/suite.py): it runs the command in the
file's folder and compares its stdout with the lines after the command, so `make test`, the
one-thread run, `make drift` and `make refresh` treat it like any other snippet.
"""

import difflib
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".console"
PROMPT = "$ "
# The programs a session may run, and how to run them with this project's interpreter.
PROGRAMS = {
    "python": [sys.executable],
    "torchrun": [sys.executable, "-m", "torch.distributed.run"],
}


TIMEOUT = 300  # seconds; a hung torchrun rendezvous fails instead of blocking make test


class ConsoleFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Session:
    path: Path
    command: list[str]
    expected: str

    @property
    def argv(self) -> list[str]:
        return [*PROGRAMS[self.command[0]], *self.command[1:]]


def read_session(path: Path) -> Session:
    """Parse a console file; bad ones raise ConsoleFormatError naming the file and line."""
    lines = path.read_text().splitlines(keepends=True)
    if not lines or not lines[0].startswith(PROMPT):
        raise ConsoleFormatError(f"{path}:1: a console session starts with '{PROMPT}command'")
    extra = [n for n, line in enumerate(lines[1:], start=2) if line.startswith(PROMPT)]
    if extra:
        raise ConsoleFormatError(f"{path}:{extra[0]}: one command per console session")
    command = shlex.split(lines[0][len(PROMPT) :])
    if not command or command[0] not in PROGRAMS:
        raise ConsoleFormatError(
            f"{path}:1: runs {command[:1]}; a session may run only {sorted(PROGRAMS)}"
        )
    return Session(path, command, "".join(lines[1:]))


def session_environment(environ=os.environ) -> dict:
    """The environment a session runs in: this one, with OMP_NUM_THREADS set when it is not.

    Unset, torchrun gives each rank one thread (torch/distributed/run.py sets OMP_NUM_THREADS=1
    for more than one process), so the doc tests would run the sessions with one thread twice:
    here and in the one-thread run. With one thread per CPU this process may use, the two runs
    cover one and several threads for the sessions too. Set (the one-thread run sets it to 1),
    it is kept.
    """
    if "OMP_NUM_THREADS" in environ:
        return dict(environ)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {**environ, "OMP_NUM_THREADS": str(cpus or 1)}


def run_session(session: Session) -> subprocess.CompletedProcess:
    return subprocess.run(
        session.argv,
        cwd=session.path.parent,
        env=session_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def failure(session: Session, result: subprocess.CompletedProcess) -> str | None:
    """What is wrong with a run, as a maintainer should read it; None if it printed the page."""
    where = session.path
    if result.returncode != 0:
        return (
            f"{where}: `{' '.join(session.command)}` exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr[-3000:]}"
        )
    if result.stdout != session.expected:
        diff = difflib.unified_diff(
            session.expected.splitlines(keepends=True),
            result.stdout.splitlines(keepends=True),
            fromfile=f"{where} (shown on the page)",
            tofile="printed now",
        )
        return "".join(diff)
    return None


def evaluate(example) -> str | None:
    session = example.parsed
    return failure(session, run_session(session))


def parse_console(document):
    """Sybil parser: the whole .console file is one example."""
    from sybil import Region

    session = read_session(Path(document.path))
    yield Region(0, len(document.text), parsed=session, evaluator=evaluate)
