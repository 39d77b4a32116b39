"""Typed components for the general hooks: data executors, data evaluators, recipe refiners.

GeneralDataExecutorHook: random_pool. EvaluateDataHook: noise_ground_truth, data_stats.
RefineRecipeViaModelFeedbackHook: best_pools_recipe, top_op_per_cluster.
"""
from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

from pydantic import Field

from sandbox_engine.errors import RecipeError
from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path, write_jsonl
from sandbox_engine.sandbox.pools import STATS, _as_list, _stem, load_pool, op_for_stat, stat_value
from sandbox_engine.sandbox.trainers.base import Component, ComponentArgs, register_component


class DataExecutor(Component):
    kind = "data_executor"

    def run(self, export_path: Path) -> list[Any]:
        raise NotImplementedError


class DataEvaluator(Component):
    kind = "data_evaluator"

    def run(self, export_path: Path) -> list[Any]:
        raise NotImplementedError


class RecipeRefiner(Component):
    kind = "refiner"

    def run(self, export_path: Path) -> list[Any]:
        raise NotImplementedError


class RandomPoolArgs(ComponentArgs):
    dataset_path: str = Field(description="The full data set to draw from.")
    num_samples: int | None = Field(None, ge=1, description="Pool size.")
    like: str | list[str] | None = Field(None, description="Or: match the size of this pool (or each of these).")
    seed: int = Field(42, description="Sampling seed.")


@register_component("random_pool")
class RandomPool(DataExecutor):
    description = "A uniformly random pool of the full data (the baseline of equal size)."
    outputs = "[list of random pool files (one per `like` pool, or one of num_samples)]"
    Args = RandomPoolArgs

    def run(self, export_path: Path) -> list[Any]:
        a = self.args
        rows = load_pool(a.dataset_path)
        sizes = [len(load_pool(p)) for p in _as_list(a.like)] or ([a.num_samples] if a.num_samples else [])
        if not sizes:
            raise RecipeError("random_pool: give num_samples or like")
        out = []
        for i, n in enumerate(sizes):
            pick = random.Random(a.seed + i).sample(rows, min(n, len(rows)))
            out.append(str(write_jsonl(Path(export_path) / f"{_stem(a.dataset_path)}_random_{n}_{i}.jsonl", pick)))
        return [out]


class GroundTruthArgs(ComponentArgs):
    dataset_path: str | list[str] = Field(description="Pool(s) to check.")
    truth: str = Field(description="jsonl with {id, kind} for every sample of the original data (kind 'clean').")
    id_key: str = Field("id", description="Sample field joining to the truth file.")
    full_dataset: str | None = Field(None, description="The original data (for how much noise each pool removed).")


@register_component("noise_ground_truth")
class NoiseGroundTruth(DataEvaluator):
    description = ("Scores pools against a ground-truth file of injected noise: share of noise kept, and for each "
                   "kind the fraction of it removed relative to the full data.")
    outputs = "list of {dataset_path, num, noise_ratio, kinds, removed}"
    Args = GroundTruthArgs

    def run(self, export_path: Path) -> list[Any]:
        a = self.args
        truth = {r["id"]: r["kind"] for r in read_jsonl(resolve_demo_path(a.truth))}
        full = None
        if a.full_dataset:
            full = _kinds([r.get(a.id_key) for r in load_pool(a.full_dataset)], truth)
        res = []
        for p in _as_list(a.dataset_path):
            ids = {r.get(a.id_key) for r in load_pool(p)}
            kinds = _kinds(list(ids), truth)
            n = sum(kinds.values())
            noise = n - kinds.get("clean", 0)
            item = {"dataset_path": p, "num": n, "noise_ratio": noise / n if n else 0.0, "kinds": kinds}
            if full:
                item["removed"] = {k: 1 - kinds.get(k, 0) / v for k, v in full.items() if v}
            res.append(item)
        return [res]


