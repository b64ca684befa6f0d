"""Embeddings initialization: the workbook's tasks and how each is checked.

Checks test behaviour on small tables (the properties do not depend on the size), compute
every expected value independently (analytic values, float64, PyTorch's own behaviour), and
never build the 100352 x 4096 table. torch is imported inside the checks: only the worker
process, which runs the learner's code, needs it.
"""

import math
import numbers

from checker.tasks import Fail, Task, quiz_task

FULL_V, FULL_D = 100352, 4096  # the code tasks' full-size table
UNIFORM_BOUND = 0.1


def _value(ns, name):
    return ns[name]


def _callable(ns, name):
    value = ns[name]
    if not callable(value):
        raise Fail(f"`{name}` should be a function or class", "callable", type(value).__name__)
    return value


def _shape(tensor) -> tuple:
    return tuple(tensor.shape)


def _is_embedding(obj, what: str):
    from torch import nn

    if not isinstance(obj, nn.Embedding):
        raise Fail(f"{what} should be an nn.Embedding", "nn.Embedding", type(obj).__name__)


def _check_table_shape(shape, vocab, hidden, what):
    if shape == (hidden, vocab) and vocab != hidden:
        raise Fail(
            f"{what} is transposed: an embedding table has one row per token, "
            "shape (vocab_size, hidden_size); nn.Embedding(num_embeddings, embedding_dim)",
            (vocab, hidden),
            shape,
        )
    if shape != (vocab, hidden):
        raise Fail(f"{what} has the wrong shape", (vocab, hidden), shape)


def _private_table(vocab, hidden, padding_idx=0):
    """An nn.Embedding whose values no seeded nn.Embedding(...) reproduces (own generator,
    rows of different scales), so code that ignores the table it is given gets other numbers."""
    import torch
    from torch import nn

    generator = torch.Generator().manual_seed(20240611)
    scales = torch.linspace(0.5, 2.0, vocab).unsqueeze(1)
    embed = nn.Embedding(vocab, hidden, padding_idx=padding_idx)
    with torch.no_grad():
        embed.weight.copy_(torch.randn(vocab, hidden, generator=generator) * scales)
        embed.weight[padding_idx] = 0
    return embed


def _pad_row_max(weight, row=0) -> float:
    return float(weight.detach()[row].abs().max())


def _grad_into_row(embed, ids, row=0) -> float:
    import torch

    embed.zero_grad(set_to_none=True)
    embed(torch.tensor(ids)).sum().backward()
    grad = embed.weight.grad
    if grad is None:
        raise Fail("no gradient reached the table at all", "a gradient", "weight.grad is None")
    return float(grad[row].abs().max())


def _number(ns, name, kind=numbers.Real):
    value = ns[name]
    if isinstance(value, bool) or not isinstance(value, kind):
        wanted = "an int" if kind is numbers.Integral else "a number"
        raise Fail(f"`{name}` should be {wanted}", wanted, f"{type(value).__name__} {value!r}")
    return value


def reference() -> dict:
    """What PyTorch itself answers, asked in the worker before any workbook code runs there."""
    import torch
    from torch import nn

    pad_output = nn.Embedding(4, 2, padding_idx=0)(torch.tensor([[0, 1, 0]]))[0, 0]
    return {"pad_output_requires_grad": pad_output.requires_grad}


# --- Task 1 -------------------------------------------------------------------------------


