"""`make drift` (tools/drift.py) reports outputs that differ under another torch, writing nothing.

Installing a second torch takes minutes and gigabytes, so these tests point the tool at the
environment running them (`--venv`) and at a temporary folder of snippets, one of which
prints torch's version and so "drifts" on purpose.
"""

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from course import ROOT
from course.compat import run_lab
from course.lessons import Lesson, lessons
from course.project import normal
from tools.drift import LOCK, labs_under, other_pins, torch_requirements

DRIFT = [sys.executable, str(ROOT / "tools" / "drift.py")]
TORCH = version("torch").split("+")[0]
CONFTEST = f"""
import pathlib, sys
sys.path.insert(0, {str(ROOT)!r})
from course.suite import make_suite
pytest_collect_file = make_suite(pathlib.Path(__file__).parent).pytest()
"""
STABLE = ">>> 6 * 7\n42\n"
VERSIONED = ">>> import torch\n>>> torch.__version__.split('+')[0]\n'0.0.1'\n"


def drift(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DRIFT, *args], capture_output=True, text=True, cwd=ROOT)


def snippets(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_differing_output_is_reported_with_file_line_expected_and_got(tmp_path):
    folder = snippets(tmp_path, {"stable.pycon": STABLE, "versioned.pycon": VERSIONED})
    result = drift(TORCH, "--venv", sys.prefix, "--snippets", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "1 failed, 2 passed" in out  # the doc tests themselves (one per example)
    assert f"{folder}/versioned.pycon:2\n  expected:\n    | '0.0.1'\n  got:\n    | '{TORCH}'" in out
    assert "stable.pycon: unchanged" in out
    assert (folder / "versioned.pycon").read_text() == VERSIONED, "the check wrote a file"


def test_no_drift_says_so(tmp_path):
    folder = snippets(tmp_path, {"stable.pycon": STABLE})
    result = drift(TORCH, "--venv", sys.prefix, "--snippets", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"No drift: every output on the site is the same with torch {version('torch')}" in (
        result.stdout
    )


def test_an_environment_with_another_torch_is_refused():
    result = drift("9.9.9", "--venv", sys.prefix)
    assert result.returncode == 1
    assert f"has torch {version('torch')}, not 9.9.9; nothing was checked" in result.stderr


@pytest.mark.parametrize("bad", ["2.14", "latest", "2.14.1+cpu"])
def test_a_malformed_version_is_refused(bad):
    result = drift(bad)
    assert result.returncode == 2
    assert f"torch version {bad!r} is not of the form X.Y.Z" in result.stderr


def test_the_drift_environment_keeps_every_pin_but_torch_and_what_torch_needs():
    lock = [line for line in LOCK.read_text().splitlines() if line.strip()]
    kept = [line for line in other_pins().splitlines() if line.strip()]
    dropped = [line.split("==")[0] for line in lock if line not in kept]
    assert "torch" in dropped
    # Each torch build pins its CUDA libraries itself; pip picks the versions of torch's own
    # requirements (setuptools, sympy, ...) that the other torch accepts.
    build_pins = re.compile(r"^(nvidia-[\w.-]+|cuda-[\w.-]+|triton)$")
    own = torch_requirements()
    assert "setuptools" in own and "sympy" in own
    assert all(build_pins.match(name) or normal(name) in own for name in dropped if name != "torch")
    assert [line for line in kept if build_pins.match(line.split("==")[0])] == []
    assert [line for line in kept if normal(line.split("==")[0]) in own] == []
    assert any(line.startswith("numpy==") for line in kept)


def test_drift_runs_the_labs_of_the_lessons_it_checks_whole():
    with_labs = [lesson for lesson in lessons() if lesson.lab]
    assert labs_under(Path("snippets")) == with_labs
    for lesson in with_labs:
        assert labs_under(lesson.snippets.relative_to(ROOT)) == [lesson]
        page_folder = next(p for p in lesson.snippets.iterdir() if p.is_dir())
        assert labs_under(page_folder.relative_to(ROOT)) == []  # one page: not the lab


def test_a_failing_lab_check_is_reported_with_its_message(tmp_path):
    lesson = Lesson(tmp_path, "9.8.7-planted")
    lesson.snippets.mkdir(parents=True)
    (lesson.snippets / "lab.py").write_text("# %%\nassert 1 + 1 == 3, 'a planted lab check'\n")
    (error,) = run_lab(sys.executable, lesson)
    assert error.startswith("snippets/9.8.7-planted/lab.py: failed:") and "planted" in error
    (lesson.snippets / "lab.py").write_text("# %%\nassert 1 + 1 == 2\n")
    assert run_lab(sys.executable, lesson) == []
