"""Fixtures shared by the tests: the site, built once per test session."""

import pytest

from course import ROOT
from course.build import build


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built strictly from the project, once for every test that reads it."""
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, f"the strict build failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site
