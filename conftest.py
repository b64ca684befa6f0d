from tests.suite import snippets

pytest_collect_file = snippets.pytest()
