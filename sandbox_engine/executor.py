"""The file executor: run a recipe over a data set on disk and export the result.

Mappers and filters stream batch by batch (consecutive ones fused in one pass) through `np` worker
processes, sample order kept; deduplicators and selectors take two passes (hash or read the fields,
decide on the whole column, then select); groupers see everything at once. All of it goes through
`sandbox_engine.apply`, so the samples equal `process_samples` on the same rows.

With `use_checkpoint`, each op's output is written atomically under `work_dir/ckpt/` with a manifest
of the finished ops (hashes of the process list up to each op and of the input files). A run killed at
any point resumes after the last finished op; a changed recipe reruns from the first changed op.

`Executor` is the base a Ray executor (`executor_type: ray`) can plug into; `LocalExecutor` is the
default one. `run_recipe` is the public entry point.
"""
from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pydantic import BaseModel, Field

from sandbox_engine.errors import RecipeError
from sandbox_engine.fields import HASH_KEYS, META, STATS
from sandbox_engine.recipe import Recipe, load_custom_ops, load_recipe

Batch = dict[str, list]


class OpStat(BaseModel):
    index: int
    name: str
    category: str
    rows_in: int = 0
    rows_out: int = 0
    seconds: float = 0.0
    resumed: bool = Field(False, description="Taken from a checkpoint, not run again.")
    skipped: int = Field(0, description="Samples dropped because the op failed on them (skip_op_error).")
    skip_examples: list[str] = Field(default_factory=list, description="The first few such failures.")

    @property
    def removed(self) -> int:
        return self.rows_in - self.rows_out

    def note_skips(self, count: int, examples: list[str]) -> None:
        self.skipped += count
        for e in examples:
            if len(self.skip_examples) < 3:
                self.skip_examples.append(e)


class RunSummary(BaseModel):
    project_name: str | None = None
    recipe: str | None = None
    dataset_path: str
    export_path: str
    work_dir: str
    np: int
    rows_in: int = 0
    rows_out: int = 0
    seconds: float = 0.0
    ops: list[OpStat] = Field(default_factory=list)
    resumed_ops: int = 0
    stats_path: str | None = None
    trace_files: list[str] = Field(default_factory=list)
    checkpoint_dir: str | None = None
    summary_path: str | None = None

    def table(self) -> Any:
        """A rich table of the per-op counts and timings."""
        from rich.table import Table

        t = Table(title=f"{self.project_name or 'run'}: {self.rows_in} -> {self.rows_out} samples "
                        f"in {self.seconds:.2f}s")
        skips = any(op.skipped for op in self.ops)
        cols = ("#", "op", "in", "out", "removed") + (("op errors",) if skips else ()) + ("seconds", "")
        for col in cols:
            t.add_column(col, justify="left" if col in ("op", "") else "right")
        for op in self.ops:
            t.add_row(str(op.index), op.name, str(op.rows_in), str(op.rows_out), str(op.removed),
                      *((str(op.skipped),) if skips else ()), f"{op.seconds:.3f}",
                      "resumed" if op.resumed else "")
        return t

    def skip_lines(self) -> list[str]:
        """One line per op that dropped samples it failed on (skip_op_error), with an example."""
        return [f"{op.name} (process[{op.index}]) failed on {op.skipped} sample(s), dropped "
                f"(skip_op_error); e.g. {op.skip_examples[0] if op.skip_examples else ''}"
                for op in self.ops if op.skipped]

    def dump_json(self) -> dict:
        data = self.model_dump()
        for op, d in zip(self.ops, data["ops"]):
            d["removed"] = op.removed
        data["rows_skipped"] = sum(op.skipped for op in self.ops)
        return data


# -- workers ------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(specs: list[tuple[str, dict]], custom_paths: list[str], base_dir: str | None,
                 trace: tuple[int, tuple[str, ...], frozenset[int]] | None) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sandbox_engine.ops.base import build_op

    load_custom_ops(custom_paths, base_dir)
    ops = [build_op(name, args) for name, args in specs]
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    _set_state(ops, trace)


def _set_state(ops: list, trace: tuple[int, tuple[str, ...], frozenset[int]] | None) -> None:
    _WORKER["ops"] = ops
    _WORKER["trace"] = trace


