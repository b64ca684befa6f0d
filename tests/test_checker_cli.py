"""The checker as a command: one exit status per outcome, the same for `python -m checker` and
checker.pyz (make reports it in its last line); a documented JSON schema; clear words when the
command is wrong, when torch is missing from the Python that runs it, or when that Python is
too old; torch found through PYTHONPATH; "read:" hints that are links.
"""

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from checker import EXIT_CANNOT_RUN, EXIT_FAIL, EXIT_PASS, EXIT_USAGE, MIN_PYTHON
from checker.quiz_source import LOCAL_SITE
from checker.report import TASK_KEYS
from course import ROOT
from tests.checker_runs import (
    LESSON_IDS,
    build_pyz,
    empty_workbook,
    environment,
    machinery_lessons,
    make_check,
    make_check_run,
    run_all,
    shared_run,
    solution,
    solution_run,
    start,
    workbook_run,
)

LESSON = machinery_lessons()[0]
TOP_KEYS = [
    "schema_version",
    "outcome",
    "error",
    "lesson",
    "workbook",
    "python",
    "torch",
    "load_problems",
    "load_output",
    "notes",
    "tasks",
    "score",
]
SITE = "https://course.example.org/llm/"


def pinned_torch() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    return next(d for d in dependencies if d.startswith("torch=="))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    (folder / "pass.py").write_text(solution(LESSON))
    (folder / "fail.py").write_text(empty_workbook(LESSON))  # nothing done yet: it fails
    build_pyz(folder)
    (folder / "site").mkdir()
    build_pyz(folder / "site", site_url=SITE)
    return folder


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    """A Python without torch: a fresh virtual environment of the interpreter running the tests."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    assert subprocess.run([python, "-c", "import torch"], capture_output=True).returncode != 0
    return python


@pytest.fixture(scope="module")
def runs(folder, bare_python, tmp_path_factory):
    """Every run that imports torch, at once: {name: CompletedProcess}. (Those of the module
    and of `make check` on the solution and the empty workbook are also other files' runs.)"""
    pyz = [sys.executable, str(folder / "checker.pyz")]
    site_packages = sysconfig.get_paths()["purelib"]  # where this test run's torch lives
    started = {
        "module pass": solution_run(tmp_path_factory, LESSON),
        "module fail": workbook_run(tmp_path_factory, LESSON),
        "pyz pass": start(folder / "pass.py", "--json", command=pyz, env=environment()),
        "pyz fail": start(folder / "fail.py", command=pyz),
        "pyz with site_url": start(
            folder / "fail.py", command=[sys.executable, str(folder / "site/checker.pyz")]
        ),
        "torch on PYTHONPATH, module": start(
            folder / "pass.py",
            "--json",
            command=[str(bare_python), "-m", "checker"],
            env=environment(PYTHONPATH=f"{ROOT}:{site_packages}"),
        ),
        "torch on PYTHONPATH, pyz": start(
            folder / "pass.py",
            "--json",
            command=[str(bare_python), str(folder / "checker.pyz")],
            env=environment(PYTHONPATH=site_packages),
        ),
    }
    started["make pass"] = shared_run(
        tmp_path_factory, solution(LESSON), name="solution.py", make=True
    )
    started["make fail"] = make_check_run(tmp_path_factory, LESSON)
    return run_all(started)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("module pass", EXIT_PASS),
        ("module fail", EXIT_FAIL),
        ("pyz pass", EXIT_PASS),
        ("pyz fail", EXIT_FAIL),
        ("torch on PYTHONPATH, module", EXIT_PASS),
        ("torch on PYTHONPATH, pyz", EXIT_PASS),
    ],
)
def test_pass_and_fail_have_their_own_exit_status(runs, name, status):
    assert runs[name].returncode == status, runs[name].stderr
    assert runs[name].stderr == ""


def test_make_reports_the_checkers_status_in_its_last_line(runs):
    """GNU make itself exits 0 or 2; its error line carries the checker's own status."""
    assert runs["make pass"].returncode == 0
    assert runs["make fail"].returncode == 2
    assert re.search(rf"check\] Error {EXIT_FAIL}$", runs["make fail"].stderr.strip())


def test_the_json_report_has_a_version_and_the_same_keys_everywhere(runs):
    for name in ("module pass", "module fail", "pyz pass", "torch on PYTHONPATH, pyz"):
        report = json.loads(runs[name].stdout)
        assert list(report) == TOP_KEYS and report["schema_version"] == 1
        assert report["outcome"] == ("fail" if "fail" in name else "pass")
        for task in report["tasks"]:
            assert list(task) == list(TASK_KEYS), task
            assert isinstance(task["graded"], bool) and task["hint"].startswith("http")


def test_the_readme_documents_every_key_of_the_json_report():
    readme = (ROOT / "README.md").read_text()
    missing = [key for key in TOP_KEYS + list(TASK_KEYS) if f"`{key}`" not in readme]
    assert not missing, f"README.md does not document {missing}"


