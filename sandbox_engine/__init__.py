"""Juicebox's data engine and sandbox lab (Data-Juicer compatible).

Public in-memory API: `process_samples(samples, process)` and `compute_stats(samples, process)`.
Heavy modules load lazily so `import sandbox_engine` stays cheap.
"""
from __future__ import annotations

from typing import Any

__all__ = ["process_samples", "compute_stats"]


def process_samples(samples: list[dict], process: list[dict], **kwargs: Any) -> list[dict]:
    from sandbox_engine.inmemory import process_samples as _run

    return _run(samples, process, **kwargs)


def compute_stats(samples: list[dict], process: list[dict], **kwargs: Any) -> list[dict]:
    from sandbox_engine.inmemory import compute_stats as _run

    return _run(samples, process, **kwargs)


process_samples.__doc__ = """Run a recipe's `process` list on samples in memory (same semantics as the
file route). Invalid ops or arguments raise a ValueError subclass."""
compute_stats.__doc__ = """Compute the filters' stats for every sample without dropping any."""
