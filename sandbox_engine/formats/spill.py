"""Internal batch files (checkpoints, spills between passes): a stream of pickled column batches.

Exact round trip (types, None, key order), fast, and written atomically by the caller.
"""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from sandbox_engine.atomic import atomic_open

Batch = dict[str, list]


def dump_batch(fh: BinaryIO, batch: Batch) -> None:
    pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)


def write_batches(path: str | Path, batches: Iterable[Batch]) -> int:
    """Write all batches to `path` atomically; returns the row count."""
    rows = 0
    with atomic_open(path, "wb") as fh:
        for b in batches:
            n = len(next(iter(b.values()))) if b else 0
            if n:
                dump_batch(fh, b)
                rows += n
    return rows


def read_batches(path: str | Path) -> Iterator[Batch]:
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return
