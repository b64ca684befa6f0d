"""Scaffold a whole lesson that builds and passes every test at once.

    make lesson ID=2.1.2 TITLE="Positional encodings" [SECTION="..."] [MODULE="..."]
    python tools/new_lesson.py ID TITLE [--section TITLE] [--module TITLE] [--root DIR]

ID is module.section.lesson (e.g. 2.1.2). The lesson's folder name, `<ID>-<slug>`, is its id
everywhere. This copies course/lesson_template/ (read it to see what a lesson is made of)
into docs/<id>/, snippets/<id>/ and workbooks/<id>/: an overview with the standard sections,
one topic page with its first snippet, a quiz, a lab, and a workbook with its solution and
checks. The home page's lesson list, the nav and the checker pick the lesson up by
themselves; only a new section or module is added to docs/.nav.yml, and it needs its title
(--section, --module).

The title is kept exactly as written, in any script; `make lesson` hands it over through the
environment, never through a shell. The slug keeps the title's words: Latin letters lose
their accents (Café -> cafe), letters of other scripts stay as they are, in lower case.

It refuses, changing nothing, on a malformed ID, a title without letters or digits, an ID
that already has a lesson, or a --section/--module title that differs from the one the
course already has for that number.
"""

import argparse
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "course" / "lesson_template"
LESSON_ID = re.compile(r"^(?P<module>[1-9]\d*)\.(?P<section>[1-9]\d*)\.(?P<lesson>[1-9]\d*)$")
COURSE_NAV = Path("docs") / ".nav.yml"
# Latin letters that Unicode does not decompose into a base letter and an accent.
LATIN_LETTERS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ĸ": "k",
    "ŋ": "ng",
}


class Refused(Exception):
    """The lesson cannot be scaffolded; the message says why. Nothing was changed."""


def slugify(title: str) -> str:
    """Lower-case words joined by hyphens; Latin accents dropped, other scripts kept."""
    words = []
    for char in unicodedata.normalize("NFKD", title.lower()):
        if unicodedata.combining(char) or char in "'’":
            continue  # an accent of a decomposed Latin letter (é = e + U+0301), an apostrophe
        char = LATIN_LETTERS.get(char, char)
        words.append(char if char.isalnum() else " ")
    return "-".join("".join(words).split())


def parse_id(lesson_id: str) -> tuple[int, int, int]:
    match = LESSON_ID.match(lesson_id)
    if not match:
        raise Refused(
            f"lesson ID {lesson_id!r} is not of the form module.section.lesson, e.g. 2.1.2 "
            "(three positive whole numbers, no leading zeros)"
        )
    return int(match["module"]), int(match["section"]), int(match["lesson"])


# --- docs/.nav.yml: the course's modules and sections -------------------------------------


def numbered(entries: list, pattern: str) -> dict[int, tuple[int, str]]:
    """{number: (index, title)} of the titled sections in a nav list whose title matches."""
    found = {}
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and len(entry) == 1:
            (title,) = entry
            if match := re.match(pattern, str(title)):
                found[int(match[1])] = (index, str(title))
    return found


def insert_in_order(entries: list, numbers: dict, number: int, entry: dict) -> None:
    """Before the first entry numbered higher, or after the last numbered one (so that pages
    after the modules, such as the Glossary, stay last)."""
    later = [index for n, (index, _) in numbers.items() if n > number]
    last = max((index for index, _ in numbers.values()), default=len(entries) - 1)
    entries.insert(min(later) if later else last + 1, entry)


