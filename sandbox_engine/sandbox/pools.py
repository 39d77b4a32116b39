"""Data pool manipulators (DataPoolManipulationHook, `extra_configs.type`), Data-Juicer's names and files.

Pools are jsonl files. Every manipulator returns the list of pool files it wrote; construction also
writes `pools.json` (stat, op, bounds of each pool) so a best pool can be turned back into a recipe.
"""
from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path
from typing import Any

from pydantic import Field

from sandbox_engine.errors import RecipeError
from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path, write_jsonl
from sandbox_engine.sandbox.trainers.base import Component, ComponentArgs, register_component

STATS = "__dj__stats__"


def load_pool(path: str) -> list[dict]:
    path = resolve_demo_path(str(path))
    if Path(path).is_dir() or not str(path).endswith((".jsonl", ".json", ".jsonl.gz")):
        from sandbox_engine.dataset import load_rows

        return load_rows(path)
    return read_jsonl(path)


def _stem(path: str) -> str:
    name = Path(path).name
    for suf in (".jsonl.gz", ".jsonl", ".json"):
        if name.endswith(suf):
            return name[: -len(suf)]
    return Path(path).stem


def _key(row: dict) -> str:
    return json.dumps({k: v for k, v in row.items() if k != STATS}, sort_keys=True, ensure_ascii=False)


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple)) else [v]


class Manipulator(Component):
    kind = "manipulator"

    def run(self, export_path: Path) -> list[str]:
        raise NotImplementedError


def stat_value(row: dict, stat: str) -> float | None:
    v = (row.get(STATS) or {}).get(stat)
    if isinstance(v, list):
        v = [x for x in v if isinstance(x, (int, float))]
        return sum(v) / len(v) if v else None
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def op_for_stat(stat: str, prefer: list[str] | None = None) -> str | None:
    """The operator that writes a stat (ops of the probe recipe first)."""
    from sandbox_engine.ops.base import OPERATORS

    try:
        import sandbox_engine.ops.builtin  # noqa: F401
    except ImportError:
        pass
    names = list(prefer or []) + sorted(OPERATORS)
    for name in names:
        cls = OPERATORS.get(name)
        if cls is not None and stat in getattr(cls, "stats_keys", ()):
            return name
    return None


class ConstructionArgs(ComponentArgs):
    dataset_path: str | list[str] = Field(description="Analysed data set(s) with __dj__stats__.")
    split_ratios: list[float] = Field([1 / 3, 2 / 3], description="Cut points (fractions) of the sorted stat.")
    stats: list[str] | None = Field(None, description="Only these stats (default: every numeric stat).")
    ops: list[str] = Field(default_factory=list, description="Recipe op names to map stats back to ops.")


@register_component("data_pool_construction")
class DataPoolConstruction(Manipulator):
    description = ("For each numeric stat, sort samples ascending and split at split_ratios into low/mid/high "
                   "pools: files <stat>/<name>_<stat>_<i>.jsonl, with pools.json describing their bounds.")
    outputs = "list of pool files"
    Args = ConstructionArgs

    def run(self, export_path: Path) -> list[str]:
        a = self.args
        ratios = sorted(a.split_ratios)
        if any(not 0 < r < 1 for r in ratios):
            raise RecipeError(f"data_pool_construction: split_ratios must be in (0, 1), got {a.split_ratios}")
        out, manifest = [], []
        for ds in _as_list(a.dataset_path):
            rows, name = load_pool(ds), _stem(ds)
            stats = a.stats or sorted({k for r in rows for k in (r.get(STATS) or {})
                                       if stat_value(r, k) is not None})
            for stat in stats:
                vals = [(stat_value(r, stat), i) for i, r in enumerate(rows)]
                vals = sorted((v, i) for v, i in vals if v is not None)
                if not vals:
                    continue
                cuts = [0] + [int(round(r * len(vals))) for r in ratios] + [len(vals)]
                for i in range(len(cuts) - 1):
                    part = vals[cuts[i]: cuts[i + 1]]
                    path = Path(export_path) / stat / f"{name}_{stat}_{i}.jsonl"
                    write_jsonl(path, [rows[j] for _, j in part])
                    out.append(str(path))
                    manifest.append({"path": str(path), "stat": stat, "index": i, "op": op_for_stat(stat, a.ops),
                                     "num": len(part), "min": part[0][0] if part else None,
                                     "max": part[-1][0] if part else None, "source": str(ds)})
        Path(export_path).mkdir(parents=True, exist_ok=True)
        (Path(export_path) / "pools.json").write_text(json.dumps(manifest, indent=1))
        return out


