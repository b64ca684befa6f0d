"""Every number in a page's prose comes from the page's own evidence.

Evidence is the text (code and output) of every snippet the page includes, and the page's
Sources section. A number in the prose must appear there; a hand-typed number that disagrees
with its snippet is reported with its page, line and value.

What counts as prose: every line outside fenced code blocks, YAML front matter and HTML
comments, with link targets, URLs, HTML tags, attribute lists and {{ placeholders }} taken
out. The Sources section itself is evidence, not prose. These numbers are not claims and are
not checked (the exception rule):

- numbering: an integer that starts a heading, a list item, a table cell or a link text and is
  followed by ". " or ")" ("## 1. The matrix", "1. Download", "[2. Padding](...)");
- references to numbered parts: numbers right after page, task, theory, question, Q, section,
  item, step, lesson, module or part ("Task 3", "page 4", "Tasks 1 and 2", "Code tasks 1-4");
- identifiers: numbers glued to a letter, an underscore or a name's hyphen (fp32, bf16,
  GPT-2, Llama-3.1-8B, e4m3, config_671B), dotted numbers of three or more parts (lesson ids
  such as 9.8.7, versions such as 5.24.0), a version after a software name (Python 3.11,
  PyTorch 2.13), and a section id of the course (2.1, the first part of a lesson id) before
  its capitalised title ("2.1 Embeddings");
- years: a four-digit number from 1900 to 2099 in an author-year citation ("(2010)",
  "Press and Wolf, 2017;") or after a month name.

How a number matches: an integer must equal a number in the evidence (64 matches 64 and
64.0000); a decimal must equal an evidence number rounded to the same places (1.28 matches
1.2805); a number in scientific form or with a magnitude suffix (10^{-11}, 2e43, 100k, 1T)
must equal an evidence number rounded to the same significant digits. Signs are ignored.
The rounding makes the check lenient for numbers written with few digits: "0.04" passes on a
page whose snippet prints 0.0361. A number of three digits or more that disagrees with every
snippet on its page fails.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path

from course.inventory import FENCE, INCLUDE

SOURCES_HEADING = re.compile(r"^(?P<level>#{1,6})\s+Sources\s*$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s")
REFERENCE_WORDS = (
    "page|pages|task|tasks|theory|question|questions|q|section|sections|item|items|step|steps"
    "|lesson|lessons|module|modules|part|parts"
)
REFERENCE = re.compile(
    rf"\b(?:{REFERENCE_WORDS})\s+(?P<numbers>\d+(?:\s*(?:-|–|,|and|to|or)\s*\d+)*)\b", re.I
)
SOFTWARE = re.compile(r"\b(?:python|pytorch|torch|transformers)\s+$", re.I)
MONTH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+$",
    re.I,
)
# A number in prose, after the cleaning below: thousands groups, decimals, an exponent, an
# optional magnitude suffix. Dotted ids of three or more parts are matched whole, to skip them.
NUMBER = re.compile(
    r"(?P<dotted>\d+(?:\.\d+){2,})"
    r"|(?P<number>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?)(?P<suffix>[kKMBT])?"
)
EVIDENCE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
SUFFIX_SCALE = {"k": 3, "K": 3, "M": 6, "B": 9, "T": 12}


@dataclass(frozen=True)
class Problem:
    page: str
    line: int
    number: str
    context: str

    def __str__(self) -> str:
        return (
            f"{self.page}:{self.line}: {self.number} appears in no snippet this page includes "
            f"and not in its Sources  ({self.context.strip()[:90]})"
        )


@dataclass(frozen=True)
class Page:
    """A page split into its prose lines (number, text), the text of its evidence."""

    path: Path
    prose: list[tuple[int, str]]
    evidence: str


# --- reading a Markdown page ----------------------------------------------------------------


def read_markdown_page(path: Path, snippets_dir: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    prose, evidence = [], []
    number, sources_level = 0, None
    if lines and lines[0].strip() == "---":  # YAML front matter
        number = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    in_comment = False
    while number < len(lines):
        text = lines[number]
        number += 1
        opening = FENCE.match(text)
        if opening:
            fence = opening["fence"]
            while number < len(lines) and not lines[number].strip().startswith(fence):
                if include := INCLUDE.match(lines[number]):
                    target = snippets_dir / include["path"]
                    if target.is_file():
                        evidence.append(target.read_text(encoding="utf-8"))
                number += 1
            number += 1
            continue
        if heading := HEADING.match(text):
            level = len(heading["level"])
            if SOURCES_HEADING.match(text):
                sources_level = level
                continue
            if sources_level is not None and level <= sources_level:
                sources_level = None
        text, in_comment = _without_comments(text, in_comment)
        if sources_level is not None:
            evidence.append(text)
        else:
            prose.append((number, text))
    return Page(path, prose, "\n".join(evidence))


def _without_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    kept = []
    while text:
        if in_comment:
            end = text.find("-->")
            if end < 0:
                return "".join(kept), True
            text, in_comment = text[end + 3 :], False
        else:
            start = text.find("<!--")
            if start < 0:
                kept.append(text)
                break
            kept.append(text[:start])
            text, in_comment = text[start + 4 :], True
    return "".join(kept), in_comment


# --- reading a lab (a jupytext percent-format script) ---------------------------------------


def read_lab(path: Path) -> Page:
    """Markdown cells are prose (a "## Sources" cell is evidence); code cells are evidence."""
    prose, evidence = [], []
    kind, sources = "code", False
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith("# %%"):
            kind, sources = ("markdown" if "[markdown]" in text else "code"), False
            continue
        if kind == "code":
            evidence.append(text)
            continue
        body = text[2:] if text.startswith("# ") else text.lstrip("#")
        if SOURCES_HEADING.match(body):
            sources = True
            continue
        if sources:
            evidence.append(body)
        else:
            prose.append((number, body))
    return Page(path, prose, "\n".join(evidence))


# --- numbers in prose -----------------------------------------------------------------------


def _clean(text: str) -> str:
    """Prose without link targets, URLs, tags, attribute lists and placeholders; LaTeX
    thousands separators and powers of ten rewritten as plain numbers."""
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](target) -> [text]
    text = re.sub(r"<https?://[^>]*>|https?://\S+", " ", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)  # HTML tags
    text = re.sub(r"\{\{.*?\}\}", " ", text)  # {{ placeholders }}
    text = re.sub(r"\{\s*[.#:\w][^}]*=[^}]*\}|\{\s*\.[\w-]+\s*\}", " ", text)  # { attr="..." }
    text = text.replace("{,}", ",")
    text = re.sub(r"(\d+(?:\.\d+)?)\s*\\times\s*10\^\{?(-?\d+)\}?", r"\1e\2", text)
    text = re.sub(r"(?<![\d.])10\^\{?(-?\d+)\}?", r"1e\1", text)
    return text


def _segment_start(text: str, at: int) -> bool:
    """Is position `at` the start of a heading, list item, table cell or link text?"""
    before = text[:at]
    cut = max(before.rfind("|"), before.rfind("["))
    return re.fullmatch(r"[\s#>*_-]*", before[cut + 1 :]) is not None


def _exempt(text: str, match: re.Match, section_ids: set[str]) -> bool:
    if match["dotted"]:
        return True  # lesson ids, versions
    start, end = match.span()
    token = match["number"].lstrip("-")
    before, after = text[:start], text[end:]
    lead = before + ("-" if match["number"].startswith("-") else "")
    if re.search(r"[A-Za-z_]$|[A-Za-z0-9]-$", lead):
        return True  # glued to a name: fp32, GPT-2, Llama-3.1-8B, config_671B
    if re.match(r"[A-Za-z_]", after) or re.match(r"\.\d", after):
        return True  # fp8e4, 3rd, or the start of a longer dotted id
    if _segment_start(text, start) and re.match(r"[.)](\s|$)", after) and "." not in token:
        return True  # numbering
    if SOFTWARE.search(before):
        return True  # a version after a software name
    if token in section_ids and re.match(r"\s+[A-Z]", after):
        return True  # a course section id before its title
    if re.fullmatch(r"(19|20)\d\d", token) and (
        (re.search(r"(\(|,\s)$", before) and re.match(r"[);,.]", after)) or MONTH.search(before)
    ):
        return True  # a year
    return any(
        ref.start("numbers") <= start < ref.end("numbers") for ref in REFERENCE.finditer(text)
    )


@dataclass(frozen=True)
class ProseNumber:
    text: str  # as written
    value: Decimal
    kind: str  # "int", "decimal" (places) or "significant" (digits)
    precision: int


def _parse(match: re.Match) -> ProseNumber | None:
    written = match["number"]
    plain = written.lstrip("-").replace(",", "")
    suffix = match["suffix"]
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None
    if suffix or "e" in plain.lower():
        mantissa = re.split(r"[eE]", plain)[0]
        digits = mantissa.replace(".", "").lstrip("0")
        if "." not in mantissa:
            digits = digits.rstrip("0")
        value = value.scaleb(SUFFIX_SCALE[suffix]) if suffix else value
        return ProseNumber(written + (suffix or ""), value, "significant", max(1, len(digits)))
    if "." in plain:
        return ProseNumber(written, value, "decimal", len(plain.split(".")[1]))
    return ProseNumber(written, value, "int", 0)


def numbers_in_prose(text: str, section_ids: set[str] = frozenset()) -> list[ProseNumber]:
    cleaned = _clean(text)
    found = []
    for match in NUMBER.finditer(cleaned):
        if _exempt(cleaned, match, section_ids):
            continue
        if (number := _parse(match)) is not None:
            found.append(number)
    return found


# --- matching against the evidence ----------------------------------------------------------


def evidence_values(text: str) -> set[Decimal]:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,644,167,168 -> 1644167168
    text = re.sub(r"(?<=\d)_(?=\d{3}(?:_|\b))", "", text)  # 411_041_792 -> 411041792
    values = set()
    for token in EVIDENCE_NUMBER.findall(text):
        try:
            values.add(Decimal(token))
        except InvalidOperation:
            pass
    return values


def matches(number: ProseNumber, evidence: set[Decimal]) -> bool:
    with localcontext() as context:
        context.prec = 200  # quantizing 2.23e+43 to 0.01 needs 45 digits
        return _matches(number, evidence)


def _matches(number: ProseNumber, evidence: set[Decimal]) -> bool:
    value = abs(number.value)
    if number.kind == "int":
        return value in evidence
    if number.kind == "decimal":
        step = Decimal(1).scaleb(-number.precision)
        return any(
            e.quantize(step, rounding=mode) == value
            for e in evidence
            for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)
        )
    return any(_significant(e, number.precision) == value for e in evidence if e)


def _significant(value: Decimal, digits: int) -> Decimal:
    step = Decimal(1).scaleb(value.adjusted() - digits + 1)
    return value.quantize(step, rounding=ROUND_HALF_UP)


# --- the whole site -------------------------------------------------------------------------


def section_ids(root: Path) -> set[str]:
    """ "9.8" for a lesson folder docs/9.8.7-...: the course's section ids."""
    ids = set()
    docs = root / "docs"
    for folder in docs.iterdir() if docs.is_dir() else ():
        if match := re.match(r"^(\d+)\.(\d+)\.(\d+)-", folder.name):
            ids.add(f"{match[1]}.{match[2]}")
    return ids


def site_pages(root: Path) -> list[Page]:
    snippets = root / "snippets"
    pages = [read_markdown_page(p, snippets) for p in sorted((root / "docs").rglob("*.md"))]
    pages += [read_lab(p) for p in sorted(snippets.glob("*/lab.py"))]
    return pages


def problems(root: Path, pages: list[Page] | None = None) -> list[Problem]:
    ids = section_ids(root)
    found = []
    for page in pages if pages is not None else site_pages(root):
        evidence = evidence_values(page.evidence)
        where = str(page.path.relative_to(root))
        for line, text in page.prose:
            for number in numbers_in_prose(text, ids):
                if not matches(number, evidence):
                    found.append(Problem(where, line, number.text, text))
    return found
