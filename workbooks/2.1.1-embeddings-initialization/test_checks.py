"""This lesson's checks grade behaviour: typical mistakes and bad input each get the right
per-task message, right answers written another way pass, and the checker never crashes.
(The solution's 100 % and the empty workbook's 0 % are tested for every lesson, in tests/.)

Each submission is the reference solution with a few edits (each edit asserted to apply), so
one checker run covers several independent mistakes; the runs go in parallel (the solution's
own run is shared with other test files: tests/checker_runs.py).
"""

import json
import subprocess
from pathlib import Path

import pytest

from checker.lessons import load_lesson
from checker.quiz_key import parse_quiz
from checker.quiz_source import site_url
from course import ROOT
from tests.checker_runs import make_check, run_all, shared_run, solution_run

HERE = Path(__file__).parent
LESSON = HERE.name
TASKS = load_lesson(LESSON).TASKS
SOLUTION = HERE / "solution.py"
# The answer key is the site's own quiz page: the one source the grader and the site share.
QUIZ_PAGE = ROOT / "docs" / LESSON / "quiz.md"


def edited(edits: list[tuple[str, str]]) -> str:
    text = SOLUTION.read_text()
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not found once in solution.py: {old!r}"
        text = text.replace(old, new)
    return text


MISTAKES_A = [  # independent typical mistakes, one per task
    (
        "nn.Embedding(vocab_size, hidden_size, padding_idx=0)",
        "nn.Embedding(hidden_size, vocab_size, padding_idx=0)",
    ),
    ("embed.weight[embed.padding_idx] = 0", "embed.weight[embed.padding_idx] *= 1"),
    ("embed.weight[:n].norm(dim=1)", "embed.weight[:n].norm(dim=0)"),
    (
        "    def reset_parameters(self):\n        nn.init.uniform_(self.weight, -0.1, 0.1)\n"
        "        self._fill_padding_idx_with_zero()\n",
        "    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n"
        "        nn.init.uniform_(self.weight, -0.1, 0.1)\n",
    ),
    (
        "self.lm_head.weight = self.embed_tokens.weight",
        "self.lm_head.weight = nn.Parameter(self.embed_tokens.weight.detach().clone())",
    ),
    ('QUIZ_1 = "(vocab_size, hidden_size)"', 'QUIZ_1 = "a"'),
    ("PAD_OUTPUT_REQUIRES_GRAD = True", "PAD_OUTPUT_REQUIRES_GRAD = False"),
    ("ROW_NORM_AT_DEFAULT_INIT = 64.0", "ROW_NORM_AT_DEFAULT_INIT = 1.0"),
]
MISTAKES_B = [
    (
        "    with torch.no_grad():\n        embed.weight[embed.padding_idx] = 0",
        "    embed.weight[0] = torch.zeros(embed.weight.shape[1])",
    ),
    (
        "self.lm_head.weight = self.embed_tokens.weight",
        "self.lm_head.weight = nn.Parameter(self.embed_tokens.weight.data)",
    ),
    ("return sum(p.numel() for p in module.parameters())", "return module.weight.numel()"),
    ('QUIZ_2 = "It zeroes', 'QUIZ_2 = 42  # "It zeroes'),
]
VARIANTS = [  # right answers written another way: each must pass
    (  # tying fixes the head's weight; a bias of its own is allowed (BERT's head has one)
        "nn.Linear(hidden_size, vocab_size, bias=False)",
        "nn.Linear(hidden_size, vocab_size, bias=True)",
    ),
]
BAD_INPUT = [
    (
        'LESSON = "2.1.1-embeddings-initialization"\n',
        'LESSON = "2.1.1-embeddings-initialization"\nprint("hello at load")\n'
        'open("scratch.txt", "w").write("written by the workbook")\n',
    ),
    ("def first_row_norms(embed, n=5):", "def first_row_norms(embed, n=5)"),  # syntax error
    ("return sum(p.numel() for p in module.parameters())", "raise ValueError('boom')"),
    ("return embed(torch.tensor([[0, 1, 0]]))", "return [0, 1, 0]"),  # wrong type
    ("FULL_TABLE_FP32_BYTES = FULL_TABLE_PARAMETERS * 4", 'FULL_TABLE_FP32_BYTES = "1.6 GB"'),
    (
        "    with torch.no_grad():\n        embed.weight[embed.padding_idx] = 0",
        "    while True:\n        pass",
    ),  # endless loop
    (
        "return nn.Embedding(vocab_size, hidden_size, padding_idx=0)",  # far beyond the task
        'print("building the full table")\n    return nn.Embedding(100352, 4096, padding_idx=0)',
    ),
    (
        "        nn.init.uniform_(self.weight, -0.1, 0.1)\n",  # prints a lot
        "        for _ in range(100_000):\n            print('x' * 100)\n"
        "        nn.init.uniform_(self.weight, -0.1, 0.1)\n",
    ),
    ("class TiedLM(nn.Module):", "class TiedLMRenamed(nn.Module):"),  # a missing task
]
LEAKY_TOP_LEVEL = [  # a global switch at the top hides no wrong answer and breaks no right one
    (
        "PAD_OUTPUT_REQUIRES_GRAD = True",
        "torch.set_grad_enabled(False)\nPAD_OUTPUT_REQUIRES_GRAD = False",
    ),
]
SUBMISSIONS = {  # checked against this lesson's quiz page (--quiz)
    "mistakes_a": (edited(MISTAKES_A), []),
    "mistakes_b": (edited(MISTAKES_B), []),
    # The variants are right answers and the global switch breaks none of them: one run.
    "variants_leaky_top_level": (edited(VARIANTS + LEAKY_TOP_LEVEL), []),
    "bad_input": (edited(BAD_INPUT), ["--time-limit", "5"]),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Run the checker on every submission at once, and on the solution (without --quiz: the
    same page by default); {name: (report, returncode, stderr)}, "folder": bad_input's."""
    running = {"solution": solution_run(tmp_path_factory, LESSON)}
    for name, (text, extra) in SUBMISSIONS.items():
        args = ["--json", "--quiz", str(QUIZ_PAGE), *extra]
        running[name] = shared_run(tmp_path_factory, text, *args, name=f"{name}.py")
    results = {}
    for name, done in run_all(running).items():
        out, err = done.stdout, done.stderr
        assert out.strip(), f"checker printed nothing for {name}; stderr:\n{err}"
        results[name] = (json.loads(out), done.returncode, err)
    results["folder"] = running["bad_input"].folder
    return results


def tasks(report) -> dict:
    return {t["id"]: t for t in report["tasks"]}


@pytest.mark.parametrize(
    ("task", "expected", "got", "words"),
    [
        ("task1", "(50, 8)", "(8, 50)", "transposed"),
        ("task3-zero", "0.0", "1.5", "row 0 (the pad row) is not zero"),
        ("task2-norms", "(5,)", "(12,)", "wrong dimension"),
        ("task4", "weight[0] all zeros", None, "did not re-zero row padding_idx"),
        ("advanced", None, "a copy", "not a copy"),
        ("quiz1", None, "a) (hidden_size, vocab_size)", "wrong answer"),
        ("task3-requires-grad", "True", "False", "part of the graph"),
        ("task2-norm-value", "about 64.0", "1.0", "common expectation"),
    ],
)
def test_typical_mistakes_are_caught_with_the_right_message(reports, task, expected, got, words):
    result = tasks(reports["mistakes_a"][0])[task]
    assert result["status"] == "fail", result
    assert words in result["message"], result
    if expected is not None:
        assert result["expected"] == expected, result
    if got is not None:
        assert got in result["got"], result
    hint = next(t.hint for t in TASKS if t.id == task)
    assert result["hint"].startswith(f"{site_url()}{LESSON}/{hint}")


def test_a_wrong_quiz_answer_quotes_the_page_on_that_option_and_links_the_question(reports):
    """Graded like the page: that option's own feedback, a link to the question, no answer."""
    result = tasks(reports["mistakes_a"][0])["quiz1"]
    question = parse_quiz(QUIZ_PAGE.read_text())[0]
    picked = question.options.index("(hidden_size, vocab_size)")
    assert question.feedback[picked] and question.feedback[picked] in result["message"], result
    assert result["hint"] == f"{site_url()}{LESSON}/quiz/#{question.anchor}"
    right = question.options[question.correct[0]]
    assert result["expected"] is None and right not in result["message"], result


def test_mistakes_leave_the_other_tasks_passing(reports):
    report, returncode, _ = reports["mistakes_a"]
    assert returncode == 1
    assert report["score"]["passed"] == 18 - len(MISTAKES_A)


def test_expected_values_do_not_follow_the_workbooks_global_settings(reports):
    report, returncode, _ = reports["variants_leaky_top_level"]
    assert tasks(report)["task3-requires-grad"]["status"] == "fail"
    assert report["score"]["passed"] == report["score"]["graded"] - 1 and returncode == 1


def test_zeroing_the_pad_row_outside_no_grad_is_explained(reports):
    result = tasks(reports["mistakes_b"][0])["task3-zero"]
    assert result["status"] == "error"
    assert "leaf Variable that requires grad" in result["message"]
    assert "torch.no_grad()" in result["message"] and "workbook line" in result["message"]


def test_a_tied_head_with_a_bias_passes(reports):
    report, _, _ = reports["variants_leaky_top_level"]
    assert tasks(report)["advanced"]["status"] == "pass", tasks(report)["advanced"]
    failing = {t["id"] for t in report["tasks"] if t["status"] not in ("pass", "self-check")}
    assert failing <= {"task3-requires-grad"}, failing  # the global switch's, if any


def test_second_parameter_over_shared_storage_is_not_a_tie(reports):
    result = tasks(reports["mistakes_b"][0])["advanced"]
    assert result["status"] == "fail" and "two Parameter objects" in result["got"]


def test_counting_only_weight_misses_the_bias(reports):
    result = tasks(reports["mistakes_b"][0])["task2-count"]
    assert result["status"] == "fail" and (result["expected"], result["got"]) == ("240", "210")


def test_an_unreadable_quiz_answer_says_what_it_accepts(reports):
    result = tasks(reports["mistakes_b"][0])["quiz2"]
    assert result["status"] == "fail" and "cannot read the answer" in result["message"]


@pytest.fixture(scope="module")
def bad(reports):
    return reports["bad_input"][0]


def test_syntax_error_loses_only_its_own_task(bad):
    result = tasks(bad)["task2-norms"]
    assert result["status"] == "error"
    assert "`first_row_norms` could not be loaded: SyntaxError at line" in result["message"]
    assert any(
        "SyntaxError" in p["message"] and p["names"] == ["first_row_norms"]
        for p in bad["load_problems"]
    )


def test_a_task_that_raises_names_the_exception_and_line(bad):
    message = tasks(bad)["task2-count"]["message"]
    assert "your code raised ValueError: boom (workbook line" in message
    assert "in count_parameters" in message


def test_wrong_types_are_reported(bad):
    forward = tasks(bad)["task3-forward"]
    assert forward["status"] == "fail" and forward["got"] == "list"
    memory = tasks(bad)["task2-memory"]
    assert memory["status"] == "fail" and "should be an int" in memory["message"]


def test_a_missing_task_is_reported(bad):
    result = tasks(bad)["advanced"]
    assert result["status"] == "error"
    assert result["message"] == "missing: the workbook defines no `TiedLM`"


def test_an_endless_loop_hits_the_time_limit_and_the_rest_still_runs(bad):
    result = tasks(bad)["task3-zero"]
    assert result["status"] == "error" and result["message"].startswith("time limit")
    assert tasks(bad)["task3-forward"]["status"] == "fail"  # graded after the restart
    assert tasks(bad)["task4-norm-value"]["status"] == "pass"


def test_an_allocation_far_beyond_the_task_hits_the_memory_limit(bad):
    result = tasks(bad)["task1"]
    assert result["status"] == "error" and result["message"].startswith("memory limit")
    assert "building the full table" in result["output"]  # its output is still shown


def test_printing_a_lot_hits_the_output_limit_and_is_truncated(bad):
    result = tasks(bad)["task4"]
    assert result["status"] == "error" and result["message"].startswith("output limit")
    assert "more bytes not shown" in result["output"] and len(result["output"]) < 2000


def test_workbook_output_and_files_stay_out_of_the_way(reports, bad):
    assert "hello at load" in bad["load_output"]
    assert not (reports["folder"] / "scratch.txt").exists()
    assert not (ROOT / "scratch.txt").exists()
    assert tasks(bad)["theory3-kimi"]["status"] == "pass"


def test_checker_stderr_is_clean(reports):
    for name in ["solution", *SUBMISSIONS]:
        assert reports[name][2].strip() == "", f"{name}: {reports[name][2]}"


def test_make_check_prints_expected_got_and_a_link(tmp_path):
    path = tmp_path / "mistakes.py"
    path.write_text(edited(MISTAKES_A[:1]))
    result = subprocess.run(make_check(path), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    out = result.stdout
    assert "[      FAIL] Task 1: make_embedding(V, D)" in out
    assert "expected: (50, 8)\n      got:      (8, 50)" in out
    assert (
        f"{LESSON}/code-tasks/#tasks-1-and-2-the-full-size-table-its-parameters-and-memory" in out
    )
    assert "Score: " in out
