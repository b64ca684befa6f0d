"""Every check of the embeddings lesson refuses the plausible wrong answer written for it here,
and says why; the reference solution passes the same checks (so a refusal is the check's doing).

The checks run in this process, as the worker runs them: on the solution's namespace with one
definition replaced, after torch's settings are restored and the lesson's reference values
are computed from a clean state. The marked answers passed before the checks were tightened.
"""

from pathlib import Path

import pytest

from checker import torch_state
from checker.lessons import load_lesson
from checker.quiz_key import parse_quiz
from checker.tasks import Fail
from course import DOCS_DIR
from tests.checker_runs import solution

LESSON = Path(__file__).parent.name
lesson = load_lesson(LESSON)
TASKS = {task.id: task for task in lesson.TASKS}

# task id -> [(the wrong answer, code that replaces the solution's, words the message says)]
WRONG = {
    "task1": [
        (
            "zeroes the whole table, not only the pad row (passed before)",
            "def make_embedding(vocab_size=100352, hidden_size=4096):\n"
            "    embed = nn.Embedding(vocab_size, hidden_size, padding_idx=0)\n"
            "    nn.init.zeros_(embed.weight)\n"
            "    return embed\n",
            "all equal",
        ),
    ],
    "task2-count": [
        (
            "counts only trainable parameters (passed before)",
            "def count_parameters(module):\n"
            "    return sum(p.numel() for p in module.parameters() if p.requires_grad)\n",
            "frozen",
        ),
        (
            "counts a tied weight twice",
            "def count_parameters(module):\n"
            "    pairs = module.named_parameters(remove_duplicate=False)\n"
            "    return sum(p.numel() for _, p in pairs)\n",
            "tied",
        ),
    ],
    "task2-memory": [
        ("the size in GB", "FULL_TABLE_FP32_BYTES = 1.64", "bytes, not GB or GiB"),
        ("the size in GiB", "FULL_TABLE_FP32_BYTES = 1.53", "bytes, not GB or GiB"),
        ("bf16, 2 bytes a parameter", "FULL_TABLE_FP32_BYTES = 100352 * 4096 * 2", "4 bytes"),
    ],
    "task2-norms": [
        (
            "ignores its argument and rebuilds a seeded table (passed before)",
            "def first_row_norms(embed, n=5):\n"
            "    torch.manual_seed(0)\n"
            "    return nn.Embedding(20, 12, padding_idx=0).weight[:n].norm(dim=1)\n",
            "the norms of rows",
        ),
        (
            "squared norms",
            "def first_row_norms(embed, n=5):\n    return embed.weight[:n].pow(2).sum(dim=1)\n",
            "L2 norm",
        ),
    ],
    "task2-norm-value": [
        ("the common ~1", "ROW_NORM_AT_DEFAULT_INIT = 1.0", "a common expectation"),
        ("the norm for std 0.02", "ROW_NORM_AT_DEFAULT_INIT = 1.28", "std 0.02"),
    ],
    "task3-zero": [
        (
            "hard-codes row 0 (passed before)",
            "def zero_pad_row(embed):\n    with torch.no_grad():\n        embed.weight[0] = 0\n",
            "padding_idx=3",
        ),
        (
            "turns off requires_grad to write the row",
            "def zero_pad_row(embed):\n"
            "    embed.weight.requires_grad_(False)\n"
            "    embed.weight[embed.padding_idx] = 0\n",
            "trainable leaf",
        ),
    ],
    "task3-forward": [
        (
            "ignores its argument and builds a seeded table (passed before)",
            "def pad_forward(embed):\n"
            "    torch.manual_seed(0)\n"
            "    return nn.Embedding(10, 6, padding_idx=0)(torch.tensor([[0, 1, 0]]))\n",
            "row 1 of the table",
        ),
        (
            "detaches the output",
            "def pad_forward(embed):\n    return embed(torch.tensor([[0, 1, 0]])).detach()\n",
            "belong to the graph",
        ),
    ],
    "task3-requires-grad": [
        (
            "answered under a global no-grad set at the top (passed before, end to end)",
            "torch.set_grad_enabled(False)\nPAD_OUTPUT_REQUIRES_GRAD = False\n",
            "part of the graph",
        ),
    ],
    "task4": [
        (
            "zeroes row 0 whatever padding_idx says (passed before)",
            "class UniformEmbedding(nn.Embedding):\n"
            "    def reset_parameters(self):\n"
            "        nn.init.uniform_(self.weight, -0.1, 0.1)\n"
            "        with torch.no_grad():\n"
            "            self.weight[0] = 0\n",
            "row 5",
        ),
        (
            "a custom init that never runs (a misspelt reset_parameters)",
            "class UniformEmbedding(nn.Embedding):\n"
            "    def reset_parameter(self):\n"
            "        nn.init.uniform_(self.weight, -0.1, 0.1)\n",
            "still has its default initialisation",
        ),
        (
            "U(0, 0.1) instead of U(-0.1, 0.1)",
            "class UniformEmbedding(nn.Embedding):\n"
            "    def reset_parameters(self):\n"
            "        nn.init.uniform_(self.weight, 0, 0.1)\n"
            "        self._fill_padding_idx_with_zero()\n",
            "std",
        ),
    ],
    "task4-norm-value": [
        ("the bound taken for the std", "MEAN_ROW_NORM_AFTER_UNIFORM = 6.4", "within 3 %"),
    ],
    "advanced": [
        (
            "ignores the sizes it is given (passed before)",
            "class TiedLM(nn.Module):\n"
            "    def __init__(self, vocab_size, hidden_size):\n"
            "        super().__init__()\n"
            "        self.embed_tokens = nn.Embedding(50, 8)\n"
            "        self.lm_head = nn.Linear(8, 50, bias=False)\n"
            "        self.lm_head.weight = self.embed_tokens.weight\n"
            "    def forward(self, input_ids):\n"
            "        return self.lm_head(self.embed_tokens(input_ids))\n",
            "TiedLM(7, 3)",
        ),
        (
            "a copy of the table, not the table",
            "class TiedLM(nn.Module):\n"
            "    def __init__(self, vocab_size, hidden_size):\n"
            "        super().__init__()\n"
            "        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)\n"
            "        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)\n"
            "        self.lm_head.weight = nn.Parameter(self.embed_tokens.weight.clone())\n"
            "    def forward(self, input_ids):\n"
            "        return self.lm_head(self.embed_tokens(input_ids))\n",
            "not a copy",
        ),
    ],
    "theory1-numbers": [
        ("floats, truncated (passed before)", "THEORY_1_SHAPE = (1000.9, 128.7)", "two ints"),
        ("strings (passed before)", "THEORY_1_SHAPE = ('1000', '128')", "two ints"),
        ("transposed", "THEORY_1_SHAPE = (128, 1000)", "transposed"),
    ],
    "theory3-kimi": [
        ("the common claim", "KIMI_K2_TIES_EMBEDDINGS = True", "tie_word_embeddings"),
    ],
}


