"""Put each lesson's lab, kept under snippets/, on the site as a page that mkdocs-jupyter runs.

A lesson's lab lives at snippets/<lesson>/lab.py (jupytext percent format), next to the rest
of the lesson's code. This hook adds it to the build as the page <lesson>/lab.py, so the
nav and other pages refer to it like any page, and `mkdocs serve` (which watches snippets/)
rebuilds it on edit. mkdocs-jupyter then executes it and renders it.

mkdocs-jupyter caches an executed page under a key made of the source and its own options
only: a torch upgrade would keep serving plots made by the old torch. This hook therefore
points the cache at a folder named after the Python version and every installed package's
version: any change to the environment starts from an empty cache and executes again.

A code cell the notebook keeps collapsed (its metadata `jupyter.source_hidden`, JupyterLab's
own flag: a lab's figure setup) is shown collapsed on the page too, under its first comment.

The kernel runs torch with one thread (OMP_NUM_THREADS=1 unless already set): the labs'
tensors are small, and on a busy 2-core machine a second thread made a lab 3-20x slower
while waiting for a core; the outputs are the same with 1 or 2 threads (tests/test_threads.py).

It also adds hooks/jupyter/ to JUPYTER_CONFIG_PATH, whose nbconvert config has the kernel
manager hand the kernel CurveZMQ keys: without them ipykernel prints a warning on every
build that it talks over unencrypted TCP.

mkdocs-jupyter's template (whose path it hard-codes) inlines JupyterLab's whole stylesheet
(575 KB) and a theme's variables into every notebook page as <style> elements: this hook
removes them from the lab pages, and stylesheets/lab.css styles the cells like the site's
own code blocks instead. A build whose lab page lacks any of them fails, so that a
mkdocs-jupyter upgrade that changes the markup is noticed rather than shipping them again.
"""

import base64
import hashlib
import importlib.metadata
import os
import re
import struct
import sys
from html import escape as html_escape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

JUPYTER_PLUGIN = "mkdocs-jupyter"
INLINE_PNG = re.compile(
    r'<img\b(?P<before>[^>]*?)\ssrc="data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)"'
    r"(?P<after>[^>]*)>"
)
PRE = re.compile(r"<pre>")
LAB = "lab.py"
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter"

STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.DOTALL)
# The inlined styles to remove, each told by a marker no other one has (checked in order).
# Kept: nbconvert's small Mermaid style (0.9 KB), which belongs to the Mermaid loader
# script the template also emits; it only matches .jp-Mermaid diagrams, if a lab ever has one.
NOTEBOOK_STYLES = {
    # JupyterLab's index.css, 575 KB: the layout and look of JupyterLab itself.
    "JupyterLab index.css": ".jp-OutputArea-output",
    # The JupyterLab theme, 10 KB: only --jp-* variables, read by the two above and below.
    "JupyterLab theme CSS": "--jp-layout-color0:",
    # Pygments' token colours, 5 KB: all var(--jp-mirror-editor-*), which are gone with the
    # theme, and an unscoped `pre { line-height: 125% }`; lab.css uses the site's palette.
    "Pygments CSS": ".highlight-ipynb ",
}


def lab_pages(snippets_dir: Path) -> list[str]:
    """The labs' paths relative to snippets/, which are also their pages' paths in the site."""
    return sorted(p.relative_to(snippets_dir).as_posix() for p in snippets_dir.glob(f"*/{LAB}"))


def environment_fingerprint() -> str:
    """A short hash of the Python version and every installed distribution's version.

    Each distribution counts once: a build run from the project folder also finds the
    course's own llm_course.egg-info there, and a copy of the project (without it) must find
    the same cache.
    """
    installed = sorted(
        {f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()}
    )
    text = "\n".join([sys.version, *installed])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def on_config(config, **kwargs):
    plugin = config.plugins.get(JUPYTER_PLUGIN)
    if plugin is None:
        raise PluginError(f"hooks/labs.py needs the {JUPYTER_PLUGIN} plugin in mkdocs.yml")
    if plugin.config["execute"] is not True or plugin.config["allow_errors"] is not False:
        raise PluginError(
            f"{JUPYTER_PLUGIN} must run with execute: true and allow_errors: false, "
            "so that a failing check in a lab fails the build"
        )
    project = Path(config.config_file_path).parent
    cache_root = project / ".cache" / JUPYTER_PLUGIN
    plugin.config["cache_dir"] = str(cache_root / environment_fingerprint())
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by the kernel mkdocs-jupyter starts
    paths = os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
    if str(JUPYTER_CONFIG) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(JUPYTER_CONFIG), *filter(None, paths)]
        )
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebook pages
def on_files(files, config, **kwargs):
    snippets_dir = Path(config.config_file_path).parent / "snippets"
    for src_uri in lab_pages(snippets_dir):
        if not (Path(config.docs_dir) / src_uri).parent.is_dir():
            raise PluginError(f"snippets/{src_uri}: no lesson folder docs/{Path(src_uri).parent}/")
        # A File read from snippets/, not File.generated: mkdocs-jupyter's NotebookFile
        # wrapper recomputes abs_src_path from src_dir, which a generated File lacks.
        files.append(File(src_uri, str(snippets_dir), config.site_dir, config.use_directory_urls))
    return files


