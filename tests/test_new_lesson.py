"""`make lesson` (tools/new_lesson.py) scaffolds a lesson that passes every check at once.

Each test scaffolds into a temporary copy of the project, then runs on it the inventory
tests, the new snippet as a doc test, and the strict build.
"""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import test_inventory
from tests.suite import ROOT, make_sybil
from tests.test_build import build, copy_project
from tools.new_lesson import TolerantLoader

SCAFFOLD = [sys.executable, str(ROOT / "tools" / "new_lesson.py")]
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


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("scaffold"))
    result = scaffold(project, "2.1.2", "Positional encodings")
    assert result.returncode == 0, result.stderr
    return project


def test_it_creates_the_overview_and_a_first_snippet(lesson):
    overview = lesson / "docs/2.1.2-positional-encodings/index.md"
    snippet = lesson / "snippets/2.1.2-positional-encodings/index/01_first_example.pycon"
    text = overview.read_text()
    assert text.startswith("# 2.1.2 Positional encodings\n")
    for heading in (
        "## Objectives",
        "## Prerequisites",
        "## How to run the code",
        '!!! info "Verified with"',
        "## The pages",
    ):
        assert heading in text, heading
    assert "{{ torch_version }}" in text
    assert '--8<-- "2.1.2-positional-encodings/index/01_first_example.pycon"' in text
    assert snippet.read_text().startswith(">>> import torch\n>>> _ = torch.manual_seed(0)\n")


def test_the_nav_entry_sits_beside_2_1_1(lesson):
    module = dict(nav_labels(lesson)[1:])["Module 2: From tokens to vectors"]
    section = dict(module)["2.1 Embeddings"]
    assert [label for label, _ in section] == ["2.1.1 Initialization", "2.1.2 Positional encodings"]
    assert section[1][1] == ["2.1.2-positional-encodings/index.md"]


def test_only_the_nav_of_mkdocs_yml_changes(lesson):
    old, new = (ROOT / "mkdocs.yml").read_text(), (lesson / "mkdocs.yml").read_text()
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    assert new.replace("\n".join(added) + "\n", "") == old
    assert "!relative $config_dir/snippets" in new


@pytest.mark.parametrize("inventory_test", INVENTORY_TESTS, ids=lambda f: f.__name__)
def test_the_inventory_tests_pass_on_it(lesson, inventory_test):
    assert "root" in inspect.signature(inventory_test).parameters, (
        f"{inventory_test.__name__} must take `root` so that it can run on a scaffolded copy"
    )
    inventory_test(lesson)


def test_its_first_snippet_passes_as_a_doc_test(lesson):
    snippets = lesson / "snippets/2.1.2-positional-encodings"
    sybil = make_sybil(snippets)
    (path,) = snippets.rglob("*.pycon")
    document = sybil.parse(path)
    sybil.setup(document.namespace)
    examples = list(document)
    assert len(examples) == 4  # the comment line is no example
    for example in examples:
        example.evaluate()  # raises with doctest's report if an output differs


def test_the_strict_build_passes_and_shows_the_lesson(lesson, tmp_path):
    result = build(lesson, tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    page = (tmp_path / "site/2.1.2-positional-encodings/index.html").read_text()
    assert "torch.Size([2, 3])" in page and "{{" not in page
    previous = (tmp_path / "site/2.1.1-embeddings-initialization/index.html").read_text()
    assert "2.1.2-positional-encodings/" in previous, "2.1.2 is missing from the nav"


def test_a_new_section_and_a_new_module_get_their_own_nav_entries(tmp_path):
    project = copy_project(tmp_path)
    new_section = scaffold(project, "2.2.1", "Tokenizers", "--section", "Tokens")
    new_module = scaffold(project, "1.1.1", "Hello", "--section", "Basics", "--module", "Setup")
    assert new_section.returncode == 0 and new_module.returncode == 0, new_section.stderr
    nav = nav_labels(project)
    assert [item if isinstance(item, str) else item[0] for item in nav] == [
        "Home",
        "Module 1: Setup",
        "Module 2: From tokens to vectors",
    ]
    assert nav[1][1] == [("1.1 Basics", [("1.1.1 Hello", ["1.1.1-hello/index.md"])])]
    assert [label for label, _ in nav[2][1]] == ["2.1 Embeddings", "2.2 Tokens"]
    # Lessons go in number order inside their own section, not at the end of the nav:
    for lesson_id in ("2.1.3", "2.1.2"):
        assert scaffold(project, lesson_id, f"Lesson {lesson_id}").returncode == 0
    section = dict(dict(nav_labels(project)[1:])["Module 2: From tokens to vectors"])
    assert [label for label, _ in section["2.1 Embeddings"]] == [
        "2.1.1 Initialization",
        "2.1.2 Lesson 2.1.2",
        "2.1.3 Lesson 2.1.3",
    ]
    result = build(project, tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["2.1", "Short id"], "lesson ID '2.1' is not of the form module.section.lesson"),
        (["2.1.02", "Zero"], "lesson ID '2.1.02' is not of the form module.section.lesson"),
        (["2.1.x", "Letters"], "lesson ID '2.1.x' is not of the form"),
        (["2.1.1", "Another first lesson"], "lesson 2.1.1 exists already: docs/2.1.1-"),
        (["2.1.2", "  "], "title '' has no letters or digits"),
        (["2.3.1", "No section"], "section 2.3 is not in mkdocs.yml's nav yet; give its title"),
        (["4.1.1", "No module"], "module 4 is not in mkdocs.yml's nav yet; give its title"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(tmp_path, args, message):
    project = copy_project(tmp_path)
    before = tree(project)
    result = scaffold(project, *args)
    assert result.returncode == 2
    assert "new_lesson: refused, nothing changed: " + message in result.stderr, result.stderr
    assert tree(project) == before
