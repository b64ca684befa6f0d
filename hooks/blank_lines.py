"""Show doctest's <BLANKLINE> marker as the empty line Python really prints.

A doctest cannot expect an empty output line, so a snippet writes `<BLANKLINE>` there (and
`make refresh` writes it too). The reader, who pastes the code into a REPL, sees an empty
line; so does the page.
"""

import re

CODE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)
MARKER = re.compile(r'<span class="go">&lt;BLANKLINE&gt;</span>|&lt;BLANKLINE&gt;')


def show_blank_lines(html: str) -> str:
    return CODE.sub(lambda block: MARKER.sub("", block.group(0)), html)


def on_page_content(html, page, **kwargs):
    return show_blank_lines(html)
