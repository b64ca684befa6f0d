"""Render the math on each page to MathML at build time.

pymdownx.arithmatex (generic mode) wraps each formula in a span or div as LaTeX. This hook
converts that LaTeX to MathML, which browsers render natively: no JavaScript, no font
download, no request to a CDN, and the page works offline.
"""

import html
import re

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

# Arithmatex's generic output: <span class="arithmatex">\(x\)</span>, <div ...>\[x\]</div>.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]</(?P=tag)>',
    re.DOTALL,
)


def on_page_content(html_text, page, **kwargs):
    def render(match):
        tex = html.unescape(match.group("tex")).strip()
        display = "block" if match.group("open") == "[" else "inline"
        try:
            mathml = convert(tex, display=display)
        except Exception as error:  # latex2mathml raises many types; all mean bad LaTeX
            message = f"{page.file.src_path}: cannot render math {tex!r}: {error}"
            raise PluginError(message) from error
        if display == "block":
            return f'<div class="math-display">{mathml}</div>'
        return mathml

    return FORMULA.sub(render, html_text)
