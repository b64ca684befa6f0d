"""Where the checker finds what the course keeps elsewhere: a lesson's quiz page, the site's
address and the torch version the course pins.

In a clone of the course these are docs/<lesson>/quiz.md, mkdocs.yml and pyproject.toml; in the
checker.pyz downloaded from the site, the build put copies inside the archive (checker/data/).
"""

import re
import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON_LINE = re.compile(r"""^LESSON\s*=\s*["']([^"']+)["']""", re.M)
SITE_URL_LINE = re.compile(r"^site_url:\s*(\S+)", re.M)
LOCAL_SITE = "http://127.0.0.1:8000/"  # what `make serve` serves
TORCH_PIN = re.compile(r"^torch\s*==\s*\S+$")


def lesson_of(source: str) -> str | None:
    match = LESSON_LINE.search(source)
    return match[1] if match else None


def _bundled(name: str) -> str:
    return (resources.files("checker") / "data" / name).read_text(encoding="utf-8")


def read_quiz_page(lesson_id: str, override: Path | None = None) -> tuple[str, str]:
    """(where it came from, the page's Markdown). OSError when there is none."""
    if override is not None:
        return str(override), override.read_text(encoding="utf-8")
    page = ROOT / "docs" / lesson_id / "quiz.md"
    if page.is_file():
        return str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")
    return f"the quiz page of {lesson_id} (bundled)", _bundled(f"{lesson_id}/quiz.md")


def site_url() -> str:
    """The hosted site's address (mkdocs.yml site_url), else the local `make serve` address."""
    config = ROOT / "mkdocs.yml"
    if config.is_file():
        match = SITE_URL_LINE.search(config.read_text(encoding="utf-8"))
        text = match[1].strip("'\"") if match else ""
    else:
        try:
            text = _bundled("site_url.txt").strip()
        except OSError:
            text = ""
    return text.rstrip("/") + "/" if text else LOCAL_SITE


def torch_requirement(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The course's exact torch pin, as in pyproject.toml ("torch==2.13.0")."""
    if pyproject.is_file():
        with pyproject.open("rb") as handle:
            dependencies = tomllib.load(handle).get("project", {}).get("dependencies", [])
        pins = [d.replace(" ", "") for d in dependencies if TORCH_PIN.match(d.strip())]
        if pins:
            return pins[0]
    try:
        return _bundled("torch_requirement.txt").strip()
    except OSError:
        return "torch"
