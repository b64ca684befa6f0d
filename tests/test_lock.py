"""requirements.lock pins what pyproject.toml asks for, for every supported Python.

Re-resolving the lock needs the registry and minutes (`make lock`, tools/lock.py); these
checks read the files only, and fail when pyproject.toml changed without `make lock`.
"""

import re

import pytest

from course.project import LOCK, ProjectError, normal, requirements, supported_pythons

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][\w.-]*)==(?P<version>[^\s;]+)$")


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{LOCK.name}: {line!r} is not 'name==version'"
        name = normal(match["name"])
        assert name not in pins, f"{LOCK.name}: {name} is pinned twice"
        pins[name] = match["version"]
    return pins


def test_every_requirement_of_pyproject_is_locked_at_its_version():
    pins = lock_pins()
    for requirement in requirements():
        name, _, version = requirement.partition("==")
        assert normal(name) in pins, f"{name} is not in {LOCK.name}: run `make lock`"
        assert pins[normal(name)] == version, (
            f"pyproject.toml asks for {requirement}, {LOCK.name} has {pins[normal(name)]}: "
            "run `make lock`"
        )


def test_the_lock_was_resolved_for_every_supported_python():
    header = "".join(line for line in LOCK.read_text().splitlines() if line.startswith("#"))
    pythons = supported_pythons()
    assert f"Pythons {', '.join(pythons)} resolve to" in header, (
        f"{LOCK.name} was not written for Pythons {pythons}: run `make lock`"
    )


def test_the_lock_pins_torch_without_a_build_tag():
    assert "+" not in lock_pins()["torch"], "a local build tag (+cpu) only installs where it lies"


def test_a_requires_python_make_cannot_read_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nrequires-python = ">=3.11"\n')
    with pytest.raises(ProjectError, match="is not of the form '>=3.A,<3.B'"):
        supported_pythons(pyproject)
