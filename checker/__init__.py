"""Grade a learner's lesson workbook locally: `python -m checker path/to/workbook.py`."""

# This file runs first on every entry point (python -m checker, checker.pyz, the worker), so it
# is written for any Python, even 2.7: an older Python than the checker supports gets one
# sentence and the "cannot run" status instead of a SyntaxError from a later module.
import sys

MIN_PYTHON = (3, 11)
# Exit statuses, the same for python -m checker and checker.pyz (documented in --help).
EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_CANNOT_RUN = 0, 1, 2, 3
EXIT_SIGNAL_BASE = 128  # stopped by signal N (Ctrl-C, SIGTERM, SIGHUP): 128 + N

if sys.version_info[:2] < MIN_PYTHON:
    TOO_OLD = (  # %-formatting, so that Python 2 can read this file
        "cannot run: the checker needs Python %d.%d or newer, and %s is Python %s. Run it with "
        "a newer Python that has torch installed (python3.11 checker.pyz workbook.py, say).\n"
    )
    sys.stderr.write(
        TOO_OLD  # noqa: UP031
        % (MIN_PYTHON[0], MIN_PYTHON[1], sys.executable or "this", sys.version.split()[0])
    )
    sys.exit(EXIT_CANNOT_RUN)
