"""The course's glossary on the site: a term's definition at its first use on a page, and the
Glossary page that lists every term.

glossary.yml holds the terms (course/glossary.py reads and checks it). On every page but the
Glossary itself, this hook wraps the first use of each term in
`<abbr class="glossary" title="definition" tabindex="0">`: Material's improved tooltips
(`content.tooltips`) show the title on hover and on focus, and the tab stop makes a tap on a
phone, or the Tab key, focus it. A use is a form of the term in running text, or an inline
code span that names it (`ignore_index`); the abbr extension cannot reach either of those in
a code span, nor a lab page, which nbconvert renders, so this hook does the wrapping itself.

Never wrapped, and so never a first use: code blocks (`<pre>`), headings, links, the title of
a collapsed block (`<summary>`), form labels and buttons, maths, diagrams. A collapsed block
(`<details>`, such as a worked solution) is a scope of its own: a term first used inside it
is defined there too, since a reader who never opens it would otherwise miss the definition,
or see it only inside.

`{{ glossary }}` on a page becomes the list of every term with its definition.
"""

import re
from html import escape
from html.parser import HTMLParser

from mkdocs.exceptions import PluginError

from course.glossary import GlossaryError, Matcher, Term, load_glossary

PLACEHOLDER = re.compile(r"\{\{\s*glossary\s*\}\}")
GLOSSARY_CLASS = "glossary"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Where a term is neither wrapped nor counted as a use (tests/test_glossary.py reads these).
SKIPPED_TAGS = {"pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "label", "button",
                "script", "style", "svg", "math", "abbr", "title", "textarea", "select",
                "option"}  # fmt: skip
# arithmatex: maths before hooks/mathml.py converts it; clipboard-copy-txt: a lab cell's
# code, hidden, that its copy button copies.
SKIPPED_CLASSES = {"arithmatex", "headerlink", "md-button", "clipboard-copy-txt"}
SCOPE = "details"

_terms: list[Term] = []


def on_config(config, **kwargs):
    try:
        _terms[:] = load_glossary()
    except GlossaryError as error:
        raise PluginError(str(error)) from error
    return config


def skipped(tag: str, attrs: list) -> bool:
    classes = set((dict(attrs).get("class") or "").split())
    return tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)


def abbr(term: Term) -> str:
    title = escape(term.definition, quote=True)
    return f'<abbr class="{GLOSSARY_CLASS}" title="{title}" tabindex="0">'


class FirstUses(HTMLParser):
    """Offsets at which to wrap each term's first use, scope by scope."""

    def __init__(self, html: str, matcher: Matcher):
        super().__init__(convert_charrefs=False)
        self.html, self.matcher = html, matcher
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.edits: list[tuple[int, int, str]] = []
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, skipped)
        self.scopes: list[set[str]] = [set()]  # terms defined, per open collapsed block
        self.code: list | None = None  # an open inline <code>: [start offset, its text]
        self.feed(html)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    @property
    def skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def defined(self, term: Term) -> bool:
        return any(term.name in scope for scope in self.scopes)

    def define(self, term: Term, start: int, end: int) -> None:
        self.scopes[-1].add(term.name)
        self.edits += [(start, start, abbr(term)), (end, end, "</abbr>")]

    def handle_starttag(self, tag, attrs):
        if tag == "code" and not self.skipping and self.code is None:
            self.code = [self.position(), ""]
        if tag == SCOPE:
            self.scopes.append(set())
        if tag not in VOID:
            self.stack.append((tag, skipped(tag, attrs)))

    def handle_startendtag(self, tag, attrs):
        pass  # an empty element (<br/>, <path/>) holds no text and opens nothing

    def handle_endtag(self, tag):
        if tag == "code" and self.code is not None:
            start, text = self.code
            end = self.html.index(">", self.position()) + 1
            self.code = None
            uses = self.matcher.code(text)
            if uses and not self.defined(uses[0][2]):
                self.define(uses[0][2], start, end)
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass
        if tag == SCOPE and len(self.scopes) > 1:
            self.scopes.pop()

    def handle_data(self, data):
        if self.code is not None:
            self.code[1] += data
            return
        if self.skipping:
            return
        base = self.position()
        for start, end, term in self.matcher.prose(data):
            if not self.defined(term):
                self.define(term, base + start, base + end)

    def handle_entityref(self, name):
        if self.code is not None:
            self.code[1] += f"&{name};"

    def handle_charref(self, name):
        if self.code is not None:
            self.code[1] += f"&#{name};"


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[2] != "</abbr>")):
        out += [text[last:start], new]
        last = end
    return "".join(out + [text[last:]])


def with_tooltips(html: str, matcher: Matcher) -> str:
    return splice(html, FirstUses(html, matcher).edits)


def glossary_list(terms: list[Term]) -> str:
    """The Glossary page's list: each term, its definition, and how code names it."""
    items = []
    for term in sorted(terms, key=lambda t: t.name.lower()):
        code = ", ".join(f"<code>{escape(c)}</code>" for c in term.code)
        in_code = f" <em>In code:</em> {code}." if code else ""
        items.append(
            f'<dt id="{term.anchor}">{escape(term.name)}</dt>\n'
            f"<dd>{escape(term.definition)}{in_code}</dd>"
        )
    return '<dl class="glossary-list">\n' + "\n".join(items) + "\n</dl>"


def is_glossary_page(markdown: str) -> bool:
    return bool(PLACEHOLDER.search(markdown))


def on_page_markdown(markdown, page, **kwargs):
    if not is_glossary_page(markdown):
        return markdown
    page.meta["glossary_page"] = True
    return PLACEHOLDER.sub(lambda _: glossary_list(_terms), markdown)


def on_page_content(html, page, **kwargs):
    if page.meta.get("glossary_page"):
        return html
    return with_tooltips(html, Matcher(tuple(_terms)))
