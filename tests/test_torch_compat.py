"""Which torch versions reproduce a lesson: the report's hash, its text on the overview, and
the checks `make compat` runs (tools/compat.py) to write it.

The checks run here with this environment's own torch on small lessons written for the test
(id 9.9.9-...), one of which prints torch's version and so "differs" on purpose; installing a
second torch is `make compat`'s job, not the tests'.
"""

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from course import ROOT
from course.compat import (
    REPORT_NAME,
    Check,
    merge,
    read_report,
    render,
    report_path,
    sources_hash,
    write_report,
)
from course.lessons import Lesson
from hooks import versions
from tools.compat import check_lesson

TORCH = version("torch").split("+")[0]
STABLE = ">>> 6 * 7\n42\n"
VERSIONED = ">>> import torch\n>>> torch.__version__.split('+')[0]\n'0.0.1'\n"
LESSON = "9.9.9-test-lesson"


def a_lesson(root: Path, files: dict[str, str]) -> Lesson:
    lesson = Lesson(root, LESSON)
    lesson.docs.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (lesson.snippets / name).parent.mkdir(parents=True, exist_ok=True)
        (lesson.snippets / name).write_text(text)
    return lesson


def a_check(sources: str, **changes) -> Check:
    fields = dict(torch="2.14.1", build="2.14.1+cu130", python="3.11.7", date="2026-12-01",
                  sources=sources, examples=270, console_sessions=1, lab=True)  # fmt: skip
    return Check(**{**fields, **changes})


# The hash -------------------------------------------------------------------------------


def test_the_hash_follows_every_snippet_session_and_the_lab(tmp_path):
    lesson = a_lesson(tmp_path, {"page/01_a.pycon": STABLE, "lab.py": "x = 1\n"})
    folder = lesson.snippets
    before = sources_hash(lesson)
    assert before == sources_hash(lesson)
    (folder / "page/01_a.pycon").write_text(STABLE.replace("42", "43"))
    assert sources_hash(lesson) != before, "an edited snippet kept the hash"
    (folder / "page/01_a.pycon").write_text(STABLE)
    (folder / "lab.py").write_text("x = 2\n")
    assert sources_hash(lesson) != before, "an edited lab kept the hash"
    (folder / "lab.py").write_text("x = 1\n")
    assert sources_hash(lesson) == before
    (folder / "page/02_b.console").write_text("$ python b.py\n")
    assert sources_hash(lesson) != before, "a new console session kept the hash"
    (folder / "page/02_b.console").unlink()
    (folder / "page/01_a.pycon").rename(folder / "page/01_renamed.pycon")
    assert sources_hash(lesson) != before, "a renamed snippet kept the hash"


