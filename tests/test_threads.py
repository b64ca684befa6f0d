"""Outputs do not depend on the number of threads: the doc tests pass again with one thread.

The main run uses torch's default (one thread per core: 2 on the project's machines), so
together the two runs cover 1 and 2 threads.
"""

import os
import subprocess
import sys

import pytest

from course import ROOT

ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def test_one_thread_really_means_one():
    probe = "import torch; print(torch.get_num_threads())"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=ONE_THREAD, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "1"


@pytest.mark.long
def test_doc_tests_pass_with_one_thread():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
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
    assert result.returncode == 0, "doc tests differ with one thread:\n" + result.stdout[-5000:]
