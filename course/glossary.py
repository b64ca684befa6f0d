"""The course's glossary (glossary.yml): the terms a learner who knows basic PyTorch may not
know yet, each with a short definition, the words that name it in prose and the identifiers
that name it in code.

hooks/glossary.py shows a definition as a tooltip at a term's first use on a page and lists
every term on the Glossary page; tests/test_glossary.py checks that each page defines a term
by its first use. Both find a term with the patterns made here, so they agree on what a use
is: a form in prose (whole words; a form's first letter may also be upper case, at the start
of a sentence), an identifier in code (whole words, also in code blocks).
"""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from course import ROOT
from course.config import load_yaml

GLOSSARY = ROOT / "glossary.yml"
MAX_DEFINITION = 300  # characters: a tooltip, not an article
FORBIDDEN = re.compile(r"[<>&\"]")  # a tooltip's text is plain: no markup, no quotes


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    name: str
    definition: str
    forms: tuple[str, ...]
    code: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def load_glossary(path: Path = GLOSSARY) -> list[Term]:
    """The glossary's terms; a malformed entry raises GlossaryError naming it and the file."""
    entries = load_yaml(path) if path.is_file() else None
    if not isinstance(entries, list):
        raise GlossaryError(f"{path}: expected a list of terms")
    terms, seen = [], {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str):
            raise GlossaryError(f"{where}: needs a `term:` (a string)")
        name = entry["term"]
        where += f" ({name})"
        unknown = set(entry) - {"term", "definition", "forms", "code"}
        if unknown:
            raise GlossaryError(f"{where}: unknown keys {sorted(unknown)}")
        definition = " ".join(str(entry.get("definition") or "").split())
        if not definition:
            raise GlossaryError(f"{where}: needs a `definition:`")
        if len(definition) > MAX_DEFINITION:
            raise GlossaryError(
                f"{where}: the definition has {len(definition)} characters; a tooltip holds "
                f"at most {MAX_DEFINITION}"
            )
        if bad := FORBIDDEN.search(definition):
            raise GlossaryError(f"{where}: the definition is plain text, without {bad[0]!r}")
        forms = entry.get("forms", [name])
        code = entry.get("code", [])
        for key, values in (("forms", forms), ("code", code)):
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise GlossaryError(f"{where}: `{key}:` must be a list of words")
        if not forms and not code:
            raise GlossaryError(f"{where}: needs at least one form or code identifier")
        for word in [*forms, *code]:
            key = word[:1].lower() + word[1:]
            if key in seen and seen[key] != name:
                raise GlossaryError(f"{where}: {word!r} already names {seen[key]!r}")
            seen[key] = name
        terms.append(Term(name, definition, tuple(forms), tuple(code)))
    return terms


def _alternation(words: list[str], either_case: bool) -> str:
    def one(word):
        first = re.escape(word[0])
        if either_case and word[0].islower():
            first = f"[{word[0]}{word[0].upper()}]"
        return first + re.escape(word[1:]).replace(r"\ ", r"\s+")  # a line may break

    return "|".join(one(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Matcher:
    """Finds the glossary's terms in text: `prose` in running text, `code` in code."""

    terms: tuple[Term, ...]

    @cached_property
    def _by_form(self) -> dict[str, Term]:
        return {f: t for t in self.terms for f in t.forms}

    @cached_property
    def _by_code(self) -> dict[str, Term]:
        return {c: t for t in self.terms for c in t.code}

    @cached_property
    def _prose(self) -> re.Pattern | None:
        forms = list(self._by_form)
        if not forms:
            return None
        return re.compile(rf"(?<![\w-])(?:{_alternation(forms, True)})(?![\w-])")

    @cached_property
    def _code(self) -> re.Pattern | None:
        code = list(self._by_code)
        if not code:
            return None
        # Not inside a longer name: `meta` in device="meta", not in "meta-llama".
        return re.compile(rf"(?<![\w-])(?:{_alternation(code, False)})(?![\w-])")

    def prose(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of each use in running text."""
        if self._prose is None:
            return []
        found = []
        for match in self._prose.finditer(text):
            word = " ".join(match[0].split())
            term = self._by_form.get(word) or self._by_form.get(word[0].lower() + word[1:])
            found.append((match.start(), match.end(), term))
        return found

    def code(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of each use in code."""
        if self._code is None:
            return []
        return [(m.start(), m.end(), self._by_code[m[0]]) for m in self._code.finditer(text)]


def matcher(path: Path = GLOSSARY) -> Matcher:
    return Matcher(tuple(load_glossary(path)))
