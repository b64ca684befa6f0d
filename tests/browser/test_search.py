"""The site's search, as Material's own search client ranks it in Chromium, for every lesson:
it finds the terms a page declares (`search_terms` in its front matter) on that page, and the
first heading there that names the term before any other section; it ranks a heading above
prose and prose above code (for each term a lesson's headings show as code); and shows prose,
not prompts or code, in its previews."""

import json
import re
from urllib.parse import unquote, urlsplit

import pytest

from course import ROOT
from course.inventory import lab_files
from course.lessons import front_matter, lessons
from course.pages import url_path

# (term, the page that explains it), as the pages declare them
TERMS = [
    (term, url_path(page))
    for lesson in lessons()
    for page in lesson.pages
    for term in front_matter(page).get("search_terms", [])
]
HEADING_CODE = re.compile(r"<code>([^<]+)</code>")

RESULTS = """() => [...document.querySelectorAll(".md-search-result__item a")].map(a => ({
  location: decodeURIComponent(new URL(a.href).pathname.slice(1) + new URL(a.href).hash),
  title: (a.querySelector("h1, h2") || {}).textContent || "",
  preview: [...a.querySelector("article").children]
    .filter(e => !e.matches("h1, h2, .md-search-result__icon"))
    .map(e => e.textContent).join(" "),
  score: parseFloat(a.querySelector("article").dataset.mdScore),
}))"""


# Whether the results listed are this query's: Material's search.highlight adds the query to
# each result's link (?h=...; empty on a page listed only as its sections' group header).
RESULTS_FOR = """(term) => {
  const shown = [...document.querySelectorAll(".md-search-result__item a")]
    .map(a => new URL(a.href).searchParams.get("h"));
  return shown.includes(term) && shown.every(h => !h || h === term);
}"""


@pytest.fixture(scope="module")
def search(browser, base_url):
    """Search the site from its home page, loaded once: type a term in the search field (over
    the previous one) and read the results once they are the term's."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url)
    page.keyboard.press("/")  # Material's shortcut to the search field

    def results(term):
        page.keyboard.press("Control+A")
        page.keyboard.type(term)
        page.wait_for_function(RESULTS_FOR, arg=term)
        return page.evaluate(RESULTS)

    yield results
    context.close()


@pytest.fixture(scope="module")
def index(built_site):
    """The search index, its locations decoded (a lesson id may have non-ASCII letters)."""
    data = json.loads((built_site / "search" / "search_index.json").read_text())
    for doc in data["docs"]:
        doc["location"] = unquote(doc["location"])
    return data


def tokens(html: str, separator: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html).lower()
    return [t for t in re.split(separator, text) if t]


def match_kind(doc: dict, term: str, separator: str) -> str | None:
    """Where the term is in an index entry, as lunr's prefix match finds it."""
    for field in ("title", "text", "code"):
        if any(t.startswith(term.lower()) for t in tokens(doc.get(field, ""), separator)):
            return field
    return None


def test_every_lesson_declares_a_search_term(lesson):
    declared = [page for page in lesson.pages if front_matter(page).get("search_terms")]
    assert declared, f"no page of {lesson.id} declares search_terms in its front matter"


@pytest.mark.parametrize("term, page_url", TERMS)
def test_a_declared_term_finds_its_page_and_its_first_heading_first(search, index, term, page_url):
    """The page is among the results; when headings there name the term, the first of them
    (the section about it, not a later remark) is the top section result."""
    results = search(term)
    assert any(urlsplit(r["location"]).path.endswith(page_url) for r in results), results
    separator = index["config"]["separator"]
    headings = [
        doc["location"]
        for doc in index["docs"]
        if doc["location"].startswith(page_url + "#")
        and match_kind(doc, term, separator) == "title"
    ]
    if headings:
        top = max((r for r in results if "#" in r["location"]), key=lambda r: r["score"])
        assert top["location"] == headings[0], (top, headings[0])


def ranked_terms(index: dict, lesson) -> list[str]:
    """The terms the lesson's headings show as code: matches in headings, prose and code."""
    terms = [
        term
        for doc in index["docs"]
        if doc["location"].startswith(f"{lesson.id}/")
        for term in HEADING_CODE.findall(doc.get("title", ""))
        if re.fullmatch(r"[A-Za-z_]\w*", term)  # one search token
    ]
    return list(dict.fromkeys(terms))


def test_headings_rank_above_prose_and_prose_above_code(search, index, lesson):
    separator = index["config"]["separator"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    terms = ranked_terms(index, lesson)
    assert terms, f"no heading of {lesson.id} shows a term as code"
    compared = 0
    for term in terms:
        scored = {"title": [], "text": [], "code": []}
        for result in search(term):
            kind = match_kind(docs[result["location"]], term, separator)
            if kind:  # Material also lists each result's page, unscored, as its group's header
                scored[kind].append((result["score"], result["location"]))
        for higher, lower in (("title", "text"), ("text", "code"), ("title", "code")):
            if scored[higher] and scored[lower]:
                compared += 1
                assert min(scored[higher])[0] > max(scored[lower])[0], (
                    f"{term!r}: a match in the {lower} ({max(scored[lower])}) ranks above one "
                    f"in the {higher} ({min(scored[higher])})"
                )
    assert compared, f"{terms}: each matches in one kind of text only; nothing to rank"


def test_lab_results_preview_prose_not_prompts_or_code(search):
    for lab in lab_files(ROOT):
        first_code_line = next(
            line for line in lab.read_text().splitlines() if line and not line.startswith("#")
        )
        term = first_code_line.split()[-1]  # e.g. "base64" from "import base64"
        results = [r for r in search(term) if r["location"].startswith(lab.parent.name)]
        assert results, f"{term!r} does not find the lab"
        for result in results:
            preview = result["preview"]
            assert not re.match(r"\s*(In\s*\[\d*\]:|Copied!)", preview), result
            assert first_code_line not in preview, result
