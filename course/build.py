"""Build the site (strictly) from a project folder: the one command tests, tools and the
benchmark share. A copy of the project lets a test plant a fault and build it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

BUILD = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
# What a build reads: a copy of these is a project that builds like the real one.
PROJECT_FILES = [
    "mkdocs.yml",
    "glossary.yml",
    "docs",
    "snippets",
    "hooks",
    "overrides",
    "workbooks",
    "checker",
    "course",
    ".cache",  # executed labs (hooks/labs.py): a copy builds them from the cache
]


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*BUILD, "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
    )


def copy_project(tmp_path: Path, root: Path | None = None) -> Path:
    from course import ROOT

    root = root or ROOT
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, project / name)
    return project
