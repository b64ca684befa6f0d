"""What pyproject.toml tells the tools (course/project.py), and that `make doctest`'s small
environment holds everything the snippets import."""

import ast
import doctest
import sys
from importlib.metadata import packages_distributions

import pytest
import yaml

from course import ROOT, SNIPPETS_DIR
from course.project import (
    ProjectError,
    compat_torch,
    doctest_packages,
    normal,
    requirements,
    supported_pythons,
)

PYPROJECT = """
[project]
name = "x"
requires-python = ">=3.11,<3.15"
dependencies = ["torch==2.13.0", "sybil==10.1.0"]

[tool.course]
"""


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def snippet_imports() -> dict[str, set[str]]:
    """{file: top-level modules it imports} for every doc test: the sessions and the scripts
    they run. Not the labs: the build runs them (with matplotlib and IPython), not the doc
    tests."""
    found = {}
    for path in sorted(SNIPPETS_DIR.rglob("*.pycon")):
        examples = doctest.DocTestParser().get_examples(path.read_text(), str(path))
        found[str(path)] = set().union(*(imported_modules(e.source) for e in examples))
    for path in sorted(SNIPPETS_DIR.rglob("*.py")):
        if path.name != "lab.py":
            found[str(path)] = imported_modules(path.read_text())
    return found


def test_the_doctest_environment_has_every_package_a_snippet_imports():
    allowed = {normal(name) for name in doctest_packages()}
    distributions = packages_distributions()
    imports = snippet_imports()
    assert any("torch" in modules for modules in imports.values()), "no snippet imports torch?"
    for path, modules in imports.items():
        for module in sorted(modules - set(sys.stdlib_module_names)):
            names = {normal(d) for d in distributions.get(module, [])}
            assert names & allowed, (
                f"{path} imports {module} (from {sorted(names) or 'no installed package'}), "
                f"which [tool.course] doctest-packages of pyproject.toml does not install"
            )


def test_every_doctest_package_is_a_pinned_requirement():
    required = {normal(r.split("==")[0]) for r in requirements()}
    assert {normal(name) for name in doctest_packages()} <= required


def test_a_doctest_package_the_project_does_not_require_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT + 'doctest-packages = ["torch", "Sybil", "numpy"]\n')
    with pytest.raises(ProjectError, match="doctest-packages names 'numpy', which is not a req"):
        doctest_packages(pyproject)
    pyproject.write_text(PYPROJECT)
    with pytest.raises(ProjectError, match="no \\[tool.course\\] doctest-packages list"):
        doctest_packages(pyproject)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "no \\[tool.course\\] compat-torch list"),
        ('"2.14.1"', "no \\[tool.course\\] compat-torch list"),
        ('["2.14.1", "2.14"]', "compat-torch has '2.14', not a version X.Y.Z"),
        ('["2.14.1+cpu"]', "compat-torch has '2.14.1\\+cpu', not a version X.Y.Z"),
    ],
)
def test_a_malformed_compat_torch_list_is_refused(tmp_path, value, message):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT + f"compat-torch = {value}\n")
    with pytest.raises(ProjectError, match=message):
        compat_torch(pyproject)


def test_the_compat_torch_versions_are_releases_other_than_the_pinned_one():
    pinned = next(r.split("==")[1] for r in requirements() if r.startswith("torch=="))
    assert pinned not in compat_torch(), "the pinned torch is what make test checks already"


def test_the_github_matrix_tests_the_oldest_and_the_newest_supported_python():
    """The "Verified with" box says the tests ran on these two ({{ tested_pythons }})."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    matrix = workflow["jobs"]["test-and-build"]["strategy"]["matrix"]["python"]
    pythons = supported_pythons()
    assert matrix == [pythons[0], pythons[-1]], f"pages.yml tests {matrix}, not {pythons}'s ends"
