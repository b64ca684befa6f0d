"""Run the doc tests against another torch version and report which outputs differ.

    python tools/drift.py 2.14.1          (or: make drift TORCH=2.14.1)

Creates (once) a separate virtual environment .venv-drift-<version>/ with that torch and
the project's other requirements, every package pinned as in requirements.lock except
torch's own dependencies (pip resolves those for that torch), then, inside it:

1. runs the snippets as doc tests (pytest + Sybil, exactly as `make test` does),
2. lists every output that differs: file, line, expected (the page) and got (that torch),
   using `tools/refresh_outputs.py --check`, which writes nothing, and
3. runs each lab in the folder as a script: every check in it must pass.

No file of the project is modified. Exit status: 0 when every output still matches, 1 when
some differ (the report says which), 2 when the environment cannot be set up.
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.compat import run_lab  # noqa: E402
from course.lessons import Lesson, lessons  # noqa: E402
from course.project import LOCK, normal, requirement_name, requirements  # noqa: E402
from course.project import TORCH_VERSION as VERSION  # noqa: E402

TORCH_PIN = re.compile(r"^torch==", re.IGNORECASE)
# Pinned by each torch build for itself (PyPI's Linux wheels are CUDA builds): the lock holds
# those of the project's torch, which another torch release does not accept.
TORCH_BUILD_PIN = re.compile(r"^(nvidia-[\w.-]+|cuda-[\w.-]+|triton)==", re.IGNORECASE)


def venv_dir(version: str) -> Path:
    return ROOT / f".venv-drift-{version}"


def torch_requirements() -> set[str]:
    """The packages the installed torch itself requires (setuptools, sympy, ...)."""
    return {requirement_name(req) for req in requires("torch") or [] if "extra ==" not in req}


def other_pins() -> str:
    """The lock without torch and what torch requires: pip resolves those for the other torch.

    Another torch release may need other versions of its own dependencies (an older sympy,
    an older setuptools), and each torch build pins its CUDA libraries itself; every other
    package keeps the version the site was built with.
    """
    lines = LOCK.read_text().splitlines()
    if not any(TORCH_PIN.match(line.strip()) for line in lines):
        sys.exit(f"{LOCK.name}: no 'torch==' line to replace; is the lock file complete?")
    torch_own = torch_requirements()
    kept = [
        line
        for line in lines
        if not TORCH_PIN.match(line.strip())
        and not TORCH_BUILD_PIN.match(line.strip())
        and normal(line.split("==")[0]) not in torch_own
    ]
    return "\n".join(kept) + "\n"


def ensure_venv(version: str, python: str) -> Path:
    venv = venv_dir(version)
    pins = other_pins()
    wanted = [f"torch=={version}", *(r for r in requirements() if not TORCH_PIN.match(r))]
    stamp = hashlib.sha256(f"{wanted}\n{pins}".encode()).hexdigest()
    ready = venv / ".ready"
    if ready.is_file() and ready.read_text() == stamp:
        return venv
    print(f"Creating {venv.name}/ with torch=={version} and the other pins of {LOCK.name}.")
    print("The first time this installs a full torch build (several GB, some minutes).")
    subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
    (venv / "other-pins.txt").write_text(pins)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    result = subprocess.run(
        [*pip, "-c", str(venv / "other-pins.txt"), *wanted],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)  # a half-installed torch is gigabytes
        sys.exit(
            f"could not install torch=={version} with the project's other pins (pip's "
            f"message above; {venv.name}/ was removed). Is that version available for "
            "this Python?"
        )
    ready.write_text(stamp)
    return venv


def run_in(venv: Path, *args: str) -> int:
    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=ROOT).returncode


def torch_version_in(venv: Path) -> str:
    probe = "from importlib.metadata import version; print(version('torch'))"
    python = str(venv / "bin" / "python")
    return subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()


def labs_under(folder: Path) -> list[Lesson]:
    """The lessons whose whole snippets folder is inside folder and has a lab (every lesson's
    for snippets/; none for one page's folder)."""
    folder = (ROOT / folder).resolve()
    return [
        lesson
        for lesson in lessons()
        if lesson.lab and (folder == lesson.snippets or folder in lesson.snippets.parents)
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the torch version to compare against, e.g. 2.14.1")
    parser.add_argument(
        "--python",
        default=sys._base_executable,
        help="interpreter for the new venv (default: the one behind this environment)",
    )
    parser.add_argument(
        "--venv", type=Path, help="use this existing environment instead of .venv-drift-<version>"
    )
    parser.add_argument(
        "--snippets", default="snippets", help="folder of snippets to check (default: snippets)"
    )
    args = parser.parse_args(argv)
    if not VERSION.match(args.version):
        parser.error(f"torch version {args.version!r} is not of the form X.Y.Z (e.g. 2.14.1)")
    venv = args.venv or ensure_venv(args.version, args.python)
    installed = torch_version_in(venv)
    if installed.split("+")[0] != args.version:
        sys.exit(f"{venv} has torch {installed}, not {args.version}; nothing was checked")
    print(f"\n== Doc tests with torch {installed} ({venv.name}/) ==", flush=True)
    tests = run_in(venv, "-m", "pytest", args.snippets, "-q", "-p", "no:cacheprovider")
    print(f"\n== Outputs that differ with torch {installed} (nothing is written) ==", flush=True)
    check = run_in(venv, "tools/refresh_outputs.py", "--check", args.snippets)
    labs = labs_under(Path(args.snippets))
    print(f"\n== The labs with torch {installed}: {len(labs)} ==", flush=True)
    lab_errors = [e for lesson in labs for e in run_lab(str(venv / "bin" / "python"), lesson)]
    print("\n".join(lab_errors) or "Every check in every lab passed.", flush=True)
    if tests == 0 and check == 0 and not lab_errors:
        print(f"\nNo drift: every output on the site is the same with torch {installed}.")
        return 0
    print(
        f"\nDrift with torch {installed}: make each output above robust (round, print fewer "
        "digits, compare with allclose) or explain it on its page; see CONTRIBUTING.md."
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