def check_make_embedding(ns, ctx):
    make = _callable(ns, "make_embedding")
    vocab, hidden = 50, 8
    embed = make(vocab, hidden)
    _is_embedding(embed, f"make_embedding({vocab}, {hidden})")
    _check_table_shape(
        _shape(embed.weight), vocab, hidden, f"make_embedding({vocab}, {hidden}).weight"
    )
    row = _shape(embed.weight[1])
    if row != (hidden,):
        raise Fail("a token's vector weight[1] should be one row of hidden_size", (hidden,), row)
    if embed.padding_idx != 0:
        raise Fail("the table should be built with padding_idx=0", 0, embed.padding_idx)
    if (biggest := _pad_row_max(embed.weight)) != 0:
        raise Fail("row 0, the pad row, should be all zeros", "max |weight[0]| = 0", biggest)
    if float(embed.weight.detach()[1:].std()) == 0:
        raise Fail(
            "the rows other than the pad row are all equal: every token would get the same "
            "vector. Keep nn.Embedding's random initialisation; zero only the pad row",
            "random rows 1..49",
            "every value " + str(float(embed.weight.detach()[1, 0])),
        )
    if (leak := _grad_into_row(embed, [[0, 1, 0]])) != 0:
        raise Fail("row 0 received a gradient", "weight.grad[0] all zeros", f"max |grad| {leak}")
    other = make(7, 3)
    _check_table_shape(_shape(other.weight), 7, 3, "make_embedding(7, 3).weight")
    return "nn.Embedding(V, D) with weight (V, D), padding_idx=0, pad row zero and no grad into it"


# --- Task 2 -------------------------------------------------------------------------------


def _tied_pair(vocab, hidden):
    from torch import nn

    module = nn.Module()
    module.embed_tokens = nn.Embedding(vocab, hidden)
    module.lm_head = nn.Linear(hidden, vocab, bias=False)
    module.lm_head.weight = module.embed_tokens.weight
    return module


def check_count_parameters(ns, ctx):
    from torch import nn

    count = _callable(ns, "count_parameters")
    frozen = nn.Embedding(30, 7)
    frozen.weight.requires_grad_(False)
    cases = [
        ("nn.Embedding(30, 7)", nn.Embedding(30, 7), 30 * 7),
        ("nn.Linear(7, 30) (weight and bias)", nn.Linear(7, 30), 7 * 30 + 30),
        ("a tied embedding and head, 30 x 7 (one shared tensor)", _tied_pair(30, 7), 30 * 7),
        (
            "a frozen nn.Embedding(30, 7) (requires_grad=False: still parameters in memory)",
            frozen,
            30 * 7,
        ),
    ]
    for label, module, expected in cases:
        got = count(module)
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            raise Fail(f"count_parameters({label}) should return an int", "int", type(got).__name__)
        if got != expected:
            raise Fail(f"count_parameters({label}) is wrong", expected, got)
    return "counts an embedding, a linear layer with bias, and a tied pair once"


def check_full_table_numbers(ns, ctx):
    params = _number(ns, "FULL_TABLE_PARAMETERS", numbers.Integral)
    if params != FULL_V * FULL_D:
        raise Fail("parameters of the 100352 x 4096 table: V * D", FULL_V * FULL_D, params)
    size = ns["FULL_TABLE_FP32_BYTES"]
    units = {"GB": 1e9, "GiB": 2**30, "MB": 1e6, "MiB": 2**20}
    if isinstance(size, numbers.Real) and not isinstance(size, bool):
        for unit, scale in units.items():
            if size > 0 and abs(size * scale / (4 * FULL_V * FULL_D) - 1) < 0.05:
                raise Fail(
                    f"bytes, not GB or GiB: {size} looks like the size in {unit}. Give the "
                    "number of bytes, an int",
                    4 * FULL_V * FULL_D,
                    size,
                )
    size = _number(ns, "FULL_TABLE_FP32_BYTES", numbers.Integral)
    if size != 4 * FULL_V * FULL_D:
        raise Fail("FP32 bytes: 4 bytes per parameter, in bytes (an int)", 4 * params, size)
    return f"{params} parameters, {size} bytes in FP32"


