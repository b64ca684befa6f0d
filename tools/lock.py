"""Write requirements.lock: every package pinned, for every supported Python (`make lock`).

1. Freeze the environment running this script (.venv): the exact versions it runs with.
2. For each Python that pyproject.toml's requires-python allows, ask pip to resolve the
   project's requirements against those pins for that Python, on Linux x86_64, from wheels
   only (`pip install --dry-run`: pip reads the packages' metadata, installs nothing). If a
   pin has no wheel for some Python, the lock would not install there: the script stops and
   says which Python and which package.
3. Add the packages only another Python needs: on Linux, PyPI's torch for any Python but the
   one whose CPU wheel lies on this machine is the CUDA build, which brings nvidia-*, triton
   and cuda-* packages.

One limit of pip: it evaluates environment markers (`; python_version < "3.12"`) for the
Python running it, so a dependency that only a newer Python needs can stay unpinned; the
CI matrix installs the lock on the lowest and the highest supported Python.
"""

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course.project import (  # noqa: E402
    LOCK,
    ProjectError,
    normal,
    requirements,
    supported_pythons,
)

# Wheels a Linux x86_64 machine with glibc 2.39 accepts: every manylinux tag up to it.
LINUX_TAGS = [f"manylinux_2_{minor}_x86_64" for minor in range(5, 40)] + [
    "manylinux2014_x86_64",
    "manylinux2010_x86_64",
    "manylinux1_x86_64",
    "linux_x86_64",
]
NOT_PINNED = {"pip"}  # the venv's own installer; everything else, setuptools included, is


def frozen() -> dict[str, str]:
    """name -> version of every package installed here, local versions (+cpu) dropped."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pins = {}
    for line in out.splitlines():
        name, sep, version = line.partition("==")
        if sep and normal(name) not in NOT_PINNED:
            pins[name] = version.split("+")[0]
    return pins


def resolve(python: str, pins: dict[str, str], reqs: list[str]) -> dict[str, str]:
    """name -> version pip installs for `python` on Linux x86_64, given these pins."""
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in pins.items()))
        report = Path(tmp) / "report.json"
        platforms = [arg for tag in LINUX_TAGS for arg in ("--platform", tag)]
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--target", str(Path(tmp) / "target"), "--report", str(report),
             "--python-version", python, "--implementation", "cp", "--only-binary", ":all:",
             *platforms, "-c", str(constraints), *reqs],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
            sys.exit(
                f"The lock does not install on Python {python} (Linux x86_64), so it was not "
                f"written. pip said:\n" + "\n".join(errors[-3:])
            )
        installed = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in installed}


def lock_text(pins: dict[str, str], pythons: list[str]) -> str:
    lines = [
        "# Written by `make lock` (tools/lock.py); do not edit by hand.",
        f"# The packages of .venv (Python {sys.version.split()[0]}), and those that Pythons "
        f"{', '.join(pythons)} resolve to",
        "# on Linux x86_64 (PyPI's torch there is the CUDA build). Installed with `pip -c`.",
    ]
    return "\n".join(lines + [f"{n}=={v}" for n, v in sorted(pins.items(), key=_key)]) + "\n"


def _key(item):
    return normal(item[0])


def resolve_all(pythons: list[str], pins: dict[str, str], reqs: list[str]) -> list[dict]:
    """resolve() for each Python, side by side: each waits mostly on the registry."""
    with ThreadPoolExecutor(max_workers=len(pythons)) as pool:
        return list(pool.map(lambda python: resolve(python, pins, reqs), pythons))


def main() -> int:
    pins = frozen()
    try:
        pythons = supported_pythons()
    except ProjectError as error:
        sys.exit(str(error))
    reqs = requirements()
    known = {normal(name) for name in pins}
    print(f"Resolving for Python {', '.join(pythons)} (Linux x86_64)...", flush=True)
    for python, resolved in zip(pythons, resolve_all(pythons, pins, reqs), strict=True):
        for name, version in resolved.items():
            if normal(name) not in known:
                pins[name] = version
                known.add(normal(name))
                print(f"  + {name}=={version} (Python {python})")
    # A package added for one Python now constrains the others too: check each again.
    print("Checking the complete lock on each of them...", flush=True)
    resolve_all(pythons, pins, reqs)
    LOCK.write_text(lock_text(pins, pythons))
    print(f"Wrote {LOCK.name}: {len(pins)} packages. Review it with `git diff`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
