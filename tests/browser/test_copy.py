"""Every copy button on a console block puts runnable code on the clipboard.

Chromium clicks each button of every page and reads the clipboard; each copied text is
pasted into its own fresh interactive python3, two at a time, forked from one that imported
torch (tests/browser/repl.py; tests/browser/test_repl.py shows it is as fresh as a new
`python -i`). Only the pages and blocks of the selected tests are visited and pasted. A block
whose code deliberately fails carries the title "raises <Error>" (enforced against its
snippet by tests/test_error_blocks.py); its paste must raise exactly that error, every other
paste must raise nothing.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from course import ROOT
from course.pages import snippets_by_page
from tests.browser.repl import ReplServer

BLOCKS = [
    (url, i, target)
    for url, targets in snippets_by_page().items()
    for i, target in enumerate(targets)
]
THIS_FILE = Path(__file__)
KINDS = ("pycon", "console", "python")  # the .language-<kind> classes of the blocks
RAISES_TITLE = re.compile(r"^raises (?P<error>\w+)$")
OPEN_ANSWERS = """() => document.querySelectorAll("details").forEach(d => {
  d.open = true;
  d.classList.add("quiz-reasoning--open");
})"""


def selected_params(session, test) -> list[dict]:
    """The parameters of the items of this test that the session runs (after -k, COURSE_LESSON
    and the like deselected the others), so that the fixtures do only their work."""
    return [
        item.callspec.params
        for item in session.items
        if item.path == THIS_FILE and getattr(item, "originalname", None) == test.__name__
    ]


@pytest.fixture(scope="session")
def repl_server():
    """Forks each paste's fresh python3 from one that imported torch (tests/browser/repl.py)."""
    with ReplServer() as server:
        yield server


@pytest.fixture(scope="session")
def copied(request, browser, base_url):
    """URL path -> {block kind: [(block title, clipboard text)]} in page order, for the pages of
    the selected tests: every console block (pycon), shell session (console) and script
    (python) that has a copy button."""
    session = request.session
    wanted = {
        params["url"]
        for test in (
            test_every_included_snippet_has_a_copy_button,
            test_copied_code_runs_in_python3,
            test_shell_sessions_copy_their_commands_and_scripts_copy_whole,
        )
        for params in selected_params(session, test)
    }
    if selected_params(session, test_copied_code_runs_in_python3):
        request.getfixturevalue("repl_server")  # its `import torch` runs while the browser clicks
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    found = {}
    for url in sorted(wanted):
        page.goto(base_url + url)
        # A reader opens a collapsed block (a task's worked solution) before copying the code
        # in it; a quiz question's reasoning shows once the question is answered right
        # (javascripts/quiz-reasoning.js). Closed, their blocks could not be clicked.
        page.evaluate(OPEN_ANSWERS)
        found[url] = {}
        for kind in KINDS:
            blocks = page.locator(f".language-{kind}.highlight")
            found[url][kind] = []
            for index in range(blocks.count()):
                block = blocks.nth(index)
                page.evaluate("navigator.clipboard.writeText('(clipboard not written)')")
                # As a reader does: the click scrolls the button into view, waits until it is
                # visible, steady and not covered, moves the mouse onto it, then clicks.
                block.locator("button[data-md-type=copy]").click()
                text = page.evaluate("navigator.clipboard.readText()")
                title = block.locator(".filename")
                found[url][kind].append((title.inner_text() if title.count() else "", text))
    context.close()
    return found


@pytest.fixture(scope="session")
def pasted(request, copied, repl_server):
    """(URL path, index) -> future Transcript of pasting that console block into a fresh
    python3, for the selected blocks, two at a time in the background."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {}
    for params in selected_params(request.session, test_copied_code_runs_in_python3):
        url, index = params["url"], params["index"]
        blocks = copied[url]["pycon"]
        if index < len(blocks):  # else the copy-button test reports the missing button
            futures[(url, index)] = pool.submit(repl_server.paste, blocks[index][1])
    yield futures
    pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("url", sorted(snippets_by_page()))
def test_every_included_snippet_has_a_copy_button(copied, url):
    blocks = copied[url]["pycon"]
    assert len(blocks) == len(snippets_by_page()[url]), (
        f"{url}: {len(snippets_by_page()[url])} snippets included, "
        f"{len(blocks)} console blocks with a copy button"
    )


@pytest.mark.parametrize(
    "url, index, target", BLOCKS, ids=[t.rsplit("/", 1)[-1] for _, _, t in BLOCKS]
)
def test_copied_code_runs_in_python3(copied, pasted, url, index, target):
    blocks = copied[url]["pycon"]
    assert index < len(blocks), f"{url} block {index} ({target}): no such console block"
    title, text = blocks[index]
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
def test_shell_sessions_copy_their_commands_and_scripts_copy_whole(copied, url, target):
    """A console block copies its `$ ` commands only (not the output); a script, all of it."""
    source = (ROOT / "snippets" / target).read_text()
    if target.endswith(".console"):
        expected = "".join(line[2:] + "\n" for line in source.splitlines() if line.startswith("$ "))
        kind = "console"
    else:
        expected = source.rstrip("\n")
        kind = "python"
    texts = [text for _, text in copied[url][kind]]
    assert expected in texts, f"{url}: no copy button copies {target} as expected:\n{texts}"
