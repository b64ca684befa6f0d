"""Read the docs and snippets trees: which snippet each page includes, and inline code.

Functions take the project root so that tests can run them on a scaffolded copy too.
"""

import re
from dataclasses import dataclass
from pathlib import Path

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
PYTHON_LANGS = {"python", "py", "python3", "pycon", "pyi", "ipython", "ipython3", "pytb"}


@dataclass(frozen=True)
class Include:
    page: Path
    line: int
    target: str

    def where(self, root: Path) -> str:
        return f"{self.page.relative_to(root)}:{self.line}"


@dataclass(frozen=True)
class InlineBlock:
    page: Path
    line: int
    lang: str
    first_line: str


def pages(root: Path) -> list[Path]:
    return sorted((root / "docs").rglob("*.md"))


def snippet_files(root: Path) -> list[Path]:
    return sorted((root / "snippets").rglob("*.pycon"))


def lab_files(root: Path) -> list[Path]:
    """Each lesson's lab, snippets/<lesson>/lab.py: a page of its own (hooks/labs.py)."""
    return sorted((root / "snippets").glob("*/lab.py"))


def nav_pages(root: Path) -> list[str]:
    """The page paths in mkdocs.yml's nav, in order (YAML tags such as !relative ignored)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)

    def flatten(item):
        if isinstance(item, str):
            return [item]
        values = item.values() if isinstance(item, dict) else item
        return [page for value in values for page in flatten(value)]

    return flatten(yaml.load((root / "mkdocs.yml").read_text(), Loader=Loader)["nav"])


# Besides doctest sessions (.pycon), snippets/ may hold scripts too long or too parallel for
# a REPL (.py), each run by a console session (.console) that shows its command and output.
SNIPPET_SUFFIXES = {".pycon", ".py", ".console"}


def all_snippet_files(root: Path) -> list[Path]:
    """Every file under snippets/, of any suffix (Python's bytecode caches aside)."""
    return sorted(
        p for p in (root / "snippets").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def script_files(root: Path) -> list[Path]:
    """Scripts run by a console session: every .py under snippets/ except the labs."""
    labs = set(lab_files(root))
    return sorted(p for p in (root / "snippets").rglob("*.py") if p not in labs)


def console_files(root: Path) -> list[Path]:
    return sorted((root / "snippets").rglob("*.console"))


def includes(root: Path) -> list[Include]:
    found = []
    for page in pages(root):
        for number, text in enumerate(page.read_text().splitlines(), start=1):
            if match := INCLUDE.match(text):
                found.append(Include(page, number, match["path"]))
    return found


def inline_code_blocks(root: Path) -> list[InlineBlock]:
    """Fenced blocks in docs/ that hold code themselves instead of including a snippet."""
    found = []
    for page in pages(root):
        lines = page.read_text().splitlines()
        number = 0
        while number < len(lines):
            opening = FENCE.match(lines[number])
            number += 1
            if not opening:
                continue
            body_start = number
            fence = opening["fence"]
            while number < len(lines) and not lines[number].strip().startswith(fence):
                number += 1
            body = [t for t in lines[body_start:number] if t.strip()]
            number += 1
            own_code = [t for t in body if not INCLUDE.match(t)]
            looks_python = opening["lang"].lower() in PYTHON_LANGS or any(
                t.lstrip().startswith((">>>", "import ", "from ")) for t in own_code
            )
            if own_code and looks_python:
                found.append(InlineBlock(page, body_start, opening["lang"], own_code[0].strip()))
    return found
