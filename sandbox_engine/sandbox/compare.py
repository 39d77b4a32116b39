"""proxy_comparison: the acceptance experiment. Trains the proxy model on the refined pool, on a random pool
of equal size and on the full data, over several seeds, and compares their held-out metric."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from sandbox_engine.errors import RecipeError
from sandbox_engine.sandbox.demo_data import write_jsonl
from sandbox_engine.sandbox.pools import load_pool
from sandbox_engine.sandbox.trainers.base import Component, ComponentArgs, register_component

LOWER_IS_BETTER = ("perplexity", "loss", "bits_per_byte")


class ComparisonArgs(ComponentArgs):
    full_dataset: str = Field(description="The original data set.")
    refined_recipe: str | dict | None = Field(None, description="Recipe (path or mapping) whose process makes "
                                              "the refined pool from full_dataset.")
    refined_dataset: str | None = Field(None, description="Or: the refined pool itself.")
    trainer: dict = Field(description="Trainer config {type, ...}.")
    evaluator: dict = Field(description="Evaluator config {type, ...}.")
    metric: str | None = Field(None, description="Metric to compare (default: the evaluator's first).")
    seeds: list[int] = Field([0, 1, 2], description="Training seeds.")
    random_seed: int = Field(42, description="Seed of the random pool.")


@register_component("proxy_comparison")
class ProxyComparison(Component):
    kind = "comparison"
    description = ("Refined pool vs a random pool of equal size vs the full data, proxy model trained with each "
                   "seed; writes the summary's `comparison` object.")
    outputs = "[comparison {metric, lower_is_better, refined, random_equal_size, full_data, seeds}, per-arm results]"
    Args = ComparisonArgs


def refined_pool(full: list[dict], recipe: str | dict, out: Path) -> Path:
    from sandbox_engine import process_samples

    if isinstance(recipe, str):
        recipe = yaml.safe_load(Path(recipe).read_text()) or {}
    kw = {}
    if recipe.get("text_keys"):
        tk = recipe["text_keys"]
        kw["text_key"] = tk[0] if isinstance(tk, list) else tk
    kept = process_samples(full, recipe.get("process") or [], **kw)
    return write_jsonl(out, kept)


def run_comparison(ctx: Any) -> list[Any]:
    from sandbox_engine.sandbox.hooks import train_pools

    cfg = {k: v for k, v in ctx.extra_configs.items() if k != "type"}
    try:
        a = ComparisonArgs(**cfg)
    except Exception as err:
        raise RecipeError(f"{ctx.name}: extra_configs: {err}") from None
    full = load_pool(a.full_dataset)
    if a.refined_dataset:
        refined = Path(a.refined_dataset)
    elif a.refined_recipe:
        refined = refined_pool(full, a.refined_recipe, ctx.job_dir / "refined.jsonl")
    else:
        raise RecipeError(f"{ctx.name}: proxy_comparison needs refined_recipe or refined_dataset")
    n = len(load_pool(str(refined)))
    if n == 0:
        raise RecipeError(f"{ctx.name}: the refined recipe keeps no samples")
    rnd = write_jsonl(ctx.job_dir / "random_equal_size.jsonl", random.Random(a.random_seed).sample(full, n))
    from sandbox_engine.sandbox.demo_data import resolve_demo_path

    arms = {"refined": str(refined), "random_equal_size": str(rnd), "full_data": resolve_demo_path(a.full_dataset)}
    res = train_pools(ctx, list(arms.values()), a.trainer, a.evaluator, a.seeds, tag_prefix="cmp")
    by_arm = dict(zip(arms, res))
    from sandbox_engine.sandbox.trainers import get_component

    primary = getattr(get_component(a.evaluator["type"], "evaluator"), "primary_metric", "")
    metric = a.metric or primary or next(iter(by_arm["refined"]["metrics"] or {"?": 0}))
    comp: dict[str, Any] = {"metric": metric, "lower_is_better": metric in LOWER_IS_BETTER, "seeds": len(a.seeds),
                            "sizes": {"refined": n, "random_equal_size": n, "full_data": len(full)}}
    for arm, r in by_arm.items():
        comp[arm] = r["metrics"].get(metric)
        comp[f"{arm}_std"] = r["metrics_std"].get(metric)
    if all(comp.get(k) is not None for k in arms):
        better = (lambda x, y: x < y) if comp["lower_is_better"] else (lambda x, y: x > y)
        comp["refined_beats_random"] = better(comp["refined"], comp["random_equal_size"])
        comp["refined_beats_full"] = better(comp["refined"], comp["full_data"])
    return [comp, {arm: {k: v for k, v in r.items() if k != "runs"} for arm, r in by_arm.items()}]
