"""Offer each lesson's code for download as notebooks, generated at build time.

For every lesson (a folder in both docs/ and snippets/) the site gets:

- <lesson>/downloads/<lesson>-code.ipynb: the lesson's pages in nav order, each page's prose
  and every snippet it includes, with the outputs the pages show (see hooks/notebooks.py);
- <lesson>/downloads/<lesson>-lab.ipynb: the lab (snippets/<lesson>/lab.py), if any.

They are build outputs, never committed. Every page of a lesson gets download buttons
(page.downloads, drawn by overrides/main.html).
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from notebook_prose import Prose
from notebooks import Section, lab_notebook, page_section, snippets_notebook
from versions import substitute_placeholders

INTRO = (
    "This lesson's pages as one notebook: their text and every code block, in page order, "
    "with the outputs the pages show. Run the cells top to bottom to see them again: each "
    "block imports what it uses and seeds its own random numbers, so its output matches the "
    "page. A cell tagged `raises-exception` shows an error on purpose."
)


def download_path(lesson: str, kind: str) -> str:
    return f"{lesson}/downloads/{lesson}-{kind}.ipynb"


def lessons(config) -> list[str]:
    snippets_dir = Path(config.config_file_path).parent / "snippets"
    docs_dir = Path(config.docs_dir)
    return sorted(p.name for p in snippets_dir.iterdir() if (docs_dir / p.name).is_dir())


def with_versions(section: Section) -> Section:
    """{{ torch_version }} and the like filled in, as on the pages (hooks/versions.py)."""
    parts = [
        Prose(substitute_placeholders(p.text, section.title), p.images)
        if isinstance(p, Prose)
        else p
        for p in section.parts
    ]
    return Section(section.title, parts, section.collapsed)


GENERATED: set[str] = set()  # download paths made by the current build


def add_generated(files, config, src_uri: str, content: str) -> None:
    files.append(File.generated(config, src_uri, content=content))
    GENERATED.add(src_uri)


def on_files(files, config, **kwargs):
    GENERATED.clear()
    snippets_dir = Path(config.config_file_path).parent / "snippets"
    for lesson in lessons(config):
        lab = snippets_dir / lesson / "lab.py"
        if lab.is_file():
            add_generated(files, config, download_path(lesson, "lab"), lab_notebook(lab))
    return files


def on_nav(nav, config, files, **kwargs):
    """The code notebooks need the nav's page order, so they are made here, not in on_files."""
    snippets_dir = Path(config.config_file_path).parent / "snippets"
    for lesson in lessons(config):
        pages = [
            page
            for page in nav.pages
            if page.file.src_uri.startswith(f"{lesson}/") and page.file.src_uri.endswith(".md")
        ]
        if not pages:
            raise PluginError(f"lesson {lesson}: no page of it is in the nav")
        try:
            sections = [
                page_section(
                    Path(p.file.abs_src_path).read_text(),
                    snippets_dir,
                    Path(p.file.abs_src_path).parent,
                    p.file.src_uri,
                    config.site_url or "",
                )
                for p in pages
            ]
            sections = [with_versions(section) for section in sections]
            title = sections[0].title
            content = snippets_notebook(title, INTRO, sections)
        except ValueError as error:
            raise PluginError(f"lesson {lesson}: {error}") from error
        add_generated(files, config, download_path(lesson, "code"), content)
    return nav


def on_page_context(context, page, config, nav, **kwargs):
    lesson, _, name = page.file.src_uri.partition("/")
    if name:  # a page inside a lesson's folder
        offered = [
            (download_path(lesson, "code"), "Lesson code (.ipynb)"),
            (download_path(lesson, "lab"), "Lab notebook (.ipynb)"),
        ]
        page.downloads = [
            {"url": url, "label": label} for url, label in offered if url in GENERATED
        ]
    return context