def check_first_row_norms(ns, ctx):
    import torch

    norms_of = _callable(ns, "first_row_norms")
    vocab, hidden = 20, 12
    embed = _private_table(vocab, hidden)
    before = embed.weight.detach().clone()
    rows = before.tolist()
    for n in (5, 3):
        got = norms_of(embed, n)
        if not isinstance(got, torch.Tensor):
            raise Fail(
                f"first_row_norms(embed, {n}) should return a tensor",
                "torch.Tensor",
                type(got).__name__,
            )
        expected = torch.tensor([math.sqrt(sum(x * x for x in row)) for row in rows[:n]])
        if _shape(got) == (hidden,):
            raise Fail(
                "the norm was taken over the wrong dimension: dim 0 runs over tokens; "
                "a row's norm reduces over hidden_size, dim=1",
                (n,),
                _shape(got),
            )
        if _shape(got) != (n,):
            raise Fail(f"one norm per row for the first {n} rows", (n,), _shape(got))
        if not torch.allclose(got.detach().double(), expected.double(), rtol=1e-4, atol=1e-6):
            raise Fail(
                f"the norms of rows 0..{n - 1} (the L2 norm of each row)",
                [round(v, 4) for v in expected.tolist()],
                [round(v, 4) for v in got.detach().double().tolist()],
            )
    if not torch.equal(embed.weight.detach(), before):
        raise Fail("first_row_norms changed the table", "weights unchanged", "weights changed")
    return "row norms of the first n rows, pad row 0.0, table unchanged"


def check_default_row_norm(ns, ctx):
    got = _number(ns, "ROW_NORM_AT_DEFAULT_INIT")
    expected = 1.0 * math.sqrt(FULL_D)  # std 1 (PyTorch's default N(0, 1)) times sqrt(D)
    if abs(got - expected) > 0.05 * expected:
        hint = ""
        if abs(got - 0.02 * expected) < 0.05 * 0.02 * expected:
            hint = " (0.02 * sqrt(D) is the norm for std 0.02; nn.Embedding's default is N(0, 1))"
        elif abs(got - 1) < 0.5:
            hint = " (~1 is a common expectation; it holds for std 1/sqrt(D), not N(0, 1))"
        raise Fail(
            "a row of N(0, std^2) values has norm about std * sqrt(D), within 5 %" + hint,
            f"about {expected:.1f}",
            got,
        )
    return f"about std * sqrt(D) = {expected:.0f}"


# --- Task 3 -------------------------------------------------------------------------------


def check_zero_pad_row(ns, ctx):
    import torch
    from torch import nn

    zero = _callable(ns, "zero_pad_row")
    embed = nn.Embedding(10, 6, padding_idx=0)
    with torch.no_grad():
        embed.weight[0] = 1.5  # as after a later nn.init call
    parameter, others = embed.weight, embed.weight.detach()[1:].clone()
    zero(embed)
    if embed.weight is not parameter:
        raise Fail(
            "zero_pad_row replaced embed.weight instead of writing into it",
            "the same Parameter object",
            "a new tensor",
        )
    if not (embed.weight.requires_grad and embed.weight.is_leaf):
        raise Fail(
            "embed.weight should stay a trainable leaf",
            "requires_grad=True, is_leaf=True",
            f"requires_grad={embed.weight.requires_grad}, is_leaf={embed.weight.is_leaf}",
        )
    if (biggest := _pad_row_max(embed.weight)) != 0:
        raise Fail("row 0 (the pad row) is not zero after zero_pad_row", 0.0, biggest)
    if not torch.equal(embed.weight.detach()[1:], others):
        raise Fail("zero_pad_row changed other rows too", "rows 1.. unchanged", "changed")
    other = nn.Embedding(10, 6, padding_idx=3)
    with torch.no_grad():
        other.weight[3] = 1.5
    untouched = torch.cat([other.weight.detach()[:3], other.weight.detach()[4:]]).clone()
    zero(other)
    if (biggest := _pad_row_max(other.weight, 3)) != 0:
        raise Fail(
            "with padding_idx=3, row 3 is the pad row: zero row embed.padding_idx, not row 0",
            "max |weight[3]| = 0",
            biggest,
        )
    rest = torch.cat([other.weight.detach()[:3], other.weight.detach()[4:]])
    if not torch.equal(rest, untouched):
        raise Fail(
            "with padding_idx=3, zero_pad_row changed rows other than row 3",
            "only row 3 zeroed",
            "other rows changed",
        )
    return "the pad row (embed.padding_idx) zeroed in place, other rows untouched"


