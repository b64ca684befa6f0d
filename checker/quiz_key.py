"""Read a lesson's answer key from its quiz page, written in the mkdocs-quiz format.

The site's quiz and the checker's key are one source: the page. A question is a block

    <quiz>
    The question?
    - [x] a correct option
        > feedback on this option (optional, indented under it)
    - [ ] a wrong option

    The explanation shown after answering.
    </quiz>

or a fill-in-the-blank question with the answers in double brackets (`The capital is [[Paris]].`),
optionally followed by `---` and the explanation. Stdlib only: the checker runs without MkDocs.
"""

import re
from dataclasses import dataclass, field

QUIZ_BLOCK = re.compile(r"^[ \t]*<quiz>[ \t]*\n(?P<body>.*?)^[ \t]*</quiz>[ \t]*$", re.M | re.S)
OPTION = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+?)\s*$")
FEEDBACK = re.compile(r"^[ \t]+>")  # mkdocs-quiz: feedback for the option above it
LETTER = re.compile(r"^[a-z]\)\s+")  # an option written with its letter, as "b) text"
BLANK = re.compile(r"\[\[(?P<answer>.+?)\]\]")


class NoQuizError(ValueError):
    """The page has no machine-readable quiz, or a block is malformed."""


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, in page order
    text: str
    options: list[str] = field(default_factory=list)  # multiple choice: in page order
    correct: list[int] = field(default_factory=list)  # indexes into options
    blanks: list[str] = field(default_factory=list)  # fill in the blank: the answers
    explanation: str = ""

    @property
    def kind(self) -> str:
        return "choice" if self.options else "blank"

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "text": self.text,
            "options": self.options,
            "correct": self.correct,
            "blanks": self.blanks,
            "explanation": self.explanation,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Question":
        return cls(**data)


def parse_quiz(markdown: str, source: str = "quiz page") -> list[Question]:
    """Every <quiz> block of a page, in order; NoQuizError if there is none or one is malformed.

    Options are answered by letter, so a page letters them all ("a) ...", "b) ...", in order)
    or none: a question whose options carry no letters, next to one whose options do, leaves
    the reader to guess the letters.
    """
    questions = []
    for number, match in enumerate(QUIZ_BLOCK.finditer(markdown), start=1):
        questions.append(_parse_block(match["body"], number, source))
    if not questions:
        raise NoQuizError(
            f"{source} has no machine-readable quiz: no <quiz> ... </quiz> block "
            "(mkdocs-quiz format) was found"
        )
    _check_letters(markdown, source)
    return questions


def _check_letters(markdown: str, source: str) -> None:
    lettered = {}  # question number: [the letter each option is written with, or None]
    for number, match in enumerate(QUIZ_BLOCK.finditer(markdown), start=1):
        texts = [m["text"] for line in match["body"].splitlines() if (m := OPTION.match(line))]
        lettered[number] = [t[0] if LETTER.match(t) else None for t in texts]
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


def _parse_block(body: str, number: int, source: str) -> Question:
    lines = body.splitlines()
    options, correct, text_lines, after = [], [], [], []
    for line in lines:
        if options and not after and (FEEDBACK.match(line) or not line.strip()):
            continue  # an option's own feedback (indented "> ..." lines), or a blank line
        if after or (options and not OPTION.match(line)):
            after.append(line)  # the explanation after the options
        elif option := OPTION.match(line):
            options.append(LETTER.sub("", option["text"]))  # "b) text": the key adds its own
            if option["mark"].lower() == "x":
                correct.append(len(options) - 1)
        else:
            text_lines.append(line)
    if options:
        if not correct:
            raise NoQuizError(f"{source}, quiz question {number}: no option is marked [x]")
        return Question(number, _flat(text_lines), options, correct, explanation=_flat(after))
    question_part, _, explanation = body.partition("\n---")
    blanks = [m["answer"].strip() for m in BLANK.finditer(question_part)]
    if not blanks:
        raise NoQuizError(
            f"{source}, quiz question {number}: neither options (- [x] / - [ ]) "
            "nor a [[blank]] to fill"
        )
    text = BLANK.sub("____", _flat(question_part.splitlines()))
    return Question(number, text, blanks=blanks, explanation=_flat(explanation.splitlines()))


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _normal(text) -> str:
    return " ".join(str(text).replace("`", "").split()).casefold().rstrip(".")


def describe_expected(question: Question) -> str:
    if question.kind == "choice":
        return " or ".join(f"{chr(ord('a') + i)}) {question.options[i]}" for i in question.correct)
    return " / ".join(question.blanks)


def grade_answer(question: Question, answer) -> tuple[bool, str]:
    """(correct?, what the answer was read as). Raises ValueError for an unreadable answer."""
    if question.kind == "blank":
        given = [answer] if isinstance(answer, str) else answer
        if not isinstance(given, list | tuple) or not all(isinstance(g, str) for g in given):
            raise ValueError(f"expected text (a str), got {type(answer).__name__}")
        if len(given) != len(question.blanks):
            raise ValueError(f"expected {len(question.blanks)} blank(s), got {len(given)}")
        ok = all(_normal(g) == _normal(b) for g, b in zip(given, question.blanks, strict=True))
        return ok, " / ".join(given)
    chosen = _choice_index(question, answer)
    return chosen in question.correct, f"{chr(ord('a') + chosen)}) {question.options[chosen]}"


def _choice_index(question: Question, answer) -> int:
    letters = [chr(ord("a") + i) for i in range(len(question.options))]
    if isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str):
        raise ValueError(
            f"expected a letter ({', '.join(letters)}) or an option's text, "
            f"got {type(answer).__name__} {answer!r}"
        )
    letter = answer.strip().strip("()").rstrip(")").strip().lower()
    if letter in letters:
        return letters.index(letter)
    for index, option in enumerate(question.options):
        if _normal(option) == _normal(answer):
            return index
    within = [i for i, o in enumerate(question.options) if _normal(answer) in _normal(o)]
    if len(_normal(answer)) >= 3 and len(within) == 1:  # a unique part of one option
        return within[0]
    raise ValueError(
        f"{answer!r} is neither a letter ({', '.join(letters)}) nor the text of an option"
    )
