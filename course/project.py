"""What pyproject.toml says about the project: its requirements, the Pythons it supports, what
the doc tests need, and the other torch releases `make compat` checks.

Standard library only: tools/venv.sh runs it with a bare Python, before anything is installed
(tools/find_python.sh reads the same requires-python line with sed).
"""

import re
import tomllib
from pathlib import Path

from course import ROOT

PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
EXTRAS = ("going-further",)  # the optional requirements `make` installs too
REQUIRES_PYTHON = re.compile(r"^>=3\.(\d+),<3\.(\d+)$")
TORCH_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class ProjectError(ValueError):
    """pyproject.toml lacks something the tools need; the message says what."""


def _project(pyproject: Path) -> dict:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))


def supported_pythons(pyproject: Path = PYPROJECT) -> list[str]:
    """The Python minor versions requires-python allows, lowest first: ['3.11', ...]."""
    spec = _project(pyproject)["project"]["requires-python"]
    match = REQUIRES_PYTHON.match(spec.replace(" ", ""))
    if not match:
        raise ProjectError(
            f"{pyproject.name}: requires-python {spec!r} is not of the form '>=3.A,<3.B'"
        )
    return [f"3.{minor}" for minor in range(int(match[1]), int(match[2]))]


def requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """Every requirement `make` installs: the dependencies and the extras of EXTRAS."""
    project = _project(pyproject)["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(req for name in EXTRAS for req in extras.get(name, []))]


def doctest_packages(pyproject: Path = PYPROJECT) -> list[str]:
    """[tool.course] doctest-packages: the distributions the doc tests need (`make doctest`),
    each one of the project's requirements, so that requirements.lock pins it."""
    names = _project(pyproject).get("tool", {}).get("course", {}).get("doctest-packages")
    if not isinstance(names, list) or not names:
        raise ProjectError(f"{pyproject.name}: no [tool.course] doctest-packages list")
    required = {requirement_name(req) for req in requirements(pyproject)}
    missing = [name for name in names if normal(name) not in required]
    if missing:
        raise ProjectError(
            f"{pyproject.name}: [tool.course] doctest-packages names {missing[0]!r}, which is "
            "not a requirement of the project (so requirements.lock may not pin it)"
        )
    return names


def compat_torch(pyproject: Path = PYPROJECT) -> list[str]:
    """[tool.course] compat-torch: the torch versions `make compat` checks each lesson with."""
    versions = _project(pyproject).get("tool", {}).get("course", {}).get("compat-torch")
    if not isinstance(versions, list) or not versions:
        raise ProjectError(f"{pyproject.name}: no [tool.course] compat-torch list of versions")
    bad = [v for v in versions if not isinstance(v, str) or not TORCH_VERSION.match(v)]
    if bad:
        raise ProjectError(
            f"{pyproject.name}: [tool.course] compat-torch has {bad[0]!r}, not a version X.Y.Z"
        )
    return versions


def requirement_name(requirement: str) -> str:
    """'torch==2.13.0' -> 'torch' (normalised)."""
    return normal(re.split(r"[=<>!~;\[ ]", requirement, maxsplit=1)[0])


def normal(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): Pygments == pygments."""
    return re.sub(r"[-_.]+", "-", name).lower()