def check_pad_forward(ns, ctx):
    import torch

    forward = _callable(ns, "pad_forward")
    embed = _private_table(10, 6)
    out = forward(embed)
    if not isinstance(out, torch.Tensor):
        raise Fail(
            "pad_forward should return the embeddings tensor", "torch.Tensor", type(out).__name__
        )
    if _shape(out) != (1, 3, 6):
        raise Fail(
            "embed(torch.tensor([[0, 1, 0]])) has shape (batch, seq, hidden) = (1, 3, 6)",
            (1, 3, 6),
            _shape(out),
        )
    weight, values = embed.weight.detach(), out.detach()
    if float(values[0, 0].abs().max()) != 0 or float(values[0, 2].abs().max()) != 0:
        raise Fail(
            "the outputs at pad positions 0 and 2 should be zero vectors",
            0.0,
            float(values[0, [0, 2]].abs().max()),
        )
    if not torch.equal(out[0, 1].detach(), weight[1]):
        raise Fail(
            "the output at position 1 should be row 1 of the table", "weight[1]", "another vector"
        )
    if not out.requires_grad:
        raise Fail(
            "the output should belong to the graph (do not detach it)",
            "requires_grad=True",
            "False",
        )
    out.sum().backward()
    if float(embed.weight.grad[0].abs().max()) != 0:
        raise Fail("the pad row received a gradient", 0.0, float(embed.weight.grad[0].abs().max()))
    return "shape (1, 3, 6), zeros at pad positions, no gradient into row 0"


def check_pad_output_requires_grad(ns, ctx):
    got = ns["PAD_OUTPUT_REQUIRES_GRAD"]
    expected = ctx["reference"]["pad_output_requires_grad"]  # asked before the workbook ran
    if got is not expected:
        raise Fail(
            "what does PyTorch say for embeds[0, 0, :].requires_grad? The lookup's output is part "
            "of the graph at every position; padding_idx only keeps the gradient out of row 0",
            expected,
            repr(got),
        )
    return f"{expected}, as PyTorch reports"


# --- Task 4 -------------------------------------------------------------------------------


def check_uniform_embedding(ns, ctx):
    cls = _callable(ns, "UniformEmbedding")
    vocab, hidden = 2000, 64
    embed = cls(vocab, hidden, padding_idx=0)
    _is_embedding(embed, "UniformEmbedding(2000, 64, padding_idx=0)")
    _check_table_shape(_shape(embed.weight), vocab, hidden, "UniformEmbedding(2000, 64).weight")
    if embed.padding_idx != 0:
        raise Fail("padding_idx should be passed on to nn.Embedding", 0, embed.padding_idx)
    weight = embed.weight.detach()
    if (biggest := _pad_row_max(weight)) != 0:
        raise Fail(
            "the pad row is not zero: whatever filled the table last did not re-zero row "
            "padding_idx. Override reset_parameters() (which __init__ calls when no weight is "
            "passed in) and end it by zeroing the pad row: PyTorch's own reset_parameters calls "
            "the private self._fill_padding_idx_with_zero(); writing zeros into row "
            "padding_idx under torch.no_grad() does the same with public calls",
            "weight[0] all zeros",
            f"max |weight[0]| = {biggest:.4f}",
        )
    rest = weight[1:].double()
    low, high = float(rest.min()), float(rest.max())
    if abs(float(rest.std()) - 1) < 0.1 and abs(float(rest.mean())) < 0.1:
        raise Fail(
            "the table still has its default initialisation, N(0, 1): your uniform "
            "initialisation never ran on it (nn.Embedding.__init__ calls reset_parameters())",
            "values from U(-0.1, 0.1)",
            f"mean {float(rest.mean()):.3f}, std {float(rest.std()):.3f}",
        )
    if low < -UNIFORM_BOUND or high > UNIFORM_BOUND:
        raise Fail(
            "every value should lie in [-0.1, 0.1]", "[-0.1, 0.1]", f"[{low:.4f}, {high:.4f}]"
        )
    std, expected_std = float(rest.std()), UNIFORM_BOUND / math.sqrt(3)
    if abs(std - expected_std) > 0.03 * expected_std:
        raise Fail(
            "U(-a, a) has std a / sqrt(3); the sample std should be within 3 % of it",
            f"{expected_std:.4f}",
            f"{std:.4f}",
        )
    mean = float(rest.mean())
    if abs(mean) > 0.002:
        raise Fail("U(-0.1, 0.1) has mean 0", "|mean| < 0.002", f"{mean:.4f}")
    if (leak := _grad_into_row(embed, [[0, 1, 0]])) != 0:
        raise Fail("row 0 received a gradient", 0.0, leak)
    other = cls(40, 8, padding_idx=5)
    if other.padding_idx != 5 or _pad_row_max(other.weight, 5) != 0:
        raise Fail(
            "UniformEmbedding(40, 8, padding_idx=5): row 5 is the pad row and should be zero "
            "(zero row self.padding_idx, not row 0)",
            "weight[5] all zeros, padding_idx 5",
            f"max |weight[5]| = {_pad_row_max(other.weight, 5):.4f}, "
            f"padding_idx {other.padding_idx}",
        )
    if _pad_row_max(other.weight, 0) == 0:
        raise Fail(
            "UniformEmbedding(40, 8, padding_idx=5) zeroed row 0 as well: only the pad row, "
            "row 5, should be zero",
            "row 0 random",
            "row 0 all zeros",
        )
    return f"values in [-0.1, 0.1], std {std:.4f} (0.1/sqrt(3) = {expected_std:.4f}), pad row 0"


