"""Re-run snippets and rewrite the expected outputs that changed, in place.

    python tools/refresh_outputs.py [--check] [PATH ...]   (default: every snippet)

PATH is a .pycon or .console file or a folder of them. A console session (course/console.py)
has its command re-run and everything after its `$ ` line rewritten if the output changed;
it is refused when the command fails. Each snippet is parsed by the project's Sybil
suite (course/suite.py) and run under the same conditions as `make test`: the suite's setup
(torch seeded at random first, so only the snippet's own seed counts), the same option flags
and the same output checker (trailing whitespace ignored). So an output is rewritten exactly
when the doc test would fail on it.

Only the expected-output lines of examples that fail are replaced; code lines, comments and
everything else stay byte for byte, and a file whose outputs all match is not written at all.
A file is refused, with nothing written to it and a non-zero exit status, when

- an example raises where its text expects no error, or
- an example whose text expects a traceback no longer raises,

because then the code, not its output, needs a person. An example that still raises but
with another message (or another error) gets the short form back, never a traceback with
file paths:

    Traceback (most recent call last):
      ...
    RuntimeError: the new message

With --check nothing is written: each differing output is printed (file, line, expected,
got) and the exit status is 1 if any differs; --check --json prints the same as JSON, one
object per file (file, examples, differences, refusals), for tools/compat.py. Review a
refresh with `git diff` before committing (CONTRIBUTING.md says how).
"""

import argparse
import doctest
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sybil.evaluators.doctest import DocTest as SharedNamespaceTest  # noqa: E402

from course import SNIPPETS_DIR  # noqa: E402
from course.console import PROMPT, SUFFIX, ConsoleFormatError, read_session  # noqa: E402
from course.console import run_session as run_console  # noqa: E402
from course.suite import SNIPPET_GLOB, make_sybil  # noqa: E402

GLOBS = (SNIPPET_GLOB, f"*{SUFFIX}")

TRACEBACK_HEADER = "Traceback (most recent call last):\n"
MAX_REFUSALS_SHOWN = 3  # the first error in a file usually makes the later ones
EXAMPLE_RE = doctest.DocTestParser._EXAMPLE_RE  # the pattern Sybil's doctest parser uses


@dataclass
class Change:
    line: int  # 1-based line of the example's `>>>`
    old: str  # the expected output, as doctest reads it (indent removed)
    new: str
    note: str = ""


@dataclass
class Result:
    path: Path
    changes: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    written: bool = False
    examples: int = 0  # doctest examples run (a console session has none)


def recording_checker(base: type[doctest.OutputChecker]):
    """The suite's own output checker, remembering the last pair it compared.

    doctest hands report_failure a full traceback (with file paths) when an exception's
    message differs; the pair compared just before is the bare exception message we need.
    """

    class RecordingChecker(base):
        last = ("", "")

        def check_output(self, want, got, optionflags):
            self.last = (want, got)
            return super().check_output(want, got, optionflags)

    return RecordingChecker()


class Recorder(doctest.DocTestRunner):
    """Runs examples like Sybil does, recording new outputs instead of reporting failures."""

    def __init__(self, optionflags: int, checker: doctest.OutputChecker, places: dict):
        super().__init__(checker=checker, verbose=False, optionflags=optionflags)
        self.places = places  # id(example) -> "file:line"
        self.new_wants: dict[int, tuple[str, str]] = {}  # id(example) -> (new want, note)
        self.refusals: list[str] = []

    def report_failure(self, out, test, example, got):
        if example.exc_msg is None:
            self.new_wants[id(example)] = (got, "")
            return
        expected_msg, raised_msg = self._checker.last
        if expected_msg != example.exc_msg:  # the last comparison was of output: no raise
            self.refusals.append(
                f"{self.where(example)}: expected {first_line(example.exc_msg)!r}, but "
                f"{first_line(example.source)!r} no longer raises (it printed "
                f"{got.strip()[:80]!r}); edit this example by hand"
            )
            return
        note = ""
        if error_name(raised_msg) != error_name(example.exc_msg):
            note = (
                f"now raises {error_name(raised_msg)}, not {error_name(example.exc_msg)}: "
                "check the page's prose"
            )
        self.new_wants[id(example)] = (TRACEBACK_HEADER + "  ...\n" + raised_msg, note)

    def where(self, example) -> str:
        return self.places[id(example)]

    def report_unexpected_exception(self, out, test, example, exc_info):
        exc_type, exc, _ = exc_info
        self.refusals.append(
            f"{self.where(example)}: {first_line(example.source)!r} raised "
            f"{exc_type.__name__}: {first_line(str(exc))}, but no error is expected there"
        )


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def error_name(exc_msg: str) -> str:
    return first_line(exc_msg).split(":")[0]


