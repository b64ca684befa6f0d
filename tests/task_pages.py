"""The layout of a task on a lesson page: the task, then where it is in the workbook, then its
worked solution, collapsed, so that the page does not solve the workbook before it starts.

In a page's Markdown a task is an admonition of class `task`, and its solution a collapsed
block of class `solution`:

    !!! question task "Task 1: basic initialisation"
        ...

    In the workbook: `make_embedding` ...

    ??? example solution "Worked solution"
        ...

On the rendered page (the top-level elements of its content), the rules are:

1. every element of class `solution` is a <details> without `open` (so `!!!` and `???+` are
   refused);
2. a task, or a run of consecutive tasks, is followed by exactly a paragraph that names the
   workbook, then one solution, then a heading, another task or the end of the page: nothing
   of the answer stands open between a task and the next section.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

TASK, SOLUTION = "task", "solution"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
HEADING = re.compile(r"^h[1-6]$")


@dataclass
class Element:
    tag: str
    classes: set[str]
    open: bool
    text: str = ""
    children: list[str] = field(default_factory=list)  # tags of the elements inside

    def describe(self) -> str:
        title = re.sub(r"\s+", " ", self.text).strip()[:50]
        kind = ".".join([self.tag, *sorted(self.classes)])
        return f"<{kind}> {title!r}"


class TopLevel(HTMLParser):
    """The top-level elements of a page's content: inside Material's <article>, or of the
    whole text when it has none (Markdown rendered on its own)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._root = None if 'class="md-content__inner' in html else 0  # depth of the content
        self._depth = 0
        self._done = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if self._done:
            return
        if self._root is None:
            if tag == "article" and "md-content__inner" in classes:
                self._root = self._depth + 1
            if tag not in VOID:
                self._depth += 1
            return
        if self._depth == self._root:
            self.elements.append(Element(tag, classes, "open" in attrs))
        elif self._depth > self._root and self.elements:
            self.elements[-1].children.append(tag)
        if tag not in VOID:
            self._depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._depth -= 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self._depth -= 1
        if self._root is not None and self._depth < self._root:
            self._done = True  # left the article: nothing after it is content

    def handle_data(self, data):
        if not self._done and self._root is not None and self._depth > self._root and self.elements:
            self.elements[-1].text += data


def problems(html: str, where: str) -> list[str]:
    """What breaks the rules above on one page; [] when nothing does."""
    elements = [e for e in TopLevel(html).elements if e.tag not in ("script", "style")]
    found = []
    for element in elements:
        if SOLUTION in element.classes and (element.tag != "details" or element.open):
            state = "open" if element.tag == "details" else "not collapsible"
            found.append(
                f"{where}: a worked solution is {state}: {element.describe()}; write it as "
                f'a collapsed block, ??? example solution "Worked solution"'
            )
    for index, element in enumerate(elements):
        if TASK not in element.classes:
            continue
        following = elements[index + 1 :]
        if following and TASK in following[0].classes:
            continue  # a run of tasks shares its pointer and solution
        task = element.describe()
        pointer, solution, after = (following + [None, None, None])[:3]
        if pointer is None or pointer.tag != "p" or "workbook" not in pointer.text:
            got = pointer.describe() if pointer else "the end of the page"
            found.append(
                f"{where}: task {task} is followed by {got}, not by a paragraph that says "
                "where it is in the workbook"
            )
            continue
        if solution is None or SOLUTION not in solution.classes:
            got = solution.describe() if solution else "the end of the page"
            found.append(
                f"{where}: task {task} and its workbook pointer are followed by {got}, not by "
                "its worked solution in a collapsed block"
            )
            continue
        if after is not None and not (HEADING.match(after.tag) or TASK in after.classes):
            found.append(
                f"{where}: after the worked solution of task {task} comes {after.describe()}, "
                "outside the collapsed block; put it inside, or start a new section"
            )
    return found


def count_tasks(html: str) -> int:
    return sum(TASK in e.classes for e in TopLevel(html).elements)
