"""Scaffold a new lesson: overview page, first snippet and nav entry.

    python tools/new_lesson.py ID TITLE [--section TITLE] [--module TITLE] [--root DIR]
    make lesson ID=2.1.2 TITLE="Positional encodings"

ID is module.section.lesson (e.g. 2.1.2). This creates

    docs/<ID>-<slug>/index.md                          the overview page, standard sections
    snippets/<ID>-<slug>/index/01_first_example.pycon  a first snippet, included by it

and adds "<ID> <TITLE>" to the nav in mkdocs.yml, in number order among the lessons of
section <module>.<section> (beside 2.1.1 for 2.1.x). A section or module that is not in
the nav yet needs its title (--section, --module). mkdocs.yml is edited as text (it has a
!relative tag that a YAML round trip would lose) and the edit is checked by re-reading it.

It refuses, changing nothing, on a malformed ID, an empty title, or a lesson whose ID
already has a docs/ or snippets/ folder or a nav entry.
"""

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LESSON_ID = re.compile(r"^(?P<module>[1-9]\d*)\.(?P<section>[1-9]\d*)\.(?P<lesson>[1-9]\d*)$")
NAV_ITEM = re.compile(r"^(?P<indent> *)- (?P<body>.*)$")
MODULE_INDENT, SECTION_INDENT, LESSON_INDENT = 2, 6, 10


class Refused(Exception):
    """The lesson cannot be scaffolded; the message says why. Nothing was changed."""


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def parse_id(lesson_id: str) -> tuple[int, int, int]:
    match = LESSON_ID.match(lesson_id)
    if not match:
        raise Refused(
            f"lesson ID {lesson_id!r} is not of the form module.section.lesson, e.g. 2.1.2 "
            "(three positive whole numbers, no leading zeros)"
        )
    return int(match["module"]), int(match["section"]), int(match["lesson"])


# --- mkdocs.yml's nav, read and edited as lines -------------------------------------------


class TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for checking only: MkDocs' own tags (!relative, ...) become None."""


TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass
class NavItem:
    line: int  # index in the file's lines
    indent: int
    label: str  # the title, or the page path for a bare page


def nav_items(lines: list[str]) -> tuple[list[NavItem], int]:
    """The nav's items and the index of the line after the nav block."""
    try:
        start = lines.index("nav:") + 1
    except ValueError:
        raise Refused("mkdocs.yml has no top-level 'nav:' line") from None
    items, number = [], start
    while number < len(lines) and (not lines[number].strip() or lines[number][0] == " "):
        match = NAV_ITEM.match(lines[number])
        if match:
            body = yaml.safe_load(match["body"])
            label = next(iter(body)) if isinstance(body, dict) else str(body)
            items.append(NavItem(number, len(match["indent"]), str(label)))
        number += 1
    while number > start and not lines[number - 1].strip():
        number -= 1  # blank lines after the nav belong to no item
    return items, number


def numbered(items: list[NavItem], indent: int, pattern: str) -> list[tuple[int, NavItem]]:
    """Items at this indent whose label starts with a number matching pattern's group 1."""
    found = []
    for item in items:
        match = re.match(pattern, item.label)
        if item.indent == indent and match:
            found.append((int(match.group(1)), item))
    return found


def block_end(items: list[NavItem], item: NavItem, end: int) -> int:
    """The line after item and its children."""
    for other in items:
        if other.line > item.line and other.indent <= item.indent:
            return other.line
    return end