def as_want(got: str, indent: int) -> str:
    """Output as it must be written in the file to be read back as `got`."""
    lines = []
    for line in got.splitlines():
        line = line.rstrip()
        lines.append(" " * indent + (line if line else doctest.BLANKLINE_MARKER) + "\n")
    return "".join(lines)


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def refresh(path: Path, write: bool = True) -> Result:
    """Run one snippet and (if write) rewrite its outputs that changed; see the module doc."""
    if path.suffix == SUFFIX:
        return refresh_console(path, write)
    result = Result(path)
    sybil = make_sybil()
    try:
        document = sybil.parse(path)
    except ValueError as error:  # doctest's own syntax errors, e.g. ">>>x" without a space
        result.refusals.append(f"{display(path)}: cannot be parsed as a doctest session: {error}")
        return result
    text = document.text
    examples = list(document.examples())
    result.examples = len(examples)
    if not examples:
        result.refusals.append(f"{display(path)}: no '>>> ' example in it")
        return result

    evaluator = examples[0].region.evaluator
    runner = Recorder(
        evaluator.runner.optionflags,
        recording_checker(type(evaluator.runner._checker)),
        places={id(e.region.parsed): f"{display(path)}:{e.line}" for e in examples},
    )
    namespace = document.namespace
    namespace["__name__"] = "__test__"  # as Sybil's doctest evaluator sets it
    if sybil.setup:
        sybil.setup(namespace)
    for example in examples:
        parsed = example.region.parsed
        test = SharedNamespaceTest([parsed], namespace, str(path), str(path), 0, None)
        runner.run(test, clear_globs=False, out=lambda _: None)
    if sybil.teardown:
        sybil.teardown(namespace)

    if runner.refusals:
        result.refusals = runner.refusals
        return result

    # Replace each changed output's characters, from the bottom up so offsets stay valid.
    new_text = text
    expected_wants = []
    for example in reversed(examples):
        parsed = example.region.parsed
        if id(parsed) not in runner.new_wants:
            expected_wants.append(parsed.want)
            continue
        got, note = runner.new_wants[id(parsed)]
        match = EXAMPLE_RE.match(text, example.region.start)
        new_text = (
            new_text[: match.start("want")]
            + as_want(got, parsed.indent)
            + new_text[match.end("want") :]
        )
        result.changes.append(Change(example.line, parsed.want, got, note))
        expected_wants.append(as_want(got, 0))
    result.changes.reverse()
    expected_wants.reverse()
    if not result.changes:
        return result

    problem = verify(path, examples, new_text, expected_wants)
    if problem:
        result.refusals.append(f"{display(path)}: not written, {problem}")
        result.changes = []
        return result
    if write:
        path.write_text(new_text)
        result.written = True
    return result


def refresh_console(path: Path, write: bool = True) -> Result:
    """A console session: run its command; its output is everything after the `$ ` line."""
    result = Result(path)
    try:
        session = read_session(path)
    except ConsoleFormatError as error:
        result.refusals.append(str(error))
        return result
    run = run_console(session)
    if run.returncode != 0:
        result.refusals.append(
            f"{display(path)}:1: `{' '.join(session.command)}` exited with {run.returncode}, "
            f"so there is no output to write: {first_line(run.stderr[-500:])}"
        )
        return result
    if run.stdout == session.expected:
        return result
    clash = [n for n, line in enumerate(run.stdout.splitlines(), 2) if line.startswith(PROMPT)]
    if clash:
        result.refusals.append(
            f"{display(path)}:{clash[0]}: the new output has a line starting with "
            f"{PROMPT!r}, which would read back as a second command"
        )
        return result
    result.changes.append(Change(1, session.expected, run.stdout))
    if write:
        first = path.read_text().splitlines(keepends=True)[0]
        path.write_text(first + run.stdout)
        result.written = True
    return result


