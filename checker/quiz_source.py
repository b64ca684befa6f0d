"""Where the checker finds a lesson's quiz page and the site's address.

In a clone of the course these are docs/<lesson>/quiz.md and mkdocs.yml; in the checker.pyz
downloaded from the site, the build put copies of them inside the archive (checker/data/).
"""

import re
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON_LINE = re.compile(r"""^LESSON\s*=\s*["']([^"']+)["']""", re.M)
SITE_URL_LINE = re.compile(r"^site_url:\s*(\S+)", re.M)


def lesson_of(workbook: Path) -> str | None:
    match = LESSON_LINE.search(workbook.read_text(encoding="utf-8", errors="replace"))
    return match[1] if match else None


def read_quiz_page(lesson_id: str, override: Path | None = None) -> tuple[str, str]:
    """(where it came from, the page's Markdown)."""
    if override is not None:
        return str(override), override.read_text(encoding="utf-8")
    page = ROOT / "docs" / lesson_id / "quiz.md"
    if page.is_file():
        return str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")
    bundled = resources.files("checker") / "data" / lesson_id / "quiz.md"
    return f"the quiz page of {lesson_id} (bundled)", bundled.read_text(encoding="utf-8")


def site_url() -> str:
    config = ROOT / "mkdocs.yml"
    if config.is_file():
        match = SITE_URL_LINE.search(config.read_text(encoding="utf-8"))
        text = match[1] if match else ""
    else:
        try:
            text = (resources.files("checker") / "data" / "site_url.txt").read_text().strip()
        except OSError:
            text = ""
    return text.rstrip("/") + "/" if text else ""
