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
# # Lab
#
# _The lesson's claims, computed and drawn. The site is built by running this notebook: a
# failed `assert` in a cell fails the build._

# %%
import torch

_ = torch.manual_seed(0)
x = torch.randn(1000, 64)
print(f"std of 64000 draws from N(0, 1): {x.std().item():.2f}")
assert abs(x.std().item() - 1.0) < 0.05

# %% [markdown]
# ## Sources
#
# - _The primary source of each fact in this lab that no cell shows._
