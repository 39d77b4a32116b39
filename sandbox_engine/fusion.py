"""OP fusion and reordering (recipe key ``op_fusion: true``).

Each run of consecutive filters (between mappers and global ops) becomes one fused step that:
- shares intermediate work through the per-batch context (words, lines, loaded images are computed
  once by the first filter that needs them and reused by the others);
- runs the filters cheapest first, dropping rejected rows after each, so expensive filters (models)
  see only what the cheap ones kept. Costs are probed on a small batch of the real data.

The kept samples and their values are identical to the unfused run (filters decide independently);
stats keys are written back in the recipe's op order so exported stats look the same too.
"""
from __future__ import annotations

import copy
import time
from typing import Any

from sandbox_engine.fields import STATS
from sandbox_engine.ops.base import Batch, Filter, Operator, batch_len, build_op

PROBE_ROWS = 200


class FusedFilters:
    """A fused run of filters, applied as one streamable step (see `apply.apply_streamable`)."""

    name = "fused_filters"
    category = "filter"

    def __init__(self, filters: list[Filter], order: list[int] | None = None) -> None:
        self.filters = filters
        self.order = order if order is not None else list(range(len(filters)))
        self.stats_order = [k for f in filters for k in f.stats_keys]
        self.args = filters[0].args if filters else None

    @property
    def members(self) -> list[Filter]:
        return [self.filters[i] for i in self.order]

    def __repr__(self) -> str:
        return f"FusedFilters({', '.join(f.name for f in self.members)})"

    def __reduce__(self):
        specs = [(f.name, f.args.model_dump(exclude_defaults=True)) for f in self.filters]
        return (_rebuild, (specs, self.order))

    def run_batch(self, batch: Batch, context: dict | None, tracer: Any = None,
                  stats_only: bool = False) -> Batch:
        from sandbox_engine.apply import apply_streamable

        ctx = {} if context is None else context
        for f in self.members:
            if batch_len(batch) == 0:
                break
            batch = apply_streamable(f, batch, ctx, tracer, stats_only)
        self._canonical_stats(batch)
        return batch

    def _canonical_stats(self, batch: Batch) -> None:
        stats = batch.get(STATS)
        if not stats or self.order == sorted(self.order):
            return
        rank = {k: i for i, k in enumerate(self.stats_order)}
        for i, s in enumerate(stats):
            if s:
                stats[i] = dict(sorted(s.items(), key=lambda kv: rank.get(kv[0], -1)))


def _rebuild(specs: list[tuple[str, dict]], order: list[int]) -> FusedFilters:
    return FusedFilters([build_op(n, a) for n, a in specs], order)  # type: ignore[arg-type]


def probe_costs(filters: list[Filter], sample: Batch | None) -> list[float]:
    """Seconds per row of each filter's stats on a copy of `sample` (model ops: a cost-hint prior
    when there is no sample)."""
    prior = {"cheap": 1e-6, "model": 1e-3, "GPU": 1e-2}
    if not sample or batch_len(sample) == 0:
        return [prior.get(f.cost, 1e-6) for f in filters]
    n = min(batch_len(sample), PROBE_ROWS)
    costs = []
    for f in filters:
        b = {k: copy.deepcopy(v[:n]) for k, v in sample.items()}
        b.pop(STATS, None)
        t0 = time.perf_counter()
        f.compute_stats_batched(b, {})
        costs.append((time.perf_counter() - t0) / n)
    return costs


def fuse_ops(ops: list[Operator], sample: Batch | None = None) -> list[Any]:
    """Replace each run of 2+ consecutive filters by a FusedFilters ordered cheapest first.

    `sample` is a small batch of the input used to probe speeds (mappers before a run are applied to
    it first so the probe sees what the run will see)."""
    from sandbox_engine.apply import apply_streamable, is_streamable

    out: list[Any] = []
    probe = {k: list(v[:PROBE_ROWS]) for k, v in sample.items()} if sample else None
    i = 0
    while i < len(ops):
        if isinstance(ops[i], Filter):
            j = i
            while j < len(ops) and isinstance(ops[j], Filter):
                j += 1
            run = list(ops[i:j])
            if len(run) == 1:
                out.append(run[0])
            else:
                costs = probe_costs(run, probe)
                order = sorted(range(len(run)), key=lambda k: costs[k])
                out.append(FusedFilters(run, order))
            if probe is not None:
                for f in run:
                    probe = apply_streamable(f, probe, {}) if batch_len(probe) else probe
            i = j
            continue
        if probe is not None and is_streamable(ops[i]) and batch_len(probe):
            probe = apply_streamable(ops[i], copy.deepcopy(probe), {})
        out.append(ops[i])
        i += 1
    return out


def order_stage(ops: list[Operator], idxs: list[int], sample: Batch | None) -> list[int]:
    """The executor's view of fusion: a stage is a list of op indices run on each batch with one
    shared context; reorder each run of consecutive filters in it cheapest first. `sample` is a
    small batch of the stage's input used to probe speeds."""
    from sandbox_engine.apply import apply_streamable

    out: list[int] = []
    probe = {k: list(v[:PROBE_ROWS]) for k, v in sample.items()} if sample else None
    k = 0
    while k < len(idxs):
        if not isinstance(ops[idxs[k]], Filter):
            if probe is not None and batch_len(probe):
                probe = apply_streamable(ops[idxs[k]], copy.deepcopy(probe), {})
            out.append(idxs[k])
            k += 1
            continue
        j = k
        while j < len(idxs) and isinstance(ops[idxs[j]], Filter):
            j += 1
        run = idxs[k:j]
        costs = probe_costs([ops[i] for i in run], probe)
        out.extend(run[m] for m in sorted(range(len(run)), key=lambda m: costs[m]))
        if probe is not None:
            for i in run:
                if batch_len(probe):
                    probe = apply_streamable(ops[i], probe, {})
        k = j
    return out


def canonical_stats_order(batch: Batch, ops: list[Operator], idxs: list[int]) -> None:
    """Write each row's stats keys back in the recipe's op order (after a reordered stage)."""
    stats = batch.get(STATS)
    if not stats or list(idxs) == sorted(idxs):
        return
    rank: dict[str, int] = {}
    for i in sorted(idxs):
        for key in ops[i].stats_keys:
            rank.setdefault(key, len(rank))
    for r, st in enumerate(stats):
        if st:
            stats[r] = dict(sorted(st.items(), key=lambda kv: rank.get(kv[0], -1)))
