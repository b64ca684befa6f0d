"""The Sybil suite that runs every snippet: .pycon files as doctests, .console files as
console sessions (course/console.py). conftest.py collects it; refresh and drift use it too."""

import secrets
from pathlib import Path

from sybil import Sybil
from sybil.parsers.rest import DocTestParser
from sybil.sybil import SybilCollection

from course import SNIPPETS_DIR
from course.console import SUFFIX as CONSOLE_SUFFIX
from course.console import parse_console

SNIPPET_GLOB = "*.pycon"


def poison_seed(namespace):
    """Seed torch at random before each snippet, so one that forgets to seed itself fails.

    A reader pastes a snippet into a REPL that may have drawn random numbers already;
    only an explicit torch.manual_seed in the snippet makes its output reproducible.
    """
    import torch

    torch.manual_seed(secrets.randbits(63))


def make_sybil(path: Path = SNIPPETS_DIR) -> Sybil:
    return Sybil(
        parsers=[DocTestParser()],
        patterns=[SNIPPET_GLOB],
        path=str(path),
        setup=poison_seed,
    )


def make_console_sybil(path: Path = SNIPPETS_DIR) -> Sybil:
    """Console sessions (course/console.py): each .console file runs its command."""
    return Sybil(parsers=[parse_console], patterns=[f"*{CONSOLE_SUFFIX}"], path=str(path))


def make_suite(path: Path = SNIPPETS_DIR) -> SybilCollection:
    """Every snippet kind under path: doctest sessions and console sessions."""
    return SybilCollection([make_sybil(path), make_console_sybil(path)])


snippets = make_suite()
