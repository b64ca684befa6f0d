"""The search index the build writes (hooks/search_index.py over Material's search plugin):
prose and headings in the text, code in its own low-boost field, no prompts or button labels,
no quiz answers, and the lab indexed section by section."""

import json
import re
from html.parser import HTMLParser

import pytest

from course import ROOT
from course.inventory import lab_files, pages
from course.pages import url_path
from hooks.search_index import CODE_FIELD, by_position, mark_excluded, split_code

# What is not the lesson's text: console prompts, the lab's cell prompts, button labels, the
# lab's heading anchors. Prose may name a prompt in inline code (`>>>`): that is left out.
NOT_TEXT = {
    "a >>> prompt": re.compile(r"&gt;&gt;&gt;|>>>"),
    "a ... prompt": re.compile(r"(^|\n)\.\.\. "),
    "a $ prompt": re.compile(r"(^|\n)\$ "),
    "an In [n]: prompt": re.compile(r"(In|Out)\s*\[\d*\]:"),
    "a button label": re.compile(r"Copied!|Copy to Clipboard|Try Again"),
    "a heading anchor": re.compile(r"¶"),
}
INLINE_CODE = re.compile(r"<code>.*?</code>", re.DOTALL)
QUIZ_PAGES = [url_path(p) for p in pages(ROOT) if "<quiz>" in p.read_text()]


@pytest.fixture(scope="module")
def index(site):
    return json.loads((site / "search" / "search_index.json").read_text())


def test_code_has_its_own_field_ranked_below_prose_and_headings(index):
    fields = index["config"]["fields"]
    assert fields[CODE_FIELD]["boost"] < fields["text"]["boost"] < fields["title"]["boost"]
    with_code = [doc for doc in index["docs"] if doc.get(CODE_FIELD)]
    assert len(with_code) > 20, "code blocks did not reach the code field"
    in_text = [doc["location"] for doc in index["docs"] if "<pre>" in doc["text"]]
    assert not in_text, f"code blocks in the text (the result preview): {in_text}"


def test_no_prompts_or_button_labels_in_the_index(index):
    found = [
        f"{doc['location']} [{field}]: {what}"
        for doc in index["docs"]
        for field in ("title", "text", CODE_FIELD)
        for what, pattern in NOT_TEXT.items()
        if pattern.search(INLINE_CODE.sub("", doc.get(field, "")))
    ]
    assert not found, "\n".join(found)
    questions = [
        doc["location"]
        for doc in index["docs"]
        if doc["location"].split("#")[0] in QUIZ_PAGES and "#" in doc["location"]
    ]
    assert questions, "no quiz question sections in the index"
    labelled = [loc for loc in questions if "Submit" in words(index_text(index, loc))]
    assert not labelled, f"the quiz's Submit button is in the index: {labelled}"


def index_text(index, location):
    return next(doc["text"] for doc in index["docs"] if doc["location"] == location)


class AnswerTexts(HTMLParser):
    """The text of each quiz option's feedback and of the reasoning block under a question."""

    def __init__(self):
        super().__init__()
        self.answers, self._depth, self._quiz_closed, self._divs = [], 0, False, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        after_quiz, self._quiz_closed = self._quiz_closed, False
        if self._depth:
            self._depth += 1
        elif "answer-feedback" in classes or (tag == "details" and after_quiz):
            self._depth = 1
            self.answers.append("")
        if tag == "div":
            self._divs.append("quiz" in classes)

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
        if tag == "div" and self._divs:
            self._quiz_closed = self._divs.pop()

    def handle_data(self, data):
        if self._depth:
            self.answers[-1] += data


