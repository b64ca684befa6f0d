"""Each lesson's torch compatibility report: its format, the hash it rests on, its text.

`make compat` (tools/compat.py) runs a lesson's snippets, console sessions and lab under other
torch versions and writes docs/<lesson>/torch-compat.json. The report records, for each
version, a hash of the lesson's snippets and lab as they were when it was checked; the
lesson's overview shows the report (`{{ torch_compat }}`, hooks/versions.py), and names a
version as reproducing the lesson only while that hash still matches.
"""

import hashlib
import html
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from course.lessons import Lesson

REPORT_NAME = "torch-compat.json"
HASHED = {".pycon", ".console", ".py"}  # what runs: snippets, sessions, scripts, the lab


def report_path(lesson: Lesson) -> Path:
    return lesson.docs / REPORT_NAME


def sources_hash(lesson: Lesson) -> str:
    """sha256 of the files under snippets/<lesson>/ that run: snippets (.pycon), console
    sessions (.console), the scripts they run and the lab (.py).

    Each file counts with its path inside the folder; line endings are normalised, so a
    checkout with CRLF endings hashes the same; other files (bytecode, an editor's backup) do
    not count.
    """
    folder = lesson.snippets
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in HASHED)
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


@dataclass
class Check:
    """What one torch version did with one lesson."""

    torch: str  # the version asked for, e.g. "2.14.1"
    build: str  # torch.__version__ there, e.g. "2.14.1+cu130"
    python: str
    date: str  # YYYY-MM-DD
    sources: str  # sources_hash() when it ran
    examples: int  # doctest examples run
    console_sessions: int
    lab: bool  # the lesson has a lab, and it ran with every check passing
    differences: list[dict] = field(default_factory=list)  # file, line, expected, got
    errors: list[str] = field(default_factory=list)  # raised, failed sessions, a failed lab

    @property
    def identical(self) -> bool:
        return not self.differences and not self.errors


class ReportError(ValueError):
    pass


def read_report(path: Path) -> dict[str, Check]:
    """torch version -> Check, from a lesson's report; {} if there is none yet."""
    if not path.is_file():
        return {}
    try:
        versions = json.loads(path.read_text(encoding="utf-8"))["versions"]
        return {version: Check(**check) for version, check in versions.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"{path}: not a torch compatibility report ({error})") from error


def write_report(path: Path, lesson: Lesson, checks: dict[str, Check]) -> None:
    ordered = dict(sorted(checks.items(), key=lambda item: version_key(item[0])))
    report = {
        "lesson": lesson.id,
        "written_by": "make compat (tools/compat.py); shown by {{ torch_compat }}",
        "versions": {version: vars(check) for version, check in ordered.items()},
    }
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def merge(old: dict[str, Check], new: dict[str, Check], listed: list[str], everything: bool):
    """The report after a run: new results over old ones.

    A version that could not be installed keeps its last result (the page shows its date);
    after a run of every version (`everything`), one no longer `listed` leaves the report. A
    result the same as before but for the date keeps the old entry, so a scheduled run that
    finds nothing new changes no file: the date is when that result was first seen.
    """
    merged = {v: c for v, c in old.items() if not everything or v in listed}
    for version, check in new.items():
        previous = old.get(version)
        same = previous is not None and vars(previous) == {**vars(check), "date": previous.date}
        merged[version] = previous if same else check
    return merged


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def render(checks: dict[str, Check], current: str) -> str:
    """Markdown for the overview: which versions reproduce the lesson as it is now (`current`
    is its sources_hash)."""
    if not checks:
        return (
            "No other torch version has been checked against this lesson yet; another can "
            "print different random values or messages."
        )
    fresh = {v: c for v, c in checks.items() if c.sources == current}
    stale = sorted((v for v in checks if v not in fresh), key=version_key)
    same = sorted((v for v, c in fresh.items() if c.identical), key=version_key)
    differ = sorted((v for v, c in fresh.items() if not c.identical), key=version_key)
    parts = []
    if same:
        first = fresh[same[0]]
        lab = ", and run its lab with every check passing" if first.lab else ""
        versions = and_list([f"**{v}**" for v in same])
        verb = "prints" if len(same) == 1 else "print"
        parts.append(
            f"Other versions: torch {versions} {verb} every output of this lesson "
            f"identically{lab} (checked on {_dates(fresh, same)}, Python {first.python}, CPU)."
        )
    for version in differ:
        parts.append(_differences(version, fresh[version]))
    if stale:
        versions = and_list(stale)
        one = len(stale) == 1
        parts.append(
            f"torch {versions} {'was' if one else 'were'} checked against an earlier version of "
            f"this lesson ({_dates(checks, stale)}) and {'has' if one else 'have'} not been "
            "re-verified since the last change."
        )
    return "\n\n".join(parts)


def _dates(checks: dict[str, Check], versions: list[str]) -> str:
    return and_list(sorted({checks[v].date for v in versions}))


def _differences(version: str, check: Check) -> str:
    count = len(check.differences) + len(check.errors)
    lines = [
        f'??? note "torch {version}: {count} difference{"s" if count != 1 else ""} '
        f'(checked on {check.date}, Python {check.python}, CPU)"'
    ]
    for diff in check.differences:
        lines += ["", f"    `{diff['file']}`, line {diff['line']}: the page shows", ""]
        lines += _text_block(diff["expected"])
        lines += ["", f"    torch {version} prints", ""]
        lines += _text_block(diff["got"])
    for error in check.errors:
        lines += ["", f"    - {html.escape(error)}"]
    return "\n".join(lines)


def _text_block(text: str) -> list[str]:
    return ["    ````text", *(f"    {line}" for line in text.splitlines()), "    ````"]


LAB_TIMEOUT = 600  # seconds for one lab


def run_lab(python: str, lesson: Lesson) -> list[str]:
    """Run the lesson's lab as a script with `python` (matplotlib without a screen), as
    `make compat` and `make drift` do: what went wrong, or [] when every check in it passed."""
    if lesson.lab is None:
        return []
    where = lesson.lab.relative_to(lesson.root).as_posix()
    env = {**os.environ, "MPLBACKEND": "Agg"}
    try:
        result = subprocess.run(
            [python, lesson.lab.name],
            cwd=lesson.snippets,
            env=env,
            capture_output=True,
            text=True,
            timeout=LAB_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return [f"{where}: did not finish in {LAB_TIMEOUT} s"]
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return [f"{where}: failed: {last}"]
    return []

