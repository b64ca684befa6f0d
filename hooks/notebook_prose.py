"""A lesson page's Markdown as notebook Markdown (a helper of hooks/notebooks.py, not a hook).

The page is split into its prose and its included snippets, in page order, so that a
notebook of the lesson reads like the site. What only MkDocs understands is rewritten into
what Jupyter renders:

- admonitions (`!!! note "Title"`) become block quotes under their title in bold, collapsed
  blocks (`??? ...`) HTML <details>; one that holds code, which a notebook must put in a cell
  of its own, becomes its prose in <details> and its code in collapsed cells;
- a <quiz> becomes its question and its options, without the marks of the right ones or the
  options' feedback (the reasoning block under it follows, collapsed);
- links to other pages keep their text only: a downloaded notebook has no pages beside it
  (an absolute address, if mkdocs.yml sets site_url);
- images, diagrams included, are attached to their cell, so the notebook works offline;
- a figure's caption becomes an italic line; attribute lists and abbreviation definitions go;
- headings move one level down: the notebook's title is its only level-1 heading.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

# `!!! type [class ...] "Title"`: a type, then any further classes (`!!! question task`).
ADMONITION = re.compile(
    r'^(?P<kind>!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)(?:\s+[\w-]+)*(?:\s+"(?P<title>[^"]*)")?\s*$'
)
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
HEADING = re.compile(r"^(#{1,5}) ")
LINKED_IMAGE = re.compile(r"\[(!\[[^\]]*\]\([^)\s]+\))\]\([^)\s]+\)(\{[^}]*\})?")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(\{[^}]*\})?")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)(\{[^}]*\})?")
CAPTION = re.compile(r"^\s*<figcaption>(?P<text>.*)</figcaption>\s*$")
QUIZ_OPTION = re.compile(r"^[-*] \[[ xX]\] (?P<text>.*)$")
INDENT = "    "


@dataclass
class Prose:
    """Markdown for one cell, and the image files it shows (attachment name -> path)."""

    text: str
    images: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Include:
    """A snippet the page includes (its path under snippets/); collapsed when the page shows
    it inside a collapsed block (a worked solution, a quiz's reasoning)."""

    path: str
    collapsed: bool = False


class Page:
    def __init__(self, markdown: str, page_dir: Path, page_url: str, site_url: str):
        self.page_dir, self.page_url, self.site_url = page_dir, page_url, site_url
        self.lines = strip_front_matter(markdown).splitlines()

    def parts(self) -> tuple[str, list]:
        """(the page's title, its prose and includes in order), the title line removed."""
        lines = list(self.lines)
        title_at = next((i for i, t in enumerate(lines) if t.startswith("# ")), None)
        if title_at is None:
            raise ValueError("no '# Title' line to head its notebook section")
        title = lines.pop(title_at)[2:].strip()
        return title, merge(self.blocks(lines))

    def blocks(self, lines: list[str]) -> list:
        parts, index = [], 0
        while index < len(lines):
            line = lines[index]
            if admonition := ADMONITION.match(line):
                body, index = indented_body(lines, index + 1)
                parts += self.admonition(admonition, body)
            elif fence := FENCE.match(line):
                body, index = fenced_body(lines, index, fence["fence"])
                includes = [m["path"] for t in body if (m := INCLUDE.match(t))]
                if includes:
                    parts += [Include(path) for path in includes]
                else:
                    parts.append(Prose("\n".join([line, *body, fence["fence"]])))
            elif line.strip() == "<quiz>":
                end = lines.index("</quiz>", index)
                parts.append(Prose(quiz(lines[index + 1 : end])))
                index = end + 1
            elif line.lstrip().startswith("<figure"):
                end = next(i for i in range(index, len(lines)) if "</figure>" in lines[i])
                parts.append(self.prose(figure(lines[index : end + 1])))
                index = end + 1
            elif ABBREVIATION.match(line):
                index += 1
            else:
                parts.append(self.prose([line]))
                index += 1
        return parts

    def admonition(self, match, body: list[str]) -> list:
        title = match["title"] if match["title"] is not None else match["type"].capitalize()
        inner = merge(self.blocks(body))
        collapsed = match["kind"].startswith("???")
        if collapsed and all(isinstance(p, Prose) for p in inner):
            images = {k: v for p in inner for k, v in p.images.items()}
            text = "\n\n".join(p.text for p in inner)
            tag = "<details open>" if match["kind"] == "???+" else "<details>"
            return [Prose(f"{tag}<summary>{title}</summary>\n\n{text}\n\n</details>", images)]
        if match["kind"] == "???":
            # Code needs cells of its own: each piece of prose is collapsed under the block's
            # title, and the code cells are collapsed too (notebooks.py), so the notebook
            # keeps closed what the page keeps closed.
            parts, summary = [], title
            for part in inner:
                if isinstance(part, Prose):
                    text = f"<details><summary>{summary}</summary>\n\n{part.text}\n\n</details>"
                    parts.append(Prose(text, part.images))
                    summary = f"{title} (continued)"
                else:
                    parts.append(Include(part.path, collapsed=True))
            return parts
        quoted = [f"**{title}**"] if title else []
        parts = []
        for part in inner:
            if isinstance(part, Prose):
                lines = (quoted + [""] if quoted else []) + part.text.splitlines()
                parts.append(Prose("\n".join(f"> {t}".rstrip() for t in lines), part.images))
                quoted = []
            else:
                parts.append(part)
        return parts

    def prose(self, lines: list[str]) -> Prose:
        images: dict[str, Path] = {}

        def attach(match):
            src = match["src"]
            if re.match(r"^[a-z]+:", src):
                return f"![{match['alt']}]({src})"
            path = self.page_dir / src
            if not path.is_file():
                raise ValueError(f"image {src} not found at {path}")
            images[path.name] = path
            return f"![{match['alt']}](attachment:{path.name})"

        def link(match):
            href = match["href"]
            if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                return f"[{match['text']}]({href})"
            if self.site_url:
                return f"[{match['text']}]({urljoin(self.site_url, self.resolve(href))})"
            return match["text"]

        out = []
        for line in lines:
            line = HEADING.sub(lambda m: "#" + m[1] + " ", line)
            line = LINKED_IMAGE.sub(lambda m: m[1], line)
            line = IMAGE.sub(attach, line)
            out.append(LINK.sub(link, line))
        return Prose("\n".join(out), images)

    def resolve(self, href: str) -> str:
        """A page-relative link to a .md page as the site's directory URL."""
        path, _, anchor = href.partition("#")
        target = PurePosixPath(self.page_url).parent / path if path else PurePosixPath("")
        parts: list[str] = []
        for part in target.parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        url = "/".join(parts)
        if url.endswith("index.md"):
            url = url[: -len("index.md")]
        elif url.endswith(".md"):
            url = url[: -len(".md")] + "/"
        return url + (f"#{anchor}" if anchor else "")


def strip_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5 :]
    return markdown


