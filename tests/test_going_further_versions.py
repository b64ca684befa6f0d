"""The "Going further" page names the transformers version that produced its outputs."""

import re
import tomllib
from importlib.metadata import version

from course import DOCS_DIR, ROOT

PAGE = DOCS_DIR / "2.1.1-embeddings-initialization" / "going-further.md"


def test_page_pin_and_installed_transformers_agree():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = pyproject["project"]["optional-dependencies"]["going-further"]
    pinned = next(p.split("==")[1] for p in pins if p.startswith("transformers=="))
    installed = version("transformers")
    stated = set(re.findall(r"transformers\D{0,40}?(\d+\.\d+\.\d+)", PAGE.read_text()))
    assert installed == pinned, f"installed transformers {installed}, pyproject pins {pinned}"
    assert pinned in stated, f"{PAGE.name} names transformers {sorted(stated)}, not {pinned}"
