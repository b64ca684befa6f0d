"""Check every lesson against other torch versions and write its report (`make compat`).

    python tools/compat.py           each version of [tool.course] compat-torch (pyproject.toml)
    python tools/compat.py 2.14.1    one version; the report keeps the others' results

For each version, in the environment `make drift` uses (.venv-drift-<version>/, created the
first time: a full torch build, several GB), and for each lesson (course/lessons.py):

1. every snippet runs as the doc tests run it, each console session's command too, and each
   output that differs is recorded (tools/refresh_outputs.py --check --json, which writes
   nothing);
2. the lab runs as a script (matplotlib without a screen): every check in it must pass.

It writes docs/<lesson>/torch-compat.json (format: course/compat.py): per version, identical
or what differs, with the hash of the lesson's snippets and lab it checked, the date, the
Python and the torch build. The lesson's overview shows it, and stops naming a version as
soon as the lesson's snippets or lab change. Commit the reports; delete the .venv-drift-*
folders when done.

Exit status: 0 when every version reproduces every lesson; 1 when something differs or a
version could not be installed (the results of the others are still written); 2 on a bad
version.
"""

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.compat import (  # noqa: E402
    Check,
    merge,
    read_report,
    report_path,
    run_lab,
    sources_hash,
    write_report,
)
from course.console import SUFFIX  # noqa: E402
from course.lessons import Lesson, lessons  # noqa: E402
from course.project import TORCH_VERSION, ProjectError, compat_torch  # noqa: E402
from tools.drift import ensure_venv  # noqa: E402

PROBE = "import platform, torch; print(platform.python_version(), torch.__version__)"


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def check_snippets(python: str, folder: Path) -> tuple[int, int, list[dict], list[str]]:
    """Examples run, console sessions run, outputs that differ, and errors (an example that
    raised, a session whose command failed)."""
    refresh = [python, "tools/refresh_outputs.py", "--check", "--json", str(folder)]
    result = run(refresh, cwd=ROOT)
    try:
        files = json.loads(result.stdout)
    except ValueError:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
        return 0, 0, [], [f"the snippets could not be run: {' '.join(tail)}"]
    examples = sum(f["examples"] for f in files)
    sessions = sum(f["file"].endswith(SUFFIX) for f in files)
    differences, errors = [], []
    for f in files:
        name = (ROOT / f["file"]).resolve().relative_to(folder.resolve()).as_posix()
        for d in f["differences"]:
            differences.append({"file": name, "line": d["line"], "expected": d["expected"],
                                "got": d["got"]})  # fmt: skip
        errors.extend(f["refusals"])
    return examples, sessions, differences, errors


def check_lab(python: str, lesson: Lesson) -> tuple[bool, list[str]]:
    if lesson.lab is None:
        return False, []
    errors = run_lab(python, lesson)
    return not errors, errors


def check_lesson(python: str, lesson: Lesson, version: str, probe: list[str]) -> Check:
    """Everything `make compat` checks in one lesson, with `python`; probe is that Python's
    (version, torch.__version__)."""
    sources = sources_hash(lesson)
    examples, sessions, differences, errors = check_snippets(python, lesson.snippets)
    lab, lab_errors = check_lab(python, lesson)
    if sources_hash(lesson) != sources:
        sys.exit(f"snippets/{lesson.id}/ changed while it was being checked; run it again")
    return Check(
        torch=version,
        build=probe[1],
        python=probe[0],
        date=datetime.datetime.now(datetime.UTC).date().isoformat(),
        sources=sources,
        examples=examples,
        console_sessions=sessions,
        lab=lab,
        differences=differences,
        errors=errors + lab_errors,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="torch versions (default: compat-torch)")
    args = parser.parse_args(argv)
    for version in args.versions:
        if not TORCH_VERSION.match(version):
            parser.error(f"torch version {version!r} is not of the form X.Y.Z (e.g. 2.14.1)")
    try:
        versions = args.versions or compat_torch()
    except ProjectError as error:
        parser.error(str(error))
    everything = not args.versions
    status = 0
    results: dict[Lesson, dict[str, Check]] = {lesson: {} for lesson in lessons()}
    for version in versions:
        print(f"\n== torch {version} ==", flush=True)
        try:
            venv = ensure_venv(version, sys._base_executable)
        except SystemExit as error:
            print(f"torch {version} was not checked: {error}", flush=True)
            status = 1
            continue
        python = str(venv / "bin" / "python")
        probe = run([python, "-c", PROBE], check=True).stdout.split()
        for lesson, checks in results.items():
            check = check_lesson(python, lesson, version, probe)
            checks[version] = check
            lab = ", the lab passed" if check.lab else ""
            summary = "identical" if check.identical else (
                f"{len(check.differences)} output(s) differ, {len(check.errors)} error(s)"
            )  # fmt: skip
            print(f"{lesson}: {check.examples} examples, {check.console_sessions} console "
                  f"session(s){lab}: {summary}", flush=True)  # fmt: skip
            status = status or int(not check.identical)
    for lesson, checks in results.items():
        path = report_path(lesson)
        write_report(path, lesson, merge(read_report(path), checks, versions, everything))
        print(f"Wrote {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