def indented_body(lines: list[str], index: int) -> tuple[list[str], int]:
    """The lines indented under a block opener (blank lines included), dedented."""
    body = []
    while index < len(lines) and (lines[index].startswith(INDENT) or not lines[index].strip()):
        body.append(lines[index][len(INDENT) :])
        index += 1
    while body and not body[-1].strip():  # trailing blank lines belong to the page
        body.pop()
        index -= 1
    return body, index


def fenced_body(lines: list[str], index: int, fence: str) -> tuple[list[str], int]:
    """The lines between a fence and its closing fence, and the index after the latter."""
    end = index + 1
    while end < len(lines) and lines[end].strip() != fence:
        end += 1
    return lines[index + 1 : end], end + 1


def quiz(lines: list[str]) -> str:
    """A question and its options, without right-answer marks or feedback."""
    question, options = [], []
    for line in lines:
        if option := QUIZ_OPTION.match(line):
            options.append(f"- {option['text']}")
        elif options or line.startswith(INDENT):
            continue  # an option's feedback, or a blank line between options
        else:
            question.append(line)
    return "\n".join(question).strip() + "\n\n" + "\n".join(options)


def figure(lines: list[str]) -> list[str]:
    """A <figure> block's image and caption as Markdown lines."""
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("<figure") or stripped == "</figure>":
            continue
        caption = CAPTION.match(line)
        out += ["", f"*{caption['text'].strip()}*"] if caption else [stripped]
    return out + [""]


def merge(parts: list) -> list:
    """Adjacent prose joined into one cell; cells with nothing to read dropped."""
    merged: list = []
    for part in parts:
        if isinstance(part, Prose) and merged and isinstance(merged[-1], Prose):
            merged[-1] = Prose(
                merged[-1].text + "\n" + part.text, {**merged[-1].images, **part.images}
            )
        else:
            merged.append(part)
    out = []
    for part in merged:
        if isinstance(part, Prose):
            text = re.sub(r"\n{3,}", "\n\n", part.text).strip("\n")
            if text.strip():
                out.append(Prose(text, part.images))
        else:
            out.append(part)
    return out