def test_read_hints_are_links_to_the_local_site_or_the_configured_one(runs):
    local = re.findall(r"read:\s+(\S+)", runs["pyz fail"].stdout)
    hosted = re.findall(r"read:\s+(\S+)", runs["pyz with site_url"].stdout)
    assert local and all(link.startswith(f"{LOCAL_SITE}{LESSON}/") for link in local)
    assert hosted and all(link.startswith(f"{SITE}{LESSON}/") for link in hosted)


def usage(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "checker", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment(),
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope.py"], "no workbook at nope.py"),
        (["pass.py", "--quiz", "missing-quiz.md"], "--quiz missing-quiz.md: cannot read it"),
        (["pass.py", "--time-limit", "nan"], "must be a positive number"),
        (["pass.py", "--time-limit", "inf"], "must be a positive number"),
        (["pass.py", "--time-limit", "0"], "must be a positive number"),
        (["pass.py", "--total-time", "-5"], "must be a positive number"),
        (["pass.py", "--memory-limit", "0"], "must be a positive number"),
        (["pass.py", "--memory-limit", "lots"], "not a number"),
        (["pass.py", "--lesson", "9.9.9-nothing"], "invalid choice"),
    ],
)
def test_a_wrong_command_is_a_usage_error(folder, args, words):
    result = usage(*args, cwd=folder)
    assert result.returncode == EXIT_USAGE, result
    assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""


def test_make_check_without_a_workbook_is_a_usage_error():
    result = subprocess.run(make_check(None), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "usage: make check WORKBOOK=" in result.stdout
    assert re.search(rf"check\] Error {EXIT_USAGE}$", result.stderr.strip())


def test_help_lists_every_exit_status_and_says_it_is_a_self_check():
    text = usage("--help").stdout
    for status in (EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_CANNOT_RUN):
        assert re.search(rf"^  {status} ", text, re.M), text
    assert "self-check" in text and "128+N" in text


@pytest.mark.parametrize("entry", ["module", "pyz"])
def test_no_torch_is_said_once_with_the_pinned_cpu_install(folder, bare_python, entry):
    command = [str(bare_python), "-m", "checker"]
    if entry == "pyz":
        command = [str(bare_python), str(folder / "checker.pyz")]
    env = environment(PYTHONPATH=str(ROOT)) if entry == "module" else environment(PYTHONPATH="")
    result = subprocess.run(
        [*command, str(folder / "pass.py"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )
    assert result.returncode == EXIT_CANNOT_RUN, result
    assert result.stderr.count("torch is not installed") == 1, result.stderr
    assert f"torch is not installed for {bare_python}" in result.stderr
    install = f"-m pip install {pinned_torch()} --index-url https://download.pytorch.org/whl/cpu"
    assert install in result.stderr and "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert list(report) == TOP_KEYS and report["outcome"] == "cannot-run"
    assert "torch is not installed" in report["error"] and report["tasks"] == []


def older_pythons() -> list[str]:
    """Interpreters older than the checker supports that this machine has (pyenv or PATH)."""
    found = {shutil.which(f"python{v}") for v in ("2", "2.7", "3.6", "3.7", "3.8", "3.9", "3.10")}
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        found |= {str(p) for p in Path(root, "versions").glob("*/bin/python")}
    old = []
    for python in sorted(p for p in found if p):
        version = subprocess.run(
            [python, "-c", "import sys; sys.stdout.write('%d %d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        ).stdout.split()
        if len(version) == 2 and tuple(map(int, version)) < MIN_PYTHON:
            old.append(python)
    return old


def test_an_older_python_gets_a_sentence_not_a_traceback(folder):
    pythons = older_pythons()
    if not pythons:
        pytest.skip(f"no Python older than {MIN_PYTHON} on this machine to try")
    for python in pythons:
        for command in ([python, "-m", "checker"], [python, str(folder / "checker.pyz")]):
            result = subprocess.run(
                [*command, str(folder / "pass.py")],
                capture_output=True,
                text=True,
                env=environment(),
                cwd=folder,
            )
            assert result.returncode == EXIT_CANNOT_RUN, (command, result)
            assert result.stderr.startswith("cannot run: the checker needs Python 3.11 or newer")
            assert result.stderr.count("\n") == 1, (command, result.stderr)


def test_a_quiz_file_without_a_quiz_is_a_usage_error(folder):
    result = usage("pass.py", "--quiz", "fail.py", cwd=folder)
    assert result.returncode == EXIT_USAGE and "no machine-readable quiz" in result.stderr


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_docs_say_plainly_it_is_a_self_check(lesson_id):
    """The workbook's code runs where it is graded: no page may offer the result as proof."""
    overview = (ROOT / "docs" / lesson_id / "index.md").read_text()
    section = overview.partition("## Check your work")[2].partition("\n## ")[0]
    assert "self-check" in section, f"docs/{lesson_id}/index.md, Check your work"
    readme = (ROOT / "README.md").read_text()
    assert "self-check" in readme.partition("## The workbook checker")[2]
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        assert "course platform" not in page.read_text(), page
