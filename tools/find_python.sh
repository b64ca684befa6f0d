#!/bin/sh
# Print the Python interpreter to create the project's environment with (called by make).
#
#   tools/find_python.sh            python3 if this course supports it, else the newest
#                                   supported python3.X on PATH, saying so on stderr
#   tools/find_python.sh PYTHON     PYTHON, if it is supported and can create a venv
#
# The supported versions are pyproject.toml's requires-python (">=3.A,<3.B"). A Python
# without its venv module (Debian and Ubuntu ship it separately) is named with the package
# to install. Exit status 1, with what to install, when nothing fits.
set -u
cd "$(dirname "$0")/.." || exit 1

range=$(sed -n 's/^requires-python = ">=3\.\([0-9][0-9]*\),<3\.\([0-9][0-9]*\)"$/\1 \2/p' pyproject.toml)
if [ -z "$range" ]; then
    echo "pyproject.toml: requires-python is not of the form \">=3.A,<3.B\"" >&2
    exit 1
fi
low=${range% *}
high=$((${range#* } - 1))
supported="Python 3.$low to 3.$high"

# "3.12 3.12.3 venv" for a working interpreter, "3.12 3.12.3 novenv" without ensurepip.
probe() {
    "$1" -c 'import sys
v = sys.version_info
try:
    import ensurepip, venv
    ok = "venv"
except ImportError:
    ok = "novenv"
print("%d.%d %d.%d.%d %s" % (v[0], v[1], v[0], v[1], v[2], ok))' 2>/dev/null
}

is_supported() {  # $1 = "3.12"
    case $1 in 3.*) ;; *) return 1 ;; esac
    minor=${1#3.}
    [ "$minor" -ge "$low" ] 2>/dev/null && [ "$minor" -le "$high" ]
}

no_venv() {  # $1 = command, $2 = "3.12", $3 = full version
    echo "$1 is Python $3, but it cannot create a virtual environment (no ensurepip)." >&2
    echo "On Debian or Ubuntu: sudo apt install python$2-venv   (or python3-venv)" >&2
}

if [ $# -gt 0 ] && [ -n "$1" ]; then
    info=$(probe "$1")
    if [ -z "$info" ]; then
        echo "PYTHON=$1 does not run (not found, or a pyenv shim for a version not selected)." >&2
        exit 1
    fi
    set -- "$1" $info
    if ! is_supported "$2"; then
        echo "PYTHON=$1 is Python $3; this course supports $supported." >&2
        exit 1
    fi
    if [ "$4" != venv ]; then
        no_venv "$1" "$2" "$3"
        exit 1
    fi
    echo "$1"
    exit 0
fi

why="python3 was not found"  # why python3 itself is not used, if it is not
lacking=""
candidates="python3"
minor=$high
while [ "$minor" -ge "$low" ]; do
    candidates="$candidates python3.$minor"
    minor=$((minor - 1))
done
for candidate in $candidates; do
    info=$(probe "$candidate")
    [ -n "$info" ] || continue
    set -- "$candidate" $info
    if ! is_supported "$2"; then
        [ "$1" != python3 ] || why="python3 is Python $3, which this course does not support"
        continue
    fi
    if [ "$4" != venv ]; then
        [ -n "$lacking" ] || lacking="$1 $2 $3"
        [ "$1" != python3 ] || why="python3 (Python $3) cannot create a virtual environment"
        continue
    fi
    if [ "$1" != python3 ]; then
        echo "Note: $why; using $1 (Python $3). Another one: make ... PYTHON=/path/to/python" >&2
    fi
    echo "$1"
    exit 0
done

if [ -n "$lacking" ]; then
    no_venv $lacking
    exit 1
fi
echo "No Python that this course supports ($supported) was found: $why." >&2
echo "Install one, then run make again:" >&2
echo "  Debian 12 or 13, Ubuntu 24.04 or later: sudo apt install python3 python3-venv" >&2
echo "  macOS with Homebrew: brew install python@3.13" >&2
echo "  elsewhere (Ubuntu 22.04's python3 is 3.10): Python 3.$low to 3.$high from python.org," >&2
echo "  pyenv or uv" >&2
echo "or name one: make test PYTHON=/path/to/python3.$high" >&2
exit 1