def quiz_wrong_answers() -> dict:
    """For each question of the real quiz page: a fragment of the right option (passed before)
    and each wrong option, by letter."""
    key = parse_quiz((DOCS_DIR / lesson.LESSON_ID / "quiz.md").read_text())
    wrong = {}
    for question in key:
        right = question.options[question.correct[0]]
        words = [w.strip("`(),.") for w in right.split()]
        fragment = max(words, key=len)
        cases = []
        if fragment != right:  # a one-word option has no fragment
            why = f"a fragment of the right option: {fragment!r} (passed before)"
            cases.append((why, repr(fragment), "cannot read"))
        for index in range(len(question.options)):
            if index not in question.correct:
                letter = question.letters[index]
                cases.append((f"option {letter}", repr(letter), "wrong answer"))
        wrong[f"quiz{question.number}"] = [
            (why, f"QUIZ_{question.number} = {code}", words) for why, code, words in cases
        ]
    return wrong


CASES = [
    (task_id, *case)
    for task_id, cases in {**WRONG, **quiz_wrong_answers()}.items()
    for case in cases
]


@pytest.fixture(scope="module")
def grade():
    import torch

    clean = torch_state.snapshot(torch)
    context = {
        "quiz": [
            q.to_json() for q in parse_quiz((DOCS_DIR / lesson.LESSON_ID / "quiz.md").read_text())
        ],
        "quiz_error": None,
        "reference": lesson.reference(),
    }
    torch_state.restore(torch, clean)

    def run(task_id: str, replacement: str = ""):
        namespace = {"__name__": "workbook"}
        try:
            exec(compile(solution(lesson.LESSON_ID), "solution.py", "exec"), namespace)
            exec(
                compile("import torch\nfrom torch import nn\n" + replacement, "wrong", "exec"),
                namespace,
            )
            torch_state.restore(torch, clean)
            return TASKS[task_id].check(namespace, context)
        finally:
            torch_state.restore(torch, clean)

    return run


def test_every_graded_check_has_a_wrong_answer_here():
    graded = {task.id for task in lesson.TASKS if not task.self_assessed}
    assert graded <= {task_id for task_id, *_ in CASES}


@pytest.mark.parametrize("task_id", [t.id for t in lesson.TASKS if not t.self_assessed])
def test_the_solution_passes_each_check_in_this_harness(grade, task_id):
    assert isinstance(grade(task_id), str)


@pytest.mark.parametrize(("task_id", "why", "code", "words"), CASES, ids=[c[1] for c in CASES])
def test_a_plausible_wrong_answer_fails_with_a_reason(grade, task_id, why, code, words):
    with pytest.raises(Fail) as failure:
        grade(task_id, code)
    assert words in failure.value.message, failure.value.message


def test_the_leaf_check_reports_both_flags(grade):
    code = (
        "def zero_pad_row(embed):\n"
        "    embed.weight.requires_grad_(False)\n"
        "    embed.weight[embed.padding_idx] = 0\n"
    )
    with pytest.raises(Fail) as failure:
        grade("task3-zero", code)
    assert failure.value.got == "requires_grad=False, is_leaf=True", failure.value.got
