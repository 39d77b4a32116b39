"""The tracer: what each traced op did, `trace_num` examples each, under `work_dir/trace/`.

Files and record shapes are Data-Juicer's: `mapper-<op>.jsonl` ({"original text", "processed_text"}
per edited sample; the produced samples when a mapper changes the sample count),
`filter-<op>.jsonl` (the removed samples, with their stats) and `duplicate-<op>.jsonl`
({"dup1", "dup2"} per duplicate pair). Nothing is written for an op that changed nothing.

`TraceCollector` implements the `Tracer` protocol of `sandbox_engine.apply` and is cheap to pickle, so
worker processes collect records per batch; `Tracer` merges them in sample order and writes the files.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sandbox_engine.ops.base import Batch, Operator, batch_len

Record = dict[str, Any]


def _row(batch: Batch, i: int) -> Record:
    """A copy of row i (later ops must not change what the trace recorded)."""
    return copy.deepcopy({k: v[i] for k, v in batch.items()})


class TraceCollector:
    """Collects at most `limit` records per op from the batches it sees (Tracer protocol)."""

    def __init__(self, limit: int, trace_keys: tuple[str, ...] = ()) -> None:
        self.limit = limit
        self.trace_keys = trace_keys
        self.op_index = 0
        self.records: list[tuple[int, str, str, list[Record]]] = []  # (op index, op name, kind, recs)

    def _add(self, op: Operator, kind: str, recs: list[Record]) -> None:
        if recs:
            self.records.append((self.op_index, op.name, kind, recs[: self.limit]))

    def mapper_edits(self, op: Operator, before: Batch, after: Batch) -> None:
        key = op.text_key
        if batch_len(before) != batch_len(after):  # a batched mapper split or merged samples
            self._add(op, "mapper", [_row(after, i) for i in range(min(self.limit, batch_len(after)))])
            return
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            return
        recs = []
        for i, (a, b) in enumerate(zip(old, new)):
            if a != b:
                rec = {k: before[k][i] for k in self.trace_keys if k in before}
                rec.update({"original text": a, "processed_text": b})
                recs.append(rec)
                if len(recs) >= self.limit:
                    break
        self._add(op, "mapper", recs)

    def filter_removed(self, op: Operator, batch: Batch, keep: list[bool]) -> None:
        recs = []
        for i, ok in enumerate(keep):
            if not ok:
                recs.append(_row(batch, i))
                if len(recs) >= self.limit:
                    break
        self._add(op, "filter", recs)

    def dedup_pairs(self, op: Operator, batch: Batch, pairs: list[tuple[int, int]]) -> None:
        self._add(op, "duplicate", [{"dup1": _row(batch, a), "dup2": _row(batch, b)}
                                    for a, b in pairs[: self.limit]])


class Tracer:
    """Decides which ops are traced, merges collected records, writes `work_dir/trace/*.jsonl`."""

    def __init__(self, work_dir: str | Path, op_names: list[str], op_list_to_trace: list[str] | None,
                 trace_num: int = 10, trace_keys: list[str] | None = None) -> None:
        self.folder = Path(work_dir) / "trace"
        self.trace_num = trace_num
        self.trace_keys = tuple(trace_keys or ())
        wanted = set(op_list_to_trace or [])
        self.traced = {i for i, n in enumerate(op_names) if not wanted or n in wanted}
        self.op_names = op_names
        self._records: dict[int, tuple[str, list[Record]]] = {}

    def collector(self) -> TraceCollector:
        return TraceCollector(self.trace_num, self.trace_keys)

    def merge(self, records: list[tuple[int, str, str, list[Record]]] | None) -> None:
        for index, _name, kind, recs in records or ():
            _, have = self._records.setdefault(index, (kind, []))
            room = self.trace_num - len(have)
            if room > 0:
                have.extend(recs[:room])

    def file_name(self, index: int, kind: str) -> str:
        """Data-Juicer's name; an op used twice gets its position appended the second time."""
        name = self.op_names[index]
        first = self.op_names.index(name)
        return f"{kind}-{name}.jsonl" if first == index else f"{kind}-{name}-{index}.jsonl"

    def write(self) -> list[Path]:
        from sandbox_engine.formats.writers import write_rows

        paths = []
        for index in sorted(self._records):
            kind, recs = self._records[index]
            if not recs:
                continue
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / self.file_name(index, kind)
            write_rows(path, recs, fmt="jsonl")
            paths.append(path)
        return paths