def check_uniform_row_norm(ns, ctx):
    got = _number(ns, "MEAN_ROW_NORM_AFTER_UNIFORM")
    expected = UNIFORM_BOUND / math.sqrt(3) * math.sqrt(FULL_D)
    if abs(got - expected) > 0.03 * expected:
        raise Fail(
            "mean row norm at D = 4096 after U(-0.1, 0.1): std * sqrt(D) with std = 0.1/sqrt(3),"
            " within 3 %",
            f"about {expected:.3f}",
            got,
        )
    return f"about 0.1/sqrt(3) * 64 = {expected:.3f}"


# --- Advanced -----------------------------------------------------------------------------


def check_tied_lm(ns, ctx):
    import torch
    import torch.nn.functional as F
    from torch import nn

    cls = _callable(ns, "TiedLM")
    vocab, hidden = 50, 8
    model = cls(vocab, hidden)
    embed, head = getattr(model, "embed_tokens", None), getattr(model, "lm_head", None)
    _is_embedding(embed, "TiedLM.embed_tokens")
    if not isinstance(head, nn.Linear):
        raise Fail("TiedLM.lm_head should be an nn.Linear", "nn.Linear", type(head).__name__)
    if head.weight is not embed.weight:
        same_memory = head.weight.data_ptr() == embed.weight.data_ptr()
        equal = _shape(head.weight) == _shape(embed.weight) and torch.equal(
            head.weight.detach(), embed.weight.detach()
        )
        if same_memory:
            got = "two Parameter objects over one storage: each gets its own .grad"
        elif equal:
            got = "a copy: equal values now, but the two drift apart as soon as one is trained"
        else:
            got = "two separate tensors"
        raise Fail(
            "lm_head.weight should BE embed_tokens.weight (lm_head.weight = "
            "embed_tokens.weight), one shared Parameter, not a copy",
            "lm_head.weight is embed_tokens.weight",
            got,
        )
    bias = head.bias  # tying fixes the head's weight; a bias of its own is allowed (BERT)
    if bias is not None and _shape(bias) != (vocab,):
        raise Fail("lm_head's bias should have one entry per token", (vocab,), _shape(bias))
    count = sum(p.numel() for p in model.parameters())
    expected_count = vocab * hidden + (vocab if bias is not None else 0)
    if count != expected_count:
        raise Fail(
            "a tied model stores the V x D table once (plus the head's bias, if it has one)",
            expected_count,
            count,
        )
    ids = torch.randint(0, vocab, (2, 5))
    logits = model(ids)
    if not isinstance(logits, torch.Tensor) or _shape(logits) != (2, 5, vocab):
        raise Fail(
            "logits for ids of shape (2, 5): (batch, seq, vocab_size)",
            (2, 5, vocab),
            _shape(logits) if isinstance(logits, torch.Tensor) else type(logits).__name__,
        )
    expected = F.linear(embed(ids), embed.weight, bias)
    if not torch.allclose(logits, expected, atol=1e-5):
        raise Fail(
            "logits should be lm_head(embed_tokens(ids))", "hidden @ weight.T (+ bias)", "other"
        )
    logits.sum().backward()
    if embed.weight.grad is None:
        raise Fail("the shared weight received no gradient", "a gradient", None)
    small = getattr(cls(7, 3), "embed_tokens", None)
    if _shape(getattr(small, "weight", torch.empty(0))) != (7, 3):
        raise Fail(
            "TiedLM(7, 3) should build a 7 x 3 table: use the arguments, not fixed sizes",
            (7, 3),
            _shape(getattr(small, "weight", torch.empty(0))),
        )
    with_bias = " and a bias of V" if bias is not None else ""
    return f"one shared Parameter, V*D parameters{with_bias}, logits (2, 5, V)"