def _task(kind: str, idxs: tuple[int, ...], batch: Batch) -> tuple[Batch, list, list | None]:
    """Run op(s) on a batch in a worker: 'chain' (mappers/filters) or 'hash' (a deduplicator)."""
    from sandbox_engine.apply import apply_streamable, hash_batch
    from sandbox_engine.op_errors import SkipLog
    from sandbox_engine.ops.base import batch_len
    from sandbox_engine.tracer import TraceCollector

    ops, trace = _WORKER["ops"], _WORKER["trace"]
    collector = TraceCollector(trace[0], trace[1]) if trace else None
    metrics, ctx = [], {}
    for i in idxs:
        n0 = batch_len(batch)
        t0 = time.perf_counter()
        skips = SkipLog()
        if n0:
            if kind == "hash":
                batch = hash_batch(ops[i], batch, skips)
            else:
                tr = None
                if collector and i in trace[2]:
                    collector.op_index, tr = i, collector
                batch = apply_streamable(ops[i], batch, ctx, tr, skips=skips)
        metrics.append((i, n0, batch_len(batch), time.perf_counter() - t0, skips.count, skips.examples))
    if kind == "chain" and list(idxs) != sorted(idxs):  # a fused stage ran reordered
        from sandbox_engine.fusion import canonical_stats_order

        canonical_stats_order(batch, ops, list(idxs))
    return batch, metrics, (collector.records if collector else None)


class _Pool:
    """Ordered, bounded parallel map of `_task` over batches (in process when np == 1)."""

    def __init__(self, ops: list, np: int, custom_paths: list[str], base_dir: str | None,
                 trace: tuple | None) -> None:
        self.np = np
        self._ex = None
        if np > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            specs = [(op.name, op.args.model_dump(exclude_defaults=True)) for op in ops]
            self._ex = ProcessPoolExecutor(max_workers=np, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_init_worker,
                                           initargs=(specs, custom_paths, base_dir, trace))
        else:
            _set_state(ops, trace)

    def map(self, kind: str, idxs: tuple[int, ...], batches: Iterable[Batch]) -> Iterator[tuple]:
        if self._ex is None:
            for b in batches:
                yield _task(kind, idxs, b)
            return
        pending: deque = deque()
        for b in batches:
            pending.append(self._ex.submit(_task, kind, idxs, b))
            if len(pending) >= 2 * self.np:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)


class _Pools:
    """One `_Pool` per worker count: a stage runs with the smallest `num_proc` its ops set, at most
    the run's np (Data-Juicer's per-op num_proc)."""

    def __init__(self, ops: list, np: int, *rest: Any) -> None:
        self.ops, self.np, self.rest = ops, np, rest
        self._by_size: dict[int, _Pool] = {}

    def size(self, idxs: Iterable[int]) -> int:
        asked = [getattr(self.ops[i].args, "num_proc", None) for i in idxs]
        return max(1, min([self.np] + [n for n in asked if n]))

    def map(self, kind: str, idxs: tuple[int, ...], batches: Iterable[Batch]) -> Iterator[tuple]:
        n = self.size(idxs)
        if n not in self._by_size:
            self._by_size[n] = _Pool(self.ops, n, *self.rest)
        return self._by_size[n].map(kind, idxs, batches)

    def close(self) -> None:
        for pool in self._by_size.values():
            pool.close()


# -- checkpoints --------------------------------------------------------------------------------

class Checkpoint:
    """`work_dir/ckpt/`: one batch file per finished op plus `manifest.json` naming them."""

    def __init__(self, folder: Path, sigs: list[str], input_sig: str) -> None:
        self.folder, self.sigs, self.input_sig = folder, sigs, input_sig
        self.manifest = folder / "manifest.json"
        self.done: list[dict] = []

    def path(self, i: int) -> Path:
        return self.folder / f"op_{i:03d}_{self.sigs[i]}.batches"

    def resume(self) -> int:
        """Number of leading ops whose output is on disk and still valid; stale files are removed."""
        import json

        self.folder.mkdir(parents=True, exist_ok=True)
        old: list[dict] = []
        if self.manifest.exists():
            try:
                data = json.loads(self.manifest.read_text(encoding="utf-8"))
                if data.get("input") == self.input_sig:
                    old = data.get("done", [])
            except (ValueError, OSError):
                old = []
        k = 0
        while (k < len(old) and k < len(self.sigs) and old[k].get("sig") == self.sigs[k]
               and self.path(k).exists()):
            k += 1
        self.done = old[:k]
        keep = {self.path(i).name for i in range(k)} | {self.manifest.name}
        for f in self.folder.iterdir():
            if f.name not in keep and not f.name.startswith("."):
                f.unlink(missing_ok=True)
        self._write_manifest()
        return k

    def save(self, i: int, batches: Iterable[Batch], stat: Callable[[], OpStat]) -> None:
        """Write op i's output (consuming `batches`), then record it; `stat()` is read after."""
        from sandbox_engine.formats.spill import write_batches

        write_batches(self.path(i), batches)
        self.done = self.done[:i] + [{"index": i, "sig": self.sigs[i], "stat": stat().model_dump()}]
        self._write_manifest()

    def read(self, i: int) -> Iterator[Batch]:
        from sandbox_engine.formats.spill import read_batches

        return read_batches(self.path(i))

    def stats(self) -> list[OpStat]:
        return [OpStat(**{**d["stat"], "resumed": True}) for d in self.done]

    def _write_manifest(self) -> None:
        from sandbox_engine.atomic import write_json

        write_json(self.manifest, {"version": 1, "input": self.input_sig, "done": self.done})


