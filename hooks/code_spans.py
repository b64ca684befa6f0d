"""Drop the Pygments token spans that draw nothing: names and whitespace, which take the
code's own text colour, and operators and punctuation, which readable.css colours within a
shade of it. The text is unchanged; only the <span> around it goes.

On a code-heavy page these are over half of all elements (going-further: 2845 elements,
1552 of them such spans; the lab: 3872, 2497). Material's JavaScript re-styles the whole
page several times as it loads (palette, header, per code block), and each pass costs time
per element: halving the elements halves that work, which is most of the page's Lighthouse
blocking time.
Keywords, strings, numbers, comments, prompts (class gp, which the copy button reads) and
outputs keep their spans and colours.
"""

import re

PLAIN = re.compile(r'<span class="(?:n|w|p|o|ow)">([^<]*)</span>')
# Material pages put Pygments' output in <pre><code>, a lab page (nbconvert) in a bare <pre>.
CODE = re.compile(r"<pre\b[^>]*>.*?</pre>|<code\b[^>]*>.*?</code>", re.DOTALL)


def plain_code(html: str) -> str:
    return CODE.sub(lambda block: PLAIN.sub(r"\1", block.group(0)), html)


def on_page_content(html, page, **kwargs):
    return plain_code(html)
