"""Terms are defined before they are used: on every page of every lesson, the first use of each
glossary term (glossary.yml) is its tooltip, or the lesson lists it as a prerequisite.

A use is a form of the term in running text, or an identifier that names it in code: in a code
span, or in a code block, which shows no tooltip, so a page must define the term in its text
before a block uses it. Headings, links, the titles of collapsed blocks, labels and buttons,
maths and diagrams are not uses. A collapsed block is a scope of its own: a term its text uses
first is defined inside it. The tooltips never reach into a code block.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import pytest

from course import ROOT
from course.config import markdown_extensions
from course.glossary import GlossaryError, Matcher, load_glossary, matcher
from course.lessons import lessons
from course.pages import url_path
from hooks.glossary import glossary_list, with_tooltips

GLOSSARY = matcher()
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
NOT_A_USE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "label", "button", "script",
             "style", "svg", "math", "title", "textarea", "select", "option"}  # fmt: skip
NOT_A_USE_CLASSES = {"arithmatex", "headerlink", "md-button", "clipboard-copy-txt"}


@dataclass(frozen=True)
class Use:
    term: str
    kind: str  # "tooltip", "text", "code span" or "code block"
    scopes: tuple[int, ...]  # the collapsed blocks it sits in, outermost first (0: the page)
    text: str


class Uses(HTMLParser):
    """Every use of a glossary term in a page's content, in document order."""

    def __init__(self, html: str, glossary: Matcher = GLOSSARY):
        super().__init__(convert_charrefs=True)
        self.glossary = glossary
        self.by_definition = {t.definition: t for t in glossary.terms}
        self.uses: list[Use] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role): role "", "skip", "pre", "code"
        self.scopes, self.blocks = [0], 0
        self.tooltip: str | None = None  # the term of an open glossary <abbr>
        self.feed(html[html.find('class="md-content__inner') :] if "md-content" in html else html)

    def role(self) -> str:
        roles = [role for _, role in self.stack if role]
        return "skip" if "skip" in roles else (roles[-1] if roles else "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "abbr" and "glossary" in classes:
            term = self.by_definition.get(attrs.get("title") or "")
            assert term, f"a glossary tooltip whose text is no term's definition: {attrs}"
            self.uses.append(Use(term.name, "tooltip", tuple(self.scopes), ""))
            self.tooltip = term.name
        if tag == "details":
            self.blocks += 1
            self.scopes.append(self.blocks)
        if tag in VOID:
            return
        role = "skip" if tag in NOT_A_USE or classes & NOT_A_USE_CLASSES else ""
        role = role or {"pre": "pre", "code": "code"}.get(tag, "")
        self.stack.append((tag, role))

    def handle_endtag(self, tag):
        if tag == "abbr":
            self.tooltip = None
        if tag == "details" and len(self.scopes) > 1:
            self.scopes.pop()
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        role = self.role()
        if self.tooltip or role == "skip":
            return
        if role in ("pre", "code"):
            kind = "code block" if any(r == "pre" for _, r in self.stack) else "code span"
            found = self.glossary.code(data)
        else:
            kind, found = "text", self.glossary.prose(data)
        for start, end, term in found:
            self.uses.append(Use(term.name, kind, tuple(self.scopes), data[start:end]))


def undefined_first_uses(html: str, prerequisites: set[str], glossary=GLOSSARY) -> list[Use]:
    """Each use that comes before any tooltip of its term in its scopes, once per scope."""
    defined: dict[int, set[str]] = {}
    found, reported = [], set()
    for use in Uses(html, glossary).uses:
        if use.term in prerequisites:
            continue
        if any(use.term in defined.get(scope, set()) for scope in use.scopes):
            continue
        if use.kind == "tooltip":
            defined.setdefault(use.scopes[-1], set()).add(use.term)
        elif (use.term, use.scopes) not in reported:
            reported.add((use.term, use.scopes))
            found.append(use)
    return found


def prerequisites(site, lesson) -> set[str]:
    """The terms the lesson's overview lists under its Prerequisites heading."""
    html = (site / url_path(lesson.docs / "index.md") / "index.html").read_text()
    section = re.search(r'<h2 id="prerequisites".*?(?=<h2\b|$)', html, re.DOTALL)
    if not section:
        return set()
    text = re.sub(r"<[^>]+>", " ", section[0])
    return {term.name for _, _, term in GLOSSARY.prose(text) + GLOSSARY.code(text)}


def lesson_pages(site, lesson):
    pages = [site / url_path(page) / "index.html" for page in lesson.pages]
    if lesson.lab is not None:
        pages.append(site / lesson.id / "lab" / "index.html")
    return pages


def test_every_term_is_defined_by_its_first_use(site, lesson):
    known = prerequisites(site, lesson)
    found = [
        f"{page.parent.relative_to(site)}: {use.term!r} is first used in a {use.kind} "
        f"({use.text!r}{', in a collapsed block' if len(use.scopes) > 1 else ''}) before "
        "its tooltip; name it in the text first, or list it in the lesson's prerequisites"
        for page in lesson_pages(site, lesson)
        for use in undefined_first_uses(page.read_text(), known)
    ]
    assert not found, "\n".join(found)


def test_the_check_sees_tooltips_and_code_uses(site):
    """Not vacuous: the lessons' pages have tooltips, and code blocks are read as uses."""
    kinds = {
        use.kind
        for lesson in lessons()
        for page in lesson_pages(site, lesson)
        for use in Uses(page.read_text()).uses
    }
    assert {"tooltip", "code block", "text"} <= kinds, kinds


def test_no_tooltip_reaches_into_a_code_block(site):
    inside = [
        str(page.relative_to(site))
        for page in site.rglob("index.html")
        if re.search(r"<pre\b(?:(?!</pre>).)*<abbr\b", page.read_text(), re.DOTALL)
    ]
    assert not inside, f"glossary tooltips inside code blocks: {inside}"


def test_the_glossary_page_lists_every_term(site):
    html = (site / "glossary" / "index.html").read_text()
    listed = re.findall(r'<dt id="([^"]+)">', html)
    assert listed == sorted((t.anchor for t in GLOSSARY.terms), key=str.lower)
    assert 'class="glossary"' not in html, "the Glossary page should not tooltip itself"


# --- the rules on planted pages -------------------------------------------------------------


def render(text: str) -> str:
    names, configs = markdown_extensions(ROOT)
    return with_tooltips(
        markdown.markdown(text, extensions=names, extension_configs=configs), GLOSSARY
    )


def first_uses(text: str, known=frozenset()) -> list[tuple[str, str]]:
    return [(use.term, use.kind) for use in undefined_first_uses(render(text), set(known))]


CODE_BLOCK = "```pycon\n>>> logits = model(ids)\n```\n\n"


def test_a_term_in_the_text_before_a_block_is_defined():
    assert first_uses("Each logit is a score.\n\n" + CODE_BLOCK) == []


def test_a_term_first_used_in_a_code_block_is_named():
    assert first_uses(CODE_BLOCK + "Each logit is a score.\n") == [("logit", "code block")]


def test_a_prerequisite_needs_no_tooltip():
    assert first_uses(CODE_BLOCK, known={"logit"}) == []


def test_a_code_span_gets_the_tooltip_and_a_heading_is_no_use():
    page = "## Logits\n\nWith `ignore_index` set, " + CODE_BLOCK.replace("logits", "ignore_index")
    assert first_uses(page) == []
    assert render(page).count('class="glossary"') == 1


def test_a_collapsed_block_is_a_scope_of_its_own():
    page = '??? note "Inside"\n    Each logit is a score.\n\nOutside, a logit again.\n'
    html = render(page)
    assert html.count('class="glossary"') == 2, html
    assert first_uses(page) == []
    assert first_uses(page.replace("Each logit", "Each value")) == []  # defined outside


def test_the_checker_catches_a_missing_tooltip():
    html = render("Each logit is a score.\n").replace('class="glossary"', 'class="x"')
    assert [u.kind for u in undefined_first_uses(html, set())] == ["text"]


# --- the glossary file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry, message",
    [
        ("- term: x\n", "needs a `definition:`"),
        ("- term: x\n  definition: a <b>bold</b> claim\n", "plain text"),
        ("- term: x\n  definition: " + "word " * 70 + "\n", "at most 300"),
        ("- term: x\n  definition: d\n- term: y\n  forms: [X]\n  definition: d\n", "already"),
        ("- term: x\n  definition: d\n  see: y\n", "unknown keys"),
    ],
    ids=["no definition", "markup", "too long", "a form twice", "unknown key"],
)
def test_a_bad_glossary_entry_is_refused(tmp_path, entry, message):
    path = tmp_path / "glossary.yml"
    path.write_text(entry)
    with pytest.raises(GlossaryError, match=message):
        load_glossary(path)


def test_the_glossary_list_escapes_and_sorts():
    terms = load_glossary()
    html = glossary_list(terms)
    assert html.count("<dt ") == len(terms) and "In code:" in html
