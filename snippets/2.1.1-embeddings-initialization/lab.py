# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: initialisation in pictures
#
# Four figures for the lesson's claims about scale. Every number a figure rests on is
# checked in the cell that draws it, against its analytic value, and every number in these
# notes is asserted by the code: run top to bottom, a failed check stops the notebook.
#
# It needs `torch` and `matplotlib`. The next cell only sets up the figures (matplotlib's
# style, one colour per initialisation, and `show`, which displays a figure with a text
# alternative and a caption); it is collapsed, and runs like any other.

# %% jupyter={"source_hidden": true}
# Figure setup: matplotlib's style, the colours, and show(fig, alt, caption).
import base64
import io
from html import escape

import matplotlib
from IPython.display import HTML, display
from matplotlib.figure import Figure

matplotlib.rcParams.update(
    {
        "figure.dpi": 100,
        "savefig.dpi": 120,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
COLOURS = {
    "N(0, 1)": "#d62728",
    "N(0, 0.02²)": "#1f77b4",
    "uniform(-0.1, 0.1)": "#9467bd",
    "Xavier": "#2ca02c",
    "Kaiming": "#ff7f0e",
}


def show(fig, alt, caption):
    """Display fig as a PNG with alt text and a caption (a transparent background)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", transparent=True, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(
        HTML(
            '<figure class="lab-figure">'
            f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    )


# %% [markdown]
# ## 1. The values in the 100352 x 4096 table
#
# `nn.Embedding` starts from N(0, 1); transformers' default `initializer_range` is 0.02;
# the code tasks' custom initialisation is uniform(-0.1, 0.1); Xavier-normal takes its std
# from the table's two dimensions, its `fan_in` and `fan_out`. Xavier's std is computed by
# PyTorch itself from the full table's shape, on the meta device (a shape and a dtype, no
# memory).

# %%
import math

import torch
import torch.nn.functional as F
from torch import nn

V, D = 100352, 4096
table = torch.empty(V, D, device="meta")
fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(table)
xavier_std = math.sqrt(2.0 / (fan_in + fan_out))
print(f"fan_in {fan_in}  fan_out {fan_out}  Xavier std {xavier_std:.6f}")
assert (fan_in, fan_out) == (4096, 100352)
assert math.isclose(xavier_std, 0.004376, abs_tol=5e-7)

# %% [markdown]
# Instead of four full tables of 411,041,792 values each, the figure shows 2**21 =
# 2,097,152 independent draws from each distribution: the table's entries are independent
# draws from one distribution, so the histogram has the same shape. The caption says so.

# %%
N_DRAWS = 2**21
assert V * D == 411_041_792 and N_DRAWS == 2_097_152
_ = torch.manual_seed(0)
draws = {
    "N(0, 1)": nn.init.normal_(torch.empty(N_DRAWS)),
    "N(0, 0.02²)": nn.init.normal_(torch.empty(N_DRAWS), std=0.02),
    "uniform(-0.1, 0.1)": nn.init.uniform_(torch.empty(N_DRAWS), -0.1, 0.1),
    "Xavier": nn.init.normal_(torch.empty(N_DRAWS), std=xavier_std),
}
expected_std = {
    "N(0, 1)": 1.0,
    "N(0, 0.02²)": 0.02,
    "uniform(-0.1, 0.1)": 0.1 / math.sqrt(3),  # the std of uniform(-a, a): a / sqrt(3)
    "Xavier": xavier_std,
}
# A sample std of n normal draws is off by about std / sqrt(2n): 0.05 % here.
print(f"{'':<19}{'mean':>10}{'std':>10}{'expected':>10}")
for name, values in draws.items():
    std, mean = values.std().item(), values.mean().item()
    print(f"{name:<19}{mean:+10.2e}{std:10.6f}{expected_std[name]:10.6f}")
    assert abs(std / expected_std[name] - 1) < 3e-3, name
    assert abs(mean) < 5 * expected_std[name] / math.sqrt(N_DRAWS), name

# %%
# A normal has 68.27 % of its mass within one std, a uniform 57.74 %; the sampling
# error of such a fraction is below 0.04 %.
within = {
    n: (v.abs() < expected_std[n]).double().mean().item() for n, v in draws.items()
}
for name, fraction in within.items():
    print(f"{name:<19} within one std: {fraction:.4f}")
for name in ("N(0, 1)", "N(0, 0.02²)", "Xavier"):
    assert abs(within[name] - math.erf(1 / math.sqrt(2))) < 2e-3, name
assert abs(within["uniform(-0.1, 0.1)"] - 1 / math.sqrt(3)) < 2e-3
bounds = draws["uniform(-0.1, 0.1)"]
assert -0.1 <= bounds.min().item() and bounds.max().item() <= 0.1

# %% [markdown]
# The figure draws the four on common axes: on the left, at the scale of N(0, 1); on the
# right, zoomed in to the scale of the other three. Each histogram is scaled to the same
# height, so only the widths differ.

# %%
ZOOM = 0.15  # the right column's half-width: wider than the uniform's 0.1
fig = Figure(figsize=(7, 4.6), layout="constrained")
axes = fig.subplots(4, 2, sharex="col", sharey=True)
for row, (name, values) in zip(axes, draws.items(), strict=True):
    # Bins of 0.05 and 0.0025: the uniform's edges, +-0.1, fall on bin edges.
    for ax, (limit, bins) in zip(row, ((4.0, 160), (ZOOM, 120)), strict=True):
        counts, edges = torch.histogram(
            values, bins=bins, range=(-limit, limit), density=True
        )
        heights = counts / counts.max()
        ax.stairs(heights.numpy(), edges.numpy(), fill=True, color=COLOURS[name])
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    row[0].set_ylabel(
        f"{name}\nstd {expected_std[name]:.2g}", rotation=0, ha="right", va="center"
    )
axes[0, 0].set_title("at the scale of N(0, 1): -4 to 4")
axes[0, 1].set_title(f"zoomed in: -{ZOOM} to {ZOOM}")
axes[-1, 0].set_xlabel("value of a table entry")
axes[-1, 1].set_xlabel("value of a table entry")
show(
    fig,
    alt=(
        "Two columns of four histograms, one row per initialisation, each column on a "
        "shared horizontal axis. Left, from -4 to 4: N(0, 1) is a wide bell over the "
        "whole axis, while N(0, 0.02²), uniform(-0.1, 0.1) and Xavier are thin spikes "
        f"at zero. Right, zoomed in to -{ZOOM} to {ZOOM}: N(0, 1) is almost flat, "
        "N(0, 0.02²) a bell reaching about 0.08 either side, uniform(-0.1, 0.1) a box "
        "from -0.1 to "
        f"0.1, and Xavier a spike within {4 * xavier_std:.3f} of zero, "
        f"{0.02 / xavier_std:.1f} times narrower than N(0, 0.02²)."
    ),
    caption=(
        f"The values of a {V} x {D} table under four initialisations, on common "
        "axes: on the left at the scale of N(0, 1), on the right zoomed in. Each "
        "histogram is scaled to the same height and shows "
        f"{N_DRAWS:,} independent draws from the same distribution as the table's "
        f"{V * D:,} entries, not the full table: for independent entries the shape is "
        f"the same. Xavier's std, {xavier_std:.6f}, is computed by PyTorch from the "
        "full table's shape."
    ),
)

# %% [markdown]
# ## 2. Row norms concentrate at std * sqrt(D)
#
# A row is D independent N(0, std²) values, so its squared norm is std² times a chi-squared
# with D degrees of freedom: its mean norm is close to std * sqrt(D), and its spread stays
# about std / sqrt(2) whatever D is. Relative to the mean, the spread shrinks as
# 1 / sqrt(2D): in high dimension every row has nearly the same length. The exact mean and
# spread come from the Gamma function. Here with the transformer std, 0.02, and 4096 rows
# per size.

# %%
STD, ROWS = 0.02, 4096
DIMS = (128, 1024, 4096)


def chi_mean(d):
    """E[norm] of d standard normal values: sqrt(2) Gamma((d + 1)/2) / Gamma(d/2)."""
    return math.sqrt(2) * math.exp(math.lgamma((d + 1) / 2) - math.lgamma(d / 2))


_ = torch.manual_seed(1)
row_norms = {
    d: nn.init.normal_(torch.empty(ROWS, d), std=STD).norm(dim=1) for d in DIMS
}
exact_mean = {d: STD * chi_mean(d) for d in DIMS}
exact_spread = {d: STD * math.sqrt(d - chi_mean(d) ** 2) for d in DIMS}  # Var(chi)
print(f"{'D':>4}{'mean':>9}{'exact':>9}{'std*sqrt(D)':>13}")
for d, norms in row_norms.items():
    print(
        f"{d:>4}{norms.mean():9.4f}{exact_mean[d]:9.4f}{STD * math.sqrt(d):13.4f}"
    )
print(f"{'D':>4}{'spread':>9}{'exact':>9}{'std/sqrt(2)':>13}")
for d, norms in row_norms.items():
    print(
        f"{d:>4}{norms.std():9.4f}{exact_spread[d]:9.4f}{STD / math.sqrt(2):13.4f}"
    )

# %%
# The mean of 4096 norms is off by about spread / 64, their spread by about 1.1 %.
for d, norms in row_norms.items():
    mean, spread = norms.mean().item(), norms.std().item()
    assert abs(mean - exact_mean[d]) < 5 * exact_spread[d] / math.sqrt(ROWS), d
    assert abs(spread / exact_spread[d] - 1) < 0.06, d
    assert abs(exact_mean[d] / (STD * math.sqrt(d)) - 1) < 1 / d  # ~ sqrt(d - 1/2)
    assert abs(exact_spread[d] / (STD / math.sqrt(2)) - 1) < 1 / d

# %%
fig = Figure(figsize=(7, 3.4), layout="constrained")
ax = fig.subplots()
shades = (COLOURS["N(0, 0.02²)"], COLOURS["Kaiming"], COLOURS["Xavier"])
for (d, norms), colour in zip(row_norms.items(), shades, strict=True):
    centre = STD * math.sqrt(d)
    ax.hist(norms.numpy(), bins=60, color=colour, alpha=0.85, label=f"D = {d}")
    ax.axvline(centre, color="0.3", linestyle="--", linewidth=1)
    ax.annotate(
        f"std·√D = {centre:.3f}",
        (centre, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        fontsize=10,
    )
ax.set_xlabel("row norm (std 0.02)")
ax.set_ylabel(f"rows (of {ROWS})")
ax.set_xlim(0, 1.45)
ax.legend(loc="center", bbox_to_anchor=(0.7, 0.5), frameon=False)
show(
    fig,
    alt=(
        "Three narrow histograms of row norms for std 0.02: for D = 128 centred at "
        "0.226, for D = 1024 at 0.640, for D = 4096 at 1.280, each with a dashed "
        "line at std times the square root of D. All three have about the same "
        "absolute width, about 0.014."
    ),
    caption=(
        f"Norms of {ROWS} rows initialised from N(0, 0.02²), for three widths D. Each "
        "histogram sits on std·√D (dashed) with the same absolute spread, about "
        "std/√2 = 0.014, so relative to its size a row's length varies less and less "
        "as D grows. At D = 4096 the norm is 1.28, not 1."
    ),
)

# %% [markdown]
# ## 3. Activation scale through a deep stack
#
# A stack of 48 layers, each `x = relu(x @ W.T)` with a D x D weight (D = 256), fed
# `relu` of standard normal values. At every layer the pre-activation's std is multiplied
# by std_w * sqrt(D / 2) (the 1/2: ReLU keeps half of a symmetric input's second moment).
# Xavier's std 1 / sqrt(D) gives a factor 1 / sqrt(2), so the signal vanishes; Kaiming's
# sqrt(2 / D) gives exactly 1. N(0, 1) gives 11.3 per layer, and its std passes float32's
# largest value after 36.6 layers; N(0, 0.02²) gives 0.23 per layer and decays to 1e-31 by
# layer 48. With an RMSNorm before each ReLU, every layer's input is rescaled to unit size,
# so each layer's pre-activation std is its one-layer factor, at every depth. (The linear
# stack, without ReLU, is on page 4.)
#
# Each layer's factor is itself random: it deviates from std_w * sqrt(D / 2) by about
# 1 / sqrt(D), 6 % (measured below), and without normalisation these deviations compound
# like a random walk, about 6 % * sqrt(layer) after `layer` layers. The checks allow four
# times that.

# %%
WIDTH, DEPTH, BATCH = 256, 48, 128
FLOAT32_MAX = torch.finfo(torch.float32).max
INITS = {
    "N(0, 1)": lambda w: nn.init.normal_(w, std=1.0),
    "N(0, 0.02²)": lambda w: nn.init.normal_(w, std=0.02),
    "Xavier": nn.init.xavier_normal_,
    "Kaiming": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
}
weight_std = {
    "N(0, 1)": 1.0,
    "N(0, 0.02²)": 0.02,
    "Xavier": math.sqrt(2 / (WIDTH + WIDTH)),
    "Kaiming": math.sqrt(2 / WIDTH),
}
# The factor per layer: std_w * sqrt(D / 2).
gain = {name: std * math.sqrt(WIDTH / 2) for name, std in weight_std.items()}
assert round(gain["N(0, 1)"], 1) == 11.3 and round(gain["N(0, 0.02²)"], 2) == 0.23
assert math.isclose(gain["Xavier"], 1 / math.sqrt(2))
assert math.isclose(gain["Kaiming"], 1)
assert f"{gain['N(0, 0.02²)'] ** DEPTH:.0e}" == "1e-31"


# %%
def stack_stds(init, normalise):
    """The std of each layer's pre-activation x @ W.T, for layers 1 to DEPTH."""
    _ = torch.manual_seed(2)
    x = torch.relu(torch.randn(BATCH, WIDTH))
    stds = []
    for _ in range(DEPTH):
        h = F.linear(x, init(torch.empty(WIDTH, WIDTH)))
        # float64: the squares of values near 1e30 overflow float32
        stds.append(h.double().std().item())
        x = torch.relu(F.rms_norm(h, (WIDTH,)) if normalise else h)
    return stds


def predicted_std(name, normalise, layer):
    return gain[name] if normalise else gain[name] ** layer


depth_stds = {
    (name, normalise): stack_stds(init, normalise)
    for name, init in INITS.items()
    for normalise in (False, True)
}
# At layer 48, measured and predicted; the first layer whose std is not finite.
columns = "{:<11}{:<8}{:>7}{:>10}{:>11}{:>12}"
print(columns.format("", "", "factor", "layer 48", "predicted", "non-finite"))
for (name, normalise), stds in depth_stds.items():
    overflow = next((i for i, s in enumerate(stds, 1) if not math.isfinite(s)), None)
    print(
        f"{name:<11}{'RMSNorm' if normalise else 'no norm':<8}{gain[name]:7.4f}"
        f"{stds[-1]:10.3g}{predicted_std(name, normalise, DEPTH):11.3g}"
        f"{overflow!s:>12}"
    )

# %%
STEP_NOISE = 1 / math.sqrt(WIDTH)
assert round(100 * STEP_NOISE) == 6
steps = [
    math.log(b / a) - math.log(gain[name])
    for (name, normalise), stds in depth_stds.items()
    if not normalise
    for a, b in zip(stds, stds[1:], strict=False)
    if math.isfinite(b)
]
step_sd = math.sqrt(sum(s * s for s in steps) / len(steps))
print(f"log(factor) per layer: rms deviation {step_sd:.4f} (~{STEP_NOISE:.4f})")
assert 0.5 * STEP_NOISE < step_sd < 1.5 * STEP_NOISE

for (name, normalise), stds in depth_stds.items():
    for layer, measured in enumerate(stds, start=1):
        predicted = predicted_std(name, normalise, layer)
        if predicted > FLOAT32_MAX:
            assert not math.isfinite(measured), (name, layer, measured)
        elif predicted < FLOAT32_MAX / 1e6:  # near the limit, overflow is luck
            walk = 1 if normalise else math.sqrt(layer)
            deviation = abs(math.log(measured / predicted))
            assert deviation < 4 * STEP_NOISE * walk, (name, normalise, layer, measured)

# %%
# Overflow comes where the predicted std reaches float32's largest value, about 3.4e38.
overflow_layer = next(
    i for i, s in enumerate(depth_stds["N(0, 1)", False], 1) if s != s
)
expected_layer = math.log(FLOAT32_MAX) / math.log(gain["N(0, 1)"])
print(f"N(0, 1): first inf at layer {overflow_layer}; 3.4e38 at {expected_layer:.1f}")
assert expected_layer - 3 <= overflow_layer <= math.ceil(expected_layer)
assert round(expected_layer, 1) == 36.6

# %%
fig = Figure(figsize=(7, 3.6), layout="constrained")
left, right = fig.subplots(1, 2)
layers = list(range(1, DEPTH + 1))
for (name, normalise), stds in depth_stds.items():
    ax = right if normalise else left
    finite = [(i, s) for i, s in zip(layers, stds, strict=True) if math.isfinite(s)]
    ax.plot(*zip(*finite, strict=True), color=COLOURS[name], linewidth=2, label=name)
    predicted = [predicted_std(name, normalise, i) for i in layers]
    ax.plot(layers, predicted, color=COLOURS[name], linestyle=":", linewidth=1.5)
for ax, title in ((left, "no normalisation"), (right, "RMSNorm before each ReLU")):
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_title(title)
left.set_ylim(1e-33, 1e40)
right.set_ylim(0.1, 30)
left.axhline(FLOAT32_MAX, color="0.5", linewidth=0.8)
left.text(1, 1e34, "float32 maximum", fontsize=9, color="0.4")
left.set_ylabel("std of the pre-activation")
fig.legend(*right.get_legend_handles_labels(), loc="outside lower center", ncols=4)
show(
    fig,
    alt=(
        f"Two log-scale line plots of activation std against layer, 1 to {DEPTH}. "
        "Left, no normalisation: N(0, 1) rises in a straight line to the float32 "
        f"maximum, 3.4e38, and stops at layer {overflow_layer - 1}; Kaiming stays "
        f"flat near 1; Xavier falls to about {gain['Xavier'] ** DEPTH:.0e}; "
        f"N(0, 0.02²) falls to about {gain['N(0, 0.02²)'] ** DEPTH:.0e}. "
        f"Right, with RMSNorm: four flat lines at {gain['N(0, 1)']:.1f}, 1, "
        f"{gain['Xavier']:.2f} and {gain['N(0, 0.02²)']:.2f}."
    ),
    caption=(
        f"The std of each layer's pre-activation in a {DEPTH}-layer ReLU stack of "
        f"width {WIDTH}, by weight initialisation; dotted: the prediction, a factor "
        "std_w·√(D/2) per layer. Without normalisation only Kaiming keeps the scale; "
        "the others grow or vanish exponentially, N(0, 1) until it overflows to inf "
        f"at layer {overflow_layer}. With RMSNorm, the scale no longer compounds with "
        "depth, whatever the initialisation."
    ),
)

# %% [markdown]
# ## 4. Tied or untied head at initialisation
#
# A tiny language model at step 0: embed 256 random tokens, then score every token of a
# vocabulary of V = 8192 with D = 512. Untied, the head is its own matrix; tied, it is the
# embedding table itself, so a token's score for *itself* is its row's squared norm,
# std² * D, while every other score is a dot product of two independent rows, with std
# std² * sqrt(D). The third head is tied too, with an RMSNorm before it, as LLaMA-style
# models have (GPT-2 has a LayerNorm there): the norm rescales the hidden vector to length
# sqrt(D), so the own score becomes std * D and the others' std becomes std * sqrt(D).
# "Default" is what PyTorch's modules start from: N(0, 1) for `nn.Embedding`,
# uniform(±1/sqrt(D)) for `nn.Linear` (std 1/sqrt(3D)). "0.02" is transformers' default
# std for both. The scores are the logits, and the loss is their cross-entropy on random
# targets: a model that knows nothing should score ln(V) = 9.01, the loss of a uniform
# guess. Nothing sits between the table and the head here: no position embeddings, no
# blocks.

# %%
VOCAB, DIM, TOKENS = 8192, 512, 256
HEADS = ("untied", "tied", "tied + RMSNorm")
ln_v = math.log(VOCAB)
assert round(ln_v, 2) == 9.01
_ = torch.manual_seed(3)
ids = torch.randint(0, VOCAB, (TOKENS,))
targets = torch.randint(0, VOCAB, (TOKENS,))


def initial_logits(init, head_kind):
    embed = nn.Embedding(VOCAB, DIM)  # default: N(0, 1)
    head = nn.Linear(DIM, VOCAB, bias=False)  # default: uniform(-1/sqrt(D), 1/sqrt(D))
    if init == "0.02":
        nn.init.normal_(embed.weight, std=0.02)
        nn.init.normal_(head.weight, std=0.02)
    if head_kind != "untied":
        head.weight = embed.weight
    with torch.no_grad():
        hidden = embed(ids)
        if head_kind == "tied + RMSNorm":
            hidden = F.rms_norm(hidden, (DIM,))
        return head(hidden)


# %% [markdown]
# The expected values, for scores that are Gaussian: a tied head's own score and the
# others' spread as above, an untied head's scores all alike; the loss is the expected
# log-sum-exp of the scores minus the expected score of the target.

# %%
def own_and_others(init, head_kind):
    """Each token's score for itself (mean, second moment) and the others' variance."""
    std_e = 1.0 if init == "default" else 0.02
    if head_kind == "tied":  # own: |E_i|^2, mean std²D, E[square] std⁴D(D+2)
        return std_e**2 * DIM, std_e**4 * DIM * (DIM + 2), std_e**4 * DIM
    # tied + RMSNorm: own sqrt(D) |E_i|, E[square] std²D²; others: std² |h|^2 = std²D
    return std_e * DIM, std_e**2 * DIM**2, std_e**2 * DIM


def expected_logit_std(init, head_kind):
    std_e = 1.0 if init == "default" else 0.02
    std_h = 1 / math.sqrt(3 * DIM) if init == "default" else 0.02
    if head_kind == "untied":
        return std_e * std_h * math.sqrt(DIM)
    # One score per row is the token's own; the other V - 1 have mean 0.
    own, own_square, others_var = own_and_others(init, head_kind)
    mean = own / VOCAB
    second_moment = (own_square + (VOCAB - 1) * others_var) / VOCAB
    return math.sqrt(second_moment - mean**2)


def expected_loss(init, head_kind):
    """E[logsumexp] - E[target score], for Gaussian scores: ln(sum of E[exp(score)])."""
    if head_kind == "untied":
        return ln_v + expected_logit_std(init, head_kind) ** 2 / 2
    own, _, others_var = own_and_others(init, head_kind)
    return math.log(math.exp(own) + (VOCAB - 1) * math.exp(others_var / 2))


# %%
head_results = {}
print(f"{'init':<8}{'head':<15}{'logit std (exp.)':>19}{'loss (exp.)':>18}")
for init in ("default", "0.02"):
    for head_kind in HEADS:
        logits = initial_logits(init, head_kind)
        loss = F.cross_entropy(logits, targets).item()
        std = logits.std().item()
        exp_std = expected_logit_std(init, head_kind)
        exp_loss = expected_loss(init, head_kind)
        head_results[init, head_kind] = (std, loss)
        print(
            f"{init:<8}{head_kind:<15}{std:8.4f} ({exp_std:8.4f})"
            f"{loss:8.2f} ({exp_loss:7.2f})"
        )
        label = f"{init}, {head_kind}"
        assert abs(std / exp_std - 1) < 0.05, label
        # The loss averages 256 tokens, each off by about the scores' std: allow 4 sd.
        assert (
            abs(loss - exp_loss) < 4 * max(exp_std, 0.01) / math.sqrt(TOKENS) + 1e-3
        ), label
print(f"ln V = {ln_v:.3f}, the loss of a uniform guess")

# %%
# Tied at N(0, 1), with or without the norm: a loss of about D.
assert head_results["default", "tied"][1] > 50 * ln_v
assert head_results["default", "tied + RMSNorm"][1] > 50 * ln_v
# Near ln V where the scores are small: untied, or tied at 0.02 with no norm.
for key in (("default", "untied"), ("0.02", "untied"), ("0.02", "tied")):
    assert abs(head_results[key][1] - ln_v) < 0.2, key
# At 0.02 with a final norm, the own score std * D lifts the loss above ln V.
normed_loss = head_results["0.02", "tied + RMSNorm"][1]
assert normed_loss > ln_v + 1, normed_loss

# %%
fig = Figure(figsize=(7, 3.6), layout="constrained")
left, right = fig.subplots(1, 2)
for offset, init, colour in (
    (-0.2, "default", COLOURS["N(0, 1)"]),
    (0.2, "0.02", COLOURS["N(0, 0.02²)"]),
):
    stds = [head_results[init, kind][0] for kind in HEADS]
    losses = [head_results[init, kind][1] for kind in HEADS]
    for ax, values, fmt in ((left, stds, "{:.3g}"), (right, losses, "{:.1f}")):
        bars = ax.bar(
            [i + offset for i in range(len(HEADS))],
            values,
            width=0.38,
            color=colour,
            label=f"{init} init",
        )
        ax.bar_label(
            bars, labels=[fmt.format(v) for v in values], padding=2, fontsize=9
        )
uniform_guess = right.axhline(
    ln_v, color="0.3", linestyle="--", linewidth=1, label=f"ln V = {ln_v:.2f}"
)
for ax, title in (
    (left, "std of the initial logits"),
    (right, "initial cross-entropy loss"),
):
    ax.set_yscale("log")
    ax.set_xticks(range(len(HEADS)), ["untied", "tied", "tied +\nRMSNorm"])
    ax.set_title(title)
left.set_ylim(1e-3, 200)
right.set_ylim(1, 3000)
handles, labels = left.get_legend_handles_labels()
_ = fig.legend(
    [*handles, uniform_guess],
    [*labels, uniform_guess.get_label()],
    loc="outside lower center",
    ncols=3,
    frameon=False,
)

# %%
# The figure's text alternative and caption, from the results above.
untied_default, tied_default = (head_results["default", k] for k in HEADS[:2])
untied_small, tied_small, normed_small = (head_results["0.02", k] for k in HEADS)
show(
    fig,
    alt=(
        "Two bar charts on log scales comparing an untied head, a tied head and a tied "
        "head after an RMSNorm, each with default and 0.02 initialisation. Logit std: "
        f"untied default {untied_default[0]:.2f}, tied default {tied_default[0]:.0f}, "
        f"untied and tied at 0.02 {untied_small[0]:.3f} and {tied_small[0]:.3f}, tied "
        f"with RMSNorm at 0.02 {normed_small[0]:.2f}. Initial loss: tied default "
        f"{tied_default[1]:.0f}, tied with RMSNorm at 0.02 {normed_small[1]:.1f}, the "
        f"others near the dashed line ln V = {ln_v:.2f}."
    ),
    caption=(
        f"At initialisation (V = {VOCAB}, D = {DIM}), the logits' std and the loss on "
        "random targets. With PyTorch's default N(0, 1) embedding, a tied head "
        "scores each token's own id at its squared norm, about D, so the model "
        "starts out certain that the next token repeats the input: the loss is about "
        "D instead of ln V. Untied, or tied at std 0.02 with nothing before the head, "
        "the scores are small and the loss starts at ln V, a uniform guess. A norm "
        "before the tied head turns the own score from std² * D into std * D "
        f"({0.02 * DIM:.2f} here): the loss starts at {normed_small[1]:.1f}, above "
        "ln V, and further above it the wider the model. With the embedding going "
        "straight into the norm and the tied head, the loss starts near ln V only if "
        "std * D is small next to ln V, which takes a std well below 0.02 (the "
        "advanced page measures 0.002). In a real model, position embeddings and the "
        "blocks' outputs are added before the norm and shrink the own score (the "
        "advanced page shows this too)."
    ),
)

# %% [markdown]
# ## Sources
#
# - PyTorch 2.13.0: `torch/nn/init.py` (`xavier_normal_`, `kaiming_normal_` with
#   `nonlinearity="relu"`, `_calculate_fan_in_and_fan_out`); `torch/nn/modules/linear.py`
#   (`nn.Linear.reset_parameters`: `kaiming_uniform_(self.weight, a=math.sqrt(5))`, that
#   is uniform(-1/sqrt(in_features), 1/sqrt(in_features))); `torch/nn/modules/sparse.py`
#   (`nn.Embedding`: N(0, 1)).
# - transformers 5.24.0: `modeling_utils.py` (`_init_weights`, 0.02 by default) and
#   `models/llama/modeling_llama.py` (`LlamaModel`'s final `self.norm`, an RMSNorm, before
#   `lm_head`). GPT-2's final LayerNorm: `openai/gpt-2`, `src/model.py` (`ln_f`).
