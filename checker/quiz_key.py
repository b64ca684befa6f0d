"""Read a lesson's answer key from its quiz page (mkdocs-quiz format) and grade answers like it.

The site's quiz and the checker's key are one source: the page. A question is a block

    <quiz>
    The question?
    - [x] a correct option
        > feedback on this option, shown when it is picked
    - [ ] a wrong option

    The explanation shown after answering.
    </quiz>

or a fill-in-the-blank question with the answers in double brackets (`The capital is [[Paris]].`),
parsed the way mkdocs-quiz parses it (its rules are mirrored here: the checker runs without
MkDocs). mkdocs-quiz gives the n-th block of a page the anchor `quiz-<n-1>`; a wrong answer
links there and quotes the feedback the page gives for the option picked, never the right one.
"""

import re
import textwrap
from dataclasses import asdict, dataclass, field

QUIZ_BLOCK = re.compile(r"<quiz>(.*?)</quiz>", re.S)
FENCED_CODE = re.compile(
    r"^[ \t]*`{3,}.*?\n.*?^[ \t]*`{3,}|^[ \t]*~{3,}.*?\n.*?^[ \t]*~{3,}", re.M | re.S
)
OPTION = re.compile(r"^[-*] \[(?P<mark>.?)\] (?P<text>.*)$")
FEEDBACK = re.compile(r"^\s*>\s?(?P<text>.*)$")
BLANK = re.compile(r"\[\[(?P<answer>[^\]]+)\]\]")
PAGE_LETTER = re.compile(r"^[a-z]\)\s+")  # an option written with its letter, as "b) text"
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
AROUND = " \t.,;:!?'\"\u201c\u201d\u2018\u2019"  # spaces and punctuation around an answer
LETTER = re.compile(r"^\(?(?P<letter>[a-z])\)?$")
LETTER_AND_TEXT = re.compile(r"^\(?(?P<letter>[a-z])[).:]\s*(?P<text>.+)$")


class NoQuizError(ValueError):
    """The page has no machine-readable quiz, or a block is malformed."""


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, in page order
    text: str
    options: list[str] = field(default_factory=list)  # multiple choice: in page order
    correct: list[int] = field(default_factory=list)  # indexes into options
    feedback: list[str] = field(default_factory=list)  # per option, "" when the page has none
    blanks: list[str] = field(default_factory=list)  # fill in the blank: the answers
    explanation: str = ""

    @property
    def kind(self) -> str:
        return "choice" if self.options else "blank"

    @property
    def anchor(self) -> str:
        return f"quiz-{self.number - 1}"  # the id mkdocs-quiz gives the block

    @property
    def letters(self) -> list[str]:
        return [chr(ord("a") + i) for i in range(len(self.options))]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Question":
        return cls(**data)


def parse_quiz(markdown: str, source: str = "quiz page") -> list[Question]:
    """Every <quiz> block of a page, in order; NoQuizError if there is none or one is malformed.

    Options are answered by letter, so a page letters them all ("a) ...", "b) ...", in order)
    or none: a question whose options carry no letters, next to one whose options do, leaves
    the reader to guess the letters.
    """
    outside_code = FENCED_CODE.sub(_mask_unless_in_quiz(markdown), markdown)
    questions = [
        _parse_block(match[1], number, source)
        for number, match in enumerate(QUIZ_BLOCK.finditer(outside_code), start=1)
    ]
    if not questions:
        raise NoQuizError(
            f"{source} has no machine-readable quiz: no <quiz> ... </quiz> block "
            "(mkdocs-quiz format) was found"
        )
    _check_letters(outside_code, source)
    return questions


def _check_letters(markdown: str, source: str) -> None:
    lettered = {}  # question number: [the letter each option is written with, or None]
    for number, match in enumerate(QUIZ_BLOCK.finditer(markdown), start=1):
        texts = [m["text"] for line in match[1].splitlines() if (m := OPTION.match(line))]
        lettered[number] = [t[0] if PAGE_LETTER.match(t) else None for t in texts]
    uses_letters = any(letter for letters in lettered.values() for letter in letters)
    for number, letters in lettered.items():
        if not letters or not uses_letters:
            continue
        expected = [chr(ord("a") + i) for i in range(len(letters))]
        if letters != expected:
            wrong = [
                f"option {i + 1} starts with {f'{w})' if w else 'no letter'}, not {e})"
                for i, (e, w) in enumerate(zip(expected, letters, strict=True))
                if e != w
            ]
            raise NoQuizError(
                f"{source}, quiz question {number}: the page letters its options, so every "
                f"option must start with its letter, a), b), ... in order: {'; '.join(wrong)}"
            )


