"""The site's pages as URL paths, derived from docs/ (so tests can be parametrized before the
build), and the snippets each page includes, in page order."""

from pathlib import Path

from course import ROOT
from course.inventory import includes, lab_files, pages


def url_path(page: Path) -> str:
    """docs/a/b.md -> a/b/, docs/a/index.md -> a/ (MkDocs' directory URLs)."""
    rel = page.relative_to(ROOT / "docs").with_suffix("")
    parts = rel.parts[:-1] if rel.name == "index" else rel.parts
    return "".join(f"{part}/" for part in parts)


def all_pages() -> list[str]:
    """Every Markdown page, and every lab (snippets/<lesson>/lab.py is the page <lesson>/lab/)."""
    labs = [f"{lab.parent.name}/lab/" for lab in lab_files(ROOT)]
    return [url_path(p) for p in pages(ROOT)] + labs


def lesson_pages() -> list[str]:
    return [url for url in all_pages() if url]  # every page but the course's home


def snippets_by_page(suffix: str = ".pycon") -> dict[str, list[str]]:
    """URL path -> the snippet paths with this suffix the page includes, in page order."""
    found: dict[str, list[str]] = {}
    for inc in includes(ROOT):
        if inc.target.endswith(suffix):
            found.setdefault(url_path(inc.page), []).append(inc.target)
    return found
