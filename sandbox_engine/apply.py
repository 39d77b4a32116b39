"""Applying operators to batches and to whole in-memory data sets.

The file executor and the in-memory API (`process_samples`, `compute_stats`) share these functions, so
both routes give the same samples.
"""
from __future__ import annotations

from typing import Any, Protocol

from sandbox_engine.batches import batch_to_rows, concat_batches, rows_to_batch
from sandbox_engine.fields import HASH_KEYS, STATS
from sandbox_engine.op_errors import SkipLog, guarded
from sandbox_engine.ops.base import (Batch, Deduplicator, Filter, Grouper, Mapper, Operator, Selector,
                                     batch_len, select_rows)
from sandbox_engine.ops.text_utils import get_field_column


class Tracer(Protocol):
    def mapper_edits(self, op: Operator, before: Batch, after: Batch) -> None: ...
    def filter_removed(self, op: Operator, batch: Batch, keep: list[bool]) -> None: ...
    def dedup_pairs(self, op: Operator, batch: Batch, pairs: list[tuple[int, int]]) -> None: ...


def is_streamable(op: Operator) -> bool:
    """Mappers and filters (fused or not) work batch by batch; the others need the whole data set."""
    return isinstance(op, (Mapper, Filter)) or hasattr(op, "run_batch")


def apply_streamable(op: Operator, batch: Batch, context: dict | None = None,
                     tracer: Tracer | None = None, stats_only: bool = False,
                     skips: SkipLog | None = None) -> Batch:
    """Run one mapper or filter on a batch. With `stats_only`, filters compute stats but keep all and
    mappers are skipped (the analyzer's behaviour). A sample the op fails on is dropped and noted in
    `skips` (or raises `OpSampleError` when the op's `skip_op_error` is false)."""
    if context is None:
        context = {}
    if hasattr(op, "run_batch"):  # a fused run of filters (sandbox_engine.fusion)
        return op.run_batch(batch, context, tracer, stats_only)
    if isinstance(op, Mapper):
        if stats_only:
            return batch
        before = {k: list(v) for k, v in batch.items()} if tracer else None
        out = guarded(op, batch, lambda b: op.process_batched(b, context), skips, context.clear)
        context.clear()  # the text changed: intermediate words/lines are stale
        if tracer:
            tracer.mapper_edits(op, before, out)
        return out
    if isinstance(op, Filter):
        n0 = batch_len(batch)
        batch = guarded(op, batch, lambda b: _decide(op, b, context, stats_only), skips, context.clear)
        if batch_len(batch) != n0:
            context.clear()  # rows were dropped: the shared values no longer line up
        if stats_only:
            return batch
        keep = batch.pop(_KEEP, [])
        if all(keep):
            return batch
        if tracer:
            tracer.filter_removed(op, batch, keep)
        _select_context(context, keep)
        return select_rows(batch, keep)
    raise TypeError(f"{op.name} is not a mapper or filter")


_KEEP = "__dj__keep__"


def _decide(op: Filter, batch: Batch, context: dict, stats_only: bool) -> Batch:
    """Stats, then (unless `stats_only`) the keep flags in a temporary column."""
    op.compute_stats_batched(batch, context)
    if not stats_only:
        batch[_KEEP] = list(op.process_batched(batch))
    return batch


def hash_batch(op: Deduplicator, batch: Batch, skips: SkipLog | None = None) -> Batch:
    """A deduplicator's hashes for a batch; samples it fails on are dropped and noted in `skips`."""
    return guarded(op, batch, op.compute_hash_batched, skips)


def _select_context(context: dict, keep: list[bool]) -> None:
    """Context values are lists aligned with the batch rows: drop the same rows from them."""
    n = len(keep)
    for key, val in list(context.items()):
        if isinstance(val, list) and len(val) == n:
            context[key] = [v for v, ok in zip(val, keep) if ok]
        else:
            del context[key]  # not row-aligned: recompute rather than risk misalignment


def apply_global(op: Operator, data: Batch, tracer: Tracer | None = None,
                 trace_num: int = 10, skips: SkipLog | None = None) -> Batch:
    """Run a deduplicator, selector or grouper on a whole data set held as one batch."""
    if isinstance(op, Deduplicator):
        data = hash_batch(op, data, skips)
        if not batch_len(data):  # every sample failed to hash
            return data
        keep, pairs = op.keep_mask(data[op.hash_key], trace_num if tracer else 0)
        if tracer and pairs:
            tracer.dedup_pairs(op, data, pairs)
        data = select_rows(data, keep)
        return data
    if isinstance(op, Selector):
        cols = {k: get_field_column(data, k) for k in op.needed_keys()}
        idx = op.select_indices(cols)
        return {k: [col[i] for i in idx] for k, col in data.items()}
    if isinstance(op, Grouper):
        rows = batch_to_rows(data)
        return rows_to_batch(op.group(rows))
    raise TypeError(f"{op.name}: unsupported category {op.category}")


def run_ops_on_batch(ops: list[Operator], data: Batch, batch_size: int | None = None,
                     tracer: Tracer | None = None, stats_only: bool = False,
                     trace_num: int = 10) -> Batch:
    """Run a list of ops on an in-memory data set (one batch of columns), streaming mappers and
    filters batch by batch and running the global ops on everything."""
    i = 0
    while i < len(ops):
        if is_streamable(ops[i]):
            j = i
            while j < len(ops) and is_streamable(ops[j]):
                j += 1
            chunk = ops[i:j]
            n = batch_len(data)
            size = batch_size or min((op.args.batch_size for op in chunk if op.args), default=1000)
            outs = []
            for s in range(0, max(n, 1), size):
                b = {k: v[s:s + size] for k, v in data.items()}
                ctx: dict[str, Any] = {}
                for op in chunk:
                    if batch_len(b) == 0:
                        break
                    b = apply_streamable(op, b, ctx, tracer, stats_only)
                outs.append(b)
            data = concat_batches(outs) if outs else data
            i = j
        else:
            if not stats_only:
                data = apply_global(ops[i], data, tracer, trace_num)
            i += 1
    return data


def finish_rows(data: Batch, input_keys: set[str], sparse_keys: set[str] = frozenset(),
                keep_stats: bool = False, keep_hashes: bool = False) -> list[dict]:
    """Rows for the caller: stats dropped unless kept (or the input had them), hashes dropped, and a
    None left out where its key was missing in some input rows (`sparse_keys`) or is new."""
    drop = set()
    if not keep_stats and STATS not in input_keys:
        drop.add(STATS)
    if not keep_hashes:
        drop.update(k for k in HASH_KEYS if k not in input_keys)
    data = {k: v for k, v in data.items() if k not in drop}
    new_keys = frozenset(k for k in data if k not in input_keys)
    return batch_to_rows(data, drop_none_keys=frozenset(sparse_keys) | new_keys)
