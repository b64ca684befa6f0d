"""Build Jupyter notebooks from a lesson's sources (a helper of hooks/downloads.py, not a hook).

- snippets_notebook: one notebook of every snippet a lesson's pages include, in page order,
  one markdown heading per page. A snippet becomes one code cell (its code, prompts
  stripped), split after any example whose expected output is a traceback: that cell is tagged
  `raises-exception`, so that running the notebook top to bottom goes on past it. A first
  code cell makes Jupyter show every expression's value, as the doctest sessions do. Scripts
  and console sessions (torchrun demos) appear as text: they do not run inside a kernel.
- lab_notebook: a lab's jupytext source as an .ipynb, unexecuted.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$', re.MULTILINE)
TITLE = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.MULTILINE)
RAISES_TAG = "raises-exception"
TRACEBACK = "Traceback (most recent call last):"
# A notebook shows only a cell's last value; the pages' Python prompt shows every one.
SHOW_EVERY_VALUE = (
    "# Show the value of every expression in a cell, as the Python prompt on the pages does.\n"
    "from IPython import get_ipython\n"
    "\n"
    'get_ipython().ast_node_interactivity = "all"'
)


@dataclass(frozen=True)
class Section:
    """One page: its title and the snippet files it includes, in order."""

    title: str
    snippets: list[Path]


def page_section(markdown: str, snippets_dir: Path, where: str) -> Section:
    title = TITLE.search(markdown)
    if title is None:
        raise ValueError(f"{where}: no '# Title' line to head its notebook section")
    paths = [snippets_dir / m["path"] for m in INCLUDE.finditer(markdown)]
    # A missing include is left out here: pymdownx.snippets (check_paths: true) fails the
    # build on it, naming the page and the path.
    return Section(title["title"], [p for p in paths if p.is_file()])


def snippet_cells(path: Path) -> list[nbformat.NotebookNode]:
    """The code of a doctest session, prompts stripped (comment lines kept), as cells."""
    cells, lines, raises = [], [], False
    for text in path.read_text().splitlines():
        if text.startswith((">>> ", "... ")) or text in (">>>", "..."):
            if text.startswith(">>>") and raises:  # the example before this one raised
                cells.append(code_cell(lines, raises=True))
                lines, raises = [], False
            lines.append(text[4:])
        elif text.startswith(TRACEBACK) and lines:
            raises = True
    if not lines:
        raise ValueError(f"{path}: no '>>> ' example to put in a notebook")
    cells.append(code_cell(lines, raises=raises))
    return cells


def shown_file_cell(path: Path) -> nbformat.NotebookNode:
    """A script or console session (it runs under torchrun, not in a kernel), as text."""
    lang = "python" if path.suffix == ".py" else "console"
    return nbformat.v4.new_markdown_cell(
        f"`{path.name}` (run it in a terminal, not in this notebook):\n\n"
        f"```{lang}\n{path.read_text().rstrip()}\n```"
    )


def code_cell(lines: list[str], raises: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    if raises:
        cell.metadata["tags"] = [RAISES_TAG]
    return cell


def snippets_notebook(title: str, intro: str, sections: list[Section]):
    cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}"),
        nbformat.v4.new_code_cell(SHOW_EVERY_VALUE),
    ]
    for section in sections:
        if not section.snippets:
            continue
        cells.append(nbformat.v4.new_markdown_cell(f"## {section.title}"))
        for path in section.snippets:
            if path.suffix == ".pycon":
                cells.extend(snippet_cells(path))
            else:  # a script and the console session that runs it: shown, not run here
                cells.append(shown_file_cell(path))
    return finish(nbformat.v4.new_notebook(cells=cells))


def lab_notebook(source: Path):
    return finish(jupytext.read(source))


def finish(notebook) -> str:
    """Deterministic JSON: fixed cell ids, so a rebuild writes the same bytes."""
    notebook.metadata.setdefault(
        "kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"}
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5  # 4.5: the first with cell ids
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
