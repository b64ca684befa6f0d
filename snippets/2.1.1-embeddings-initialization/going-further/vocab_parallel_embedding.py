"""Vocab-parallel embedding: each process holds a slice of the table's rows.

Run with: torchrun --standalone --nproc-per-node N vocab_parallel_embedding.py
(CPU, gloo backend; N must divide the vocabulary size V).
"""

import torch
import torch.distributed as dist
import torch.nn.functional as F

V, D = 1024, 64  # vocabulary size, hidden size


class SumOverRanks(torch.autograd.Function):
    """all_reduce(SUM) forward; identity backward (every rank holds the same loss)."""

    @staticmethod
    def forward(ctx, partial):
        total = partial.clone()
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return total

    @staticmethod
    def backward(ctx, grad_total):
        return grad_total


def shard_range(rank, world, vocab):
    """Rows [start, end) of the table that this rank owns."""
    per_rank = vocab // world
    return rank * per_rank, (rank + 1) * per_rank


def vocab_parallel_embedding(ids, shard, start, end):
    """Look up the ids this rank owns, zero the others, sum over ranks."""
    foreign = (ids < start) | (ids >= end)
    local_ids = (ids - start).masked_fill(foreign, 0)
    partial = F.embedding(local_ids, shard).masked_fill(foreign.unsqueeze(-1), 0.0)
    return SumOverRanks.apply(partial)


def main():
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if V % world:
        raise SystemExit(f"the world size {world} must divide V = {V}")

    # Every rank draws the same full table, ids and loss weights, so each can also run
    # the single-process reference; only the shard is used for the parallel version.
    _ = torch.manual_seed(0)
    full = torch.randn(V, D) * 0.02
    ids = torch.randint(0, V, (4, 32))
    ids[0, :3] = ids[1, :3] = 7  # repeated ids: their gradients must add up
    # The first and last row of every shard for N = 2, 4, 8: where an off-by-one shows.
    edges = torch.arange(0, V, V // 8)
    ids[2, :16] = torch.cat([edges, edges - 1]).remainder(V)
    loss_weights = torch.randn(4, 32, D)

    reference_table = full.clone().requires_grad_()
    reference = F.embedding(ids, reference_table)
    (reference * loss_weights).sum().backward()

    start, end = shard_range(rank, world, V)
    shard = full[start:end].clone().requires_grad_()
    output = vocab_parallel_embedding(ids, shard, start, end)
    (output * loss_weights).sum().backward()

    forward_equal = torch.equal(output, reference)
    backward_equal = torch.equal(shard.grad, reference_table.grad[start:end])
    report = (rank, start, end, shard.nbytes, forward_equal, backward_equal)
    reports = [None] * world
    dist.all_gather_object(reports, report)

    # The shards' gradients, put back together, are the whole table's gradient.
    # (all_gather_object accepts shards of unequal sizes, as a wrong split would give.)
    pieces = [None] * world
    dist.all_gather_object(pieces, shard.grad)
    gathered_equal = torch.equal(torch.cat(pieces), reference_table.grad)

    if rank == 0:
        print(f"table {V} x {D} fp32: {full.nbytes} bytes; world size {world}")
        # Each rank's rows and bytes, and whether its output and its gradient rows are
        # equal to the single-process ones.
        columns = "{:<6}{:<13}{:>7}{:>7}{:>10}{:>11}"
        print(columns.format("rank", "rows", "bytes", "share", "same out", "same grad"))
        for r, lo, hi, nbytes, fwd, bwd in reports:
            share = f"1/{full.nbytes // nbytes}"
            print(columns.format(r, f"[{lo}, {hi})", nbytes, share, str(fwd), str(bwd)))
        print(f"shard gradients concatenated equal the full gradient: {gathered_equal}")
        kimi = torch.empty(163840 // world, 7168, dtype=torch.bfloat16, device="meta")
        print(f"Kimi-K2's bf16 table, per rank: {kimi.nbytes} bytes")
    ok = forward_equal and backward_equal and gathered_equal
    dist.destroy_process_group()
    if not ok:
        raise SystemExit(f"rank {rank}: sharded result differs from the single process")


if __name__ == "__main__":
    main()