def quoted(label: str) -> str:
    return json.dumps(label, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def insert_nav(
    text: str, ids: tuple[int, int, int], title: str, page: str, section_title, module_title
) -> str:
    module, section, lesson = ids
    lines = text.split("\n")
    items, nav_end = nav_items(lines)
    label = f"{module}.{section}.{lesson} {title}"
    entry = [
        " " * LESSON_INDENT + f"- {quoted(label)}:",
        " " * (LESSON_INDENT + 4) + f"- {page}",
    ]
    modules = numbered(items, MODULE_INDENT, r"Module (\d+)\b")
    here = [item for number, item in modules if number == module]
    if not here:
        if not module_title:
            raise Refused(
                f"module {module} is not in mkdocs.yml's nav yet; give its title with "
                f'MODULE="..." (make) or --module "..."'
            )
        if not section_title:
            raise Refused(
                f'section {module}.{section} is new too; give its title with SECTION="..."'
            )
        later = [item for number, item in modules if number > module]
        at = later[0].line if later else nav_end
        new = [
            " " * MODULE_INDENT + f"- {quoted(f'Module {module}: {module_title}')}:",
            " " * SECTION_INDENT + f"- {quoted(f'{module}.{section} {section_title}')}:",
            *entry,
        ]
        return "\n".join(lines[:at] + new + lines[at:])
    module_item = here[0]
    inside = [
        i for i in items if module_item.line < i.line < block_end(items, module_item, nav_end)
    ]
    sections = numbered(inside, SECTION_INDENT, rf"{module}\.(\d+)\b")
    here = [item for number, item in sections if number == section]
    if not here:
        if not section_title:
            raise Refused(
                f"section {module}.{section} is not in mkdocs.yml's nav yet; give its title "
                f'with SECTION="..." (make) or --section "..."'
            )
        later = [item for number, item in sections if number > section]
        at = later[0].line if later else block_end(items, module_item, nav_end)
        new = [" " * SECTION_INDENT + f"- {quoted(f'{module}.{section} {section_title}')}:"]
        return "\n".join(lines[:at] + new + entry + lines[at:])
    section_item = here[0]
    section_end = block_end(items, section_item, nav_end)
    inside = [i for i in items if section_item.line < i.line < section_end]
    lessons = numbered(inside, LESSON_INDENT, rf"{module}\.{section}\.(\d+)\b")
    if any(number == lesson for number, _ in lessons):
        raise Refused(f"lesson {module}.{section}.{lesson} is already in mkdocs.yml's nav")
    later = [item for number, item in lessons if number > lesson]
    at = later[0].line if later else section_end
    return "\n".join(lines[:at] + entry + lines[at:])


def pages_in(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in pages_in(value)]
    if isinstance(nav, list):
        return [p for value in nav for p in pages_in(value)]
    return []


def check_nav_edit(old: str, new: str, page: str) -> None:
    """The edited config reads as YAML, keeps every old page in order and adds only ours."""
    before = yaml.load(old, Loader=TolerantLoader)
    after = yaml.load(new, Loader=TolerantLoader)
    old_pages, new_pages = pages_in(before["nav"]), pages_in(after["nav"])
    if [p for p in new_pages if p != page] != old_pages or new_pages.count(page) != 1:
        raise Refused("editing mkdocs.yml's nav went wrong (not written); add the entry by hand")
    if {k: v for k, v in before.items() if k != "nav"} != {
        k: v for k, v in after.items() if k != "nav"
    }:
        raise Refused("editing mkdocs.yml changed more than the nav (not written)")


# --- the files ----------------------------------------------------------------------------

OVERVIEW = """\
# {lesson_id} {title}

_One paragraph: what this lesson is about and why it matters. Replace every paragraph in
italics; the headings below are the ones every lesson overview has._

## Objectives

By the end you can:

1. _a first thing the reader can do, stated so that a quiz could check it;_
2. _a second one._

## Prerequisites

- Python, and PyTorch tensors: shapes, indexing, `requires_grad` and `backward()`.
- _What earlier lesson or idea this one builds on._

## How to run the code

Each block is a Python session: lines after `>>>` are code, the lines below them are what
Python prints. The copy button copies the code only. Paste it into `python3`, IPython or
Jupyter; every block imports what it uses and seeds its own random generator, so your output
matches the page.

!!! info "Verified with"
    The outputs on these pages were checked by the test suite with **PyTorch
    {{{{ torch_version }}}}** on Python {{{{ python_version }}}}, CPU. Another version can print
    different random values or messages.

## A first example

```pycon
--8<-- "{snippet}"
```

## The pages

| page | the question it answers |
|---|---|
| [A first example](#a-first-example) | _Replace with one row per page of this lesson._ |

## Sources

- _The primary source of each fact on this page that no block shows: paper and section,
  config file, or library source file and version. Every page ends with such a list._
"""

FIRST_SNIPPET = """\
>>> import torch
>>> _ = torch.manual_seed(0)
>>> # Replace this session with the lesson's first claim, and its proof.
>>> x = torch.randn(2, 3)
>>> x.shape, x.dtype
(torch.Size([2, 3]), torch.float32)
"""


@dataclass
class Plan:
    docs_dir: Path
    snippet: Path
    config: Path
    new_config: str

    def created(self, root: Path) -> list[str]:
        return [str(p.relative_to(root)) for p in (self.docs_dir / "index.md", self.snippet)]


def plan(root: Path, lesson_id: str, title: str, section_title=None, module_title=None) -> Plan:
    ids = parse_id(lesson_id)
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise Refused(f"title {title!r} has no letters or digits to name the lesson's folders")
    for tree in ("docs", "snippets"):
        existing = sorted((root / tree).glob(f"{lesson_id}-*"))
        if existing:
            where = ", ".join(str(p.relative_to(root)) for p in existing)
            raise Refused(f"lesson {lesson_id} exists already: {where}")
    folder = f"{lesson_id}-{slug}"
    config = root / "mkdocs.yml"
    old = config.read_text()
    page = f"{folder}/index.md"
    new = insert_nav(old, ids, title, page, section_title, module_title)
    check_nav_edit(old, new, page)
    return Plan(
        root / "docs" / folder,
        root / "snippets" / folder / "index/01_first_example.pycon",
        config,
        new,
    )


def scaffold(root: Path, lesson_id: str, title: str, section_title=None, module_title=None):
    """Create the lesson; return the paths written. Raises Refused, having written nothing."""
    todo = plan(root, lesson_id, title, section_title, module_title)
    title = " ".join(title.split())
    include = todo.snippet.relative_to(root / "snippets").as_posix()
    todo.docs_dir.mkdir(parents=True)
    (todo.docs_dir / "index.md").write_text(
        OVERVIEW.format(lesson_id=lesson_id, title=title, snippet=include)
    )
    todo.snippet.parent.mkdir(parents=True)
    todo.snippet.write_text(FIRST_SNIPPET)
    todo.config.write_text(todo.new_config)
    return [*todo.created(root), "mkdocs.yml"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("id", help="module.section.lesson, e.g. 2.1.2")
    parser.add_argument("title", help='the lesson\'s title, e.g. "Positional encodings"')
    parser.add_argument("--section", help="title of the section, if it is new")
    parser.add_argument("--module", help="title of the module, if it is new")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root, args.id.strip(), args.title, args.section, args.module)
    except Refused as refusal:
        print(f"new_lesson: refused, nothing changed: {refusal}", file=sys.stderr)
        return 2
    print(f"Lesson {args.id} scaffolded:")
    for path in written:
        print(f"  {path}")
    print("Next: `make serve` to see it, `make test` to check it; CONTRIBUTING.md has the rest.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