def _mask_unless_in_quiz(markdown: str):
    quizzes = [m.span() for m in QUIZ_BLOCK.finditer(markdown)]

    def mask(code: re.Match) -> str:
        inside = any(a < code.start() < b or a < code.end() < b for a, b in quizzes)
        return code[0] if inside else "\n" * code[0].count("\n")

    return mask


def _parse_block(body: str, number: int, source: str) -> Question:
    if BLANK.search(body):
        question_part, _, explanation = body.partition("\n---")
        blanks = [m["answer"].strip() for m in BLANK.finditer(question_part)]
        text = BLANK.sub("____", _flat(question_part.splitlines()))
        return Question(number, text, blanks=blanks, explanation=_flat(explanation.splitlines()))
    lines = textwrap.dedent(body).strip("\n").splitlines()
    first = next((i for i, line in enumerate(lines) if OPTION.match(line)), None)
    if first is None:
        raise NoQuizError(
            f"{source}, quiz question {number}: neither options (- [x] / - [ ]) "
            "nor a [[blank]] to fill"
        )
    options, correct, feedback = [], [], []
    i = first
    while i < len(lines):
        if option := OPTION.match(lines[i]):
            if option["mark"] not in ("x", "X", " ", ""):
                raise NoQuizError(
                    f"{source}, quiz question {number}: [{option['mark']}] is no mark"
                )
            if option["mark"] in ("x", "X"):
                correct.append(len(options))
            options.append(PAGE_LETTER.sub("", option["text"].strip()))
            said = []
            i += 1
            while i < len(lines) and (line := FEEDBACK.match(lines[i])):
                said.append(line["text"])
                i += 1
            feedback.append(_flat(said))
        elif not lines[i].strip():
            i += 1
        else:
            break
    if not correct:
        raise NoQuizError(f"{source}, quiz question {number}: no option is marked [x]")
    return Question(
        number, _flat(lines[:first]), options, correct, feedback, explanation=_flat(lines[i:])
    )


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def plain(text) -> str:
    """What a reader sees of a bit of Markdown, folded for comparing answers."""
    text = MARKDOWN_LINK.sub(r"\1", str(text)).replace("`", "").replace("**", "")
    return " ".join(text.split()).casefold().strip(AROUND)


def grade_answer(question: Question, answer) -> tuple[bool, str, str]:
    """(correct?, what the answer was read as, the page's feedback on it).

    ValueError for an answer that names no option (a fragment, a number, an unknown letter).
    """
    if question.kind == "blank":
        given = [answer] if isinstance(answer, str) else answer
        if not isinstance(given, list | tuple) or not all(isinstance(g, str) for g in given):
            raise ValueError(f"expected text (a str), got {type(answer).__name__}")
        if len(given) != len(question.blanks):
            raise ValueError(f"expected {len(question.blanks)} blank(s), got {len(given)}")
        ok = all(plain(g) == plain(b) for g, b in zip(given, question.blanks, strict=True))
        return ok, " / ".join(given), ""
    if len(question.correct) > 1:
        items = answer if isinstance(answer, list | tuple | set | frozenset) else [answer]
        chosen = sorted({_choice_index(question, item) for item in items})
    else:
        chosen = [_choice_index(question, answer)]
    read_as = "; ".join(f"{question.letters[i]}) {question.options[i]}" for i in chosen)
    wrong = [i for i in chosen if i not in question.correct]
    said = " ".join(question.feedback[i] for i in wrong if question.feedback[i])
    return chosen == sorted(question.correct), read_as, said


def _choice_index(question: Question, answer) -> int:
    """The option an answer names: its letter, its full text, or both ("b) text")."""
    letters = question.letters
    accepted = f"a letter ({', '.join(letters)}), an option's full text, or both"
    if isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str):
        raise ValueError(f"expected {accepted}; got {type(answer).__name__} {answer!r}")
    given = plain(answer)
    texts = [plain(option) for option in question.options]
    if given in texts:
        return texts.index(given)
    if (only := LETTER.match(given)) and only["letter"] in letters:
        return letters.index(only["letter"])
    if (both := LETTER_AND_TEXT.match(given)) and both["letter"] in letters:
        index = letters.index(both["letter"])
        if plain(both["text"]) == texts[index]:
            return index
        if plain(both["text"]) in texts:
            raise ValueError(
                f"{answer!r} names two options: the letter {both['letter']}) and the text of "
                f"{letters[texts.index(plain(both['text']))]})"
            )
    raise ValueError(f"{answer!r} is not {accepted}: part of an option does not count")
