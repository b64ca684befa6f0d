#!/bin/sh
# Create or refresh one of the project's environments (called by make):
#
#   tools/venv.sh VENV [PYTHON]            the whole toolchain: the project and its extras
#   tools/venv.sh --doctest VENV [PYTHON]  only what the doc tests need (`make doctest`):
#                                          [tool.course] doctest-packages of pyproject.toml
#
# The interpreter comes from tools/find_python.sh. An environment made by another Python
# version (or one whose interpreter is gone) is recreated; then pip installs, every package
# pinned by requirements.lock.
set -eu
cd "$(dirname "$0")/.."
doctest=""
if [ "${1:-}" = --doctest ]; then
    doctest=yes
    shift
fi
venv=$1
shift
python=$(tools/find_python.sh "$@")
version() { "$1" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || true; }
want=$(version "$python")
have=$(version "$venv/bin/python")
if [ "$have" != "$want" ]; then
    if [ -e "$venv" ]; then
        echo "Recreating $venv/ with $python (Python $want; it held ${have:-a Python that no longer runs})."
    fi
    "$python" -m venv --clear "$venv"
fi
pip="$venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock"
if [ -n "$doctest" ]; then
    # course/project.py needs only the standard library of a supported Python.
    packages=$("$venv/bin/python" -c 'from course.project import doctest_packages
print(*doctest_packages())')
    echo "Installing what the doc tests need into $venv/ with Python $want: $packages"
    # shellcheck disable=SC2086  # one argument per package name
    $pip $packages
else
    echo "Installing the pinned toolchain into $venv/ with Python $want (first run: 2 to 10 minutes)..."
    $pip -e '.[going-further]'
fi
