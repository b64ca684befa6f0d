"""Outputs do not depend on the number of threads: the doc tests pass again with one thread.

The main run uses torch's default (one thread per core: 2 on the project's machines), so
together the two runs cover 1 and 2 threads. The console sessions too: their torchrun ranks
get one thread per CPU in the main run and one here (course/console.py).
"""

import os
import re
import subprocess
import sys

import pytest

from course import ROOT

ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# The doc tests' own process says how many threads torch gives it, then runs them: one
# `import torch` for both.
PROGRAM = """import sys, pytest, torch
print(f"torch threads: {torch.get_num_threads()}", flush=True)
sys.exit(pytest.main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def one_thread_run():
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PROGRAM,
            "snippets",
            "-q",
            "-p",
            "no:doctest",
            "-p",
            "no:cacheprovider",
            # One process: the other cores are running the rest of the suite meanwhile.
            "-n",
            "0",
        ],
        cwd=ROOT,
        env=ONE_THREAD,
        capture_output=True,
        text=True,
    )


@pytest.mark.long
def test_doc_tests_pass_with_one_thread(one_thread_run):
    assert one_thread_run.returncode == 0, (
        "doc tests differ with one thread:\n" + one_thread_run.stdout[-5000:]
    )


def test_one_thread_really_means_one(one_thread_run):
    threads = re.search(r"^torch threads: (\d+)$", one_thread_run.stdout, re.MULTILINE)
    assert threads, f"the one-thread run printed no thread count:\n{one_thread_run.stdout[:2000]}"
    assert threads[1] == "1", f"the one-thread run's torch has {threads[1]} threads"
