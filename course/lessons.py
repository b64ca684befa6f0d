"""Find the course's lessons: every docs/<id>/ whose name is `<m>.<s>.<l>-<slug>`.

A lesson's parts sit in three folders of the same name, docs/<id>/ (its pages, and its title
and page order in .nav.yml), snippets/<id>/ (its code, and its lab) and workbooks/<id>/ (the
workbook, its solution and the checks that grade it). Nothing else names a lesson.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from course import ROOT
from course.config import load_yaml

LESSON_ID = re.compile(r"^(?P<number>[1-9]\d*\.[1-9]\d*\.[1-9]\d*)-(?P<slug>\S+)$")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Lesson:
    root: Path
    id: str

    @property
    def number(self) -> str:
        return LESSON_ID.match(self.id)["number"]

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.number.split("."))

    @property
    def docs(self) -> Path:
        return self.root / "docs" / self.id

    @property
    def snippets(self) -> Path:
        return self.root / "snippets" / self.id

    @property
    def pages(self) -> list[Path]:
        return sorted(self.docs.rglob("*.md"))

    @property
    def lab(self) -> Path | None:
        lab = self.snippets / "lab.py"
        return lab if lab.is_file() else None

    @property
    def quiz(self) -> Path | None:
        quiz = self.docs / "quiz.md"
        return quiz if quiz.is_file() else None

    @property
    def nav(self) -> dict:
        """docs/<id>/.nav.yml: the lesson's title and its pages in order."""
        path = self.docs / ".nav.yml"
        return load_yaml(path) if path.is_file() else {}

    @property
    def title(self) -> str:
        return self.nav.get("title") or self.id

    @property
    def meta(self) -> dict:
        """The overview page's front matter (its `description` goes on the home page)."""
        return front_matter(self.docs / "index.md")

    @property
    def workbooks(self) -> Path:
        return self.root / "workbooks" / self.id

    def __str__(self) -> str:
        return self.id


def front_matter(page: Path) -> dict:
    """A Markdown page's YAML front matter ({} when it has none)."""
    match = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
    return (yaml.safe_load(match["yaml"]) if match else None) or {}


def lessons(root: Path = ROOT) -> list[Lesson]:
    """Every lesson of the project at root, in course order (2.1.2 before 2.1.10)."""
    docs = root / "docs"
    found = [Lesson(root, d.name) for d in docs.iterdir() if d.is_dir() and LESSON_ID.match(d.name)]
    return sorted(found, key=lambda lesson: lesson.sort_key)


def lesson_of(path: Path, root: Path = ROOT) -> Lesson | None:
    """The lesson a file belongs to (under docs/, snippets/ or workbooks/), if any."""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    if len(parts) >= 2 and parts[0] in ("docs", "snippets", "workbooks"):
        if LESSON_ID.match(parts[1]):
            return Lesson(root, parts[1])
    return None


def next_free_number(
    root: Path = ROOT, module: int | None = None, section: int | None = None
) -> str:
    """The number of a new lesson at the end of a section (2.1.2 after 2.1.1); by default the
    section of the course's first lesson. The scaffold test and the benchmark use it."""
    found = lessons(root)
    if module is None:
        module, section, _ = found[0].sort_key
    taken = [lesson.sort_key[2] for lesson in found if lesson.sort_key[:2] == (module, section)]
    return f"{module}.{section}.{max(taken, default=0) + 1}"
