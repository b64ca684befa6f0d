"""Every page with a snippet that imports transformers names the version that produced it."""

import re
import tomllib
from importlib.metadata import version

from course import ROOT
from course.inventory import includes

IMPORTS_TRANSFORMERS = re.compile(r"^>>> (?:from transformers |import transformers)", re.M)


def pinned_transformers() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = [p for group in pyproject["project"]["optional-dependencies"].values() for p in group]
    return next(p.split("==")[1] for p in pins if p.startswith("transformers=="))


def pages_using_transformers(root) -> set:
    return {
        inc.page
        for inc in includes(root)
        if (root / "snippets" / inc.target).is_file()
        and IMPORTS_TRANSFORMERS.search((root / "snippets" / inc.target).read_text())
    }


def test_some_page_uses_transformers():
    assert pages_using_transformers(ROOT), "no snippet imports transformers: drop this test"


def stated_versions(page) -> set[str]:
    return set(re.findall(r"transformers\D{0,40}?(\d+\.\d+\.\d+)", page.read_text()))


def test_each_page_using_transformers_names_the_pinned_version():
    pinned, installed = pinned_transformers(), version("transformers")
    assert installed == pinned, f"installed transformers {installed}, pyproject pins {pinned}"
    silent = [
        f"{page.relative_to(ROOT)} names transformers {sorted(stated_versions(page))}, "
        f"not the pinned {pinned}"
        for page in sorted(pages_using_transformers(ROOT))
        if pinned not in stated_versions(page)
    ]
    assert not silent, "\n".join(silent)
