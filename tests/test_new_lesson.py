"""`make lesson` (tools/new_lesson.py) scaffolds a whole lesson that passes its tests at once.

One test scaffolds a lesson with an awkward title through `make lesson` into a full copy of
the project, then runs that lesson's whole suite there (COURSE_LESSON=<id>: its doc tests,
inventory, build, quiz, lab, notebooks, browser); the others check the
slug, the course nav and the refusals on small copies.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course import ROOT
from course.build import copy_project, copy_whole_project
from course.lessons import lessons, next_free_number
from tools.new_lesson import slugify

AWKWARD_TITLE = 'Café "déjà vu" `echo hi` $HOME it\'s | Эмбеддинги'
SCAFFOLD = [sys.executable, str(ROOT / "tools" / "new_lesson.py")]


def scaffold(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCAFFOLD, "--root", str(project), *args], capture_output=True, text=True
    )


def course_nav(project: Path) -> list:
    return yaml.safe_load((project / "docs" / ".nav.yml").read_text())["nav"]


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory, site):
    """A full copy of the project (tests included) with a lesson made by `make lesson`."""
    project = copy_whole_project(tmp_path_factory.mktemp("course") / "project")
    lesson_id = next_free_number(project)
    result = subprocess.run(
        [
            "make",
            "-s",
            "lesson",
            f"ID={lesson_id}",
            f"TITLE={AWKWARD_TITLE}",
            "READY=",
            f"BIN={Path(sys.executable).parent}",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (new,) = [lesson for lesson in lessons(project) if lesson.number == lesson_id]
    return new


def test_the_title_is_kept_exactly_and_the_slug_keeps_its_words(scaffolded):
    assert scaffolded.title == f"{scaffolded.number} {AWKWARD_TITLE}"
    overview = (scaffolded.docs / "index.md").read_text(encoding="utf-8")
    assert f"\n# {scaffolded.number} {AWKWARD_TITLE}\n" in overview
    assert scaffolded.id == f"{scaffolded.number}-cafe-deja-vu-echo-hi-home-its-эмбеддинги"


def test_it_makes_every_part_of_a_lesson(scaffolded):
    assert scaffolded.quiz and scaffolded.lab
    assert any(scaffolded.snippets.rglob("*.pycon"))
    for part in ("workbook.py", "solution.py", "checks.py"):
        assert (scaffolded.workbooks / part).is_file(), part
    assert len(scaffolded.pages) >= 3  # overview, a topic page, the quiz


@pytest.mark.long
def test_the_new_lessons_whole_suite_passes(scaffolded):
    project = scaffolded.root
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "tests",
            f"snippets/{scaffolded.id}",
            f"workbooks/{scaffolded.id}",
        ],
        cwd=project,
        env={**os.environ, "COURSE_LESSON": scaffolded.id},
        capture_output=True,
        text=True,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    passed = int(re.search(r"(\d+) passed", summary)[1])
    assert passed >= 30, f"only {passed} tests ran for the new lesson: {summary}"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Positional encodings", "positional-encodings"),
        ("Café crème brûlée", "cafe-creme-brulee"),
        ("Straße, Œuvre, Łódź, Ørsted", "strasse-oeuvre-lodz-orsted"),
        ("It's GPT-2's (small) model", "its-gpt-2s-small-model"),
        ("Эмбеддинги и токены", "эмбеддинги-и-токены"),
        ("注意力 机制", "注意力-机制"),
        ("  many   spaces\tand\ttabs ", "many-spaces-and-tabs"),
    ],
)
def test_slugs_keep_the_words(title, slug):
    assert slugify(title) == slug


def test_a_new_section_and_module_are_added_to_the_course_nav_in_order(project_copy):
    project = project_copy
    top = max(lesson.sort_key[0] for lesson in lessons(project))
    first = lessons(project)[0]
    module = first.sort_key[0]
    section = 1 + max(
        lesson.sort_key[1] for lesson in lessons(project) if lesson.sort_key[0] == module
    )
    original = [next(iter(e)) if isinstance(e, dict) else e for e in course_nav(project)]
    last_module = max(i for i, title in enumerate(original) if title.startswith("Module "))
    after_modules = original[last_module + 1 :]
    later = scaffold(project, f"{top + 2}.1.1", "Later", "--section", "S2", "--module", "M2")
    assert later.returncode == 0, later.stderr
    sooner = scaffold(project, f"{top + 1}.1.1", "Sooner", "--section", "S1", "--module", "M1")
    assert sooner.returncode == 0, sooner.stderr
    new_section = scaffold(project, f"{module}.{section}.1", "Tokens", "--section", "Tokenizers")
    assert new_section.returncode == 0, new_section.stderr
    titles = [
        next(iter(entry)) if isinstance(entry, dict) else entry for entry in course_nav(project)
    ]
    modules = [title for title in titles if title.startswith("Module ")]
    assert modules[-2:] == [f"Module {top + 1}: M1", f"Module {top + 2}: M2"]
    # What followed the modules (the Glossary) still follows them.
    assert titles[titles.index(modules[-1]) + 1 :] == after_modules
    (module_entry,) = [
        e
        for e in course_nav(project)
        if isinstance(e, dict) and f"Module {module}:" in next(iter(e))
    ]
    sections = [next(iter(s)) for s in next(iter(module_entry.values()))]
    assert sections[-1] == f"{module}.{section} Tokenizers"
    # A second lesson of an existing section needs no nav edit at all.
    before = (project / "docs" / ".nav.yml").read_text()
    again = scaffold(project, next_free_number(project, module, section), "More tokens")
    assert again.returncode == 0 and "docs/.nav.yml" not in again.stdout
    assert (project / "docs" / ".nav.yml").read_text() == before


def refusals(project: Path):
    """Requests the scaffold must refuse, whatever lessons the project has by then."""
    first = lessons(project)[0]
    module, section = first.sort_key[:2]
    top = max(lesson.sort_key[0] for lesson in lessons(project))
    free_section = 1 + max(
        lesson.sort_key[1] for lesson in lessons(project) if lesson.sort_key[0] == module
    )
    existing_section = next(
        next(iter(s))
        for m in course_nav(project)
        if isinstance(m, dict)
        for s in (next(iter(m.values())) if isinstance(next(iter(m.values())), list) else [])
        if isinstance(s, dict) and next(iter(s)).startswith(f"{module}.{section} ")
    )
    return [
        (["2.1", "Short id"], "lesson ID '2.1' is not of the form module.section.lesson"),
        (["2.1.02", "Zero"], "lesson ID '2.1.02' is not of the form module.section.lesson"),
        ([first.number, "Again"], f"lesson {first.number} exists already: docs/{first.id}"),
        (
            [next_free_number(project, module, section), " ?! "],
            "title '?!' has no letters or digits",
        ),
        (
            [f"{module}.{free_section}.1", "No section"],
            f"section {module}.{free_section} is not in docs/.nav.yml yet",
        ),
        ([f"{top + 1}.1.1", "No module"], f"module {top + 1} is not in docs/.nav.yml yet"),
        (
            [next_free_number(project, module, section), "Clash", "--section", "Another title"],
            f"section {module}.{section} already exists as {existing_section!r}",
        ),
    ]


@pytest.mark.parametrize("case", range(len(refusals(ROOT))))
def test_bad_requests_are_refused_and_change_nothing(tmp_path, case):
    project = copy_project(tmp_path)
    args, message = refusals(project)[case]
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = scaffold(project, *args)
    assert result.returncode == 2
    assert "new_lesson: refused, nothing changed: " + message in result.stderr, result.stderr
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert after == before


def test_make_lesson_without_id_or_title_says_how(tmp_path):
    result = subprocess.run(
        ["make", "-s", "lesson", "READY=", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and 'usage: make lesson ID=2.1.2 TITLE="..."' in result.stderr
