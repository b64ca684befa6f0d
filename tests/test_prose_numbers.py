"""Every number in a page's prose appears in a snippet that page includes, or in its Sources.

The rule, its exceptions (numbering, references to numbered parts, identifiers, versions,
years) and how numbers are matched are in tests/prose_numbers.py. Pages are found by
discovery: every Markdown page under docs/ and every lesson's lab.
"""

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from course import ROOT
from tests.prose_numbers import (
    evidence_values,
    matches,
    numbers_in_prose,
    problems,
    read_lab,
    read_markdown_page,
    site_pages,
)

PAGES = site_pages(ROOT)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.path.relative_to(ROOT)) for p in PAGES])
def test_every_number_in_the_prose_has_evidence_on_its_page(page):
    found = problems(ROOT, [page])
    assert not found, "\n".join(str(p) for p in found)


def test_the_site_has_pages_with_checked_numbers():
    checked = [p for p in PAGES if any(numbers_in_prose(text) for _, text in p.prose)]
    assert len(checked) >= len(PAGES) // 2, "the rule checks almost nothing: is prose read?"


# --- the rule on pages written for the test -------------------------------------------------

SNIPPET = """>>> import torch
>>> torch.zeros(1000, 128).shape
torch.Size([1000, 128])
>>> round(0.02 * 4096**0.5, 4)
1.28
"""

PAGE = """---
quiz:
  enabled: true
---

# 1. A page

## 2. The table

The table has shape (1000, 128) and its rows have norm about 1.28, or 1.3.
Task 3 and page 4 refer to other parts; see pages 1 to 4 and Tasks 1 and 2.
The lesson id 9.8.7, transformers 5.24.0, Python 3.11, fp32, GPT-2 and Llama-3.1-8B are names.
Glorot and Bengio (2010) and Press and Wolf, 2017; are citations.

1. A numbered list item.

```pycon
--8<-- "lesson/page/01_snippet.pycon"
```

<!-- 999 in a comment is not prose -->
A link [to 77 things](https://example.com/88) is checked by its text only.
The configuration says 163840.

## Sources

- A config file: `vocab_size` 163840.
"""


def write_site(root: Path, page: str, snippet: str = SNIPPET) -> Path:
    (root / "docs" / "lesson").mkdir(parents=True)
    (root / "snippets" / "lesson" / "page").mkdir(parents=True)
    (root / "snippets" / "lesson" / "page" / "01_snippet.pycon").write_text(snippet)
    path = root / "docs" / "lesson" / "page.md"
    path.write_text(page)
    return path


def page_problems(root: Path, path: Path) -> list:
    return problems(root, [read_markdown_page(path, root / "snippets")])


def test_a_page_whose_numbers_have_evidence_passes_except_its_link_text(tmp_path):
    path = write_site(tmp_path, PAGE)
    assert [(p.line, p.number) for p in page_problems(tmp_path, path)] == [(22, "77")]


def test_a_planted_wrong_number_fails_naming_page_line_and_number(tmp_path):
    path = write_site(tmp_path, PAGE.replace("norm about 1.28", "norm about 1.82"))
    found = page_problems(tmp_path, path)
    assert [(p.page, p.line, p.number) for p in found if p.number != "77"] == [
        ("docs/lesson/page.md", 10, "1.82")
    ]
    assert "docs/lesson/page.md:10: 1.82 appears in no snippet" in str(found[0])


def test_a_number_only_in_the_sources_passes_and_is_missing_without_them(tmp_path):
    path = write_site(tmp_path, PAGE.replace("- A config file: `vocab_size` 163840.", ""))
    assert ("163840", 23) in {(p.number, p.line) for p in page_problems(tmp_path, path)}


def test_code_blocks_front_matter_and_comments_are_not_prose(tmp_path):
    page = PAGE.replace("```pycon\n", "```pycon\n9999 in a block\n")
    path = write_site(tmp_path, page)
    texts = " ".join(text for _, text in read_markdown_page(path, tmp_path / "snippets").prose)
    assert "9999" not in texts and "enabled" not in texts and "999" not in texts


