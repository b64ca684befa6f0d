"""What a reader sees speaks to the reader: every page ends with its Sources, and nothing on
the site, in a workbook or in a checker message speaks of the brief the lesson was written
from (a reader never saw it).

Each check takes the project folder, so it also runs on a freshly scaffolded lesson.
"""

import re
import subprocess
import sys
from pathlib import Path

from course import ROOT
from course.inventory import lab_files, pages
from tests.prose_numbers import HEADING, SOURCES_HEADING

BRIEF = re.compile(r"\bbriefs?\b", re.IGNORECASE)


def reader_files(root: Path) -> list[Path]:
    """Pages, snippets (labs included), workbooks and the lessons' checker modules."""
    found = pages(root)
    for folder in ("snippets", "workbooks"):
        found += [
            p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    found += sorted((root / "checker" / "lessons").glob("*.py"))
    return [p for p in found if p.suffix in {".md", ".py", ".pycon", ".console"}]


def mentions_of_a_brief(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}: {text.strip()}"
        for path in reader_files(root)
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if BRIEF.search(text)
    ]


def headings(path: Path) -> list[str]:
    """A page's level-2 headings in order (a lab's from its Markdown cells)."""
    lines = path.read_text().splitlines()
    if path.suffix == ".py":
        lines = [line[2:] for line in lines if line.startswith("# ")]
    in_fence, found = False, []
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (match := HEADING.match(line)) and len(match["level"]) == 2:
            found.append(line)
    return found


def pages_without_closing_sources(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: its last section is {(found or ['(none)'])[-1]!r}, "
        "not '## Sources'"
        for path in pages(root) + lab_files(root)
        if not (found := headings(path)) or not SOURCES_HEADING.match(found[-1])
    ]


def test_nothing_a_reader_sees_speaks_of_a_brief():
    found = mentions_of_a_brief(ROOT)
    assert not found, "\n".join(found)


def test_every_page_ends_with_its_sources():
    found = pages_without_closing_sources(ROOT)
    assert not found, "\n".join(found)


def test_the_checks_catch_a_brief_and_a_missing_sources_section(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "lesson").mkdir(parents=True)
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n## Sources\n\n- a paper\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Sources\n\n## More\n\ntext\n")
    (tmp_path / "snippets" / "lesson" / "lab.py").write_text(
        "# %% [markdown]\n# ## Sources\n#\n# The Brief says so.\n\n# %%\nx = 1  # briefly\n"
    )
    assert pages_without_closing_sources(tmp_path) == [
        "docs/other.md: its last section is '## More', not '## Sources'"
    ]
    assert mentions_of_a_brief(tmp_path) == ["snippets/lesson/lab.py:4: # The Brief says so."]


def test_a_scaffolded_lesson_passes_both_checks(tmp_path):
    from course.build import copy_project
    from course.lessons import next_free_number

    project = copy_project(tmp_path)
    lesson_id = next_free_number(project)
    command = [sys.executable, str(ROOT / "tools" / "new_lesson.py"), "--root", str(project)]
    result = subprocess.run([*command, lesson_id, "Scaffold"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert pages_without_closing_sources(project) == []
    assert mentions_of_a_brief(project) == []
