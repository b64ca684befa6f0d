"""The checker's answer key is read from the quiz page (mkdocs-quiz format) and graded like it:
a letter, an option's full text, or both; never a fragment; a wrong answer gets that option's
own feedback from the page and a link to the question."""

import ast

import pytest

from checker.quiz_key import NoQuizError, grade_answer, parse_quiz
from course import DOCS_DIR, ROOT
from tests.checker_runs import LESSON_IDS, WORKBOOKS

FIXTURE = ROOT / "tests" / "checker_fixtures" / "quiz_mkdocs_quiz_format.md"
PAGE = """
# A quiz

```markdown
<quiz>
A quiz shown as an example inside a code block is not a question.
- [x] no
</quiz>
```

<quiz>
Which shape does `embed.weight` have?

- [ ] a) (hidden_size, vocab_size)
    > Wrong: that is the transpose.

- [x] b) (vocab_size, hidden_size)
    > Right: one row per token.

- [ ] c) (batch, seq, hidden_size)
</quiz>

<quiz>
Which are parameters?
- [x] a) `weight` of an `nn.Embedding`
- [x] b) The **bias** of an [nn.Linear](https://pytorch.org/)
- [ ] c) The running mean of a BatchNorm
    > A buffer: saved with the model, never trained.

It is what `parameters()` yields.
</quiz>
"""


@pytest.fixture
def key():
    return parse_quiz(PAGE)


def test_reads_options_marks_feedback_and_anchor(key):
    shape, params = key
    assert shape.options == [
        "(hidden_size, vocab_size)",
        "(vocab_size, hidden_size)",
        "(batch, seq, hidden_size)",
    ]
    assert shape.correct == [1] and params.correct == [0, 1]
    assert shape.feedback == ["Wrong: that is the transpose.", "Right: one row per token.", ""]
    assert (shape.anchor, params.anchor) == ("quiz-0", "quiz-1")  # the ids mkdocs-quiz gives
    assert params.explanation == "It is what `parameters()` yields."


@pytest.mark.parametrize(
    "answer",
    [
        "b",
        "B",
        "b)",
        "(b)",
        " b. ",
        "(vocab_size, hidden_size)",
        "  (VOCAB_SIZE,   hidden_size). ",
        "b) (vocab_size, hidden_size)",  # letter and text together, as the checker writes them
        "(b) (vocab_size, hidden_size)",
        "b: (vocab_size, hidden_size)!",
    ],
)
def test_a_letter_the_full_text_or_both_are_accepted(key, answer):
    correct, read_as, _ = grade_answer(key[0], answer)
    assert correct and read_as == "b) (vocab_size, hidden_size)"


@pytest.mark.parametrize(
    "answer",
    ["vocab", "vocab_size", "hidden_size)", "(vocab_size", "size", "d", "b c", "bb", "", "  "],
)
def test_fragments_and_unknown_letters_are_refused(key, answer):
    with pytest.raises(ValueError, match="part of an option does not count"):
        grade_answer(key[0], answer)


def test_a_letter_and_a_text_that_disagree_are_refused(key):
    with pytest.raises(ValueError, match="names two options"):
        grade_answer(key[0], "a) (vocab_size, hidden_size)")


def test_a_wrong_answer_gets_that_options_own_feedback(key):
    assert grade_answer(key[0], "a") == (
        False,
        "a) (hidden_size, vocab_size)",
        "Wrong: that is the transpose.",
    )
    assert grade_answer(key[0], "c") == (False, "c) (batch, seq, hidden_size)", "")


def test_several_right_options_must_all_be_chosen(key):
    params = key[1]
    assert grade_answer(params, ["a", "b"])[0]
    assert grade_answer(params, ("b", "weight of an nn.Embedding"))[0]  # Markdown as read
    assert grade_answer(params, ["The bias of an nn.Linear", "a"])[0]
    assert not grade_answer(params, ["a"])[0]
    correct, _, said = grade_answer(params, ["a", "b", "c"])
    assert not correct and said == "A buffer: saved with the model, never trained."


def test_true_false_takes_a_bool():
    _, q2, _ = parse_quiz(FIXTURE.read_text())
    assert grade_answer(q2, True)[0] and not grade_answer(q2, False)[0]
    assert grade_answer(q2, "true")[0]
    with pytest.raises(ValueError, match="got int"):
        grade_answer(q2, 1)


def test_fill_in_the_blank_form():
    (question,) = parse_quiz(
        "<quiz>\n`initializer_range` is the [[standard deviation]] of the init.\n\n---\n"
        "It is the std.\n</quiz>\n"
    )
    assert question.blanks == ["standard deviation"] and question.explanation == "It is the std."
    assert grade_answer(question, "  Standard   Deviation. ")[0]
    assert not grade_answer(question, "standard")[0]


def test_a_page_without_a_quiz_or_with_no_right_option_is_an_error():
    with pytest.raises(NoQuizError, match="no machine-readable quiz"):
        parse_quiz("# Quiz\n\n## 1. A question\n\na) one\n")
    with pytest.raises(NoQuizError, match="question 1: no option is marked"):
        parse_quiz("<quiz>\nQ?\n- [ ] a\n- [ ] b\n</quiz>\n")


def test_a_page_letters_every_option_in_order_or_none():
    lettered = "<quiz>\nQ1?\n- [x] a) yes\n- [ ] b) no\n</quiz>\n"
    # The fixture letters nothing; a page that letters every option in order reads fine.
    assert parse_quiz(lettered + lettered)[1].options == ["yes", "no"]
    unlettered = "<quiz>\nQ2?\n- [x] yes\n- [ ] no\n</quiz>\n"
    with pytest.raises(NoQuizError, match=r"question 2: .*option 1 starts with no letter, not a\)"):
        parse_quiz(lettered + unlettered)
    shuffled = "<quiz>\nQ2?\n- [x] b) yes\n- [ ] a) no\n</quiz>\n"
    with pytest.raises(NoQuizError, match=r"option 1 starts with b\), not a\)"):
        parse_quiz(lettered + shuffled)


def solution_answers(lesson_id: str) -> dict:
    tree = ast.parse((WORKBOOKS / lesson_id / "solution.py").read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id.startswith("QUIZ_")
    }


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_real_quiz_page_is_the_answer_key_and_the_solution_passes_it(lesson_id):
    page = DOCS_DIR / lesson_id / "quiz.md"
    key = parse_quiz(page.read_text(), str(page.relative_to(ROOT)))
    answers = solution_answers(lesson_id)
    assert len(key) == len(answers), f"{page} has {len(key)} questions, the workbook asks more"
    for question in key:
        answer = answers[f"QUIZ_{question.number}"]
        correct, read_as, _ = grade_answer(question, answer)
        assert correct, f"question {question.number}: solution {answer!r} read as {read_as!r}"
        wrong = [i for i in range(len(question.options)) if i not in question.correct]
        for index in wrong:  # every wrong option is graded wrong, by letter and by text
            assert not grade_answer(question, question.letters[index])[0]
            assert not grade_answer(question, question.options[index])[0]
