"""Make the site's search rank headings and prose above code, and give away no answers.

Material's search plugin (material/search) splits each page's HTML into sections, one per
heading, each with a title and a text; its client ranks a match in a title a thousand times a
match in a text. This hook:

1. keeps out of the index what is not the lesson's text, with the attribute Material documents
   for it, `data-search-exclude` (added before the plugin reads the page; the plugin then
   removes it from the page): the prompts of console blocks (`>>>`, `...`, `$`), the lab's
   `In [n]:` prompts, copy buttons ("Copied!") and heading anchors, the labels inside diagrams
   (their captions say what they show), and in quizzes the buttons,
   the question links, each option's feedback and the reasoning under each question: those are
   the answers, and a search result must not show them; for the same reason, a task's worked
   solution (a collapsed block of class `solution`): the page keeps it closed until the reader
   opens it, and a result's preview would show it unasked (what it teaches is on the lesson's
   topic pages, which search finds);
2. indexes a notebook page (a lab) by its headings. nbconvert nests each heading in its cell's
   divs, so the plugin closes the heading's section at the end of that cell and files every
   later cell, code and figures, under the page's first entry, whose preview then starts with
   the first code cell. The page is indexed again from its HTML without the divs;
3. in the written index, moves each section's code blocks out of its text into a field of
   their own, `code`, with a low boost (Material's client builds one lunr field per entry of
   the index's `config.fields`): a word in a heading or in prose ranks above the same word in
   code, code is still found, and a result's preview shows prose, not a whole code block;
4. breaks near-ties by the order of a page's sections, as Algolia's DocSearch does: each
   section's boost is a little lower than the one before it (1 %, down to 0.8), so of two
   headings that name a term, the page's first, where a lesson introduces it, comes first.

tests/test_search_index.py checks the built index, tests/browser/test_search.py the ranking
that Material's own search client gives.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

SEARCH_PLUGIN = "material/search"
EXCLUDE = ' data-search-exclude="true"'
# Elements whose text is not the lesson's: prompts, buttons and their labels, anchors, answers.
EXCLUDED_CLASSES = {
    "gp",  # a console prompt, >>> ... or $ (Pygments' Generic.Prompt)
    "jp-InputPrompt",  # the lab's "In [1]:"
    "jp-OutputPrompt",
    "zeroclipboard-container",  # the lab's copy button, with its "Copied!" label
    "clipboard-copy-txt",  # a second, hidden copy of a lab cell's code, for that button
    "anchor-link",  # the lab's heading anchors, a pilcrow
    "quiz-header-link",  # a question's "#" link
    "answer-feedback",  # an option's feedback: says whether it is right
    "quiz-feedback",
}
SOLUTION_CLASS = "solution"  # a task's worked solution, collapsed: ??? example solution "..."
CODE_FIELD = "code"
CODE_BOOST = 0.1  # text has 1, titles 1000 (Material's defaults)
POSITION_STEP, POSITION_FLOOR = 0.01, 0.8
PRE = re.compile(r"<pre>(.*?)</pre>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


class Markup(HTMLParser):
    """Offsets of the start tags to exclude from search, and of every div's tags."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.excluded: list[int] = []  # offsets where EXCLUDE goes
        self.divs: list[tuple[int, int, bool]] = []  # (start, end, excluded) of each div tag
        self._open_divs: list[tuple[int, bool]] = []  # (opening tag offset, excluded)
        self._quiz_depth: int | None = None  # div depth of the open quiz, if any
        self._after_quiz = False
        self.feed(html)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        start = self.position()
        classes = set((dict(attrs).get("class") or "").split())
        exclude = (
            bool(classes & EXCLUDED_CLASSES)
            or tag in ("button", "svg")  # a diagram's labels: its caption says it in prose
            or (tag == "details" and (self._after_quiz or SOLUTION_CLASS in classes))
        )
        self._after_quiz = False
        if exclude:
            self.excluded.append(start + len(text) - (2 if text.endswith("/>") else 1))
        if tag == "div":
            if "quiz" in classes and self._quiz_depth is None:
                self._quiz_depth = len(self._open_divs)
            self._open_divs.append((start, exclude))
            self.divs.append((start, start + len(text), exclude))

    def handle_endtag(self, tag):
        if tag != "div" or not self._open_divs:
            return
        start = self.position()
        _, exclude = self._open_divs.pop()
        self.divs.append((start, start + len("</div>"), exclude))
        if self._quiz_depth == len(self._open_divs):
            self._quiz_depth, self._after_quiz = None, True


def mark_excluded(html: str) -> tuple[str, str]:
    """(the page with data-search-exclude added, the same without the divs that wrap text:
    a flat version in which every heading is at the depth of the text after it)."""
    markup = Markup(html)
    edits = [(offset, offset, EXCLUDE) for offset in markup.excluded]
    marked = splice(html, edits)
    flat_edits = edits + [(start, end, "") for start, end, exclude in markup.divs if not exclude]
    return marked, splice(html, flat_edits)


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace text[start:end] by each edit's string; edits do not overlap."""
    out, last = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        out += [text[last:start], new]
        last = end
    return "".join(out + [text[last:]])


FLAT: dict[str, str] = {}  # notebook page URL -> its flat HTML, for on_page_context


def on_page_content(html, page, **kwargs):
    marked, flat = mark_excluded(html)
    if 'class="jp-Notebook' in html:
        FLAT[page.url] = flat
    return marked


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context, page, config, **kwargs):
    flat = FLAT.pop(page.url, None)
    if flat is None:
        return context
    plugin = config.plugins.get(SEARCH_PLUGIN)
    index = getattr(plugin, "search_index", None)
    if index is None or not hasattr(index, "entries"):
        raise PluginError(
            f"hooks/search_index.py: no {SEARCH_PLUGIN} plugin with a search_index.entries "
            "list (has Material changed?); cannot index notebook pages by heading"
        )
    index.entries[:] = [e for e in index.entries if e["location"].split("#")[0] != page.url]
    content = page.content
    page.content = flat
    try:
        index.add_entry_from_context(page)
    finally:
        page.content = content
    return context


def split_code(entry: dict) -> dict:
    """The entry with its <pre> blocks moved from text to the code field, as plain text."""
    blocks = PRE.findall(entry["text"])
    if not blocks:
        return entry
    text = re.sub(r"\s+", " ", PRE.sub(" ", entry["text"])).strip()
    code = "\n".join(TAG.sub("", block) for block in blocks)  # still HTML-escaped, as text is
    return {**entry, "text": text, CODE_FIELD: code}


def by_position(entries: list[dict]) -> list[dict]:
    """Each page's sections (entries in page order, after the page's own) boosted less and
    less: a tie-breaker, too small to lift a text match over a title match."""
    seen: dict[str, int] = {}
    out = []
    for entry in entries:
        page = entry["location"].split("#")[0]
        position = seen.get(page, -1)
        seen[page] = position + 1
        if position >= 0:
            factor = max(POSITION_FLOOR, 1 - POSITION_STEP * position)
            entry = {**entry, "boost": round(entry.get("boost", 1) * factor, 4)}
        out.append(entry)
    return out


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(config, **kwargs):
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        raise PluginError(f"hooks/search_index.py: {path} was not written by {SEARCH_PLUGIN}")
    index = json.loads(path.read_text())
    index["config"]["fields"][CODE_FIELD] = {"boost": CODE_BOOST}
    index["docs"] = by_position([split_code(entry) for entry in index["docs"]])
    path.write_text(json.dumps(index, separators=(",", ":")))
