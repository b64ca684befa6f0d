"""Console sessions under snippets/: a `$ command` line, then the output it must print.

A page shows such a file in a ```console block; tests/test_console_sessions.py runs the
command in the file's folder and compares its stdout with the lines after the command.
"""

import shlex
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
