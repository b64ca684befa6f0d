"""Load a learner's workbook as `python workbook.py` would run it, but keep going past errors.

The bytes are decoded as the interpreter decodes a source file (a BOM, a coding declaration,
any newline convention). The file is parsed by Python's own parser; where part of it does not
parse, the top-level statement around the error is set aside (a line that starts in column 0
starts a statement) and the rest is parsed again, so a syntax error in one function only loses
the names that statement defines. Each top-level statement is then compiled from the parsed
tree, with the file's `from __future__` imports in force, and run exactly once, in order, in
one module namespace; an exception loses only what that statement would have defined.

One deliberate difference: the workbook is loaded as a module (like `import workbook`), not
as `__main__`, so code under `if __name__ == "__main__":` does not run.
"""

import __future__

import ast
import builtins
import importlib.util
import os
import re
import traceback
import types
from dataclasses import dataclass, field

DEFINES = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)")
STATEMENT_START = re.compile(r"[^\s#)\]}]")  # column 0, not a comment or a closing bracket
CONTINUES = re.compile(r"(else|elif|except|finally)\b")  # column 0, yet part of the statement above
MESSAGE_CHARS = 500
MAX_SET_ASIDE = 200  # statements set aside before giving up on the rest of the file


@dataclass
class LoadProblem:
    line: int
    names: list[str]
    message: str

    def to_json(self) -> dict:
        return {"line": self.line, "names": self.names, "message": self.message}