def _kinds(ids: list, truth: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in ids:
        k = truth.get(i, "unknown")
        out[k] = out.get(k, 0) + 1
    return out


class BestPoolsArgs(ComponentArgs):
    ranked_pools: list[str] = Field(description="Pools ranked best first (from data_pool_ranking).")
    pools_manifest: str | None = Field(None, description="pools.json of data_pool_construction (default: "
                                       "next to the first pool's stat folder).")
    top_k: int = Field(3, ge=1, description="Use the best pool of this many distinct ops.")
    ops: list[str] = Field(default_factory=list, description="Only from these ops.")
    min_pool_ratio: float = Field(0.0, ge=0, le=1, description="Only pools holding at least this share of their "
                                  "source (so a recipe step never keeps a sliver of the data).")
    base_recipe: dict | None = Field(None, description="Recipe keys to copy (dataset_path, export_path...).")


@register_component("best_pools_recipe")
class BestPoolsRecipe(RecipeRefiner):
    description = ("Turns the best single-op pools into a multi-op recipe: each chosen pool's op gets thresholds "
                   "that keep that pool's stat range (open-ended at the data's extremes).")
    outputs = "[recipe path, recipe dict]"
    Args = BestPoolsArgs

    def run(self, export_path: Path) -> list[Any]:
        a = self.args
        manifest = _manifest(a.ranked_pools, a.pools_manifest)
        chosen, process, seen = [], [], set()
        totals: dict[tuple, int] = {}
        for m in manifest.values():
            totals[(m["source"], m["stat"])] = totals.get((m["source"], m["stat"]), 0) + m["num"]
        for p in a.ranked_pools:
            m = manifest.get(str(p))
            if not m or not m.get("op") or m["op"] in seen or (a.ops and m["op"] not in a.ops):
                continue
            if m["num"] < a.min_pool_ratio * totals[(m["source"], m["stat"])]:
                continue
            step = pool_to_op(m, manifest)
            if step is None:
                continue
            seen.add(m["op"])
            chosen.append(m)
            process.append(step)
            if len(process) >= a.top_k:
                break
        return _write_recipe(export_path, process, a.base_recipe, chosen)


def _manifest(pools: list[str], path: str | None) -> dict[str, dict]:
    cands = [Path(path)] if path else []
    for p in pools[:1]:
        cands += [Path(p).parent.parent / "pools.json", Path(p).parent / "pools.json"]
    for c in cands:
        if c.exists():
            return {m["path"]: m for m in json.loads(c.read_text())}
    raise RecipeError(f"best_pools_recipe: no pools.json found (looked at {', '.join(map(str, cands))})")


def pool_to_op(m: dict, manifest: dict[str, dict]) -> dict | None:
    """The op step whose kept range is the pool's [min, max] (no bound on the outermost sides)."""
    from sandbox_engine.ops.base import get_op_class

    cls = get_op_class(m["op"])
    fields = cls.Args.model_fields
    siblings = [x for x in manifest.values() if x["stat"] == m["stat"] and x["source"] == m["source"]]
    last = max(x["index"] for x in siblings)
    args: dict[str, Any] = {}
    names = [f for f in fields if "closed_interval" not in f and f.startswith(("min", "max"))]
    stem = m["stat"].split("_")[-1]
    mins = [f for f in names if f.startswith("min")]
    maxs = [f for f in names if f.startswith("max")]
    pick = lambda fs: next((f for f in fs if stem in f), fs[0] if len(fs) == 1 else None)  # noqa: E731
    fmin, fmax = pick(mins), pick(maxs)
    if m["index"] > 0 and fmin and m["min"] is not None:
        args[fmin] = _cast(fields[fmin], m["min"], "min")
    if m["index"] < last and fmax and m["max"] is not None:
        args[fmax] = _cast(fields[fmax], m["max"], "max")
    if not args:
        return None
    if m["stat"] in ("lang",):
        return None
    return {m["op"]: args}


def _cast(field: Any, v: float, kind: str) -> float | int:
    import typing

    if field.annotation is int or int in typing.get_args(field.annotation):
        return int(math.ceil(v)) if kind == "min" else int(math.floor(v))
    return round(float(v), 6)


def _write_recipe(export_path: Path, process: list[dict], base: dict | None, chosen: list) -> list[Any]:
    import yaml

    recipe = {**(base or {}), "process": process}
    path = Path(export_path) / "refined_recipe.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(recipe, sort_keys=False, allow_unicode=True))
    (Path(export_path) / "chosen_pools.json").write_text(json.dumps(chosen, indent=1))
    return [str(path), recipe]


class ClusterArgs(ComponentArgs):
    analyzed_path: str = Field(description="Data set with __dj__stats__ (the analyzer's export).")
    pool_scores: dict[str, float] | None = Field(None, description="{stat: score} of each stat's best pool "
                                                 "(from ranking); higher is better.")
    ranked_pools: list[str] = Field(default_factory=list, description="Or: ranked pools with a pools.json.")
    num_clusters: int = Field(3, ge=1, description="Clusters of stats (by |spearman| correlation).")
    min_pool_ratio: float = Field(0.0, ge=0, le=1, description="Only pools holding at least this share of "
                                  "their source.")
    base_recipe: dict | None = Field(None, description="Recipe keys to copy.")


@register_component("top_op_per_cluster")
class TopOpPerCluster(RecipeRefiner):
    description = ("Correlation analysis: clusters stats by |Spearman| correlation (hierarchical, average "
                   "linkage) and builds a recipe from the best-ranked op of each cluster (the paper's "
                   "'top op per cluster').")
    outputs = "[recipe path, recipe dict, clusters]"
    Args = ClusterArgs

    def run(self, export_path: Path) -> list[Any]:
        import numpy as np
        import pandas as pd
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        a = self.args
        rows = load_pool(a.analyzed_path)
        stats = sorted({k for r in rows for k in (r.get(STATS) or {}) if stat_value(r, k) is not None})
        frame = pd.DataFrame({s: [stat_value(r, s) for r in rows] for s in stats}).dropna(axis=1, how="all")
        frame = frame.loc[:, frame.std() > 0]
        corr = frame.corr(method="spearman").abs().fillna(0).to_numpy()
        cols = list(frame.columns)
        if len(cols) > 1:
            dist = np.clip(1 - corr, 0, None)
            np.fill_diagonal(dist, 0)
            labels = fcluster(linkage(squareform(dist, checks=False), "average"),
                              t=min(a.num_clusters, len(cols)), criterion="maxclust")
        else:
            labels = [1] * len(cols)
        clusters: dict[int, list[str]] = {}
        for c, lab in zip(cols, labels):
            clusters.setdefault(int(lab), []).append(c)
        manifest = _manifest(a.ranked_pools, None) if a.ranked_pools else {}
        rank = {}
        totals: dict[tuple, int] = {}
        for m in manifest.values():
            totals[(m["source"], m["stat"])] = totals.get((m["source"], m["stat"]), 0) + m["num"]
        for i, p in enumerate(a.ranked_pools):
            m = manifest.get(str(p))
            if m and m["num"] < a.min_pool_ratio * totals[(m["source"], m["stat"])]:
                continue
            if m and m["stat"] not in rank:
                rank[m["stat"]] = (i, m)
        process, chosen = [], []
        for lab, members in sorted(clusters.items()):
            best = sorted((s for s in members if s in rank), key=lambda s: rank[s][0])
            if a.pool_scores:
                best = sorted((s for s in members if s in a.pool_scores), key=lambda s: -a.pool_scores[s])
            for s in best:
                step = pool_to_op(rank[s][1], manifest) if s in rank else None
                if step:
                    process.append(step)
                    chosen.append(rank[s][1])
                    break
        out = _write_recipe(export_path, process, a.base_recipe, chosen)
        (Path(export_path) / "clusters.json").write_text(json.dumps(clusters, indent=1))
        return out + [clusters]


class DataStatsArgs(ComponentArgs):
    dataset_path: str | list[str] = Field(description="Data set(s) to count.")


@register_component("data_stats")
class DataStats(DataEvaluator):
    description = "Counts samples of each data set and averages their numeric stats."
    outputs = "list of {dataset_path, num, stats: {stat: mean}}"
    Args = DataStatsArgs

    def run(self, export_path: Path) -> list[Any]:
        res = []
        for p in _as_list(self.args.dataset_path):
            rows = load_pool(p)
            sums: dict[str, list[float]] = {}
            for r in rows:
                for k in r.get(STATS) or {}:
                    v = stat_value(r, k)
                    if v is not None:
                        sums.setdefault(k, []).append(v)
            res.append({"dataset_path": p, "num": len(rows),
                        "stats": {k: sum(v) / len(v) for k, v in sums.items()}})
        return [res]


__all__ = ["RandomPool", "NoiseGroundTruth", "BestPoolsRecipe", "TopOpPerCluster", "DataStats", "op_for_stat"]
