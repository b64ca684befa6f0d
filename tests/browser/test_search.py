"""The site's search finds the lesson's terms and leads to the page that explains them."""

from urllib.parse import urlsplit

import pytest

TERMS = {
    "padding_idx": "2.1.1-embeddings-initialization/padding/",
    "tie_word_embeddings": "2.1.1-embeddings-initialization/weight-tying/",
}


@pytest.mark.parametrize("term, page_url", TERMS.items())
def test_search_finds_the_term_on_its_page(browser, base_url, term, page_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url)
    page.keyboard.press("/")  # Material's shortcut to the search field
    page.keyboard.type(term)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    context.close()
    assert any(urlsplit(h).path.endswith("/" + page_url) for h in hrefs), hrefs
