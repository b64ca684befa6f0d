"""Read the docs and snippets trees: which snippet each page includes, and inline code.

Functions take the project root so that tests can run them on a scaffolded copy too.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
PYTHON_STARTS = (">>>", "import ", "from ")
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
    """The page paths the nav lists, from every docs/**/.nav.yml, relative to docs/ (glob
    patterns, which pick lesson folders, are left out)."""
    from course.config import load_yaml

    def flatten(item):
        if isinstance(item, str):
            return [item]
        values = item.values() if isinstance(item, dict) else item
        return [page for value in values for page in flatten(value)]

    found = []
    for nav_file in sorted((root / "docs").rglob(".nav.yml")):
        folder = nav_file.parent.relative_to(root / "docs")
        for entry in flatten(load_yaml(nav_file).get("nav", [])):
            if not any(c in entry for c in "*?[") and "://" not in entry:
                found.append((folder / entry).as_posix())
    return found


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


class _CodeBlocks(HTMLParser):
    """Each <pre> of rendered HTML: its text and the language class around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._langs: list[str] = []  # language of each open element, "" if none
        self._pre_depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = re.search(r"\blanguage-([\w+-]+)", dict(attrs).get("class") or "")
        outer = self._langs[-1] if self._langs else ""
        self._langs.append(found[1] if found else outer)
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag):
        lang = self._langs.pop() if self._langs else ""
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
            if not self._pre_depth:
                self.blocks.append((lang, "".join(self._text)))
                self._text = []

    def handle_data(self, data):
        if self._pre_depth:
            self._text.append(data)


def inline_code_blocks(root: Path) -> list[InlineBlock]:
    """Code blocks in docs/ that hold code themselves instead of including a snippet.

    Each page is rendered with the site's own Markdown extensions (includes left as text), so
    every form of code block counts: fenced, indented, inside an admonition or a tab.
    """
    import markdown

    from course.config import markdown_extensions

    names, configs = markdown_extensions(root)
    found = []
    for page in pages(root):
        source = page.read_text()
        parser = _CodeBlocks()
        parser.feed(markdown.markdown(source, extensions=names, extension_configs=configs))
        for lang, text in parser.blocks:
            own_code = [t for t in text.splitlines() if t.strip() and not INCLUDE.match(t)]
            looks_python = lang.lower() in PYTHON_LANGS or any(
                t.lstrip().startswith(PYTHON_STARTS) for t in own_code
            )
            if own_code and looks_python:
                first = own_code[0].strip()
                line = next(
                    (n for n, t in enumerate(source.splitlines(), 1) if t.strip() == first), 0
                )
                found.append(InlineBlock(page, line, lang or "indented", first))
    return found
