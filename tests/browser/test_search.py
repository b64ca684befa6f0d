"""The site's search, as Material's own search client ranks it in Chromium: it finds the
lesson's terms on the pages that explain them, ranks a heading above prose and prose above
code, the first heading on a page that names a term above later ones, and shows prose, not
prompts or code, in its previews."""

import json
import re
from urllib.parse import urlsplit

import pytest

from course import ROOT
from course.inventory import lab_files

TERMS = {
    "padding_idx": "2.1.1-embeddings-initialization/padding/",
    "tie_word_embeddings": "2.1.1-embeddings-initialization/weight-tying/",
}
# Terms in headings, in prose and in code: the ranking test needs all three kinds of match.
RANKED_TERMS = ["padding_idx", "initializer_range", "SparseAdam", "manual_seed", "histogram"]

RESULTS = """() => [...document.querySelectorAll(".md-search-result__item a")].map(a => ({
  location: new URL(a.href).pathname.slice(1) + new URL(a.href).hash,
  title: (a.querySelector("h1, h2") || {}).textContent || "",
  preview: [...a.querySelector("article").children]
    .filter(e => !e.matches("h1, h2, .md-search-result__icon"))
    .map(e => e.textContent).join(" "),
  score: parseFloat(a.querySelector("article").dataset.mdScore),
}))"""


def search(browser, base_url, term):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url)
    page.keyboard.press("/")  # Material's shortcut to the search field
    page.keyboard.type(term)
    page.locator(".md-search-result__item a").first.wait_for()
    results = page.evaluate(RESULTS)
    context.close()
    return results


@pytest.fixture(scope="module")
def index(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text())


def tokens(html: str, separator: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html).lower()
    return [t for t in re.split(separator, text) if t]


def match_kind(doc: dict, term: str, separator: str) -> str | None:
    """Where the term is in an index entry, as lunr's prefix match finds it."""
    for field in ("title", "text", "code"):
        if any(t.startswith(term.lower()) for t in tokens(doc.get(field, ""), separator)):
            return field
    return None


@pytest.mark.parametrize("term, page_url", TERMS.items())
def test_search_finds_the_term_on_its_page(browser, base_url, term, page_url):
    results = search(browser, base_url, term)
    assert any(urlsplit(r["location"]).path.endswith(page_url) for r in results), results


@pytest.mark.parametrize("term", RANKED_TERMS)
def test_headings_rank_above_prose_and_prose_above_code(browser, base_url, index, term):
    separator = index["config"]["separator"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    scored = {"title": [], "text": [], "code": []}
    for result in search(browser, base_url, term):
        kind = match_kind(docs[result["location"]], term, separator)
        if kind:  # Material also lists each result's page, unscored, as its group's header
            scored[kind].append((result["score"], result["location"]))
    assert scored["text"] or scored["code"], f"{term!r}: nothing but headings to rank"
    for higher, lower in (("title", "text"), ("text", "code"), ("title", "code")):
        if scored[higher] and scored[lower]:
            assert min(scored[higher])[0] > max(scored[lower])[0], (
                f"{term!r}: a match in the {lower} ({max(scored[lower])}) ranks above one in "
                f"the {higher} ({min(scored[higher])})"
            )


def test_the_first_heading_that_names_a_term_comes_first(browser, base_url, index):
    """padding_idx is in two headings of the padding page: the page's first section about it
    comes before its later remark (Kimi-K2 has no padding_idx)."""
    results = search(browser, base_url, "padding_idx")
    top = max((r for r in results if "#" in r["location"]), key=lambda r: r["score"])
    page = top["location"].split("#")[0]
    separator = index["config"]["separator"]
    first = next(
        doc["location"]
        for doc in index["docs"]
        if doc["location"].startswith(page + "#")
        and match_kind(doc, "padding_idx", separator) == "title"
    )
    assert page == TERMS["padding_idx"] and top["location"] == first, (top, first)


def test_lab_results_preview_prose_not_prompts_or_code(browser, base_url):
    for lab in lab_files(ROOT):
        first_code_line = next(
            line for line in lab.read_text().splitlines() if line and not line.startswith("#")
        )
        term = first_code_line.split()[-1]  # e.g. "base64" from "import base64"
        results = [
            r for r in search(browser, base_url, term) if r["location"].startswith(lab.parent.name)
        ]
        assert results, f"{term!r} does not find the lab"
        for result in results:
            preview = result["preview"]
            assert not re.match(r"\s*(In\s*\[\d*\]:|Copied!)", preview), result
            assert first_code_line not in preview, result