def add_section(nav: list, module: int, section: int, module_title, section_title) -> bool:
    """Add module/section to the course nav if missing; True if anything was added."""
    modules = numbered(nav, r"Module (\d+)\b")
    section_entry = {f"{module}.{section} {section_title}": [f"{module}.{section}.*-*"]}
    if module not in modules:
        if not module_title:
            raise Refused(
                f"module {module} is not in docs/.nav.yml yet; give its title with "
                'MODULE="..." (make) or --module "..."'
            )
        if not section_title:
            raise Refused(
                f'section {module}.{section} is new too; give its title with SECTION="..."'
            )
        insert_in_order(nav, modules, module, {f"Module {module}: {module_title}": [section_entry]})
        return True
    index, existing = modules[module]
    if module_title and existing != f"Module {module}: {module_title}":
        raise Refused(
            f"module {module} already exists as {existing!r}; leave out MODULE= or match it"
        )
    sections = nav[index][existing]
    known = numbered(sections, rf"{module}\.(\d+)\b")
    if section in known:
        current = known[section][1]
        if section_title and current != f"{module}.{section} {section_title}":
            raise Refused(
                f"section {module}.{section} already exists as {current!r}; leave out SECTION= "
                "or match it"
            )
        return False
    if not section_title:
        raise Refused(
            f"section {module}.{section} is not in docs/.nav.yml yet; give its title with "
            'SECTION="..." (make) or --section "..."'
        )
    insert_in_order(sections, known, section, section_entry)
    return True


def course_nav_text(root: Path, ids, section_title, module_title) -> str | None:
    """docs/.nav.yml with the lesson's section added, or None if it has it already. The
    file's leading comment block is kept; the rest is plain data, written back as YAML."""
    path = root / COURSE_NAV
    text = path.read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    if not add_section(config["nav"], *ids[:2], module_title, section_title):
        return None
    comment = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return comment + body


# --- the lesson's files ---------------------------------------------------------------------


def fill(text: str, values: dict[str, str]) -> str:
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def plan(root, lesson_id, title, section_title=None, module_title=None) -> dict[Path, str]:
    """Every file to write, with its text. Raises Refused, having written nothing."""
    ids = parse_id(lesson_id)
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise Refused(f"title {title!r} has no letters or digits to name the lesson's folders")
    for tree in ("docs", "snippets", "workbooks"):
        existing = sorted((root / tree).glob(f"{lesson_id}-*"))
        if existing:
            where = ", ".join(str(p.relative_to(root)) for p in existing)
            raise Refused(f"lesson {lesson_id} exists already: {where}")
    folder = f"{lesson_id}-{slug}"
    values = {
        "__LESSON_ID__": folder,
        "__NUMBER__": lesson_id,
        "__NAV_TITLE_YAML__": json.dumps(f"{lesson_id} {title}", ensure_ascii=False),
        "__TITLE__": title,
    }
    files = {}
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = source.relative_to(TEMPLATE).as_posix().replace("LESSON", folder, 1)
            files[root / relative] = fill(source.read_text(encoding="utf-8"), values)
    nav = course_nav_text(root, ids, section_title, module_title)
    if nav is not None:
        files[root / COURSE_NAV] = nav
    return files


def scaffold(root: Path, lesson_id: str, title: str, section_title=None, module_title=None):
    """Create the lesson; return the paths written. Raises Refused, having written nothing."""
    files = plan(root, lesson_id, title, section_title, module_title)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [str(path.relative_to(root)) for path in files]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("id", nargs="?", help="module.section.lesson, e.g. 2.1.2")
    parser.add_argument("title", nargs="?", help='the title, e.g. "Positional encodings"')
    parser.add_argument("--section", help="title of the section, if it is new")
    parser.add_argument("--module", help="title of the module, if it is new")
    parser.add_argument(
        "--from-env",
        action="store_true",
        help="read ID, TITLE, SECTION and MODULE from the environment (what `make lesson` does)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this)")
    args = parser.parse_args(argv)
    if args.from_env:
        env = os.environ
        args.id, args.title = env.get("LESSON_ID", ""), env.get("LESSON_TITLE", "")
        args.section = env.get("LESSON_SECTION") or None
        args.module = env.get("LESSON_MODULE") or None
        if not args.id or not args.title:
            print(
                'usage: make lesson ID=2.1.2 TITLE="..." [SECTION="..."] [MODULE="..."]',
                file=sys.stderr,
            )
            return 2
    elif args.id is None or args.title is None:
        parser.error("give the lesson's ID and TITLE")
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