@pytest.mark.parametrize(
    ("prose", "checked"),
    [
        ("## 1. The matrix", []),
        ("| [2. Padding](padding.md) | Theory 2 | 0.02 |", ["0.02"]),
        ("Code tasks 1-4, Tasks 1 and 2, page 4, question 3", []),
        ("Llama-3.2-1B, GPT-2, fp32, bf16, e4m3, config_671B, 9.8.7, 5.24.0", []),
        ("Python 3.11 and PyTorch 2.13 and torch 2.13", []),
        ("(Glorot and Bengio, 2010; Press and Wolf, 2017) in December 2026", []),
        ("a 100k to 256k vocabulary, 1T parameters", ["100k", "256k", "1T"]),
        (r"$22.6^{32} \approx 2 \times 10^{43}$ and $10^{-11}$", ["22.6", "32", "2e43", "1e-11"]),
        (
            "411{,}041{,}792 and 1,644,167,168 bytes; 3 x (8 + 512)",
            ["411,041,792", "1,644,167,168", "3", "8", "512"],
        ),
        ("uniform(-0.1, 0.1) and `-100`", ["-0.1", "0.1", "-100"]),
    ],
)
def test_which_numbers_are_checked(prose, checked):
    assert [n.text for n in numbers_in_prose(prose)] == checked


@pytest.mark.parametrize(
    ("prose", "evidence", "ok"),
    [
        ("64", {"64.0000"}, True),
        ("64", {"63.9865"}, False),  # an integer must be exact
        ("1.28", {"1.2805"}, True),  # a decimal: the evidence rounded to its places
        ("1.3", {"1.2805"}, True),
        ("1.82", {"1.2805"}, False),
        ("1e-11", {"9.57e-12"}, True),  # scientific: the same significant digits
        ("2e43", {"2.23e+43"}, True),
        ("100k", {"100352"}, True),
        ("128k", {"100352"}, False),
        ("-0.1", {"0.1"}, True),  # signs are ignored
    ],
)
def test_how_a_number_matches_its_evidence(prose, evidence, ok):
    (number,) = numbers_in_prose(prose)
    assert matches(number, {Decimal(e) for e in evidence}) is ok


def test_a_lab_reads_markdown_cells_as_prose_and_code_as_evidence(tmp_path):
    lab = tmp_path / "lab.py"
    lab.write_text(
        "# %% [markdown]\n# A stack of 48 layers and 7 more.\n\n# %%\nDEPTH = 48\n"
        "# %% [markdown]\n# ## Sources\n# - a paper, section 7.\n"
    )
    page = read_lab(lab)
    assert [text for _, text in page.prose] == ["A stack of 48 layers and 7 more.", ""]
    assert problems(tmp_path, [page]) == []
    lab.write_text(lab.read_text().replace("section 7.", "section 6."))
    assert [(p.line, p.number) for p in problems(tmp_path, [read_lab(lab)])] == [(2, "7")]


# --- held out: a wrong number planted in a real page ----------------------------------------


def _value(number, last_digit: str) -> Decimal:
    """The number with its last written digit replaced, as the prose parser would read it."""
    (changed,) = numbers_in_prose(number.text[:-1] + last_digit)
    return changed.value


def copy_site(tmp_path: Path) -> Path:
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.png"))
    return tmp_path


def test_a_wrong_number_planted_in_each_real_page_is_caught(tmp_path):
    """In every page with a checked number of three digits or more, change that number's
    last digit to one no evidence on the page has; the check must name the page and line."""
    root = copy_site(tmp_path)
    planted = 0
    for page in site_pages(root):
        evidence = evidence_values(page.evidence)
        candidates = [
            (line, number, number.text[:-1] + digit)
            for line, text in page.prose
            for number in numbers_in_prose(text)
            if number.kind != "significant" and len(re.sub(r"\D", "", number.text)) >= 3
            for digit in "0123456789"
            if not matches(replace(number, value=_value(number, digit)), evidence)
        ]
        if not candidates:
            continue
        line, number, wrong = candidates[0]
        lines = page.path.read_text().splitlines(keepends=True)
        index = line - 1
        assert number.text in lines[index], (page.path, line, number.text)
        lines[index] = lines[index].replace(number.text, wrong, 1)
        page.path.write_text("".join(lines))
        reread = (
            read_lab(page.path)
            if page.path.suffix == ".py"
            else read_markdown_page(page.path, root / "snippets")
        )
        where = str(page.path.relative_to(root))
        assert any(
            (p.page, p.line, p.number) == (where, line, wrong) for p in problems(root, [reread])
        ), f"{where}:{line}: {number.text} changed to {wrong} and not caught"
        planted += 1
    assert planted >= 5, f"only {planted} pages had a number to plant into"


# --- a new lesson passes at once ------------------------------------------------------------


def test_a_scaffolded_lesson_passes(tmp_path):
    from course.build import copy_project
    from course.lessons import next_free_number

    project = copy_project(tmp_path)
    lesson_id = next_free_number(project)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "new_lesson.py"),
            "--root",
            str(project),
            lesson_id,
            "Scaffold check",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    found = problems(project)
    assert not found, "\n".join(str(p) for p in found)
