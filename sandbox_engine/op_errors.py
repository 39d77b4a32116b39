"""Samples that make an operator raise: dropped and counted (Data-Juicer's `skip_op_error: true`, the
default), or a clear error naming the op and the sample (`skip_op_error: false`).

An op fails on a sample either by raising (the batch is then rerun in halves down to the single
samples that fail) or by marking the sample in the `OP_ERRORS` column (a message per row, None when
fine), which vectorised ops use for per-sample failures Data-Juicer would raise on (e.g. minhash
without shingles).
Failures of the data (any exception, or a DataFormatError such as a missing image) are per sample; our
other bad-input errors (an op misused, e.g. a lambda not returning a dict) stop the run with their
message.
"""
from __future__ import annotations

from typing import Any, Callable

from sandbox_engine.errors import DataFormatError, JuiceboxError

Batch = dict[str, list]

OP_ERRORS = "__dj__op_errors__"
_PREVIEW = 80


class OpSampleError(JuiceboxError):
    """An operator raised on a sample and its `skip_op_error` is false."""


class SkipLog:
    """Samples dropped by one op because it failed on them: a count and the first few reasons."""

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[str] = []

    def add(self, reason: str) -> None:
        self.count += 1
        if len(self.examples) < 3:
            self.examples.append(reason)


def describe_sample(row: dict[str, Any]) -> str:
    """A short preview of a sample: its first few fields, long values cut."""
    parts = []
    for k, v in list(row.items())[:4]:
        if k.startswith("__dj__"):
            continue
        s = repr(v)
        parts.append(f"{k}={s[:_PREVIEW] + '...' if len(s) > _PREVIEW else s}")
    return "{" + ", ".join(parts) + "}"


def _reason(err: BaseException, op: Any = None, row: dict | None = None) -> str:
    msg = str(err).strip().splitlines()[0] if str(err).strip() else ""
    reason = msg if isinstance(err, JuiceboxError) else f"{type(err).__name__}: {msg}"
    key = getattr(getattr(op, "args", None), "text_key", None)
    if row and key in row and row[key] is not None and not isinstance(row[key], str) \
            and getattr(op, "modality", "") in ("text", "multimodal"):
        reason = f"its field {key!r} holds {type(row[key]).__name__}, not text ({reason})"
    return reason


def _row(batch: Batch, i: int) -> dict[str, Any]:
    return {k: v[i] for k, v in batch.items()}


def _fail(op: Any, row: dict, reason: str) -> OpSampleError:
    return OpSampleError(f"operator {op.name!r} failed on the sample {describe_sample(row)}: {reason}. "
                         "Fix or remove that sample, or set 'skip_op_error: true' on the op (Data-Juicer's "
                         "default) to drop and count such samples instead.")


def _n(batch: Batch) -> int:
    for v in batch.values():
        return len(v)
    return 0


def take_marked(op: Any, batch: Batch, log: SkipLog | None) -> Batch:
    """Drop the rows an op marked in `OP_ERRORS` (or raise when the op does not skip errors)."""
    marks = batch.pop(OP_ERRORS, None)
    if not marks or not any(m is not None for m in marks):
        return batch
    keep = []
    for i, m in enumerate(marks):
        if m is None:
            keep.append(True)
            continue
        if not getattr(op.args, "skip_op_error", True):
            raise _fail(op, _row(batch, i), m)
        if log is not None:
            log.add(f"{describe_sample(_row(batch, i))}: {m}")
        keep.append(False)
    return {k: [v for v, ok in zip(col, keep) if ok] for k, col in batch.items()}


def guarded(op: Any, batch: Batch, run: Callable[[Batch], Batch], log: SkipLog | None,
            on_retry: Callable[[], None] | None = None) -> Batch:
    """`run(batch)`; when it raises, rerun each half (and so on down to single samples) and drop (and
    count) the samples that raise alone.

    `on_retry` is called around the reruns (e.g. to clear the shared batch context, whose values line
    up with the whole batch's rows)."""
    from sandbox_engine.batches import concat_batches

    snapshot = {k: list(v) for k, v in batch.items()}
    try:
        return take_marked(op, run(batch), log)
    except JuiceboxError as err:
        if not isinstance(err, DataFormatError):  # the op is misused (not a sample's fault): say so
            raise
        first_err: BaseException = err
    except Exception as err:  # noqa: BLE001 - any failure of an op on data is a per-sample matter
        first_err = err
    n = _n(snapshot)
    if n <= 1:
        row = _row(snapshot, 0) if n else {}
        if not getattr(op.args, "skip_op_error", True):
            raise _fail(op, row, _reason(first_err, op, row)) from None
        if log is not None:
            log.add(f"{describe_sample(row)}: {_reason(first_err, op, row)}")
        return {k: [] for k in snapshot}
    outs = []
    half = n // 2
    for lo, hi in ((0, half), (half, n)):  # bisect: k bad samples cost O(k log n) reruns
        if on_retry is not None:
            on_retry()
        part = {k: v[lo:hi] for k, v in snapshot.items()}
        outs.append(guarded(op, part, run, log, on_retry))
    if on_retry is not None:
        on_retry()  # what the halves left behind lines up with neither the batch nor the result
    outs = [o for o in outs if _n(o)]
    return concat_batches(outs) if outs else {k: [] for k in snapshot}
