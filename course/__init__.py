"""The course's shared core: where things are, which lessons exist, how snippets are read and
run, and how the site is built. hooks/, tools/ and tests/ import it, never each other.

A lesson is one folder name, `<module>.<section>.<lesson>-<slug>` (its id), used in
docs/<id>/, snippets/<id>/ and workbooks/<id>/; `course.lessons` finds them.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
SNIPPETS_DIR = ROOT / "snippets"