def verify(path, examples, new_text, expected_wants) -> str:
    """Re-parse the rewritten text: same code, and the outputs doctest will now read."""
    reparsed = doctest.DocTestParser().get_examples(new_text, str(path))
    sources = [e.region.parsed.source for e in examples]
    if [e.source for e in reparsed] != sources:
        # An output line that starts with '>>> ' reads back as a new example, just after the
        # example whose output it is.
        at = next(i for i, e in enumerate(reparsed) if i >= len(sources) or e.source != sources[i])
        culprit = examples[max(at - 1, 0)]
        return (
            f"the new output of the example at line {culprit.line} has the line "
            f"{first_line(reparsed[at].source)!r} after '>>> ', which would read back as "
            "code: make the snippet print it otherwise"
        )
    for example, want in zip(reparsed, expected_wants, strict=True):
        if example.want != want:
            return f"the output at line {example.lineno + 1} would not read back as written"
    return ""


def snippet_paths(arguments: list[str]) -> list[Path]:
    if not arguments:
        return sorted(p for glob in GLOBS for p in SNIPPETS_DIR.rglob(glob))
    paths = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths.extend(sorted(p for glob in GLOBS for p in path.rglob(glob)))
        elif path.is_file():
            paths.append(path)
        else:
            sys.exit(f"refresh_outputs: {argument}: no such file or folder")
    return paths


def indent_block(text: str) -> str:
    return "".join(f"    | {line}\n" for line in text.splitlines()) or "    | (nothing)\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="snippet files or folders (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; list outputs that differ"
    )
    parser.add_argument(
        "--json", action="store_true", help="with --check: print the results as JSON"
    )
    args = parser.parse_args(argv)
    if args.json:
        if not args.check:
            parser.error("--json goes with --check (it writes nothing)")
        return print_json(snippet_paths(args.paths))
    counts = {"unchanged": 0, "rewritten": 0, "differ": 0, "refused": 0}
    for path in snippet_paths(args.paths):
        result = refresh(path, write=not args.check)
        name = display(path)
        if result.refusals:
            counts["refused"] += 1
            print(f"{name}: REFUSED, nothing written")
            for refusal in result.refusals[:MAX_REFUSALS_SHOWN]:
                print(f"  {refusal}")
            if len(result.refusals) > MAX_REFUSALS_SHOWN:
                more = len(result.refusals) - MAX_REFUSALS_SHOWN
                print(f"  ... and {more} later example(s), likely fallout of the first")
        elif not result.changes:
            counts["unchanged"] += 1
            print(f"{name}: unchanged")
        else:
            counts["differ" if args.check else "rewritten"] += 1
            lines = ", ".join(str(c.line) for c in result.changes)
            verb = "differs" if args.check else "rewrote"
            print(f"{name}: {verb} {len(result.changes)} output(s), at line {lines}")
            for change in result.changes:
                if change.note:
                    print(f"  line {change.line}: {change.note}")
                if args.check:
                    print(
                        f"  {name}:{change.line}\n  expected:\n{indent_block(change.old)}"
                        f"  got:\n{indent_block(change.new)}",
                        end="",
                    )
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    print(f"\n{sum(counts.values())} snippet(s): {summary}.")
    if counts["rewritten"]:
        print("Review every rewritten output with `git diff` before committing.")
    return 1 if counts["refused"] or counts["differ"] else 0


def print_json(paths: list[Path]) -> int:
    results = [refresh(path, write=False) for path in paths]
    report = [
        {
            "file": display(r.path),
            "examples": r.examples,
            "differences": [
                {"line": c.line, "expected": c.old, "got": c.new, "note": c.note} for c in r.changes
            ],
            "refusals": r.refusals,
        }
        for r in results
    ]
    print(json.dumps(report, indent=1))
    return 1 if any(r.changes or r.refusals for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
