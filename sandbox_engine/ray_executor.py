"""`executor_type: ray`: the same recipe on Ray Data, streaming with bounded memory, local or on a
cluster (`ray_address`).

Each Ray row carries one of our column batches (pickled), so the hot path stays columnar and the ops
run exactly as in the default executor (`sandbox_engine.apply`), in an actor pool that loads each op
once. Global ops are global, not per block:
- document and MinHash deduplicators: every sample gets a sortable id; its hash keys (the md5, or one
  key per LSH band) are grouped by a Ray shuffle, each group emits edges to its smallest id, and the
  connected components of the (small) edge set keep their smallest id: the first occurrence, exactly
  the default executor's answer;
- other deduplicators and selectors: the hash or field column (small) is gathered in order and decided
  by the op itself, then the decision is applied in parallel.
Outputs are written by the driver as the blocks stream in, atomically, like the default executor.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from sandbox_engine.errors import RecipeError
from sandbox_engine.executor import LocalExecutor, OpStat, RunSummary, _plan, _Progress, _suffixes

Batch = dict[str, list]
ID = "__jb_sid__"
POS_BITS = 20  # samples per batch < 2**20
GROUPED_DEDUPS = ("document_deduplicator", "document_minhash_deduplicator", "ray_document_deduplicator",
                  "ray_bts_minhash_deduplicator")


def init_ray(address: str | None = None, work_dir: str | Path | None = None,
             num_cpus: int | None = None) -> Any:
    """Start a local Ray (usage stats off, short temp dir, object store sized for the box) or join
    `address`. Returns the ray module."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    import ray

    if ray.is_initialized():
        return ray
    env = {"env_vars": {"OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
                        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}}
    if address and address not in ("auto", "local"):
        ray.init(address=address, runtime_env=env, log_to_driver=False)
        return ray
    if address == "auto" and os.environ.get("RAY_ADDRESS"):
        ray.init(address="auto", runtime_env=env, log_to_driver=False)
        return ray
    tmp = Path(tempfile.gettempdir()) / f"jbray{os.getuid()}"  # unix socket paths must stay short
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        import psutil

        total = psutil.virtual_memory().total
    except ImportError:  # pragma: no cover
        total = 8 << 30
    ray.init(num_cpus=num_cpus or os.cpu_count() or 2, include_dashboard=False,
             object_store_memory=int(min(2 << 30, max(256 << 20, total * 0.15))),
             _temp_dir=str(tmp), runtime_env=env, log_to_driver=False,
             configure_logging=False)
    return ray


# -- what runs in Ray workers ---------------------------------------------------------------------
def _pack(rows: dict) -> Any:
    import pyarrow as pa

    return pa.table(rows)


class _ReadFn:
    """A read task body: stream one data source part as pickled batches."""

    def __init__(self, spec: Any, task: int, batch_size: int, suffixes: Any, add_suffix: bool,
                 base_dir: str | None) -> None:
        self.args = (spec, task, batch_size, suffixes, add_suffix, base_dir)

    def __call__(self) -> Iterator[Any]:
        from sandbox_engine.dataset import DataSource

        spec, task, batch_size, suffixes, add_suffix, base_dir = self.args
        src = DataSource(spec, suffixes=suffixes, add_suffix=add_suffix, base_dir=base_dir)
        for k, b in enumerate(src.batches(batch_size)):
            yield _pack({"bid": [(task << 23) + k], "payload": [pickle.dumps(b, protocol=5)],
                         "metrics": [pickle.dumps([])]})


_OPS_CACHE: dict[str, Any] = {}


def _worker_ops(specs: list[tuple[str, dict]], idxs: list[int], custom_paths: list[str],
                base_dir: str | None) -> dict[int, Any]:
    """The stage's ops, built once per Ray worker process (models load once, not per batch).

    Stages are plain tasks, not actors: actors would each hold a CPU for the whole run, and a recipe
    with more stages than CPUs would wait forever."""
    import json
    import sys

    key = json.dumps([specs, idxs, custom_paths, base_dir], sort_keys=True, default=str)
    if key not in _OPS_CACHE:
        from sandbox_engine.ops.base import build_op
        from sandbox_engine.recipe import load_custom_ops

        load_custom_ops(custom_paths, base_dir)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(1)
        _OPS_CACHE[key] = {i: build_op(*specs[i]) for i in idxs}
    return _OPS_CACHE[key]


