"""The checker loads a workbook as Python runs it: for every file Python runs, the names, their
values and what it printed are the same (measured against a real `python` on the same bytes);
a file Python refuses loses only the statements at fault.

The reference run is runpy.run_path with the run name "workbook" (Python's own reading and
compiling of a file; the checker too loads a workbook as a module, so code under
`if __name__ == "__main__":` runs in neither).
"""

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker.loader import load, new_module

# Files Python runs: the checker must end up with exactly what Python ends up with.
RUNS = {
    "utf8 BOM and CRLF": (
        b"\xef\xbb\xbf# a comment\r\nA = 1\r\ndef f():\r\n    return A\r\nB = f()\r\nC = 3\r\n"
    ),
    "old Mac newlines": b"A = 1\rB = A + 1\r",
    "latin-1 declared": "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n".encode("latin-1"),
    "cp1252 declared": "# coding: cp1252\nQ = '\u20ac'\n".encode("cp1252"),
    "form feed and unusual line breaks in strings": (
        "A = 1\n\x0c\ndef f():\n    '''a\x85b\u2028c\x1cd'''\n    return 2\nB = f.__doc__\n"
    ).encode(),
    "several statements on a line run once each": b"N = 0\nN += 1; print('once', N); M = N\n",
    "a docstring, then a bare string later": b'"""The doc."""\nA = 1\n"not the doc"\nD = __doc__\n',
    "from __future__ annotations": (
        b'"""doc"""\nfrom __future__ import annotations\n'
        b"def f(x: Undefined) -> AlsoUndefined:\n    return 1\nR = f.__annotations__\n"
    ),
    "module annotations": b"A: int = 1\nB: str\nANN = sorted(__annotations__)\n",
    "decorators, classes, async": (
        b"import functools\n@functools.lru_cache\ndef f(x):\n    return x * 2\n"
        b"class M(type):\n    pass\nclass C(metaclass=M):\n    X = f(3)\n"
        b"async def co():\n    return 1\nY = C.X\n"
    ),
    "match, walrus, try/else, del, global": (
        b"v = 2\nmatch v:\n    case 1:\n        R = 'one'\n    case _:\n        R = 'other'\n"
        b"if (w := 3):\n    W = w\ntry:\n    import nothing_like_this_exists\n"
        b"except ImportError:\n    T = 'missing'\nelse:\n    T = 'there'\n"
        b"global G\nG = 1\nZ = 5\ndel Z\n"
    ),
    "line continuations and brackets at column 0": (
        b"A = (1 +\n2)\nB = [\n1,\n2,\n]\nC = 1 + \\\n2\nS = '''\nx = 99\n'''\n"
    ),
    "__file__, __name__, argv": (
        b"import os, sys\nNAME = __name__\nFILE = os.path.basename(__file__)\n"
        b"ARGV = os.path.basename(sys.argv[0])\n"
    ),
    "a module beside the workbook": (
        b"import helper_beside\nfrom helper_beside import *\nH = helper_beside.VALUE\nS = STAR\n"
    ),
    "the main block does not run": b"A = 1\nif __name__ == '__main__':\n    A = 2\n",
}
HELPER = "VALUE = 'beside'\nSTAR = 'star'\n__all__ = ['STAR']\n"
DUMP = """
import json, runpy, sys
sys.path.insert(0, sys.argv[1])
sys.argv = [sys.argv[2]]
names = runpy.run_path(sys.argv[0], run_name="workbook")
print("\\0" + json.dumps({k: repr(v) if isinstance(v, (int, float, str, bool, tuple, list,
    dict, type(None))) else type(v).__name__ for k, v in names.items() if not k.startswith("__")
    or k in ("__doc__",)}, sort_keys=True))
"""


def simple(namespace: dict) -> dict:
    return {
        k: repr(v)
        if isinstance(v, int | float | str | bool | tuple | list | dict | type(None))
        else type(v).__name__
        for k, v in namespace.items()
        if not k.startswith("__") or k == "__doc__"
    }


