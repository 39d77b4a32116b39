"""The public in-memory API: run a recipe's `process` list on a list of sample dicts."""
from __future__ import annotations



from sandbox_engine.apply import finish_rows, run_ops_on_batch
from sandbox_engine.batches import rows_to_batch
from sandbox_engine.recipe_process import build_ops


def _keys(samples: list[dict]) -> tuple[set[str], set[str]]:
    all_keys: set[str] = set()
    for s in samples:
        all_keys.update(s)
    sparse = {k for k in all_keys if any(k not in s for s in samples)}
    return all_keys, sparse


def process_samples(samples: list[dict], process: list[dict], *, keep_stats: bool = False,
                    text_key: str | None = None, image_key: str | None = None) -> list[dict]:
    """Run `process` (a recipe's list of ``{op: {args}}``) on `samples` in memory, with the same
    semantics as `juicebox run`. Inputs are not modified. Invalid ops or arguments raise a
    `ValueError` subclass."""
    ops = build_ops(process, text_key=text_key, image_key=image_key)
    keys, sparse = _keys(samples)
    data = rows_to_batch([dict(s) for s in samples])
    data = _deep_copy_cells(data)
    out = run_ops_on_batch(ops, data)
    return finish_rows(out, keys, sparse, keep_stats=keep_stats)


def compute_stats(samples: list[dict], process: list[dict], *, text_key: str | None = None,
                  image_key: str | None = None) -> list[dict]:
    """The filters' stats for every sample, nothing dropped and nothing mapped (as the analyzer does).
    Each returned sample carries its ``__dj__stats__``."""
    ops = build_ops(process, text_key=text_key, image_key=image_key)
    keys, sparse = _keys(samples)
    data = _deep_copy_cells(rows_to_batch([dict(s) for s in samples]))
    out = run_ops_on_batch(ops, data, stats_only=True)
    return finish_rows(out, keys, sparse, keep_stats=True)


def _deep_copy_cells(data: dict[str, list]) -> dict[str, list]:
    import copy

    return {k: [copy.deepcopy(v) if isinstance(v, (dict, list)) else v for v in col]
            for k, col in data.items()}


__all__ = ["process_samples", "compute_stats"]

