"""Replace version placeholders in pages with what this build and the project really have.

- {{ torch_version }}, {{ python_version }}: the versions installed. The site is built in
  the same environment that runs the doc tests, so the version a page names is the one its
  outputs were checked with; nobody types it by hand.
- {{ supported_pythons }} ("3.11 to 3.14") and {{ tested_pythons }} ("3.11 and 3.14", the
  lowest and the highest, which CI tests): from pyproject.toml's requires-python.
- {{ torch_compat }}: on a lesson's page, which other torch versions reproduce the lesson,
  from docs/<lesson>/torch-compat.json (`make compat`, course/compat.py), named only while
  the lesson's snippets and lab are those the report checked.
"""

import platform
import re
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError

from course.compat import ReportError, read_report, render, report_path, sources_hash
from course.lessons import lesson_of
from course.project import ProjectError, supported_pythons

INSTALLED = {
    "torch_version": version("torch").split("+")[0],
    "python_version": platform.python_version(),
}
PER_PAGE = {"torch_compat"}
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def project_values(config) -> dict[str, str]:
    """The values from the pyproject.toml beside the mkdocs.yml being built. Read on each call:
    hooks/downloads.py imports this module as a second copy, which no event reaches."""
    pyproject = Path(config["config_file_path"]).parent / "pyproject.toml"
    try:
        pythons = supported_pythons(pyproject)
    except (OSError, KeyError, ProjectError) as error:
        raise PluginError(f"hooks/versions.py: {pyproject}: {error}") from error
    return {
        **INSTALLED,
        "supported_pythons": f"{pythons[0]} to {pythons[-1]}",
        "tested_pythons": f"{pythons[0]} and {pythons[-1]}",
    }


def torch_compat(where: str, config) -> str:
    root = Path(config["config_file_path"]).parent
    lesson = lesson_of(Path(config["docs_dir"]) / where, root)
    if lesson is None:
        raise PluginError(
            f"{where}: {{{{ torch_compat }}}} belongs on a lesson's page (docs/<lesson>/...), "
            "whose torch compatibility report it shows"
        )
    try:
        checks = read_report(report_path(lesson))
    except ReportError as error:
        raise PluginError(f"{where}: {error}") from error
    return render(checks, sources_hash(lesson))


def substitute_placeholders(markdown: str, where: str, config) -> str:
    values = project_values(config)

    def substitute(match):
        name = match.group(1)
        if name in values:
            return values[name]
        if name in PER_PAGE:
            # A value of several lines keeps the indentation of the placeholder's line, so
            # that it stays inside an admonition.
            line = markdown[markdown.rfind("\n", 0, match.start()) + 1 :]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            lines = torch_compat(where, config).split("\n")
            return "\n".join([lines[0], *(indent + x if x else x for x in lines[1:])])
        raise PluginError(
            f"{where}: unknown placeholder {match.group(0)!r}; "
            f"known: {', '.join(sorted([*values, *PER_PAGE]))}"
        )

    return PLACEHOLDER.sub(substitute, markdown)


def on_page_markdown(markdown, page, config, **kwargs):
    return substitute_placeholders(markdown, page.file.src_path, config)