@dataclass
class Statement:
    node: ast.stmt
    names: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The source text as Python reads it; SyntaxError (with .lineno) when Python would refuse."""
    try:
        return importlib.util.decode_source(data)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _syntax_error(
            f"the file is not valid UTF-8 at line {line} (byte {data[error.start]:#04x}) and "
            "declares no other encoding: save it as UTF-8",
            line,
        ) from None
    except (SyntaxError, LookupError) as error:  # an unknown or inconsistent coding declaration
        raise _syntax_error(
            f"its encoding declaration: {error}", getattr(error, "lineno", 1)
        ) from None


def _syntax_error(message: str, line: int | None) -> SyntaxError:
    error = SyntaxError(message)
    error.lineno = line or 1
    return error


def _names_in_text(text: str) -> list[str]:
    return [m[1] or m[2] for line in text.split("\n") if (m := DEFINES.match(line))]


def _bound_names(node: ast.stmt) -> list[str]:
    """Names a top-level statement binds (not those inside the functions it defines)."""
    names: list[str] = []

    def visit(item):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(item.name)
            return
        if isinstance(item, ast.Import | ast.ImportFrom):
            names.extend((a.asname or a.name.split(".")[0]) for a in item.names if a.name != "*")
            return
        if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store):
            names.append(item.id)
        elif getattr(item, "name", None) and isinstance(item, ast.ExceptHandler):
            names.append(item.name)
        for child in ast.iter_child_nodes(item):
            if not isinstance(child, ast.Lambda | ast.comprehension):
                visit(child)

    visit(node)
    return list(dict.fromkeys(names))


def _starts_statement(line: str) -> bool:
    """A line in column 0 that begins a new top-level statement (not else/except/...)."""
    return bool(STATEMENT_START.match(line)) and not CONTINUES.match(line)


def _chunk(lines: list[str], line: int, set_aside: set[int]) -> range:
    """The top-level statement around a 1-based line: from its column-0 start (with its
    decorators) to the line before the next column-0 statement."""
    index = min(max(line - 1, 0), len(lines) - 1)
    start = index
    while start > 0 and (start in set_aside or not _starts_statement(lines[start])):
        start -= 1
    while start > 0 and lines[start - 1].startswith("@"):
        start -= 1
    end = index + 1
    while end < len(lines) and not (_starts_statement(lines[end]) and end not in set_aside):
        end += 1
    while end > index + 1 and lines[end - 1].startswith("@"):  # the next statement's decorators
        end -= 1
    return range(start, end)


def parse(source: str, filename: str) -> tuple[list[Statement], list[LoadProblem]]:
    """The statements that parse, and a problem for each part set aside."""
    everything = _names_in_text(source)  # what a problem with the whole file loses
    if "\0" in source:
        line = source[: source.index("\0")].count("\n") + 1
        message = f"the file holds a NUL byte at line {line}: Python refuses to run it"
        return [], [LoadProblem(line, everything, message)]
    lines = source.split("\n")
    set_aside: set[int] = set()
    problems = []
    for _ in range(MAX_SET_ASIDE):
        text = "\n".join("" if i in set_aside else text for i, text in enumerate(lines))
        try:
            tree = ast.parse(text, filename)
        except SyntaxError as error:
            chunk = _chunk(lines, error.lineno or len(lines), set_aside)
            if "unexpected indent" in str(error.msg):  # only the stray indented lines
                chunk = range(max(chunk.start, (error.lineno or 1) - 1), chunk.stop)
            if set(chunk) <= set_aside:  # no progress: give up on the rest of the file
                chunk = range(min(chunk.start, len(lines) - 1), len(lines))
            lost = "\n".join(lines[i] for i in chunk if i not in set_aside)
            problems.append(
                LoadProblem(
                    error.lineno or chunk.start + 1,
                    _names_in_text(lost),
                    f"{type(error).__name__} at line {error.lineno}: {error.msg}",
                )
            )
            set_aside |= set(chunk)
        except (MemoryError, RecursionError) as error:
            what = "too deeply nested" if isinstance(error, RecursionError) else "too large"
            message = f"{type(error).__name__} while parsing: the file is {what} to parse"
            return [], problems + [LoadProblem(1, everything, message)]
        else:
            return [Statement(node, _bound_names(node)) for node in tree.body], problems
    message = f"more than {MAX_SET_ASIDE} statements do not parse; the rest was not loaded"
    return [], problems + [LoadProblem(1, everything, message)]


def _future_flags(statements: list[Statement]) -> tuple[int, int]:
    """The compiler flags of the file's leading `from __future__` imports, and how many
    statements (with the docstring) lead."""
    flags = 0
    for number, statement in enumerate(statements):
        node = statement.node
        if number == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module docstring may come first
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            return flags, number
        for alias in node.names:
            flags |= getattr(getattr(__future__, alias.name, None), "compiler_flag", 0)
    return flags, len(statements)


def _module(node: ast.stmt, first: bool) -> ast.Module:
    body = [node]
    if not first and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        body.insert(0, ast.copy_location(ast.Pass(), node))  # a bare string is not a docstring
    return ast.Module(body=body, type_ignores=[])


def load(data: bytes, filename: str, namespace: dict, after_each=None) -> list[LoadProblem]:
    """Run the workbook's bytes into namespace; return what went wrong, line by line."""
    try:
        source = decode(data)
    except SyntaxError as error:
        names = _names_in_text(data.decode("utf-8", "replace"))
        return [LoadProblem(error.lineno, names, f"SyntaxError: {error.msg}")]
    statements, problems = parse(source, filename)
    flags, leading = _future_flags(statements)
    compiled = []
    for number, statement in enumerate(statements):
        node = statement.node
        if isinstance(node, ast.ImportFrom) and node.module == "__future__" and number >= leading:
            message = "from __future__ imports must occur at the beginning of the file"
            problems.append(
                LoadProblem(node.lineno, [], f"SyntaxError at line {node.lineno}: {message}")
            )
            continue
        try:
            code = compile(_module(statement.node, number == 0), filename, "exec", flags, True)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
            line = getattr(error, "lineno", None) or statement.node.lineno
            message = f"{type(error).__name__} at line {line}: {getattr(error, 'msg', error)}"
            problems.append(LoadProblem(line, statement.names, message))
            continue
        compiled.append((statement, code))
    for statement, code in compiled:
        try:
            exec(code, namespace)
        except BaseException as error:  # whatever the workbook raises, even KeyboardInterrupt
            line = _workbook_line(error, filename) or statement.node.lineno
            name, _, text = describe(error).partition(": ")
            message = f"{name} at line {line} while loading" + (f": {text}" if text else "")
            problems.append(LoadProblem(line, statement.names, message))
        if after_each is not None:
            after_each()
    return sorted(problems, key=lambda p: p.line)


def describe(error: BaseException) -> str:
    """`Type: message`, whatever the exception's __str__ does."""
    try:
        text = str(error)
    except BaseException:  # noqa: BLE001 - a workbook's exception may not even print
        text = "(its message could not be printed)"
    text = f"{type(error).__name__}: {text}".strip().rstrip(":")
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + " ..."


def _workbook_line(error: BaseException, path: str) -> int | None:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    return frames[-1].lineno if frames else None


def new_module(path: str, taken) -> types.ModuleType:
    """The module the workbook runs in, named as `import <stem>` would name it (unless that
    name is in use already), so that pickling its classes works."""
    stem = os.path.splitext(os.path.basename(path))[0]
    module = types.ModuleType(stem if stem.isidentifier() and stem not in taken else "workbook")
    module.__dict__.update(__file__=path, __builtins__=builtins, __cached__=None)
    return module
