"""`make lesson` (tools/new_lesson.py) scaffolds a lesson that passes every check at once.

Each test scaffolds into a temporary copy of the project, then runs on it the inventory
tests, the new snippet as a doc test, and the strict build.
"""

import inspect
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from course import ROOT
from course.build import build, copy_project
from course.config import TolerantLoader
from course.suite import make_sybil
from tests import test_inventory

SCAFFOLD = [sys.executable, str(ROOT / "tools" / "new_lesson.py")]
LESSON_FOLDER = re.compile(r"^(\d+)\.(\d+)\.(\d+)-")
INVENTORY_TESTS = [f for name, f in vars(test_inventory).items() if name.startswith("test_")]


def scaffold(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCAFFOLD, "--root", str(project), *args], capture_output=True, text=True
    )


def nav_labels(project: Path) -> list:
    """The nav as nested (label, children) pairs, pages as plain strings."""

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, dict):
            ((label, value),) = node.items()
            return (label, walk(value)) if isinstance(value, list) else label
        return node

    config = yaml.load((project / "mkdocs.yml").read_text(), Loader=TolerantLoader)
    return walk(config["nav"])


def tree(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def lesson_ids(project: Path) -> list[tuple[int, int, int]]:
    found = (LESSON_FOLDER.match(p.name) for p in (project / "docs").iterdir())
    return sorted(tuple(int(n) for n in m.groups()) for m in found if m)


def free_lesson(project: Path, module: int, section: int) -> int:
    return 1 + max((n for m, s, n in lesson_ids(project) if (m, s) == (module, section)), default=0)


def free_section(project: Path, module: int) -> int:
    return 1 + max((s for m, s, _ in lesson_ids(project) if m == module), default=0)


def free_module(project: Path) -> int:
    return 1 + max(m for m, _, _ in lesson_ids(project))


def section_lessons(project: Path, module: int, section: int) -> list[str]:
    """Labels of the lessons in section module.section of the nav, in nav order."""
    (module_children,) = [
        children
        for item in nav_labels(project)
        if isinstance(item, tuple)
        for label, children in [item]
        if label.startswith(f"Module {module}:")
    ]
    (lessons,) = [c for label, c in module_children if label.startswith(f"{module}.{section} ")]
    return [label for label, _ in lessons]


@dataclass
class Scaffolded:
    project: Path
    id: str
    folder: str  # <ID>-<slug>


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """A lesson scaffolded beside the first one (2.1.1), with the next free number."""
    project = copy_project(tmp_path_factory.mktemp("scaffold"))
    lesson_id = f"2.1.{free_lesson(project, 2, 1)}"
    result = scaffold(project, lesson_id, "Scaffold check")
    assert result.returncode == 0, result.stderr
    return Scaffolded(project, lesson_id, f"{lesson_id}-scaffold-check")


def test_it_creates_the_overview_and_a_first_snippet(lesson):
    overview = lesson.project / "docs" / lesson.folder / "index.md"
    include = f"{lesson.folder}/index/01_first_example.pycon"
    text = overview.read_text()
    assert text.startswith(f"# {lesson.id} Scaffold check\n")
    for heading in (
        "## Objectives",
        "## Prerequisites",
        "## How to run the code",
        '!!! info "Verified with"',
        "## The pages",
    ):
        assert heading in text, heading
    assert "{{ torch_version }}" in text
    assert f'--8<-- "{include}"' in text
    snippet = (lesson.project / "snippets" / include).read_text()
    assert snippet.startswith(">>> import torch\n>>> _ = torch.manual_seed(0)\n")


def test_the_nav_entry_comes_last_in_section_2_1(lesson):
    before = section_lessons(ROOT, 2, 1)
    assert before[0].startswith("2.1.1 ")
    assert section_lessons(lesson.project, 2, 1) == [*before, f"{lesson.id} Scaffold check"]


def test_only_the_nav_of_mkdocs_yml_changes(lesson):
    old, new = (ROOT / "mkdocs.yml").read_text(), (lesson.project / "mkdocs.yml").read_text()
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    assert added == [
        f'          - "{lesson.id} Scaffold check":',
        f"              - {lesson.folder}/index.md",
    ]
    assert new.replace("\n".join(added) + "\n", "") == old
    assert "!relative $config_dir/snippets" in new


@pytest.mark.parametrize("inventory_test", INVENTORY_TESTS, ids=lambda f: f.__name__)
def test_the_inventory_tests_pass_on_it(lesson, inventory_test):
    assert "root" in inspect.signature(inventory_test).parameters, (
        f"{inventory_test.__name__} must take `root` so that it can run on a scaffolded copy"
    )
    inventory_test(lesson.project)


def test_its_first_snippet_passes_as_a_doc_test(lesson):
    snippets = lesson.project / "snippets" / lesson.folder
    sybil = make_sybil(snippets)
    (path,) = snippets.rglob("*.pycon")
    document = sybil.parse(path)
    sybil.setup(document.namespace)
    examples = list(document)
    assert len(examples) == 4  # the comment line is no example
    for example in examples:
        example.evaluate()  # raises with doctest's report if an output differs


def test_the_strict_build_passes_and_shows_the_lesson(lesson, tmp_path):
    result = build(lesson.project, tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    page = (tmp_path / "site" / lesson.folder / "index.html").read_text()
    assert "torch.Size([2, 3])" in page and "{{" not in page
    first = (tmp_path / "site/2.1.1-embeddings-initialization/index.html").read_text()
    assert f"{lesson.folder}/" in first, f"{lesson.id} is missing from the nav"


def test_new_sections_and_modules_and_number_order(tmp_path):
    project = copy_project(tmp_path)
    section, module = free_section(project, 2), free_module(project)
    new_section = scaffold(project, f"2.{section}.1", "Tokenizers", "--section", "Tokens")
    assert new_section.returncode == 0, new_section.stderr
    new_module = scaffold(
        project, f"{module}.1.1", "Hi", "--section", "Basics", "--module", "Setup"
    )
    assert new_module.returncode == 0, new_module.stderr
    assert section_lessons(project, 2, section) == [f"2.{section}.1 Tokenizers"]
    assert section_lessons(project, module, 1) == [f"{module}.1.1 Hi"]
    modules = [item[0] for item in nav_labels(project) if isinstance(item, tuple)]
    assert modules[-1] == f"Module {module}: Setup" and len(modules) == len(set(modules))
    # Lessons go in number order inside their own section, not at the end of the nav:
    before, free = section_lessons(project, 2, 1), free_lesson(project, 2, 1)
    for number in (free + 1, free):
        assert scaffold(project, f"2.1.{number}", f"Lesson {number}").returncode == 0
    assert section_lessons(project, 2, 1) == [
        *before,
        f"2.1.{free} Lesson {free}",
        f"2.1.{free + 1} Lesson {free + 1}",
    ]
    result = build(project, tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr


def refusals(project: Path):
    """Requests the scaffold must refuse, whatever lessons the project has by then."""
    section, module = free_section(project, 2), free_module(project)
    return [
        (["2.1", "Short id"], "lesson ID '2.1' is not of the form module.section.lesson"),
        (["2.1.02", "Zero"], "lesson ID '2.1.02' is not of the form module.section.lesson"),
        (["2.1.x", "Letters"], "lesson ID '2.1.x' is not of the form"),
        (["2.1.1", "Another first lesson"], "lesson 2.1.1 exists already: docs/2.1.1-"),
        ([f"2.1.{free_lesson(project, 2, 1)}", "  "], "title '' has no letters or digits"),
        ([f"2.{section}.1", "No section"], f"section 2.{section} is not in mkdocs.yml's nav yet"),
        ([f"{module}.1.1", "No module"], f"module {module} is not in mkdocs.yml's nav yet"),
    ]


@pytest.mark.parametrize("case", range(len(refusals(ROOT))))
def test_bad_requests_are_refused_and_change_nothing(tmp_path, case):
    project = copy_project(tmp_path)
    args, message = refusals(project)[case]
    before = tree(project)
    result = scaffold(project, *args)
    assert result.returncode == 2
    assert "new_lesson: refused, nothing changed: " + message in result.stderr, result.stderr
    assert tree(project) == before
