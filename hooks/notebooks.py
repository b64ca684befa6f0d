"""Build Jupyter notebooks from a lesson's sources (a helper of hooks/downloads.py, not a hook).

- snippets_notebook: a lesson's pages as one notebook that reads like the site: each page's
  prose as Markdown cells (hooks/notebook_prose.py) between its code cells, under the page's
  title. A snippet becomes one code cell (its code, prompts stripped), split after any example
  whose expected output is a traceback: that cell is tagged `raises-exception`, so that running
  the notebook top to bottom goes on past it. Each cell carries, as saved outputs, the outputs
  its snippet's doc test checks, so the notebook shows what the page shows before it is run
  (tests/test_notebooks.py runs it and compares). A first code cell makes Jupyter show every
  expression's value, and as Python's repr, as the doctest sessions do. Scripts and console
  sessions (torchrun demos) appear as text: they do not run inside a kernel.
- lab_notebook: a lab's jupytext source as an .ipynb, unexecuted.
"""

import ast
import base64
import doctest
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from notebook_prose import Include, Page, Prose

RAISES_TAG = "raises-exception"
TRACEBACK = "Traceback (most recent call last):"
# A notebook shows only a cell's last value, through IPython's pretty-printer; the pages'
# Python prompt shows every value, as repr() gives it.
SHOW_EVERY_VALUE = (
    "# Show the value of every expression in a cell, as Python's prompt on the pages does.\n"
    "from IPython import get_ipython\n"
    "\n"
    'get_ipython().ast_node_interactivity = "all"\n'
    'get_ipython().display_formatter.formatters["text/plain"].pprint = False'
)


@dataclass(frozen=True)
class Section:
    """One page: its title, and its prose and included snippets, in page order; `collapsed`,
    the snippets the page shows inside a collapsed block."""

    title: str
    parts: list  # Prose | Path (a snippet file)
    collapsed: frozenset = frozenset()


def page_section(
    markdown: str, snippets_dir: Path, page_dir: Path, page_url: str, site_url: str = ""
) -> Section:
    try:
        title, parts = Page(markdown, page_dir, page_url, site_url).parts()
    except ValueError as error:
        raise ValueError(f"{page_url}: {error}") from error
    # A missing include is left out here: pymdownx.snippets (check_paths: true) fails the
    # build on it, naming the page and the path.
    resolved = [
        snippets_dir / p.path if isinstance(p, Include) else p
        for p in parts
        if not isinstance(p, Include) or (snippets_dir / p.path).is_file()
    ]
    collapsed = frozenset(
        snippets_dir / p.path for p in parts if isinstance(p, Include) and p.collapsed
    )
    return Section(title, resolved, collapsed)


def snippet_cells(path: Path) -> list[nbformat.NotebookNode]:
    """The code of a doctest session, prompts stripped (comment lines kept), as cells, each
    with the outputs the session expects."""
    text = path.read_text()
    examples = doctest.DocTestParser().get_examples(text, str(path))
    if not examples:
        raise ValueError(f"{path}: no '>>> ' example to put in a notebook")
    groups: list[list[doctest.Example]] = [[]]
    for example in examples:
        groups[-1].append(example)
        if example.exc_msg is not None:  # the example raised: the next one starts a cell
            groups.append([])
    groups = [g for g in groups if g]
    lines = text.splitlines()
    # A cell's lines run to the first prompt after its raising example (doctest skips
    # comment-only prompt lines, so the next example may start later).
    starts = [0] + [
        next((i for i in range(g[-1].lineno + 1, len(lines)) if lines[i].startswith(">>>")),
             len(lines))
        for g in groups[:-1]
    ]
    cells = []
    for number, group in enumerate(groups):
        stop = starts[number + 1] if number + 1 < len(groups) else len(lines)
        code = [
            t[4:]
            for t in lines[starts[number] : stop]
            if t.startswith((">>> ", "... ")) or t in (">>>", "...")
        ]
        cell = code_cell(code, raises=group[-1].exc_msg is not None)
        cell.outputs = expected_outputs(group)
        cells.append(cell)
    return cells


def expected_outputs(examples: list[doctest.Example]) -> list[nbformat.NotebookNode]:
    """What running the examples shows: printed text as a stream, an expression's value as
    an execute result, an error as an error output (the page's short traceback)."""
    outputs = []
    for example in examples:
        if example.exc_msg is not None:
            name, _, value = example.exc_msg.rstrip("\n").partition(": ")
            outputs.append(
                nbformat.v4.new_output(
                    "error", ename=name, evalue=value, traceback=example.want.splitlines()
                )
            )
        elif not example.want:
            continue
        elif is_expression(example.source):
            outputs.append(
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": example.want.rstrip("\n")}
                )
            )
        elif outputs and outputs[-1].output_type == "stream":
            outputs[-1].text += example.want
        else:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=example.want))
    return outputs


def is_expression(source: str) -> bool:
    """Whether IPython shows the source's value (an expression other than a print call)."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr):
        return False
    call = last.value
    return not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "print")


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


def prose_cell(prose: Prose) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(prose.text)
    if prose.images:
        cell.attachments = {name: attachment(path) for name, path in prose.images.items()}
    return cell


def attachment(path: Path) -> dict:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mime == "image/svg+xml":
        return {mime: path.read_text()}
    return {mime: base64.b64encode(path.read_bytes()).decode()}


def snippets_notebook(title: str, intro: str, sections: list[Section]):
    cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}"),
        nbformat.v4.new_code_cell(SHOW_EVERY_VALUE),
    ]
    for section in sections:
        cells.append(nbformat.v4.new_markdown_cell(f"## {section.title}"))
        for part in section.parts:
            if isinstance(part, Prose):
                cells.append(prose_cell(part))
            elif part.suffix == ".pycon":
                for cell in snippet_cells(part):
                    if part in section.collapsed:  # JupyterLab's and Notebook 7's collapse
                        cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
                    cells.append(cell)
            else:  # a script and the console session that runs it: shown, not run here
                cells.append(shown_file_cell(part))
    count = 0
    for cell in cells:  # numbered as if run top to bottom, as the saved outputs show
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
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
