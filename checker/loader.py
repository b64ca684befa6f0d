"""Load a learner's workbook even when part of it does not compile or raises.

The file is cut into top-level statements (a line that starts in column 0 starts a new one;
decorators stay with what they decorate). Each piece is compiled and run on its own, in order,
in one namespace, so a syntax error or an exception in one function only loses the names that
piece defines and the other tasks are still graded.
"""

import ast
import re
import traceback
from dataclasses import dataclass, field

DEFINES = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)")


@dataclass
class Piece:
    first_line: int  # 1-based
    source: str
    names: list[str] = field(default_factory=list)


@dataclass
class LoadProblem:
    line: int
    names: list[str]
    message: str

    def to_json(self) -> dict:
        return {"line": self.line, "names": self.names, "message": self.message}


def split_top_level(source: str) -> list[Piece]:
    """The file's top-level statements: exactly (by ast) if it compiles, else by line starts."""
    lines = source.splitlines(keepends=True)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pieces = _split_by_lines(lines)
    else:
        pieces = []
        for node in tree.body:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            pieces.append(Piece(first, "".join(lines[first - 1 : node.end_lineno])))
    for piece in pieces:
        for text in piece.source.splitlines():
            if match := DEFINES.match(text):
                piece.names.append(match[1] or match[2])
    return pieces


def _split_by_lines(lines: list[str]) -> list[Piece]:
    """A line starting in column 0 starts a statement, unless inside a triple-quoted string."""
    pieces: list[Piece] = []
    current: list[str] = []
    start, decorating, in_string = 1, False, None
    for number, line in enumerate(lines, start=1):
        starts_statement = not in_string and line[:1] not in (
            "",
            " ",
            "\t",
            "\n",
            "\r",
            "#",
            ")",
            "]",
            "}",
        )
        if starts_statement and current and not decorating:
            pieces.append(Piece(start, "".join(current)))
            current, start = [], number
        if starts_statement:
            decorating = line.startswith("@")
        for quote in re.findall(r'"""|\'\'\'', line):
            if in_string is None:
                in_string = quote
            elif quote == in_string:
                in_string = None
        current.append(line)
    if current:
        pieces.append(Piece(start, "".join(current)))
    return pieces


def load(path: str, namespace: dict) -> list[LoadProblem]:
    """Run the workbook at path into namespace, piece by piece; return what went wrong."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        source = handle.read()
    problems = []
    for piece in split_top_level(source):
        padded = "\n" * (piece.first_line - 1) + piece.source  # line numbers as in the file
        try:
            code = compile(padded, path, "exec")
        except SyntaxError as error:
            problems.append(
                LoadProblem(
                    error.lineno or piece.first_line,
                    piece.names,
                    f"SyntaxError at line {error.lineno}: {error.msg}",
                )
            )
            continue
        try:
            exec(code, namespace)
        except (Exception, SystemExit) as error:  # report whatever the workbook raises
            line = _workbook_line(error, path) or piece.first_line
            problems.append(
                LoadProblem(
                    line,
                    piece.names,
                    f"{type(error).__name__} at line {line} while loading: {error}",
                )
            )
    return problems


def _workbook_line(error: BaseException, path: str) -> int | None:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    return frames[-1].lineno if frames else None
