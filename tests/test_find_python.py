"""make picks a Python this course supports (tools/find_python.sh), or says what to install.

Each test puts fake interpreters on a PATH of their own: small scripts that answer the probe
as a given Python would, so every case runs on any machine in milliseconds.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import ROOT
from course.project import doctest_packages, supported_pythons

SCRIPT = ROOT / "tools" / "find_python.sh"
LOW, HIGH = supported_pythons()[0], supported_pythons()[-1]
TOO_OLD = f"3.{int(LOW.split('.')[1]) - 1}"


def fake_python(folder: Path, name: str, version: str, venv: bool = True) -> Path:
    """An interpreter that answers tools/find_python.sh's probe like Python `version`."""
    minor = ".".join(version.split(".")[:2])
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{minor} {version} {'venv' if venv else 'novenv'}'\n")
    path.chmod(0o755)
    return path


def find(tmp_path: Path, pythons: dict[str, tuple[str, bool]], *args: str):
    """Run the script with only these interpreters (and the tools it needs) on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("sed", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for name, (version, venv) in pythons.items():
        fake_python(bin_dir, name, version, venv)
    env = {**os.environ, "PATH": str(bin_dir)}
    return subprocess.run(["/bin/sh", str(SCRIPT), *args], capture_output=True, text=True, env=env)


def test_a_supported_python3_is_used_silently(tmp_path):
    result = find(tmp_path, {"python3": (f"{LOW}.2", True), f"python{HIGH}": (f"{HIGH}.0", True)})
    assert (result.returncode, result.stdout, result.stderr) == (0, "python3\n", "")


def test_an_unsupported_python3_gives_way_to_the_newest_supported_one(tmp_path):
    pythons = {
        "python3": (f"{TOO_OLD}.12", True),
        f"python{LOW}": (f"{LOW}.0", True),
        f"python{HIGH}": (f"{HIGH}.1", True),
    }
    result = find(tmp_path, pythons)
    assert result.returncode == 0 and result.stdout == f"python{HIGH}\n"
    assert f"python3 is Python {TOO_OLD}.12, which this course does not support" in result.stderr
    assert f"using python{HIGH} (Python {HIGH}.1)" in result.stderr


def test_without_a_supported_python_it_says_what_to_install(tmp_path):
    result = find(tmp_path, {"python3": (f"{TOO_OLD}.12", True)})
    assert result.returncode == 1 and result.stdout == ""
    assert f"No Python that this course supports (Python {LOW} to {HIGH}) was found" in (
        result.stderr
    )
    assert f"python3 is Python {TOO_OLD}.12" in result.stderr
    assert "sudo apt install python3 python3-venv" in result.stderr
    assert f"make test PYTHON=/path/to/python{HIGH}" in result.stderr


def test_no_python_at_all_is_said_too(tmp_path):
    result = find(tmp_path, {})
    assert result.returncode == 1
    assert "was found: python3 was not found." in result.stderr


def test_a_python_without_venv_names_the_debian_package(tmp_path):
    result = find(tmp_path, {"python3": (f"{LOW}.2", False)})
    assert result.returncode == 1
    assert f"python3 is Python {LOW}.2, but it cannot create a virtual environment" in (
        result.stderr
    )
    assert f"sudo apt install python{LOW}-venv" in result.stderr


def test_a_python_without_venv_gives_way_to_one_with_it(tmp_path):
    result = find(tmp_path, {"python3": (f"{LOW}.2", False), f"python{HIGH}": (f"{HIGH}.0", True)})
    assert result.returncode == 0 and result.stdout == f"python{HIGH}\n"
    assert "python3 (Python" in result.stderr and "cannot create a virtual environment" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("version", "venv", "message"),
    [
        (f"{TOO_OLD}.12", True, f"is Python {TOO_OLD}.12; this course supports Python {LOW}"),
        (f"{HIGH}.0", False, "cannot create a virtual environment"),
    ],
)
def test_a_python_asked_for_is_checked_too(tmp_path, version, venv, message):
    python = fake_python(tmp_path, "asked", version, venv)
    result = find(tmp_path, {"python3": (f"{LOW}.2", True)}, str(python))
    assert result.returncode == 1 and result.stdout == ""
    assert message in result.stderr


def test_a_python_asked_for_that_does_not_run_is_named(tmp_path):
    result = find(tmp_path, {}, "python3.99")
    assert result.returncode == 1
    assert "PYTHON=python3.99 does not run" in result.stderr


def test_a_supported_python_asked_for_is_used(tmp_path):
    python = fake_python(tmp_path, "asked", f"{HIGH}.0")
    result = find(tmp_path, {}, str(python))
    assert (result.returncode, result.stdout) == (0, f"{python}\n")


def test_the_range_comes_from_requires_python(tmp_path):
    """The script and tools/lock.py read the same line of pyproject.toml."""
    (tmp_path / "tools").mkdir()
    shutil.copy(SCRIPT, tmp_path / "tools")
    pyproject = (ROOT / "pyproject.toml").read_text()
    (tmp_path / "pyproject.toml").write_text(
        pyproject.replace(f'requires-python = ">={LOW},', 'requires-python = ">=3.1,', 1)
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sed", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    fake_python(bin_dir, "python3", "3.1.5")
    result = subprocess.run(
        ["/bin/sh", str(tmp_path / "tools" / "find_python.sh")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bin_dir)},
    )
    assert (result.returncode, result.stdout) == (0, "python3\n"), result.stderr
    assert supported_pythons(tmp_path / "pyproject.toml")[0] == "3.1"


def test_the_makefile_runs_this_script_for_its_environment():
    makefile = (ROOT / "Makefile").read_text()
    assert '@tools/venv.sh "$(VENV)" "$(PYTHON)"' in makefile
    assert "python=$(tools/find_python.sh" in (ROOT / "tools" / "venv.sh").read_text()


# tools/venv.sh: the environment make creates with the Python found -------------------------


def python_that_records_pip(tmp_path: Path, version: str | None = None) -> Path:
    """A base interpreter that is this Python, except that the environments it creates log
    their pip commands to <env>/pip.log instead of installing (and, with `version`, that it
    says it is another Python version)."""
    venv_python = (
        "#!/bin/sh\n"
        'if [ "$1 $2" = "-m pip" ]; then shift 2; echo "$@" >> "$(dirname "$0")/../pip.log"; '
        f'else exec {sys.executable} "$@"; fi\n'
    )
    pretend = f'if [ "$1" = -c ] && [ "$2" = "{VERSION_PROBE}" ]; then echo {version}; exit; fi\n'
    base = tmp_path / "base-python"
    base.write_text(
        "#!/bin/sh\n"
        + (pretend if version else "")
        + 'if [ "$1 $2 $3" = "-m venv --clear" ]; then rm -rf "$4"; mkdir -p "$4/bin"; '
        + f"cat > \"$4/bin/python\" <<'END'\n{venv_python}END\n"
        + 'chmod +x "$4/bin/python"; exit; fi\n'
        + f'exec {sys.executable} "$@"\n'
    )
    base.chmod(0o755)
    return base


VERSION_PROBE = "import sys; print(sys.version.split()[0])"  # as tools/venv.sh asks it


def venv_sh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/sh", str(ROOT / "tools" / "venv.sh"), *args], capture_output=True, text=True
    )


def test_the_environment_gets_the_project_pinned_by_the_lock(tmp_path):
    venv = tmp_path / "env"
    result = venv_sh(str(venv), str(python_that_records_pip(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert (venv / "pip.log").read_text() == (
        "install --quiet --disable-pip-version-check -c requirements.lock -e .[going-further]\n"
    )


def test_the_doctest_environment_gets_only_the_doctest_packages(tmp_path):
    venv = tmp_path / "env"
    result = venv_sh("--doctest", str(venv), str(python_that_records_pip(tmp_path)))
    assert result.returncode == 0, result.stderr
    packages = " ".join(doctest_packages())
    assert (venv / "pip.log").read_text() == (
        f"install --quiet --disable-pip-version-check -c requirements.lock {packages}\n"
    )
    assert f"Installing what the doc tests need into {venv}/" in result.stdout


def test_an_environment_of_another_python_version_is_recreated(tmp_path):
    venv = tmp_path / "env"
    assert venv_sh(str(venv), str(python_that_records_pip(tmp_path))).returncode == 0
    (venv / "left-by-the-old-python").touch()
    newer = python_that_records_pip(tmp_path, version=f"{HIGH}.9")
    result = venv_sh(str(venv), str(newer))
    assert result.returncode == 0, result.stderr
    assert f"Recreating {venv}/ with {newer} (Python {HIGH}.9; it held" in result.stdout
    assert not (venv / "left-by-the-old-python").exists(), "the old environment was kept"
    assert (venv / "pip.log").read_text().count("install") == 1


def test_an_unsupported_python_creates_no_environment(tmp_path):
    old = fake_python(tmp_path, "old-python", f"{TOO_OLD}.4")
    result = venv_sh(str(tmp_path / "env"), str(old))
    assert result.returncode == 1 and "this course supports" in result.stderr
    assert not (tmp_path / "env").exists()


@pytest.mark.parametrize(
    ("goal", "python", "venv"),
    [
        ("test", None, ".venv"),
        ("test", sys.executable, ".venv-{minor}"),
        ("doctest", None, ".venv-doctest"),
        ("doctest", sys.executable, ".venv-doctest-{minor}"),
    ],
)
def test_each_python_gets_an_environment_of_its_own(goal, python, venv):
    """`make test PYTHON=...` leaves .venv/ alone; the doc tests' small one is apart too."""
    venv = venv.format(minor=f"{sys.version_info[0]}.{sys.version_info[1]}")
    given = [f"PYTHON={python}"] if python else []
    # -n: print the commands, run none; -B: as if nothing were up to date. Not the make that
    # may be running these tests: it passes on its own PYTHON=, in MAKEFLAGS and the environment.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "PYTHON")}
    result = subprocess.run(
        ["make", "-n", "-B", goal, *given], cwd=ROOT, capture_output=True, text=True, env=env
    )
    lines = result.stdout.splitlines()
    doctest = "--doctest " if goal == "doctest" else ""
    assert lines[0] == f'tools/venv.sh {doctest}"{venv}" "{python or ""}"', result.stdout
    assert lines[-1].startswith(f"{venv}/bin/python -m pytest"), result.stdout