class CombinationArgs(ComponentArgs):
    dataset_path: list[str] = Field(description="Pools ordered by rank (best first).")
    max_pools: int | None = Field(None, ge=1, description="Use only the first N pools (default all).")


@register_component("data_pool_combination")
class DataPoolCombination(Manipulator):
    description = ("The pyramid: for ranked pools p1..pN, every intersection of 1..N of them, files "
                   "<first>_comb_<i-j-k>.jsonl (indices into the ranking).")
    outputs = "list of combined pool files (biggest combinations last)"
    Args = CombinationArgs

    def run(self, export_path: Path) -> list[str]:
        pools = self.args.dataset_path[: self.args.max_pools]
        rows = [load_pool(p) for p in pools]
        keys = [{_key(r): r for r in rs} for rs in rows]
        out = []
        for n in range(1, len(pools) + 1):
            for combo in itertools.combinations(range(len(pools)), n):
                common = set(keys[combo[0]])
                for c in combo[1:]:
                    common &= set(keys[c])
                kept = [r for r in rows[combo[0]] if _key(r) in common]
                path = Path(export_path) / f"{_stem(pools[0])}_comb_{'-'.join(map(str, combo))}.jsonl"
                write_jsonl(path, kept)
                out.append(str(path))
        return out


class DuplicationArgs(ComponentArgs):
    dataset_path: str | list[str] = Field(description="Pool(s) to repeat.")
    duplicating_times: list[int] = Field([1, 2, 4], description="Repeat counts.")
    shuffle: bool = Field(False, description="Shuffle the repeated pool (seed 42).")


@register_component("data_pool_duplication")
class DataPoolDuplication(Manipulator):
    description = "Repeat each pool duplicating_times times (optionally shuffled, seed 42): <name>_dup_<t>.jsonl."
    outputs = "list of duplicated pool files"
    Args = DuplicationArgs

    def run(self, export_path: Path) -> list[str]:
        out = []
        for ds in _as_list(self.args.dataset_path):
            rows = load_pool(ds)
            for t in self.args.duplicating_times:
                if t < 1:
                    raise RecipeError(f"data_pool_duplication: duplicating_times must be >= 1, got {t}")
                rep = rows * t
                if self.args.shuffle:
                    random.Random(42).shuffle(rep)
                path = Path(export_path) / f"{_stem(ds)}_dup_{t}.jsonl"
                write_jsonl(path, rep)
                out.append(str(path))
        return out


class RankingArgs(ComponentArgs):
    dataset_path: list[str] = Field(description="Pools to rank.")
    metrics: list[Any] = Field(description="One evaluated metric dict (or number) per pool, same order.")
    ranking_keys: list[str] = Field(default_factory=list, description="Dotted metric keys (default: the value).")
    descending: bool = Field(True, description="Higher is better (false for perplexity/loss).")
    top_n: int | None = Field(None, ge=1, description="Keep the best N.")