class _Stage:
    """A stage of ops (mappers/filters, or a deduplicator's hashing) on pickled batches."""

    def __init__(self, specs: list[tuple[str, dict]], idxs: list[int], kind: str,
                 custom_paths: list[str], base_dir: str | None) -> None:
        self.spec = (specs, idxs, custom_paths, base_dir)
        self.idxs, self.kind = idxs, kind

    def __call__(self, table: Any) -> Any:
        from sandbox_engine.apply import apply_streamable, hash_batch
        from sandbox_engine.op_errors import SkipLog
        from sandbox_engine.ops.base import batch_len

        self.ops = _worker_ops(*self.spec)
        bids, payloads, metrics = [], [], []
        for bid, payload, old in zip(table["bid"].to_pylist(), table["payload"].to_pylist(),
                                     table["metrics"].to_pylist()):
            batch = pickle.loads(payload)
            m = pickle.loads(old)
            ctx: dict = {}
            for i in self.idxs:
                n0, t0 = batch_len(batch), time.perf_counter()
                skips = SkipLog()
                if n0 and self.kind == "hash":
                    batch = hash_batch(self.ops[i], batch, skips)
                    batch[ID] = [(bid << POS_BITS) + p for p in range(batch_len(batch))]
                    # rows counted by the drop pass, but for those dropped here (failed to hash)
                    m.append((i, skips.count, 0, time.perf_counter() - t0, skips.count, skips.examples))
                    continue
                if n0:
                    batch = apply_streamable(self.ops[i], batch, ctx, skips=skips)
                m.append((i, n0, batch_len(batch), time.perf_counter() - t0, skips.count, skips.examples))
            bids.append(bid)
            payloads.append(pickle.dumps(batch, protocol=5))
            metrics.append(pickle.dumps(m))
        return _pack({"bid": bids, "payload": payloads, "metrics": metrics})


def _hash_keys(table: Any, hash_key: str) -> Any:
    """One row per (hash key, sample id): the md5, or each LSH band prefixed by its index."""
    keys, sids = [], []
    for payload in table["payload"].to_pylist():
        b = pickle.loads(payload)
        for h, sid in zip(b.get(hash_key, []), b.get(ID, [])):
            if isinstance(h, (list, tuple)):
                keys.extend(f"{j}:{v}" for j, v in enumerate(h))
                sids.extend([sid] * len(h))
            else:
                keys.append(str(h))
                sids.append(sid)
    return _pack({"key": keys, "sid": sids})


def _group_edges(group: Any) -> Any:
    """Edges from each member of an equal-key group to its smallest id."""
    import numpy as np

    sids = np.asarray(group["sid"], dtype=np.int64)
    if len(sids) < 2:
        return {"src": np.empty(0, np.int64), "dst": np.empty(0, np.int64)}
    lo = sids.min()
    others = sids[sids != lo]
    return {"src": others, "dst": np.full(len(others), lo, dtype=np.int64)}


class _DropIds:
    """Drop the samples whose ids were decided against, and the id column."""

    def __init__(self, removed: Any, op_index: int, keep_ids: bool = False) -> None:
        self.removed, self.i, self.keep_ids = removed, op_index, keep_ids

    def __call__(self, table: Any) -> Any:
        from sandbox_engine.ops.base import batch_len, select_rows

        bids, payloads, metrics = [], [], []
        for bid, payload, old in zip(table["bid"].to_pylist(), table["payload"].to_pylist(),
                                     table["metrics"].to_pylist()):
            b = pickle.loads(payload)
            n0 = batch_len(b)
            ids = b.get(ID, []) if self.keep_ids else b.pop(ID, [])
            if n0:
                b = select_rows(b, [sid not in self.removed for sid in ids])
            m = pickle.loads(old)
            m.append((self.i, n0, batch_len(b), 0.0))
            bids.append(bid)
            payloads.append(pickle.dumps(b, protocol=5))
            metrics.append(pickle.dumps(m))
        return _pack({"bid": bids, "payload": payloads, "metrics": metrics})


