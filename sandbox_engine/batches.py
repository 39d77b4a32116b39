"""Rows <-> column batches. A batch is ``dict[str, list]``; a key missing in a row reads as None."""
from __future__ import annotations

from typing import Iterable, Iterator

from sandbox_engine.ops.base import Batch, batch_len


def rows_to_batch(rows: list[dict], keys: Iterable[str] | None = None) -> Batch:
    if keys is None:
        seen: dict[str, None] = {}
        for r in rows:
            for k in r:
                seen.setdefault(k, None)
        keys = list(seen)
    return {k: [r.get(k) for r in rows] for k in keys}


def batch_to_rows(batch: Batch, drop_none_keys: frozenset[str] = frozenset()) -> list[dict]:
    """Rows of a batch. Keys in `drop_none_keys` are left out of a row where they are None (so a key
    that a row never had does not appear as null after a round trip through columns)."""
    keys = list(batch)
    n = batch_len(batch)
    rows = []
    for i in range(n):
        row = {}
        for k in keys:
            v = batch[k][i]
            if v is None and k in drop_none_keys:
                continue
            row[k] = v
        rows.append(row)
    return rows


def concat_batches(batches: list[Batch]) -> Batch:
    keys: dict[str, None] = {}
    for b in batches:
        for k in b:
            keys.setdefault(k, None)
    out: Batch = {k: [] for k in keys}
    for b in batches:
        n = batch_len(b)
        for k in keys:
            out[k].extend(b[k] if k in b else [None] * n)
    return out


def split_rows(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
