"""Re-run snippets and rewrite the expected outputs that changed, in place.

    python tools/refresh_outputs.py [SNIPPET ...]     (default: every snippet)

Only output lines change; code lines and files whose outputs still match are left as they
are. A snippet that raises where its text expects no error is refused and nothing in it is
written. Review the result with `git diff` before committing.
"""

import doctest
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.suite import SNIPPET_GLOB, SNIPPETS_DIR  # noqa: E402


class Recorder(doctest.DocTestRunner):
    def __init__(self):
        super().__init__(optionflags=0)
        self.changes = {}  # example -> new want
        self.errors = []

    def report_failure(self, out, test, example, got):
        self.changes[id(example)] = got

    def report_unexpected_exception(self, out, test, example, exc_info):
        exc_type, exc, _ = exc_info
        self.errors.append(
            f"{test.filename}:{test.lineno + example.lineno + 1}: "
            f"{example.source.strip()!r} raised {exc_type.__name__}: {exc}"
        )


def refresh(path: Path) -> str:
    text = path.read_text()
    test = doctest.DocTestParser().get_doctest(text, {}, path.name, str(path), 0)
    runner = Recorder()
    runner.run(test, clear_globs=True)
    if runner.errors:
        return "refused, nothing written:\n    " + "\n    ".join(runner.errors)
    if not runner.changes:
        return "unchanged"
    lines = text.splitlines(keepends=True)
    # Rewrite from the bottom up so earlier line numbers stay valid.
    for example in reversed(test.examples):
        if id(example) not in runner.changes:
            continue
        start = example.lineno + 1
        while start < len(lines) and lines[start].startswith("..."):
            start += 1  # doctest drops a bare "..." closing line from example.source
        end = start + example.want.count("\n")
        lines[start:end] = [runner.changes[id(example)]]
    path.write_text("".join(lines))
    return f"rewrote {len(runner.changes)} output(s)"


def main(argv):
    paths = [Path(p) for p in argv] or sorted(SNIPPETS_DIR.rglob(SNIPPET_GLOB))
    refused = False
    for path in paths:
        result = refresh(path)
        refused |= result.startswith("refused")
        print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: {result}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
