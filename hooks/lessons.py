"""The home page's list of lessons, made from the lessons themselves.

`{{ lessons }}` in a page becomes a table with one row per lesson: its module and section
(from docs/.nav.yml), its title (from its own .nav.yml) and the `description` in its
overview's front matter. A lesson folder that no section of the nav takes in, or whose
overview has no description, fails the build, naming the folder.
"""

import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Section

from course.lessons import lessons

PLACEHOLDER = re.compile(r"\{\{\s*lessons\s*\}\}")
_rows: list[tuple[str, str, str, str, str]] = []


def lesson_rows(nav) -> list[tuple[str, str, str, str, str]]:
    """(module, section, lesson title, lesson id, description) for every lesson, in nav order."""
    found = {}

    def walk(items, ancestors):
        for item in items:
            if isinstance(item, Section):
                walk(item.children, [*ancestors, item])
            elif getattr(item, "file", None) and item.file.src_uri.endswith("/index.md"):
                lesson_id = item.file.src_uri[: -len("/index.md")]
                if len(ancestors) >= 3 and ancestors[-1].title:
                    found.setdefault(lesson_id, [a.title for a in ancestors[-3:]])

    walk(nav.items, [])
    rows = []
    for lesson in lessons():
        if lesson.id not in found:
            raise PluginError(
                f"docs/{lesson.id}/ is in no section of docs/.nav.yml: add its section (with a "
                f'pattern such as "{lesson.number.rsplit(".", 1)[0]}.*-*") there'
            )
        description = lesson.meta.get("description")
        if not description:
            raise PluginError(
                f"docs/{lesson.id}/index.md: its front matter needs a `description:` (what a "
                "learner will be able to do), which the home page's lesson list shows"
            )
        module, section, title = found[lesson.id]
        rows.append((module, section, title, lesson.id, description))
    return sorted(rows, key=lambda row: list(found).index(row[3]))


def on_nav(nav, config, files, **kwargs):
    _rows[:] = lesson_rows(nav)
    return nav


def on_page_markdown(markdown, page, **kwargs):
    if not PLACEHOLDER.search(markdown):
        return markdown
    depth = page.file.src_uri.count("/")
    prefix = "../" * depth
    table = ["| module | section | lesson | what you will be able to do |", "|---|---|---|---|"]
    for module, section, title, lesson_id, description in _rows:
        cells = [module, section, f"[{title}]({prefix}{lesson_id}/index.md)", description]
        table.append(
            "| " + " | ".join(" ".join(c.replace("|", "\\|").split()) for c in cells) + " |"
        )
    return PLACEHOLDER.sub(lambda _: "\n".join(table), markdown)