def strip_notebook_styles(html: str, page_path: str) -> str:
    """html without the <style> elements of NOTEBOOK_STYLES; each must be there once."""
    found = []

    def remove(match):
        kind = next((k for k, marker in NOTEBOOK_STYLES.items() if marker in match[1]), None)
        if kind is None:
            return match[0]
        found.append(kind)
        return ""

    html = STYLE.sub(remove, html)
    if sorted(found) != sorted(NOTEBOOK_STYLES):
        raise PluginError(
            f"{page_path}: expected mkdocs-jupyter to inline each of {list(NOTEBOOK_STYLES)} "
            f"once as a <style> element, found {found}: has its template changed? "
            "Update NOTEBOOK_STYLES in hooks/labs.py and check stylesheets/lab.css"
        )
    return html


def figures_to_files(html: str, page_dir: Path) -> str:
    """Write each inline PNG next to the page, point its <img> there, and link it to itself.

    A lab draws its figures as base64 PNGs in the page: ~220 KB that compress to nothing and
    must all arrive before the page's text can paint. As files, with their size given (so the
    text does not move when they arrive) and loaded lazily, they come when scrolled to. The
    link opens the figure full size, where a phone can zoom into its labels.
    """

    def extract(match):
        data = base64.b64decode(match["data"])
        width, height = struct.unpack(">II", data[16:24])  # the PNG header's IHDR
        name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.png"
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / name).write_bytes(data)
        return (
            f'<a href="{name}"><img{match["before"]} src="{name}" width="{width}" '
            f'height="{height}" loading="lazy"{match["after"]}></a>'
        )

    return INLINE_PNG.sub(extract, html)


def focusable_code(html: str) -> str:
    """Code cells and outputs do not wrap (lab.css), so a long one scrolls sideways: give
    each a tab stop, so that a keyboard can scroll it too."""
    return PRE.sub('<pre tabindex="0">', html)


# nbconvert's template draws each code cell as two nested divs of these classes, the inner
# one with an id: the outer one holds the whole cell.
CODE_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*">')
DIV_TAG = re.compile(r"<div\b|</div>")


def hidden_cells(source: Path) -> tuple[int, dict[int, str]]:
    """(the number of code cells, the cells whose source the notebook keeps collapsed:
    metadata `jupyter.source_hidden`, as JupyterLab sets it). Each of those: its index among
    the code cells -> a summary, the cell's first line if it is a comment."""
    import jupytext

    found = {}
    code = [c for c in jupytext.read(source).cells if c.cell_type == "code"]
    for index, cell in enumerate(code):
        if cell.metadata.get("jupyter", {}).get("source_hidden"):
            first = cell.source.splitlines()[0] if cell.source else ""
            found[index] = first[2:].strip() if first.startswith("# ") else "Setup code"
    return len(code), found


def collapse_hidden_cells(html: str, cells: int, hidden: dict[int, str], page_path: str) -> str:
    """Each hidden code cell inside a collapsed block, as the downloaded notebook shows it."""
    if not hidden:
        return html
    starts = [m.start() for m in CODE_CELL.finditer(html)]
    if len(starts) != cells:
        raise PluginError(
            f"{page_path}: {len(starts)} code cells on the page, {cells} in the notebook, "
            "so its collapsed cells cannot be found: has mkdocs-jupyter's markup changed?"
        )
    for index in sorted(hidden, reverse=True):
        start, depth = starts[index], 0
        for tag in DIV_TAG.finditer(html, start):
            depth += 1 if tag[0] == "<div" else -1
            if depth == 0:
                end = tag.end()
                break
        else:
            raise PluginError(f"{page_path}: code cell {index + 1} is never closed")
        summary = html_escape(hidden[index])
        html = (
            f'{html[:start]}<details class="note lab-collapsed"><summary>{summary}</summary>'
            f"{html[start:end]}</details>{html[end:]}"
        )
    return html


def on_page_content(html, page, **kwargs):
    if page.file.src_uri.endswith(f"/{LAB}"):
        html = strip_notebook_styles(html, page.file.src_uri)
        html = collapse_hidden_cells(
            html, *hidden_cells(Path(page.file.abs_src_path)), page.file.src_uri
        )
        html = focusable_code(html)
        return figures_to_files(html, Path(page.file.abs_dest_path).parent)
    return html
