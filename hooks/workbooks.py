"""Serve each lesson's workbook and a one-file checker from the site.

- workbooks/<lesson>/workbook.py becomes <lesson>/workbook.py on the site (the solution next
  to it is not published);
- checker.pyz, a zipapp of the checker package plus a copy of each lesson's checks and quiz
  page (the answer key), the site's address and the course's torch pin, so `python checker.pyz
  workbook.py` works without a clone.

Both are added as MkDocs files, so pages link to them like any other file and a broken link
fails the strict build.
"""

import importlib.util
import io
import shutil
import tempfile
import zipapp
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
CHECKER = ROOT / "checker"
MAIN = "import sys\nfrom checker.__main__ import main\nsys.exit(main())\n"


def torch_requirement(pyproject: Path) -> str:
    """The checker's own reading of the torch pin (the repository root is not importable here)."""
    spec = importlib.util.spec_from_file_location("_quiz_source", CHECKER / "quiz_source.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.torch_requirement(pyproject)


def build_checker_archive(config) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "app"
        shutil.copytree(CHECKER, staging / "checker", ignore=shutil.ignore_patterns("__pycache__"))
        data = staging / "checker" / "data"
        for checks in sorted(WORKBOOKS.glob("*/checks.py")):
            lesson = checks.parent.name
            (data / "lessons" / lesson).mkdir(parents=True)
            shutil.copy(checks, data / "lessons" / lesson / "checks.py")
            quiz = Path(config["docs_dir"]) / lesson / "quiz.md"
            if quiz.is_file():
                (data / lesson).mkdir(parents=True)
                shutil.copy(quiz, data / lesson / "quiz.md")
        (data / "site_url.txt").write_text(config.get("site_url") or "")
        (data / "torch_requirement.txt").write_text(torch_requirement(ROOT / "pyproject.toml"))
        (staging / "__main__.py").write_text(MAIN)
        archive = io.BytesIO()
        zipapp.create_archive(staging, archive, interpreter="/usr/bin/env python3")
        return archive.getvalue()


def on_files(files, config, **kwargs):
    for workbook in sorted(WORKBOOKS.glob("*/workbook.py")):
        uri = f"{workbook.parent.name}/workbook.py"
        files.append(File.generated(config, uri, abs_src_path=str(workbook)))
    files.append(File.generated(config, "checker.pyz", content=build_checker_archive(config)))
    return files