def test_the_hash_ignores_line_endings_bytecode_and_backups(tmp_path):
    lesson = a_lesson(tmp_path, {"page/01_a.pycon": STABLE, "page/a.py": "print(1)\n"})
    before = sources_hash(lesson)
    (lesson.snippets / "page/01_a.pycon").write_bytes(STABLE.replace("\n", "\r\n").encode())
    (lesson.snippets / "__pycache__").mkdir()
    (lesson.snippets / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (lesson.snippets / "page/01_a.pycon~").write_text("an editor's backup")
    assert sources_hash(lesson) == before
    (lesson.snippets / "page/a.py").write_text("print(2)\n")
    assert sources_hash(lesson) != before, "an edited script kept the hash"


# The text on the overview ---------------------------------------------------------------


def test_versions_checked_against_the_current_code_are_named():
    checks = {"2.12.1": a_check("now", torch="2.12.1"), "2.14.1": a_check("now")}
    text = render(checks, current="now")
    assert "torch **2.12.1** and **2.14.1** print every output of this lesson identically" in text
    assert "run its lab with every check passing" in text
    assert "checked on 2026-12-01, Python 3.11.7, CPU" in text
    assert "re-verified" not in text


def test_versions_checked_against_older_code_are_not_claimed():
    checks = {"2.12.1": a_check("before", torch="2.12.1"), "2.14.1": a_check("before")}
    text = render(checks, current="now")
    assert "print every output" not in text
    assert "torch 2.12.1 and 2.14.1 were checked against an earlier version of this lesson" in text
    assert "have not been re-verified since the last change" in text


def test_only_the_stale_version_loses_its_claim():
    checks = {"2.12.1": a_check("before", torch="2.12.1"), "2.14.1": a_check("now")}
    text = render(checks, current="now")
    assert "torch **2.14.1** prints every output" in text
    assert "torch 2.12.1 was checked against an earlier version" in text


def test_differences_are_listed_with_file_line_expected_and_got():
    diff = {"file": "padding/01_x.pycon", "line": 6, "expected": "tensor([0.1])", "got": "0.2"}
    checks = {"2.11.0": a_check("now", torch="2.11.0", differences=[diff], errors=["a <b> c"])}
    text = render(checks, current="now")
    assert '??? note "torch 2.11.0: 2 differences' in text
    assert "`padding/01_x.pycon`, line 6: the page shows" in text
    assert "    tensor([0.1])" in text and "torch 2.11.0 prints" in text and "    0.2" in text
    assert "a &lt;b&gt; c" in text, "an error message is not escaped"
    assert "identically" not in text


def test_a_lesson_never_checked_says_so():
    assert render({}, current="now").startswith(
        "No other torch version has been checked against this lesson yet"
    )


def test_the_report_round_trips_and_a_bad_one_is_named(tmp_path):
    lesson = a_lesson(tmp_path, {})
    path = report_path(lesson)
    assert path == tmp_path / "docs" / LESSON / REPORT_NAME
    checks = {"2.14.1": a_check("now"), "2.9.1": a_check("now", torch="2.9.1")}
    write_report(path, lesson, checks)
    assert list(json.loads(path.read_text())["versions"]) == ["2.9.1", "2.14.1"]
    assert read_report(path) == checks
    assert read_report(tmp_path / "none.json") == {}
    for bad in ('{"versions": {"2.14.1": {"torch": "2.14.1"}}}', "{", '{"versions": []}'):
        path.write_text(bad)
        with pytest.raises(ValueError, match=f"{re.escape(str(path))}: not a torch compat"):
            read_report(path)


def test_a_rerun_keeps_unchanged_results_and_drops_versions_no_longer_listed():
    old = {"2.12.1": a_check("now", torch="2.12.1"), "2.9.1": a_check("now", torch="2.9.1")}
    rerun = {"2.12.1": a_check("now", torch="2.12.1", date="2027-01-04")}
    assert merge(old, rerun, ["2.12.1"], everything=True) == {"2.12.1": old["2.12.1"]}
    changed = {"2.12.1": a_check("later", torch="2.12.1", date="2027-01-04")}
    assert merge(old, changed, ["2.12.1"], everything=True) == changed
    one = merge(old, changed, ["2.12.1"], everything=False)
    assert one == {**changed, "2.9.1": old["2.9.1"]}, "`make compat TORCH=...` dropped a version"
    failed = merge(old, {}, ["2.12.1", "2.9.1"], everything=True)
    assert failed == old, "a version that could not be installed lost its last result"


# The hook (hooks/versions.py) -------------------------------------------------------------

BOX = '!!! info "Verified with"\n    With torch {{ torch_version }}.\n\n    {{ torch_compat }}\n'


def overview_markdown(project: Path, page: str = f"{LESSON}/index.md", text: str = BOX) -> str:
    config = {"config_file_path": str(project / "mkdocs.yml"), "docs_dir": str(project / "docs")}
    return versions.substitute_placeholders(text, page, config)


def a_project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    lesson = a_lesson(tmp_path, {"page/01_a.pycon": STABLE})
    checks = {
        "2.14.1": a_check(sources_hash(lesson), lab=False),
        "2.9.1": a_check("an older lesson", torch="2.9.1"),
    }
    write_report(report_path(lesson), lesson, checks)
    return tmp_path


def test_the_overview_names_the_versions_while_the_code_is_unchanged(tmp_path):
    markdown = overview_markdown(a_project(tmp_path))
    assert f"With torch {TORCH}." in markdown
    assert "    Other versions: torch **2.14.1** prints every output of this lesson" in markdown
    # A second paragraph stays inside the box: indented like the placeholder.
    assert "\n\n    torch 2.9.1 was checked against an earlier version" in markdown


def test_the_overview_withdraws_the_claim_once_a_snippet_changes(tmp_path):
    project = a_project(tmp_path)
    (project / "snippets" / LESSON / "page/01_a.pycon").write_text(STABLE + ">>> 1\n1\n")
    markdown = overview_markdown(project)
    assert "prints every output" not in markdown
    assert "    torch 2.9.1 and 2.14.1 were checked against an earlier version" in markdown
    assert "not been re-verified since the last change" in markdown


def test_a_broken_report_fails_the_build_naming_the_page(tmp_path):
    project = a_project(tmp_path)
    (project / "docs" / LESSON / REPORT_NAME).write_text("{")
    with pytest.raises(PluginError, match=f"{LESSON}/index.md: .*{REPORT_NAME}: not a torch"):
        overview_markdown(project)


def test_the_report_placeholder_outside_a_lesson_is_refused(tmp_path):
    project = a_project(tmp_path)
    with pytest.raises(PluginError, match="index.md: {{ torch_compat }} belongs on a lesson's"):
        overview_markdown(project, page="index.md", text="{{ torch_compat }}")


def test_the_pythons_come_from_the_projects_requires_python(tmp_path):
    project = a_project(tmp_path)
    pyproject = project / "pyproject.toml"
    text = re.sub(
        r'requires-python = "[^"]*"', 'requires-python = ">=3.12,<3.16"', pyproject.read_text()
    )
    pyproject.write_text(text)
    markdown = overview_markdown(project, text="{{ supported_pythons }}; {{ tested_pythons }}")
    assert markdown == "3.12 to 3.15; 3.12 and 3.15"


# The checks behind a report (tools/compat.py) ---------------------------------------------


def test_a_lesson_that_reproduces_is_identical(tmp_path):
    lesson = a_lesson(tmp_path, {"page/01_a.pycon": STABLE, "lab.py": "assert 6 * 7 == 42\n"})
    check = check_lesson(sys.executable, lesson, TORCH, ["3.11.7", TORCH])
    assert check.identical, check
    assert (check.examples, check.console_sessions, check.lab) == (1, 0, True)
    assert check.sources == sources_hash(lesson)


def test_differing_outputs_a_failed_session_and_a_failed_lab_are_recorded(tmp_path):
    files = {
        "page/01_a.pycon": STABLE,
        "page/02_version.pycon": VERSIONED,
        "page/03_script.console": "$ python script.py\nhello\n",
        "page/script.py": "print('bye')\n",
        "page/04_broken.console": "$ python broken.py\nhello\n",
        "page/broken.py": "raise SystemExit(3)\n",
        "lab.py": "assert 6 * 7 == 41, 'the lab check failed'\n",
    }
    lesson = a_lesson(tmp_path, files)
    check = check_lesson(sys.executable, lesson, TORCH, ["3.11.7", TORCH])
    assert not check.identical
    assert (check.examples, check.console_sessions) == (3, 2)
    assert check.differences == [
        {
            "file": "page/02_version.pycon",
            "line": 2,
            "expected": "'0.0.1'\n",
            "got": f"'{TORCH}'\n",
        },
        {"file": "page/03_script.console", "line": 1, "expected": "hello\n", "got": "bye\n"},
    ]
    assert check.lab is False
    assert any("04_broken.console:1: `python broken.py` exited with 3" in e for e in check.errors)
    assert any(
        f"snippets/{LESSON}/lab.py: failed: AssertionError: the lab check failed" in e
        for e in check.errors
    )


def test_refresh_outputs_json_needs_check():
    """--check --json is how compat reads the differences (the test above goes through it)."""
    command = [sys.executable, str(ROOT / "tools" / "refresh_outputs.py"), "--json"]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2 and "--json goes with --check" in refused.stderr


def test_a_malformed_version_is_refused():
    command = [sys.executable, str(ROOT / "tools" / "compat.py"), "2.14"]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "torch version '2.14' is not of the form X.Y.Z" in refused.stderr
