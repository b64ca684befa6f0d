"""Draw each diagram (an SVG file in a lesson's docs folder) inline, in the theme's colours.

A page shows a diagram as a linked image in a figure of class "diagram":

    <figure class="diagram" markdown>
      [![Short text alternative](diagrams/lookup.svg)](diagrams/lookup.svg)
      <figcaption>What it shows.</figcaption>
    </figure>

As an <img>, an SVG cannot read the page's CSS and would keep one set of colours in both
themes. This hook puts the file's <svg> element in place of the <img>: the file's <style>
reads Material's colour variables, so its text and lines take the light or the dark theme's
colours (its fallbacks are the light theme's, for the file opened on its own: the link opens
it full size, and the lesson notebook attaches it). A diagram must carry its own text
alternative, a <title> and a <desc> named by the <svg>'s aria-labelledby, and nothing that
runs or loads: no script, event handler, foreign object, or reference outside the file. The
build fails otherwise, naming the file.
"""

import posixpath
import re

from mkdocs.exceptions import PluginError

FIGURE = re.compile(r'<figure class="diagram">.*?</figure>', re.DOTALL)
IMG = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[^"]+\.svg)"[^>]*>')
PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?")
FORBIDDEN = {
    "a script": re.compile(r"<script\b", re.I),
    "an event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "a foreign object": re.compile(r"<foreignObject\b", re.I),
    "a reference outside the file": re.compile(
        r"""(?:href\s*=\s*["'](?!#)|url\(\s*["']?(?!#)|@import)""", re.I
    ),
}


def check(svg: str, where: str) -> None:
    """Raise PluginError unless svg is a self-contained diagram with a text alternative."""
    for what, pattern in FORBIDDEN.items():
        if match := pattern.search(svg):
            raise PluginError(f"{where}: a diagram may not contain {what}: {match[0]!r}")
    root = re.match(r"<svg\b[^>]*>", svg)
    if root is None:
        raise PluginError(f"{where}: does not start with an <svg> element")
    labelled = re.search(r'aria-labelledby="([^"]+)"', root[0])
    if 'role="img"' not in root[0] or labelled is None:
        raise PluginError(f'{where}: the <svg> needs role="img" and aria-labelledby')
    for kind, ref in zip(("title", "desc"), labelled[1].split(), strict=False):
        element = re.search(rf'<{kind} id="{re.escape(ref)}">(.*?)</{kind}>', svg, re.DOTALL)
        if element is None or len(element[1].split()) < 3:
            raise PluginError(f"{where}: aria-labelledby names no <{kind} id={ref!r}> with text")
    if len(labelled[1].split()) != 2:
        raise PluginError(f"{where}: aria-labelledby must name its <title> and its <desc>")


def on_page_content(html, page, files, **kwargs):
    def inline(figure):
        def replace(img):
            src_uri = posixpath.normpath(posixpath.join(page.url, img["src"]))
            file = files.get_file_from_path(src_uri)
            if file is None:
                raise PluginError(f"{page.file.src_uri}: diagram {img['src']} not found")
            svg = PROLOG.sub("", file.content_string)
            check(svg, f"docs/{src_uri}")
            return svg.strip()

        return IMG.sub(replace, figure[0])

    return FIGURE.sub(inline, html)