def input_signature(files: list[Path], spec: Any, extra: Any = None) -> str:
    import hashlib
    import json

    h = hashlib.sha256(json.dumps([str(spec), extra], default=str).encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


# -- executors ----------------------------------------------------------------------------------

class Executor:
    """Runs a recipe. Subclasses implement `run()`; this base resolves paths and options."""

    def __init__(self, recipe: Recipe, *, np: int | None = None, export_path: str | None = None,
                 dataset_path: str | None = None, work_dir: str | None = None,
                 progress: bool = False, console: Any = None) -> None:
        self.recipe = recipe
        self.np = np or recipe.np
        self.export_path = recipe.export_file(export_path)
        self.dataset_spec = dataset_path or recipe.dataset_spec()
        self.work_dir = Path(work_dir) if work_dir else recipe.work_path(export_path)
        self.progress = progress
        self.console = console

    def run(self) -> RunSummary:
        raise NotImplementedError


class LocalExecutor(Executor):
    """The default executor: worker processes on this machine."""

    def run(self) -> RunSummary:
        from sandbox_engine.dataset import DataSource
        from sandbox_engine.formats.writers import format_of

        t_start = time.perf_counter()
        r = self.recipe
        format_of(self.export_path)  # fail early on an unwritable suffix
        custom = r.custom_paths()
        base_dir = str(r.base_dir) if r.base_dir else None
        load_custom_ops(custom, r.base_dir)
        ops = r.build_ops()
        source = DataSource(self.dataset_spec, suffixes=_suffixes(r.suffixes), add_suffix=r.add_suffix,
                            base_dir=r.base_dir)
        self._check_not_input(source.files)
        rows_in = source.count()
        self._before_work(ops, source, rows_in)
        self.stats = [OpStat(index=i, name=op.name, category=op.category) for i, op in enumerate(ops)]
        self.tracer = None
        trace_cfg = None
        if r.open_tracer:
            from sandbox_engine.tracer import Tracer

            self.tracer = Tracer(self.work_dir, [op.name for op in ops], r.op_list_to_trace,
                                 r.trace_num, r.trace_keys)
            trace_cfg = (r.trace_num, tuple(r.trace_keys), frozenset(self.tracer.traced))
        streamable = [op.args.batch_size for op in ops if _is_streamable(op)]
        self.batch_size = min(streamable, default=1000)
        np = max(1, min(self.np, -(-rows_in // self.batch_size)))
        from sandbox_engine.atomic import clean_stale_temps, temp_prefix

        for folder in {self.work_dir, self.export_path.parent, self.work_dir / "ckpt"}:
            clean_stale_temps(folder)  # left by a killed run
        self._tmp = Path(tempfile.mkdtemp(prefix=temp_prefix("run"), dir=self.work_dir))
        ckpt = None
        start = 0
        if r.use_checkpoint:
            ckpt = Checkpoint(self.work_dir / "ckpt", r.process_signature(),
                              input_signature(source.files, self.dataset_spec,
                                              [r.suffixes, r.add_suffix]))
            start = ckpt.resume()
            for s in ckpt.stats():
                self.stats[s.index] = s
        self.ops = ops
        self._bar = _Progress(self.progress, ops, rows_in, self.console)
        pool = _Pools(ops, np, custom, base_dir, trace_cfg) if start < len(ops) else None
        try:
            with self._bar:
                if start == 0:
                    stream: Iterable[Batch] = source.batches(self.batch_size)
                else:
                    stream = ckpt.read(start - 1)
                if ckpt is not None:
                    for i in range(start, len(ops)):
                        out = self._stage([i], stream, pool)
                        ckpt.save(i, out, lambda i=i: self.stats[i])
                        stream = ckpt.read(i)
                else:
                    stages = _plan(ops)
                    if r.op_fusion:
                        stages = self._fuse(stages, source)
                    for stage in stages:
                        stream = self._stage(stage, stream, pool)
                rows_out, stats_path = self._export(stream)
        finally:
            if pool is not None:
                pool.close()
            shutil.rmtree(self._tmp, ignore_errors=True)
        trace_files = [str(p) for p in self.tracer.write()] if self.tracer else []
        summary = RunSummary(project_name=r.project_name, recipe=str(r.source) if r.source else None,
                             dataset_path=str(self.dataset_spec), export_path=str(self.export_path),
                             work_dir=str(self.work_dir), np=np, rows_in=rows_in, rows_out=rows_out,
                             seconds=round(time.perf_counter() - t_start, 4), ops=self.stats,
                             resumed_ops=start, stats_path=stats_path, trace_files=trace_files,
                             checkpoint_dir=str(ckpt.folder) if ckpt else None,
                             summary_path=str(self.work_dir / "run_summary.json"))
        from sandbox_engine.atomic import write_json

        write_json(summary.summary_path, summary.dump_json())
        return summary

    def _fuse(self, stages: list[list[int]], source: Any) -> list[list[int]]:
        """op_fusion: in each streamed stage (ops already share one pass and one context per batch),
        run consecutive filters cheapest first, probed on the first rows of the input."""
        from sandbox_engine.apply import apply_streamable
        from sandbox_engine.fusion import PROBE_ROWS, order_stage

        sample = next(iter(source.batches(PROBE_ROWS)), None)
        out = []
        for stage in stages:
            if _is_streamable(self.ops[stage[0]]):
                stage = order_stage(self.ops, stage, sample)
                if sample is not None:
                    for i in stage:
                        sample = apply_streamable(self.ops[i], sample, {})
            out.append(stage)
        self.fused_order = out
        return out

    def _before_work(self, ops: list, source: Any, rows_in: int) -> None:
        """Fail before any work: a field the ops read that no sample has; output folders that cannot
        be created."""
        from sandbox_engine.field_check import check_fields

        check_fields(ops, source.columns() if rows_in else [], self.recipe.locate, f"{self.dataset_spec}")
        for folder, key in ((self.export_path.parent, "export_path"), (self.work_dir, "work_dir")):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                article = "a" if key == "work_dir" else "an"
                raise RecipeError(f"{key}: cannot create the folder {str(folder)!r} ({err.strerror or err}); "
                                  f"choose {article} {key} in a writable place") from None

    def _check_not_input(self, files: list[Path]) -> None:
        target = self.export_path.resolve()
        for f in files:
            if f.resolve() == target:
                raise RecipeError(f"export_path {str(self.export_path)!r} is one of the input files; "
                                  "inputs are never modified: choose another export_path")

    # -- stages -------------------------------------------------------------------------------
    def _stage(self, idxs: list[int], stream: Iterable[Batch], pool: _Pools) -> Iterator[Batch]:
        first = self.ops[idxs[0]]
        if _is_streamable(first):
            return self._stream(tuple(idxs), stream, pool)
        return self._global(idxs[0], stream, pool)

    def _note(self, metrics: list) -> None:
        for i, n_in, n_out, secs, *skips in metrics:
            st = self.stats[i]
            st.rows_in += n_in
            st.rows_out += n_out
            st.seconds += secs
            if skips:
                st.note_skips(*skips)
            self._bar.advance(i, n_in)

    def _stream(self, idxs: tuple[int, ...], stream: Iterable[Batch], pool: _Pools) -> Iterator[Batch]:
        for i in idxs:
            self.stats[i] = OpStat(index=i, name=self.ops[i].name, category=self.ops[i].category)
        for batch, metrics, records in pool.map("chain", idxs, stream):
            self._note(metrics)
            if self.tracer:
                self.tracer.merge(records)
            if batch and len(next(iter(batch.values()))):
                yield batch
        for i in idxs:
            self._bar.finish(i)

    def _global(self, i: int, stream: Iterable[Batch], pool: _Pools) -> Iterator[Batch]:
        from sandbox_engine.formats.spill import dump_batch, read_batches
        from sandbox_engine.ops.base import Deduplicator, Selector, batch_len, select_rows
        from sandbox_engine.ops.text_utils import get_field_column

        op = self.ops[i]
        self.stats[i] = st = OpStat(index=i, name=op.name, category=op.category)
        if not isinstance(op, (Deduplicator, Selector)):
            yield from self._whole(i, stream)
            return
        spill = self._tmp / f"global_{i}.batches"
        column: list = []
        with open(spill, "wb") as fh:
            if isinstance(op, Deduplicator):
                for batch, metrics, _ in pool.map("hash", (i,), stream):
                    column.extend(batch.get(op.hash_key, []))
                    st.seconds += metrics[0][3]
                    st.note_skips(*metrics[0][4:6])
                    self._bar.advance(i, metrics[0][1])
                    dump_batch(fh, batch)
            else:
                keys = op.needed_keys()
                cols: dict[str, list] = {k: [] for k in keys}
                for batch in stream:
                    for k in keys:
                        cols[k].extend(get_field_column(batch, k))
                    self._bar.advance(i, batch_len(batch))
                    dump_batch(fh, batch)
        t1 = time.perf_counter()
        st.rows_in = (len(column) + st.skipped if isinstance(op, Deduplicator)
                      else len(next(iter(cols.values()), [])))
        pairs: list = []
        reorder: list[int] | None = None
        if isinstance(op, Deduplicator):
            tracing = self.tracer is not None and i in self.tracer.traced
            keep, pairs = op.keep_mask(column, self.recipe.trace_num if tracing else 0)
        else:
            chosen = op.select_indices(cols)
            n_rows = len(next(iter(cols.values()), []))
            keep = [False] * n_rows
            for j in chosen:
                keep[j] = True
            # Data-Juicer's selectors reorder (top-k by value ...): keep their order
            reorder = chosen if chosen != sorted(chosen) else None
        del column
        st.seconds += time.perf_counter() - t1
        wanted = {j for p in pairs for j in p}
        picked: dict[int, dict] = {}
        pos = 0
        chosen_rows: dict[int, dict] = {}
        for batch in read_batches(spill):
            n = batch_len(batch)
            for j in [j for j in wanted if pos <= j < pos + n]:
                picked[j] = copy.deepcopy({k: v[j - pos] for k, v in batch.items()})
            out = select_rows(batch, keep[pos:pos + n])
            st.rows_out += batch_len(out)
            if reorder is not None:  # hold the chosen rows (a selection) to emit them in order
                for j in range(pos, pos + n):
                    if keep[j]:
                        chosen_rows[j] = {k: v[j - pos] for k, v in batch.items()}
            elif batch_len(out):
                yield out
            pos += n
        if reorder is not None:
            from sandbox_engine.batches import rows_to_batch

            for s in range(0, len(reorder), self.batch_size):
                yield rows_to_batch([chosen_rows[j] for j in reorder[s:s + self.batch_size]])
        if pairs:
            self._trace_pairs(op, i, pairs, picked)
        spill.unlink(missing_ok=True)
        self._bar.finish(i)

    def _trace_pairs(self, op: Any, i: int, pairs: list, picked: dict[int, dict]) -> None:
        from sandbox_engine.batches import rows_to_batch

        order = sorted(picked)
        where = {j: n for n, j in enumerate(order)}
        small = rows_to_batch([picked[j] for j in order])
        collector = self.tracer.collector()
        collector.op_index = i
        collector.dedup_pairs(op, small, [(where[a], where[b]) for a, b in pairs])
        self.tracer.merge(collector.records)

    def _whole(self, i: int, stream: Iterable[Batch]) -> Iterator[Batch]:
        """Groupers (and any other global op) see the whole data set at once."""
        from sandbox_engine.apply import apply_global
        from sandbox_engine.batches import concat_batches
        from sandbox_engine.ops.base import batch_len

        st = self.stats[i]
        data = concat_batches(list(stream))
        st.rows_in = batch_len(data)
        self._bar.advance(i, st.rows_in)
        collector = None
        if self.tracer is not None and i in self.tracer.traced:
            collector = self.tracer.collector()
            collector.op_index = i
        t0 = time.perf_counter()
        data = apply_global(self.ops[i], data, collector, self.recipe.trace_num)
        st.seconds = time.perf_counter() - t0
        if collector is not None:
            self.tracer.merge(collector.records)
        st.rows_out = batch_len(data)
        self._bar.finish(i)
        n = st.rows_out
        for s in range(0, n, self.batch_size):
            yield {k: v[s:s + self.batch_size] for k, v in data.items()}

    # -- export -------------------------------------------------------------------------------
    def _export(self, stream: Iterable[Batch]) -> tuple[int, str | None]:
        """Write the export (stats, meta and hashes dropped unless kept, as Data-Juicer's exporter
        does) and `<export stem>_stats.jsonl` with the kept samples' stats and meta."""
        from sandbox_engine.formats.writers import BatchWriter

        r = self.recipe
        drop: set[str] = set()
        if not r.keep_stats_in_res_ds:
            drop |= {STATS, META}
        if not r.keep_hashes_in_res_ds:
            drop |= set(HASH_KEYS)
        stats_path = self.export_path.with_name(self.export_path.stem + "_stats.jsonl")
        writer = BatchWriter(self.export_path, drop=drop)
        stats_writer: BatchWriter | None = None
        try:
            for batch in stream:
                writer.write(batch)
                if STATS in batch:
                    if stats_writer is None:
                        stats_writer = BatchWriter(stats_path, fmt="jsonl")
                    stats_writer.write({k: batch[k] for k in (STATS, META) if k in batch})
            if stats_writer is not None:
                stats_writer.commit()
            writer.commit()
        except BaseException:
            writer.abort()
            if stats_writer is not None:
                stats_writer.abort()
            raise
        return writer.rows, (str(stats_path) if stats_writer is not None else None)


def _is_streamable(op: Any) -> bool:
    from sandbox_engine.apply import is_streamable

    return is_streamable(op)


def _plan(ops: list) -> list[list[int]]:
    """Stages: runs of consecutive mappers/filters fused into one pass; each global op alone."""
    stages: list[list[int]] = []
    for i, op in enumerate(ops):
        if _is_streamable(op) and stages and _is_streamable(ops[stages[-1][-1]]):
            stages[-1].append(i)
        else:
            stages.append([i])
    return stages


def _suffixes(value: Any) -> list[str] | None:
    if not value:
        return None
    return [value] if isinstance(value, str) else list(value)


class _Progress:
    """A rich progress bar per op (a no-op when disabled)."""

    def __init__(self, enabled: bool, ops: list, rows_in: int, console: Any = None) -> None:
        self.enabled = enabled and bool(ops)
        self._tasks: dict[int, Any] = {}
        if not self.enabled:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn)

        self._p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=console, transient=False)
        for i, op in enumerate(ops):
            self._tasks[i] = self._p.add_task(f"{i:>2} {op.name}", total=rows_in if i == 0 else None)

    def __enter__(self) -> "_Progress":
        if self.enabled:
            self._p.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self._p.stop()

    def advance(self, i: int, n: int) -> None:
        if self.enabled:
            self._p.advance(self._tasks[i], n)

    def finish(self, i: int) -> None:
        if self.enabled:
            task = self._tasks[i]
            done = self._p.tasks[task].completed if task < len(self._p.tasks) else 0
            self._p.update(task, total=done, completed=done)


EXECUTORS: dict[str, Callable[..., Executor]] = {"default": LocalExecutor, "local": LocalExecutor}


def get_executor(recipe: Recipe, **kwargs: Any) -> Executor:
    kind = recipe.executor_type
    if kind == "ray" and kind not in EXECUTORS:
        from sandbox_engine.ray_executor import RayExecutor

        EXECUTORS["ray"] = RayExecutor
    if kind not in EXECUTORS:
        raise RecipeError(f"executor_type {kind!r} is not available yet: the Ray executor is a separate "
                          f"component; use executor_type: default (available: {', '.join(EXECUTORS)})")
    return EXECUTORS[kind](recipe, **kwargs)


def run_recipe(recipe: Recipe | str | os.PathLike, **kwargs: Any) -> RunSummary:
    """Run a recipe (a Recipe or a YAML path) on its data set and export the result.

    Keyword arguments: np, export_path, dataset_path, work_dir (override the recipe), progress."""
    if not isinstance(recipe, Recipe):
        recipe = load_recipe(recipe)
    if not recipe.process and not recipe.export_path:
        raise RecipeError("the recipe has neither process nor export_path")
    return get_executor(recipe, **kwargs).run()


__all__ = ["run_recipe", "RunSummary", "OpStat", "Executor", "LocalExecutor", "Checkpoint",
           "get_executor", "EXECUTORS"]