@register_component("data_pool_ranking")
class DataPoolRanking(Manipulator):
    description = "Rank pools by evaluated metrics (ranking_keys, descending, top_n); writes ranking.json."
    outputs = "list of pool files, best first"
    Args = RankingArgs

    def run(self, export_path: Path) -> list[str]:
        a = self.args
        if len(a.metrics) != len(a.dataset_path):
            raise RecipeError(f"data_pool_ranking: {len(a.dataset_path)} pools but {len(a.metrics)} metrics")

        def score(m: Any) -> tuple:
            keys = a.ranking_keys or [None]
            vals = []
            for k in keys:
                v = m
                for part in (k.split(".") if k else []):
                    v = v.get(part) if isinstance(v, dict) else None
                v = float(v) if isinstance(v, (int, float)) else math.nan
                vals.append(v)
            return tuple(vals)

        scored = [(score(m), p) for m, p in zip(a.metrics, a.dataset_path)]
        valid = [s for s in scored if not any(math.isnan(v) for v in s[0])]
        valid.sort(key=lambda s: s[0], reverse=a.descending)
        ranked = [p for _, p in valid][: a.top_n]
        Path(export_path).mkdir(parents=True, exist_ok=True)
        (Path(export_path) / "ranking.json").write_text(json.dumps(
            [{"path": p, "score": list(s)} for s, p in valid], indent=1))
        return ranked


class DownsamplingArgs(ComponentArgs):
    dataset_path: list[str] | str = Field(description="Pools to cut.")
    target_num_samples: int | None = Field(None, ge=1, description="Size (default: the smallest pool).")
    shuffle_seed: int = Field(42, description="Shuffle seed.")


@register_component("data_pool_downsampling")
class DataPoolDownsampling(Manipulator):
    description = "Shuffle and cut each pool to target_num_samples (default: the smallest): <name>_<n>.jsonl."
    outputs = "list of downsampled pool files"
    Args = DownsamplingArgs

    def run(self, export_path: Path) -> list[str]:
        pools = _as_list(self.args.dataset_path)
        rows = [load_pool(p) for p in pools]
        n = self.args.target_num_samples or min(len(r) for r in rows)
        out = []
        for p, rs in zip(pools, rows):
            rs = list(rs)
            random.Random(self.args.shuffle_seed).shuffle(rs)
            path = Path(export_path) / f"{_stem(p)}_{n}.jsonl"
            write_jsonl(path, rs[:n])
            out.append(str(path))
        return out


class MergingArgs(ComponentArgs):
    dataset_path: list[str] = Field(description="Pools to concatenate.")
    output_name: str = Field("merged", description="Output file stem.")


@register_component("data_pool_merging")
class DataPoolMerging(Manipulator):
    description = "Concatenate pools into one file <output_name>.jsonl."
    outputs = "a list with the merged pool file"
    Args = MergingArgs

    def run(self, export_path: Path) -> list[str]:
        rows = [r for p in self.args.dataset_path for r in load_pool(p)]
        return [str(write_jsonl(Path(export_path) / f"{self.args.output_name}.jsonl", rows))]


class CartesianArgs(ComponentArgs):
    dataset_path_1: list[str] = Field(description="First list of pools.")
    dataset_path_2: list[str] = Field(description="Second list of pools.")


@register_component("data_pool_cartesian_join")
class DataPoolCartesianJoin(Manipulator):
    description = "Every pair (a, b) of two pool lists, concatenated: <a>_X_<b>.jsonl."
    outputs = "list of joined pool files"
    Args = CartesianArgs

    def run(self, export_path: Path) -> list[str]:
        out = []
        for a in self.args.dataset_path_1:
            for b in self.args.dataset_path_2:
                path = Path(export_path) / f"{_stem(a)}_X_{_stem(b)}.jsonl"
                write_jsonl(path, load_pool(a) + load_pool(b))
                out.append(str(path))
        return out


MANIPULATORS = ("data_pool_construction", "data_pool_combination", "data_pool_duplication", "data_pool_ranking",
                "data_pool_downsampling", "data_pool_merging", "data_pool_cartesian_join")
