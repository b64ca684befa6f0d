"""Lesson 2.1.1, Embeddings initialization: your workbook.

Fill in every function (replace `raise NotImplementedError`) and every `...`, then check it:

    python checker.pyz workbook.py        (checker.pyz from the lesson's overview page)
    make check WORKBOOK=workbook.py        (in a clone of the course)

The checker calls your functions with small sizes (a 50 x 8 table, say), so build what the
arguments ask for; nothing here needs the full 100352 x 4096 table. Each task's report says
what was expected, what your code gave, and which section of the lesson explains it.
Needs Python 3.11+ and torch; nothing else.
"""

import torch  # noqa: F401 - you will need it
from torch import nn

LESSON = "2.1.1-embeddings-initialization"  # tells the checker which lesson this is

# --- Task 1: basic initialisation -----------------------------------------------------------


def make_embedding(vocab_size=100352, hidden_size=4096):
    """Return an nn.Embedding with one row per token and padding_idx=0."""
    raise NotImplementedError


# --- Task 2: parameter count and memory --------------------------------------------------------


def count_parameters(module):
    """Return the number of parameters of `module` as an int (a tied tensor counts once)."""
    raise NotImplementedError


# The code tasks' table, nn.Embedding(100352, 4096): its parameters, and its size in FP32 in
# bytes.
FULL_TABLE_PARAMETERS = ...
FULL_TABLE_FP32_BYTES = ...


def first_row_norms(embed, n=5):
    """Return a tensor of shape (n,): the L2 norm of each of the first n rows of the table."""
    raise NotImplementedError


# Norms of "~1" after init are a common expectation. What is a row's norm, roughly, for the
# 100352 x 4096 table with PyTorch's default initialisation? (a number)
ROW_NORM_AT_DEFAULT_INIT = ...

# --- Task 3: the padding effect --------------------------------------------------------------


def zero_pad_row(embed):
    """Set the pad row (embed.padding_idx) of embed.weight to zeros, in place."""
    raise NotImplementedError


def pad_forward(embed):
    """Return embed's output for the ids [[0, 1, 0]] (batch 1, sequence of 3)."""
    raise NotImplementedError


# embeds[0, 0, :].requires_grad for that output: True or False?
PAD_OUTPUT_REQUIRES_GRAD = ...

# --- Task 4: custom initialisation -------------------------------------------------------------


class UniformEmbedding(nn.Embedding):
    """An nn.Embedding initialised from uniform(-0.1, 0.1), whose pad row starts at zero."""

    def reset_parameters(self):
        """Fill self.weight from uniform(-0.1, 0.1), then zero the pad row (if there is one).

        nn.Embedding.__init__ calls this method to initialise the table (when no weight is passed
        in), so there is no need to override __init__.
        """
        raise NotImplementedError


# The mean row norm of a 4096-wide table initialised from uniform(-0.1, 0.1) (a number).
MEAN_ROW_NORM_AFTER_UNIFORM = ...

# --- Advanced: a tied embedding and LM head ---------------------------------------------------


class TiedLM(nn.Module):
    """embed_tokens (vocab -> hidden) and lm_head (hidden -> vocab), an nn.Linear whose weight
    is embed_tokens' weight (one shared Parameter). A bias on the head is allowed."""

    def __init__(self, vocab_size, hidden_size):
        super().__init__()
        raise NotImplementedError

    def forward(self, input_ids):
        """ids (batch, seq) -> logits (batch, seq, vocab): the embedding, then the head."""
        raise NotImplementedError


# --- Theory: the answers that are a fact or a number -------------------------------------------

# Theory 1: for V = 1000 and D = 128, the table's shape (a tuple) and its parameter count.
THEORY_1_SHAPE = ...
THEORY_1_PARAMETERS = ...

# Theory 3: does Kimi-K2 tie its embeddings to its LM head? (True or False)
KIMI_K2_TIES_EMBEDDINGS = ...

# --- Quiz (the Quiz page) ------------------------------------------------------------------------
# Answer with the letter of an option in the order the Quiz page lists them ("a" is the first),
# or with the option's text; a true/false question also takes True or False.

# 1. What is the shape of embed_tokens.weight?
QUIZ_1 = ...
# 2. What does padding_idx=p do in nn.Embedding(V, D, padding_idx=p)?
QUIZ_2 = ...
# 3. What is the role of config.initializer_range in Hugging Face transformers?
QUIZ_3 = ...
# 4. Training an embedding table in fp32 with AdamW, how many bytes per parameter do the
#    weight, its gradient and the optimizer's state take, before activations?
QUIZ_4 = ...
# 5. nn.Embedding(10, 4, padding_idx=0) tied to nn.Linear(4, 10, bias=False): after a
#    cross-entropy backward, what is embed.weight.grad[0]?
QUIZ_5 = ...

# --- Theory in your own words (self-assessed: the checker shows a model answer) ------------------

# The lookup table: what is the matrix E, and why is it memory-intensive for large V?
THEORY_1_ANSWER = ""
# Padding and masking: why set padding_idx, what does it do to the gradients (with and
# without a tied LM head), and where is padding crucial?
THEORY_2_ANSWER = ""
# Weight tying: what is tied to what, its pros and cons, and does Kimi-K2 use it?
THEORY_3_ANSWER = ""
# Initialisation: why N(0, 0.02²), how does it relate to Xavier/Glorot, and what about the
# variance in deep networks?
THEORY_4_ANSWER = ""