# --- Theory with a checkable answer --------------------------------------------------------


def check_theory_1_numbers(ns, ctx):
    vocab, hidden = 1000, 128
    given = ns["THEORY_1_SHAPE"]
    if not isinstance(given, tuple | list) or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in given
    ):
        raise Fail(
            "THEORY_1_SHAPE should be a tuple of two ints (a shape counts whole rows and columns)",
            (vocab, hidden),
            repr(given),
        )
    shape = tuple(int(s) for s in given)
    _check_table_shape(shape, vocab, hidden, "THEORY_1_SHAPE")
    params = _number(ns, "THEORY_1_PARAMETERS", numbers.Integral)
    if params != vocab * hidden:
        raise Fail("parameters of a 1000 x 128 table: V * D", vocab * hidden, params)
    return f"{shape}, {params} parameters"


def check_kimi_ties(ns, ctx):
    got = ns["KIMI_K2_TIES_EMBEDDINGS"]
    if got is not False:
        raise Fail(
            "Kimi-K2's config has tie_word_embeddings: false, and its lm_head is a separate "
            "matrix. _tied_weights_keys on its class only names a candidate tie; the config "
            "flag decides",
            False,
            repr(got),
        )
    return "False: Kimi-K2 keeps a separate lm_head"


# --- Prose: self-assessed ------------------------------------------------------------------


def self_check(ns, ctx):
    return ""


