"""Lesson 2.1.1, Embeddings initialization: the reference solution (scores 100 %).

Kept next to the workbook so the two stay in step; the site serves only workbook.py.
"""

import torch
from torch import nn

LESSON = "2.1.1-embeddings-initialization"


def make_embedding(vocab_size=100352, hidden_size=4096):
    return nn.Embedding(vocab_size, hidden_size, padding_idx=0)


def count_parameters(module):
    return sum(p.numel() for p in module.parameters())


FULL_TABLE_PARAMETERS = 100352 * 4096
FULL_TABLE_FP32_BYTES = FULL_TABLE_PARAMETERS * 4


def first_row_norms(embed, n=5):
    return embed.weight[:n].norm(dim=1)


ROW_NORM_AT_DEFAULT_INIT = 64.0


def zero_pad_row(embed):
    with torch.no_grad():
        embed.weight[embed.padding_idx] = 0


def pad_forward(embed):
    return embed(torch.tensor([[0, 1, 0]]))


PAD_OUTPUT_REQUIRES_GRAD = True


class UniformEmbedding(nn.Embedding):
    def reset_parameters(self):
        nn.init.uniform_(self.weight, -0.1, 0.1)
        self._fill_padding_idx_with_zero()


MEAN_ROW_NORM_AFTER_UNIFORM = 3.695


class TiedLM(nn.Module):
    def __init__(self, vocab_size, hidden_size):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)
        self.lm_head.weight = self.embed_tokens.weight

    def forward(self, input_ids):
        return self.lm_head(self.embed_tokens(input_ids))


THEORY_1_SHAPE = (1000, 128)
THEORY_1_PARAMETERS = 128000
KIMI_K2_TIES_EMBEDDINGS = False

# Answers as text, so they hold whatever order the quiz page lists the options in.
QUIZ_1 = "(vocab_size, hidden_size)"
QUIZ_2 = "It zeroes row `p` at construction, and the lookup sends that row no gradient."
QUIZ_3 = (
    "The standard deviation of the normal distribution transformers draws weights from when "
    "it initialises them"
)
QUIZ_4 = "16"
QUIZ_5 = "In general not zero, because the head's gradient reaches every row"

THEORY_1_ANSWER = "E is a V x D matrix, one row per token; memory grows with V * D."
THEORY_2_ANSWER = "padding_idx zeroes the pad row once and keeps the lookup's gradient out."
THEORY_3_ANSWER = "The head reuses the table; Kimi-K2 does not tie."
THEORY_4_ANSWER = "Small N(0, 0.02²) keeps activations and logits in range at the start."
