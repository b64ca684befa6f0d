"""Fixtures shared by the test modules."""

import pytest

from tests.suite import ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as `mkdocs build --strict` writes it, built once per test run and read by
    every test that needs it (build, notebooks, workbooks, search index, browser)."""
    from tests.test_build import build

    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site