TASKS = [
    Task(
        "task1",
        "Task 1: make_embedding(V, D)",
        ("make_embedding",),
        "code-tasks/#tasks-1-and-2-the-full-size-table-its-parameters-and-memory",
        check_make_embedding,
    ),
    Task(
        "task2-count",
        "Task 2: count_parameters(module)",
        ("count_parameters",),
        "weight-tying/#parameter-count",
        check_count_parameters,
    ),
    Task(
        "task2-memory",
        "Task 2: parameters and FP32 bytes of the 100352 x 4096 table",
        ("FULL_TABLE_PARAMETERS", "FULL_TABLE_FP32_BYTES"),
        "lookup-table/#why-a-large-vocabulary-is-memory-intensive",
        check_full_table_numbers,
    ),
    Task(
        "task2-norms",
        "Task 2: first_row_norms(embed, n)",
        ("first_row_norms",),
        "initialization/#what-the-std-means-for-a-row",
        check_first_row_norms,
    ),
    Task(
        "task2-norm-value",
        "Task 2: row norm at PyTorch's default init",
        ("ROW_NORM_AT_DEFAULT_INIT",),
        "initialization/#what-the-std-means-for-a-row",
        check_default_row_norm,
    ),
    Task(
        "task3-zero",
        "Task 3: zero_pad_row(embed)",
        ("zero_pad_row",),
        "code-tasks/#task-3-the-padding-effect",
        check_zero_pad_row,
    ),
    Task(
        "task3-forward",
        "Task 3: pad_forward(embed)",
        ("pad_forward",),
        "padding/#what-padding_idx-does-and-when",
        check_pad_forward,
    ),
    Task(
        "task3-requires-grad",
        "Task 3: requires_grad of a pad position's output",
        ("PAD_OUTPUT_REQUIRES_GRAD",),
        "code-tasks/#task-3-the-padding-effect",
        check_pad_output_requires_grad,
    ),
    Task(
        "task4",
        "Task 4: UniformEmbedding",
        ("UniformEmbedding",),
        "code-tasks/#task-4-a-custom-initialisation",
        check_uniform_embedding,
    ),
    Task(
        "task4-norm-value",
        "Task 4: mean row norm after U(-0.1, 0.1)",
        ("MEAN_ROW_NORM_AFTER_UNIFORM",),
        "code-tasks/#task-4-a-custom-initialisation",
        check_uniform_row_norm,
    ),
    Task("advanced", "Advanced: TiedLM", ("TiedLM",), "advanced/#the-model", check_tied_lm),
    Task(
        "theory1-numbers",
        "Theory 1: shape and parameters for V=1000, D=128",
        ("THEORY_1_SHAPE", "THEORY_1_PARAMETERS"),
        "lookup-table/#the-matrix",
        check_theory_1_numbers,
    ),
    Task(
        "theory3-kimi",
        "Theory 3: does Kimi-K2 tie its embeddings?",
        ("KIMI_K2_TIES_EMBEDDINGS",),
        "weight-tying/#does-kimi-k2-tie-no",
        check_kimi_ties,
    ),
    *[quiz_task(n) for n in (1, 2, 3, 4, 5)],
    Task(
        "theory1",
        "Theory 1: the lookup table",
        ("THEORY_1_ANSWER",),
        "lookup-table/",
        self_check,
        True,
        "E is a V x D matrix whose row i is token i's vector; for V=1000, D=128 it is "
        "(1000, 128) with 128,000 parameters. A lookup is a row index (the same as a one-hot "
        "row times E). Memory grows with V * D, and training keeps a gradient and optimizer "
        "state too: 16 bytes per parameter in FP32 training with AdamW (other recipes differ).",
    ),
    Task(
        "theory2",
        "Theory 2: padding and masking",
        ("THEORY_2_ANSWER",),
        "padding/",
        self_check,
        True,
        "padding_idx zeroes that row at construction, and the lookup's backward adds nothing "
        "to its gradient, so the pad tokens that make a batch of different-length sequences "
        "rectangular do not train the row through the lookup. It is not a mask: the attention "
        "mask and the loss's ignore_index keep pad positions out of attention and the loss. "
        "Other uses of the weight can still move the row off zero: a re-initialisation or a "
        "direct write (load_state_dict), or a tied LM head, whose gradient reaches every row. "
        "Weight decay and max_norm cannot move a zero row, but they change one that is already "
        "non-zero.",
    ),
    Task(
        "theory3",
        "Theory 3: weight tying",
        ("THEORY_3_ANSWER",),
        "weight-tying/",
        self_check,
        True,
        "Tying makes lm_head.weight the embedding table itself: V * D parameters saved, and "
        "one matrix trained by the lookup and by the head, whose gradient reaches every row. "
        "It fixes the head's weight only: a bias, a norm or a scale around it stay free. The "
        "costs: the output layer's weight is dictated by the input table, and one vector must "
        "serve as a token's input and as its output. Kimi-K2 does not tie: its config has "
        "tie_word_embeddings false, and its checkpoint stores lm_head separately.",
    ),
    Task(
        "theory4",
        "Theory 4: initialisation",
        ("THEORY_4_ANSWER",),
        "initialization/",
        self_check,
        True,
        "0.02 is a convention from GPT-1 (which found it sufficient because LayerNorm is used "
        "throughout), BERT and GPT-2, kept by transformers as initializer_range: "
        "the std it initialises weights with, not necessarily the one a published model "
        "started from (DeepSeek-V3: 0.006). Xavier sets std = sqrt(2 / (fan_in + fan_out)), "
        "1/sqrt(D) for a square D x D layer, so 0.02 is the Xavier value at width 2500. "
        "Through a stack of linear layers the std is multiplied by std_w * sqrt(fan_in) at "
        "each layer: above 1 it explodes, below 1 it vanishes. Residual connections and "
        "normalisation keep real transformers from compounding it.",
    ),
]
