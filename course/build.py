"""Build (strictly) or serve the site from a project folder: the one place that says how, for
`make build` and `make serve`, the tests, the tools and the benchmark. A copy of the project
lets a test plant a fault and build it.

    python -m course.build SITE_DIR          build into SITE_DIR (make build)
    python -m course.build --serve ADDRESS   serve with live reload (make serve)

ProperDocs (the maintained continuation of MkDocs 1.x) runs it, with mkdocs.yml named: without
`-f` it asks for the file to be renamed properdocs.yml. Never with --quiet: that drops warnings
before --strict counts them, and a build with a broken link would pass.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROPERDOCS = [sys.executable, "-m", "properdocs"]
# What a build's log must not hold: a warning of ProperDocs, a plugin or a hook; ProperDocs'
# notice to rename mkdocs.yml; Material's banner about MkDocs 2 (printed when MkDocs builds).
LOG_PROBLEM = re.compile(r"WARNING|Warning:|properdocs\.yml|MkDocs 2|end of life")
# What a build reads: a copy of these is a project that builds like the real one.
PROJECT_FILES = [
    "mkdocs.yml",
    "pyproject.toml",  # the supported Pythons and the torch versions the pages name
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


def build_command(project: Path, site: Path) -> list[str]:
    config = str(project / "mkdocs.yml")
    return [*PROPERDOCS, "build", "--strict", "-f", config, "--site-dir", str(site)]


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """Build; the CompletedProcess holds the log (stderr), see log_problems()."""
    return subprocess.run(
        build_command(project, site), capture_output=True, text=True, cwd=project
    )


def log_problems(log: str) -> list[str]:
    """The lines of a build log that a clean build does not print."""
    return [line for line in log.splitlines() if LOG_PROBLEM.search(line)]


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


def copy_whole_project(destination: Path) -> Path:
    """A copy of the whole project, tests and tools included (and the executed labs of .cache/),
    without its environments, built site, git folder or bytecode: a maintainer's checkout in
    which `make lesson` and pytest run."""
    from course import ROOT

    ignored = shutil.ignore_patterns(
        ".git",
        ".venv*",
        "site",
        "node_modules",
        "__pycache__",
        ".ruff_cache",
        "screenshots",
        "*.egg-info",
    )
    shutil.copytree(ROOT, destination, ignore=ignored)
    return destination


def main(argv: list[str]) -> int:
    from course import ROOT

    if len(argv) == 2 and argv[0] == "--serve":
        command = [*PROPERDOCS, "serve", "-f", str(ROOT / "mkdocs.yml")]
        os.execv(sys.executable, [*command, "--dev-addr", argv[1], "--livereload"])
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    result = build(ROOT, Path(argv[0]).resolve())
    sys.stderr.write(result.stderr)
    problems = log_problems(result.stderr)
    if result.returncode == 0 and problems:
        print(f"The build printed {len(problems)} line(s) a clean build does not:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