def by_python(path: Path) -> tuple[str, dict]:
    done = subprocess.run(
        [sys.executable, "-c", DUMP, str(path.parent), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    printed, _, names = done.stdout.rpartition("\0")
    return printed, json.loads(names)


def by_checker(path: Path) -> tuple[str, dict, list]:
    namespace = new_module(str(path), sys.modules).__dict__
    out = io.StringIO()
    sys.path.insert(0, str(path.parent))
    argv, sys.argv = sys.argv, [str(path)]
    try:
        with redirect_stdout(out):
            problems = load(path.read_bytes(), str(path), namespace)
    finally:
        sys.path.remove(str(path.parent))
        sys.argv = argv
        sys.modules.pop("helper_beside", None)
    return out.getvalue(), simple(namespace), problems


@pytest.mark.parametrize("case", list(RUNS))
def test_a_file_python_runs_loads_to_the_same_names_values_and_output(case, tmp_path):
    path = tmp_path / "workbook.py"
    path.write_bytes(RUNS[case])
    (tmp_path / "helper_beside.py").write_text(HELPER)
    expected_output, expected = by_python(path)
    output, names, problems = by_checker(path)
    assert problems == []
    assert names == expected
    assert output == expected_output


# Files Python refuses or stops in: the checker reports each problem at its line and keeps
# every definition the problem does not touch. (source, problems as (line, names lost), kept)
BROKEN = {
    "a missing colon": (b"A = 1\ndef f(x)\n    return x\n\nB = 2\n", [(2, ["f"])], ["A", "B"]),
    "an unclosed bracket": (b"A = 1\nB = foo(\nC = 3\nD = 4\n", [(2, ["B"])], ["A", "C", "D"]),
    "an unterminated string": (
        b'A = 1\nS = """abc\ndef f():\n    pass\n',
        [(2, ["S"])],
        ["A", "f"],  # Python refuses the file; the checker keeps what parses on its own
    ),
    "a stray indent": (b"A = 1\n  B = 2\nC = 3\n", [(2, [])], ["A", "C"]),
    "a decorated function that does not parse": (
        b"import functools\n@functools.lru_cache\ndef f(x)\n    return x\n"
        b"@functools.lru_cache\ndef g(x):\n    return x\n",
        [(3, ["f"])],
        ["functools", "g"],
    ),
    "return outside a function": (b"A = 1\nreturn 5\nB = 2\n", [(2, [])], ["A", "B"]),
    "a late __future__ import": (
        b"A = 1\nfrom __future__ import annotations\nB = 2\n",
        [(2, [])],
        ["A", "B"],
    ),
    "too many nested brackets": (
        b"A = " + b"(" * 300 + b"1" + b")" * 300 + b"\nB = 2\n",
        [(1, ["A"])],
        ["B"],
    ),
    "KeyboardInterrupt at the top level": (
        b"A = 1\nraise KeyboardInterrupt('stop')\nB = 2\n",
        [(2, [])],
        ["A", "B"],
    ),
    "sys.exit at the top level": (
        b"import sys\nA = 1\nsys.exit(3)\nB = 2\n",
        [(3, [])],
        ["A", "B", "sys"],
    ),
    "an exception whose message cannot print": (
        b"class E(Exception):\n    def __str__(self):\n        raise RuntimeError\n"
        b"raise E()\nZ = 1\n",
        [(4, [])],
        ["E", "Z"],
    ),
    "not UTF-8 and no declaration": (b"A = 1\nB = '\xe9'\n", [(2, ["A", "B"])], []),
    "a NUL byte": (b"A = 1\nB = 2\x00\n", [(2, ["A", "B"])], []),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_problem_loses_only_its_own_statement(case, tmp_path):
    source, expected_problems, kept = BROKEN[case]
    path = tmp_path / "workbook.py"
    path.write_bytes(source)
    _, names, problems = by_checker(path)
    assert [(p.line, p.names) for p in problems] == expected_problems, problems
    assert sorted(k for k in names if k != "__doc__") == kept
    for problem in problems:
        assert f"line {problem.line}" in problem.message or "NUL" in problem.message


def test_memory_or_recursion_while_parsing_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    import ast

    path = tmp_path / "workbook.py"
    path.write_bytes(b"def make():\n    return 1\nA = 1\n")

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(ast, "parse", no_memory)
    _, names, problems = by_checker(path)
    assert [p.message for p in problems] == [
        "MemoryError while parsing: the file is too large to parse"
    ]
    assert problems[0].names == ["make", "A"]  # every task that needs them says why
