"""Every task on a lesson page is followed by where it is in the workbook, then by its worked
solution, collapsed (tests/task_pages.py states the rules), on the site the run builds; and
the check refuses a solution left open, on planted pages and on each real task page."""

import re

import markdown
import nbformat
import pytest

from course import ROOT
from course.config import markdown_extensions
from course.lessons import lessons
from course.pages import url_path
from tests.task_pages import count_tasks, problems


def built(site, page) -> str:
    return (site / url_path(page) / "index.html").read_text()


def render(text: str) -> str:
    names, configs = markdown_extensions(ROOT)
    return markdown.markdown(text, extensions=names, extension_configs=configs)


def test_every_solution_is_collapsed_after_its_task(site, lesson):
    found = [
        problem
        for page in lesson.pages
        for problem in problems(built(site, page), str(page.relative_to(ROOT)))
    ]
    assert not found, "\n".join(found)


def test_the_check_sees_the_courses_tasks(site):
    """Not vacuous: the built pages have tasks (a renamed class would make it pass idly)."""
    tasks = sum(count_tasks(built(site, page)) for lesson in lessons() for page in lesson.pages)
    assert tasks >= 1, "no admonition of class 'task' on any lesson page"


TASK = '!!! question task "Task 1"\n    Do it.\n\n'
POINTER = "In the workbook: `do_it`.\n\n"
SOLUTION = '??? example solution "Worked solution"\n    The answer.\n\n'
GOOD = "# Page\n\n## A\n\n" + TASK + POINTER + SOLUTION + "## B\n\n" + TASK + TASK + POINTER
GOOD += SOLUTION

PLANTED = {
    "left open with !!!": GOOD.replace("??? example solution", "!!! example solution", 1),
    "expanded with ???+": GOOD.replace("??? example solution", "???+ example solution", 1),
    "written plainly after the task": "# P\n\n" + TASK + POINTER + "The answer: 42.\n",
    "no workbook pointer": "# P\n\n" + TASK + SOLUTION,
    "pointer after the solution": "# P\n\n" + TASK + SOLUTION + POINTER,
    "no solution": "# P\n\n" + TASK + POINTER,
    "answer prose after the solution": GOOD + "And the answer is 42.\n",
}


def test_a_well_formed_page_passes():
    assert count_tasks(render(GOOD)) == 3
    assert problems(render(GOOD), "good.md") == []


@pytest.mark.parametrize("fault", PLANTED)
def test_a_planted_fault_is_named(fault):
    found = problems(render(PLANTED[fault]), "planted.md")
    assert found and all(p.startswith("planted.md: ") for p in found), (fault, found)


TASK_PAGES = [
    page
    for lesson in lessons()
    for page in lesson.pages
    if "??? example solution" in page.read_text()
]


@pytest.mark.parametrize("page", TASK_PAGES, ids=[p.parent.name + "/" + p.name for p in TASK_PAGES])
def test_each_real_task_page_fails_with_a_solution_left_open(page):
    text = page.read_text()
    assert problems(render(text), page.name) == []
    for opened in ("???+ example solution", "!!! example solution"):
        found = problems(render(text.replace("??? example solution", opened, 1)), page.name)
        assert any("is open" in p or "not collapsible" in p for p in found), (opened, found)


COLLAPSED_OPENER = re.compile(r"^(?P<indent> *)\?\?\? ")
INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+\.pycon)"\s*$')


def collapsed_includes(markdown_text: str) -> list[str]:
    """The snippets a page includes inside a collapsed block (`??? ...`)."""
    found, inside = [], None  # inside: the indent of the open collapsed block's opener
    for line in markdown_text.splitlines():
        if inside is not None and line.strip() and len(line) - len(line.lstrip()) <= inside:
            inside = None
        if inside is None and (opener := COLLAPSED_OPENER.match(line)):
            inside = len(opener["indent"])
        elif inside is not None and (include := INCLUDE.match(line)):
            found.append(include["path"])
    return found


def test_the_lesson_notebook_keeps_collapsed_code_collapsed(site, lesson):
    """What the page keeps closed, a worked solution or a quiz's reasoning, the downloaded
    lesson notebook keeps closed too: those cells' code and outputs are hidden."""
    notebook = nbformat.read(
        site / lesson.id / "downloads" / f"{lesson.id}-code.ipynb", as_version=4
    )
    hidden = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    hidden_lines = {line for c in hidden for line in c.source.splitlines()}
    expected = [path for page in lesson.pages for path in collapsed_includes(page.read_text())]
    assert len(hidden) >= len(expected), f"{len(hidden)} hidden cells for {expected}"
    for path in expected:
        code = [
            line[4:]
            for line in (ROOT / "snippets" / path).read_text().splitlines()
            if line.startswith((">>> ", "... "))
        ]
        missing = [line for line in code if line not in hidden_lines]
        assert not missing, f"{path}: shown open in the lesson notebook: {missing[:3]}"
    assert all(c.metadata["jupyter"].get("outputs_hidden") for c in hidden)