def _removed_from_edges(src: Any, dst: Any) -> set[int]:
    """Connected components over the ids in the edges; all but the smallest id of each are removed."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if len(src) == 0:
        return set()
    nodes, inv = np.unique(np.concatenate([src, dst]), return_inverse=True)
    n = len(nodes)
    a, b = inv[:len(src)], inv[len(src):]
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    _, first = np.unique(labels, return_index=True)  # nodes are sorted: first = smallest id
    root = first[labels]
    return set(nodes[root != np.arange(n)].tolist())


# -- the executor -------------------------------------------------------------------------------
class RayExecutor(LocalExecutor):
    """Runs a recipe on Ray Data. Checkpoints and the tracer are the default executor's features."""

    def run(self) -> RunSummary:
        from sandbox_engine.dataset import DataSource
        from sandbox_engine.formats.writers import format_of
        from sandbox_engine.recipe import load_custom_ops

        t_start = time.perf_counter()
        r = self.recipe
        format_of(self.export_path)
        custom = r.custom_paths()
        base_dir = str(r.base_dir) if r.base_dir else None
        load_custom_ops(custom, r.base_dir)
        ops = r.build_ops()
        suffixes = _suffixes(r.suffixes)
        source = DataSource(self.dataset_spec, suffixes=suffixes, add_suffix=r.add_suffix,
                            base_dir=r.base_dir)
        self._check_not_input(source.files)
        rows_in = source.count()
        self._before_work(ops, source, rows_in)
        self.ops = ops
        self.stats = [OpStat(index=i, name=op.name, category=op.category) for i, op in enumerate(ops)]
        self.tracer = None
        self._bar = _Progress(False, ops, rows_in)  # Ray Data draws its own progress bars
        streamable = [op.args.batch_size for op in ops if _is_stream(op)]
        self.batch_size = min(streamable, default=1000)
        ray = init_ray(r.ray_address, self.work_dir, self.np)
        import ray.data

        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = bool(self.progress)
        specs = [(op.name, op.args.model_dump(exclude_defaults=True)) for op in ops]
        ds = self._read(ray, source, suffixes, r.add_suffix, base_dir)
        conc = max(1, int(self.np))
        for stage in _plan(ops):
            op = ops[stage[0]]
            if _is_stream(op):
                ds = ds.map_batches(_Stage(specs, stage, "chain", custom, base_dir), batch_size=1,
                                    batch_format="pyarrow")
            else:
                ds = self._global(ray, ds, stage[0], specs, custom, base_dir, conc)
        rows_out, stats_path = self._export(self._batches(ds))
        summary = RunSummary(project_name=r.project_name, recipe=str(r.source) if r.source else None,
                             dataset_path=str(self.dataset_spec), export_path=str(self.export_path),
                             work_dir=str(self.work_dir), np=conc, rows_in=rows_in, rows_out=rows_out,
                             seconds=round(time.perf_counter() - t_start, 4), ops=self.stats,
                             stats_path=stats_path, summary_path=str(self.work_dir / "run_summary.json"))
        from sandbox_engine.atomic import write_json

        write_json(summary.summary_path, summary.dump_json())
        return summary

    def _read(self, ray: Any, source: Any, suffixes: Any, add_suffix: bool,
              base_dir: str | None) -> Any:
        from ray.data import ReadTask
        from ray.data.block import BlockMetadata
        from ray.data.datasource import Datasource

        parts = [str(f) for f in source.files] if _plain_files(self.dataset_spec) else [self.dataset_spec]
        bs = self.batch_size

        class _Source(Datasource):
            def estimate_inmemory_data_size(self) -> int | None:
                return None

            def get_read_tasks(self, parallelism: int, **kwargs: Any) -> list:
                return [ReadTask(_ReadFn(p, t, bs, suffixes, add_suffix, base_dir),
                                 BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None,
                                               input_files=None))
                        for t, p in enumerate(parts)]

        return ray.data.read_datasource(_Source(), override_num_blocks=len(parts))

    def _batches(self, ds: Any) -> Iterator[Batch]:
        """Our batches from the dataset, in order, noting each op's metrics on the way."""
        for table in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=2):
            for payload, metrics in zip(table["payload"].to_pylist(), table["metrics"].to_pylist()):
                self._note(pickle.loads(metrics))
                b = pickle.loads(payload)
                if b and len(next(iter(b.values()))):
                    yield b

    def _global(self, ray: Any, ds: Any, i: int, specs: list, custom: list, base_dir: str | None,
                conc: int) -> Any:
        from sandbox_engine.ops.base import Deduplicator, Selector
        from sandbox_engine.ops.text_utils import get_field_column

        op = self.ops[i]
        if isinstance(op, Deduplicator):
            hashed = ds.map_batches(_Stage(specs, [i], "hash", custom, base_dir), batch_size=1,
                                    batch_format="pyarrow").materialize()
            t0 = time.perf_counter()
            if op.name in GROUPED_DEDUPS:
                import numpy as np

                keys = hashed.map_batches(_hash_keys, fn_args=(op.hash_key,), batch_size=1,
                                          batch_format="pyarrow")
                edges = keys.groupby("key").map_groups(_group_edges, batch_format="numpy")
                src, dst = [], []
                for e in edges.iter_batches(batch_size=None, batch_format="numpy"):
                    src.append(e["src"])
                    dst.append(e["dst"])
                removed = _removed_from_edges(np.concatenate(src) if src else np.empty(0, np.int64),
                                              np.concatenate(dst) if dst else np.empty(0, np.int64))
            else:
                sids, column = [], []
                for b in self._peek(hashed):
                    sids.extend(b[ID])
                    column.extend(b[op.hash_key])
                keep, _ = op.keep_mask(column)
                removed = {s for s, k in zip(sids, keep) if not k}
            self.stats[i].seconds += time.perf_counter() - t0
            return hashed.map_batches(_DropIds(removed, i), batch_size=1, batch_format="pyarrow")
        if isinstance(op, Selector):
            ds = ds.map_batches(_with_ids, batch_size=1, batch_format="pyarrow").materialize()
            keys = op.needed_keys()
            cols: dict[str, list] = {k: [] for k in keys}
            sids: list[int] = []
            for b in self._peek(ds):
                sids.extend(b[ID])
                for k in keys:
                    cols[k].extend(get_field_column(b, k))
            t0 = time.perf_counter()
            chosen = op.select_indices(cols)
            self.stats[i].seconds += time.perf_counter() - t0
            kept = {sids[j] for j in chosen}
            removed = {s for s in sids if s not in kept}
            reorder = chosen != sorted(chosen)  # Data-Juicer's selectors reorder: follow them
            ds = ds.map_batches(_DropIds(removed, i, keep_ids=reorder), batch_size=1,
                                batch_format="pyarrow")
            return self._reordered(ray, ds, [sids[j] for j in chosen]) if reorder else ds
        raise RecipeError(f"{op.name}: {op.category} ops are not supported by executor_type: ray; "
                          "use executor_type: default")

    def _reordered(self, ray: Any, ds: Any, order: list[int]) -> Any:
        """A selection (small by nature) gathered and re-emitted in the selector's order."""
        rows: dict[int, dict] = {}
        metrics: list = []
        for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            for payload, m in zip(table["payload"].to_pylist(), table["metrics"].to_pylist()):
                metrics.extend(pickle.loads(m))
                b = pickle.loads(payload)
                for r, sid in enumerate(b.pop(ID, [])):
                    rows[sid] = {k: v[r] for k, v in b.items()}
        self._note(metrics)
        from sandbox_engine.batches import rows_to_batch

        items = []
        for k, s in enumerate(range(0, len(order), self.batch_size)):
            b = rows_to_batch([rows[sid] for sid in order[s:s + self.batch_size]])
            items.append({"bid": k, "payload": pickle.dumps(b, protocol=5),
                          "metrics": pickle.dumps([])})
        return ray.data.from_items(items) if items else ray.data.from_items(
            [{"bid": 0, "payload": pickle.dumps({}, protocol=5), "metrics": pickle.dumps([])}])

    def _peek(self, ds: Any) -> Iterator[Batch]:
        for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            for payload in table["payload"].to_pylist():
                yield pickle.loads(payload)


def _with_ids(table: Any) -> Any:
    from sandbox_engine.ops.base import batch_len

    payloads = []
    for bid, payload in zip(table["bid"].to_pylist(), table["payload"].to_pylist()):
        b = pickle.loads(payload)
        b[ID] = [(bid << POS_BITS) + p for p in range(batch_len(b))]
        payloads.append(pickle.dumps(b, protocol=5))
    return _pack({"bid": table["bid"].to_pylist(), "payload": payloads,
                  "metrics": table["metrics"].to_pylist()})


def _is_stream(op: Any) -> bool:
    from sandbox_engine.apply import is_streamable

    return is_streamable(op)


def _plain_files(spec: Any) -> bool:
    """A single path (file or folder) can be read one task per file; mixtures read as one source."""
    return isinstance(spec, (str, os.PathLike)) and len(str(spec).split()) == 1