def words(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


def test_no_quiz_answer_is_in_the_index(site, index):
    assert QUIZ_PAGES
    indexed = " ".join(words(doc["text"]) + " " + words(doc["title"]) for doc in index["docs"])
    for url in QUIZ_PAGES:
        parser = AnswerTexts()
        parser.feed((site / url / "index.html").read_text())
        answers = [words(a) for a in parser.answers]
        assert len(answers) >= 4, f"{url}: found only {answers}"
        # Compare a sentence-sized piece of each: a whole block may differ in markup.
        leaked = [a[:60] for a in answers if a[:60] in indexed]
        assert not leaked, f"{url}: quiz answers in the search index: {leaked}"


def test_each_lab_section_is_its_own_entry_with_its_code(site, index):
    for lab in lab_files(ROOT):
        url = f"{lab.parent.name}/lab/"
        docs = [doc for doc in index["docs"] if doc["location"].split("#")[0] == url]
        html = (site / url / "index.html").read_text()
        headings = re.findall(r'<h[1-6] id="([^"]+)"', html)
        sections = [doc["location"].partition("#")[2] for doc in docs[1:]]
        assert sections == headings, f"{url}: index sections {sections}, headings {headings}"
        page_entry = docs[0]
        assert not page_entry.get(CODE_FIELD) and len(page_entry["text"]) < 500, (
            f"{url}: the page's own entry holds the cells: {page_entry['text'][:200]!r}"
        )
        cells = [doc for doc in docs[2:] if doc["title"] != "Sources"]  # Sources: prose only
        assert all(doc.get(CODE_FIELD) for doc in cells), f"{url}: a section without code"


def test_marking_adds_the_documented_attribute_and_flattens_only_divs():
    html = (
        '<div class="jp-Cell"><div class="jp-InputPrompt">In [1]:</div><h2 id="a">A</h2></div>'
        '<pre><span class="gp">&gt;&gt;&gt; </span>x = 1</pre>'
        '<div class="quiz"><div><button>Submit</button></div></div>\n<details><p>why</p></details>'
        "<details><p>other</p></details>"
    )
    marked, flat = mark_excluded(html)
    assert marked.count('data-search-exclude="true"') == 4
    assert '<span class="gp" data-search-exclude="true">' in marked
    assert '<details data-search-exclude="true"><p>why' in marked
    assert "<details><p>other" in marked  # only the block right after a quiz
    assert '<h2 id="a">' in flat and '<div class="jp-Cell">' not in flat
    assert '<div class="jp-InputPrompt" data-search-exclude="true">In [1]:</div>' in flat


def test_split_code_and_position_boosts():
    entry = {"location": "p/#a", "title": "A", "text": "<p>prose</p> <pre>x = 1\n</pre>"}
    assert split_code(entry) == {**entry, "text": "<p>prose</p>", CODE_FIELD: "x = 1\n"}
    docs = [{"location": "p/"}, {"location": "p/#a"}, {"location": "p/#b", "boost": 2}]
    assert [d.get("boost") for d in by_position(docs)] == [None, 1, 1.98]


class SolutionTexts(HTMLParser):
    """The text of each task's worked solution (a <details class="... solution">), code aside."""

    def __init__(self):
        super().__init__()
        self.solutions, self._depth, self._code = [], 0, 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
            self._code += tag == "pre"
        elif tag == "details" and "solution" in classes:
            self._depth = 1
            self.solutions.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            self._code -= tag == "pre"

    def handle_data(self, data):
        if self._depth and not self._code:
            self.solutions[-1] += data


def test_no_worked_solution_is_in_the_index(site, index):
    """A search result shows no more than the page does: a solution stays collapsed."""
    indexed = " ".join(
        words(doc["text"]) + " " + words(doc["title"]) + " " + doc.get(CODE_FIELD, "")
        for doc in index["docs"]
    )
    checked = 0
    for page in pages(ROOT):
        parser = SolutionTexts()
        parser.feed((site / url_path(page) / "index.html").read_text())
        for solution in map(words, parser.solutions):
            checked += 1
            # Skip the block's title ("Worked solution"), which the page shows too.
            piece = solution.removeprefix("Worked solution").strip()[:60]
            assert piece not in indexed, f"{url_path(page)}: a worked solution is in the index"
    assert checked >= 1, "no worked solution found on any page"
