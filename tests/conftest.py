"""Fixtures shared by the tests: the site, built once per test session (also when pytest-xdist
runs the tests in two processes), a copy of the project to plant faults in, and `lesson`,
which runs a test once for every lesson of the course."""

import pytest
from filelock import FileLock

from course import ROOT
from course.build import build, copy_project, log_problems
from course.lessons import lessons


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id):
    """The whole site, built strictly from the project, once for every test that reads it; a
    build that prints a warning or a notice fails every one of them (course/build.py)."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # pytest-xdist: one folder for all workers
        shared = shared.parent
    site, failed = shared / "site", shared / "site.failed"
    with FileLock(str(shared / "site.lock")):
        if not site.is_dir() and not failed.exists():
            result = build(ROOT, site)
            if result.returncode != 0 or log_problems(result.stderr):
                failed.write_text(result.stderr)
    if failed.exists():
        pytest.fail(f"the strict build failed:\n{failed.read_text()}", pytrace=False)
    return site


@pytest.fixture
def project_copy(site, tmp_path):
    """A copy of the project to change and build; built after the real site, so that its
    labs come from the warm notebook cache instead of running again."""
    return copy_project(tmp_path)


@pytest.fixture(params=lessons(), ids=str)
def lesson(request):
    return request.param
