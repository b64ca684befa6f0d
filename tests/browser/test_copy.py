"""Every copy button on a console block puts runnable code on the clipboard.

Chromium clicks each button of every page and reads the clipboard; each copied text is
pasted into its own fresh interactive python3 (tests/browser/repl.py), two at a time. A block
whose code deliberately fails carries the title "raises <Error>" (enforced against its
snippet by tests/test_error_blocks.py); its paste must raise exactly that error, every other
paste must raise nothing.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from course import ROOT
from course.pages import snippets_by_page
from tests.browser.repl import paste

BLOCKS = [
    (url, i, target)
    for url, targets in snippets_by_page().items()
    for i, target in enumerate(targets)
]
RAISES_TITLE = re.compile(r"^raises (?P<error>\w+)$")
OPEN_ANSWERS = """() => document.querySelectorAll("details").forEach(d => {
  d.open = true;
  d.classList.add("quiz-reasoning--open");
})"""


@pytest.fixture(scope="session")
def copied(browser, base_url):
    """URL path -> [(block title, clipboard text)] for every console block, in page order."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    found = {}
    for url in snippets_by_page():
        page.goto(base_url + url)
        # A reader opens a collapsed block (a task's worked solution) before copying the code
        # in it; a quiz question's reasoning shows once the question is answered right
        # (javascripts/quiz-reasoning.js). Closed, their blocks could not be clicked.
        page.evaluate(OPEN_ANSWERS)
        blocks = page.locator(".language-pycon.highlight")
        found[url] = []
        for index in range(blocks.count()):
            block = blocks.nth(index)
            page.evaluate("navigator.clipboard.writeText('(clipboard not written)')")
            block.hover()
            block.locator("button[data-md-type=copy]").click()
            text = page.evaluate("navigator.clipboard.readText()")
            title = block.locator(".filename")
            found[url].append((title.inner_text() if title.count() else "", text))
    context.close()
    return found


@pytest.fixture(scope="session")
def pasted(copied):
    """(URL path, index) -> future Transcript of pasting that block into a fresh python3."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {
        (url, index): pool.submit(paste, text)
        for url, blocks in copied.items()
        for index, (_, text) in enumerate(blocks)
    }
    yield futures
    pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("url", sorted(snippets_by_page()))
def test_every_included_snippet_has_a_copy_button(copied, url):
    assert len(copied[url]) == len(snippets_by_page()[url]), (
        f"{url}: {len(snippets_by_page()[url])} snippets included, "
        f"{len(copied[url])} console blocks with a copy button"
    )


@pytest.mark.parametrize(
    "url, index, target", BLOCKS, ids=[t.rsplit("/", 1)[-1] for _, _, t in BLOCKS]
)
def test_copied_code_runs_in_python3(copied, pasted, url, index, target):
    title, text = copied[url][index]
    assert text.strip(), f"{url} block {index} ({target}): copied nothing"
    assert not re.search(r"^(>>>|\.\.\.)( |$)", text, re.MULTILINE), (
        f"{target}: the clipboard holds prompts:\n{text}"
    )
    transcript = pasted[(url, index)].result()
    expected = RAISES_TITLE.match(title)
    if expected:
        assert transcript.errors() == [expected["error"]], (
            f"{target} is titled {title!r}; pasting it reported {transcript.errors()}:\n"
            f"{transcript.text}"
        )
        assert transcript.last_exception == expected["error"]
    else:
        assert transcript.errors() == [] and transcript.last_exception is None, (
            f"{target}: pasting the copied code into python3 failed:\n{transcript.text}"
        )


SHOWN_FILES = [
    (url, target)
    for suffix in (".console", ".py")
    for url, targets in snippets_by_page(suffix).items()
    for target in targets
]


@pytest.mark.parametrize("url, target", SHOWN_FILES, ids=[t for _, t in SHOWN_FILES])
def test_shell_sessions_copy_their_commands_and_scripts_copy_whole(browser, base_url, url, target):
    """A console block copies its `$ ` commands only (not the output); a script, all of it."""
    source = (ROOT / "snippets" / target).read_text()
    if target.endswith(".console"):
        expected = "".join(line[2:] + "\n" for line in source.splitlines() if line.startswith("$ "))
        selector = ".language-console.highlight"
    else:
        expected = source.rstrip("\n")
        selector = ".language-python.highlight"
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + url)
    texts = []
    blocks = page.locator(selector)
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        texts.append(page.evaluate("navigator.clipboard.readText()"))
    context.close()
    assert expected in texts, f"{url}: no copy button copies {target} as expected:\n{texts}"
