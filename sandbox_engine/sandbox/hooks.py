"""The hook registry: Data-Juicer's sandbox hook names, each with metadata and a load-time check.

A hook gets the job's resolved `dj_configs` (a recipe dict) and `extra_configs` (a dict with a component
`type` where the hook needs one) and returns a list of outputs (named by the job's `output`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sandbox_engine.errors import RecipeError, did_you_mean

HOOKS: dict[str, type["Hook"]] = {}


@dataclass
class JobContext:
    name: str  # "<pipeline>.<meta_name>"
    dj_configs: dict
    extra_configs: dict
    job_dir: Path
    options: dict = field(default_factory=dict)  # parallel, ray_address, num_cpus, work_dir


def register_hook(cls: type["Hook"]) -> type["Hook"]:
    HOOKS[cls.__name__] = cls
    return cls


class Hook:
    description: ClassVar[str] = ""
    arguments: ClassVar[str] = ""
    outputs: ClassVar[str] = ""
    component_kinds: ClassVar[tuple[str, ...]] = ()  # extra_configs.type must be one of these kinds
    needs_recipe: ClassVar[bool] = False
    hook_keys: ClassVar[tuple[str, ...] | None] = ()  # extra_configs keys the hook itself reads (None: no arg check)

    @classmethod
    def check(cls, where: str, dj_configs: Any, extra_configs: Any, wired: set[str]) -> None:
        """Fail at load if this job cannot run. `wired` holds keys that `input` will fill at run time."""
        if cls.needs_recipe and not dj_configs and not any(k.startswith("dj_configs") for k in wired):
            raise RecipeError(f"{where}: {cls.__name__} needs a recipe in 'dj_configs' (a path or a mapping)")
        if cls.component_kinds:
            typ = (extra_configs or {}).get("type")
            if typ is None and "extra_configs.type" not in wired:
                raise RecipeError(f"{where}: {cls.__name__} needs 'extra_configs.type' (one of "
                                  f"{', '.join(component_types(cls.component_kinds))})")
            if typ is not None:
                known = component_types(cls.component_kinds)
                if typ not in known:
                    raise RecipeError(f"{where}: extra_configs.type {typ!r} is not a {'/'.join(cls.component_kinds)} "
                                      f"component;{did_you_mean(typ, known)} known: {', '.join(known)}")
                if cls.hook_keys is not None:
                    _check_args(where, typ, extra_configs, cls.hook_keys)

    def run(self, ctx: JobContext) -> list[Any]:
        raise NotImplementedError


def _check_args(where: str, typ: str, extra: dict, hook_keys: tuple[str, ...]) -> None:
    """Unknown or ill-typed component arguments fail at load; missing ones may still come from `input`."""
    from pydantic import ValidationError

    from sandbox_engine.sandbox.trainers import get_component

    cfg = {k: v for k, v in extra.items() if k != "type" and k not in hook_keys}
    try:
        get_component(typ).Args(**cfg)
    except ValidationError as err:
        bad = [e for e in err.errors() if e["type"] != "missing"]
        if bad:
            probs = "; ".join(f"extra_configs.{'.'.join(map(str, e['loc']))}: "
                              f"{'unknown key' if e['type'] == 'extra_forbidden' else e['msg']}" for e in bad)
            raise RecipeError(f"{where}: {probs} (component {typ!r} takes: "
                              f"{', '.join(get_component(typ).Args.model_fields)})") from None


def component_types(kinds: tuple[str, ...]) -> list[str]:
    from sandbox_engine.sandbox.trainers import COMPONENTS, load_builtin

    load_builtin()
    return sorted(n for n, c in COMPONENTS.items() if any(k in c.kind for k in kinds))


def _component(ctx: JobContext, kinds: tuple[str, ...], drop: tuple[str, ...] = ()) -> Any:
    from sandbox_engine.sandbox.trainers import get_component

    cfg = {k: v for k, v in ctx.extra_configs.items() if k not in drop}
    cls = get_component(cfg.get("type", ""))
    if not any(k in cls.kind for k in kinds):
        raise RecipeError(f"{ctx.name}: component {cls.type!r} is a {cls.kind}, not a {'/'.join(kinds)}")
    try:
        return cls(**cfg)
    except RecipeError as err:
        raise RecipeError(f"{ctx.name}: extra_configs: {err}") from None


def _recipe(ctx: JobContext) -> dict:
    import copy

    from sandbox_engine.sandbox.demo_data import resolve_demo_path

    rec = copy.deepcopy(ctx.dj_configs or {})
    if isinstance(rec.get("dataset_path"), str):
        rec["dataset_path"] = resolve_demo_path(rec["dataset_path"])
    rec.pop("hpo_config", None)
    return rec


@register_hook
class ProbeViaAnalyzerHook(Hook):
    description = "Runs the analyzer on the recipe's data: stats of every filter, overall.csv, plots."
    arguments = "dj_configs: recipe (dataset_path, process)"
    outputs = "[analyzed data set path (samples with __dj__stats__), overall.csv path]"
    needs_recipe = True

    def run(self, ctx: JobContext) -> list[Any]:
        from sandbox_engine.analyzer import analyze

        rec = _recipe(ctx)
        rec["export_path"] = str(ctx.job_dir / "analysis" / "analyzed.jsonl")
        rec.setdefault("np", 1)
        res = analyze(rec, work_dir=str(ctx.job_dir), progress=False, plots=True)
        return [res.paths.get("export", rec["export_path"]), str(ctx.job_dir / "analysis" / "overall.csv")]


@register_hook
class ProbeViaModelInferHook(Hook):
    description = ("Probes data with a trained proxy model: per-sample loss of a tiny LM (stat 'proxy_loss'), "
                   "written into __dj__stats__ so pools can be built on it.")
    arguments = "dj_configs.dataset_path; extra_configs: {type: tiny_lm, model_path, text_key}"
    outputs = "[probed data set path]"
    component_kinds = ("trainer",)
    hook_keys = None

    def run(self, ctx: JobContext) -> list[Any]:
        from sandbox_engine.sandbox.infer import per_sample_loss

        ds = ctx.extra_configs.get("dataset_path") or _recipe(ctx).get("dataset_path")
        out = ctx.job_dir / "probed.jsonl"
        return [per_sample_loss(ctx.extra_configs["model_path"], ds, out,
                                ctx.extra_configs.get("text_key", "text"))]


@register_hook
class GeneralProbeHook(Hook):
    description = "Runs a data evaluator component on data sets (counts, mean stats, ground-truth noise checks)."
    arguments = "extra_configs: {type: data_stats | noise_ground_truth, ...}"
    outputs = "the component's outputs"
    component_kinds = ("data_evaluator",)

    def run(self, ctx: JobContext) -> list[Any]:
        return _component(ctx, self.component_kinds).run(ctx.job_dir)


@register_hook
class RefineRecipeViaKSigmaHook(Hook):
    description = ("k-sigma refinement: each op's min/max thresholds become mean -/+ k*std of its stat (clipped "
                   "to the stat's valid range), from an analysis of the recipe's data.")
    arguments = ("dj_configs: recipe; extra_configs: {k_sigma or k (default 3), overall_csv (optional: reuse an "
                 "analysis), path_k_sigma_recipe (optional output path)}")
    outputs = "[refined recipe path, list of changes]"
    needs_recipe = True

    def run(self, ctx: JobContext) -> list[Any]:
        import yaml

        from sandbox_engine.refine.ksigma import refine_from_analysis

        rec = _recipe(ctx)
        ex = ctx.extra_configs
        k = float(ex.get("k_sigma", ex.get("k", 3)))
        csv = ex.get("overall_csv") or ex.get("analysis_path")
        if csv:
            analysis: Any = str(csv)
        else:
            from sandbox_engine.analyzer import analyze

            analysis = analyze({**rec, "export_path": None}, work_dir=str(ctx.job_dir), export=False,
                               plots=False, progress=False)
        process, changes = refine_from_analysis(rec.get("process") or [], analysis, k=k)
        rec["process"] = process
        path = Path(ex.get("path_k_sigma_recipe") or ctx.job_dir / "k_sigma_recipe.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(rec, sort_keys=False, allow_unicode=True))
        return [str(path), changes]


@register_hook
class RefineRecipeViaModelFeedbackHook(Hook):
    description = ("Builds a recipe from proxy-model feedback: the best single-op pools (best_pools_recipe), "
                   "the best op of each correlation cluster of stats (top_op_per_cluster), or HPO over thresholds "
                   "(optuna_hpo).")
    arguments = "extra_configs: {type: best_pools_recipe | top_op_per_cluster | optuna_hpo, ...}"
    outputs = "[recipe path, recipe dict, (clusters)]"
    component_kinds = ("refiner",)

    def run(self, ctx: JobContext) -> list[Any]:
        return _component(ctx, self.component_kinds).run(ctx.job_dir)


@register_hook
class ProcessDataHook(Hook):
    description = "Runs the recipe on its data set with the engine and exports the result."
    arguments = "dj_configs: recipe (dataset_path, process, export_path optional)"
    outputs = "[exported data set path]"
    needs_recipe = True

    def run(self, ctx: JobContext) -> list[Any]:
        from sandbox_engine.executor import run_recipe
        from sandbox_engine.recipe import recipe_from_dict

        rec = _recipe(ctx)
        rec["export_path"] = rec.get("export_path") or str(ctx.job_dir / "processed.jsonl")
        rec.setdefault("np", 1)
        rec.pop("work_dir", None)
        run_recipe(recipe_from_dict(rec), work_dir=str(ctx.job_dir), progress=False)
        return [rec["export_path"]]


@register_hook
class DataPoolManipulationHook(Hook):
    description = ("Data pool manipulation: construction, combination, duplication, ranking, downsampling, merging, "
                   "cartesian join.")
    arguments = "extra_configs: {type: data_pool_*, dataset_path, ...}"
    outputs = "[list of pool paths]"
    component_kinds = ("manipulator",)

    def run(self, ctx: JobContext) -> list[Any]:
        return [_component(ctx, self.component_kinds).run(ctx.job_dir)]


@register_hook
class GeneralDataExecutorHook(Hook):
    description = ("Runs a data executor component (random_pool: the random baseline of equal size; learned_rater; "
                   "rating_selection_comparison).")
    arguments = "extra_configs: {type: random_pool | learned_rater | rating_selection_comparison | ..., ...}"
    outputs = "the component's outputs"
    component_kinds = ("data_executor",)

    def run(self, ctx: JobContext) -> list[Any]:
        return _component(ctx, self.component_kinds).run(ctx.job_dir)


TRAIN_KEYS = ("dataset_path", "seeds", "evaluator")


def train_pools(ctx: JobContext, datasets: list[str], trainer: dict, evaluator: dict | None,
                seeds: list[int], tag_prefix: str = "") -> list[dict]:
    """Train (and evaluate) every pool with every seed as parallel experiments; aggregate per pool."""
    from sandbox_engine.sandbox.ray_exec import run_trials

    trials = [{"trainer": trainer, "evaluator": evaluator, "dataset_path": ds, "seed": s,
               "out_dir": str(ctx.job_dir / "models" / f"{tag_prefix}{i}_s{s}"), "tag": f"{tag_prefix}{i}"}
              for i, ds in enumerate(datasets) for s in seeds]
    res = run_trials(trials, parallel=ctx.options.get("parallel", True), work_dir=ctx.options["work_dir"],
                     address=ctx.options.get("ray_address"), num_cpus=ctx.options.get("num_cpus"))
    out = []
    for i, ds in enumerate(datasets):
        runs = [r for r in res if r.get("tag") == f"{tag_prefix}{i}"]
        out.append({"dataset_path": ds, **aggregate(runs), "runs": runs})
    return out


def aggregate(runs: list[dict]) -> dict:
    ok = [r for r in runs if "error" not in r]
    agg: dict[str, Any] = {"seeds": len(ok), "errors": [r["error"] for r in runs if "error" in r]}
    names = list(dict.fromkeys(k for r in ok for k in (r.get("metrics") or {})))
    mean, std = {}, {}
    for k in names:
        vals = [float(r["metrics"][k]) for r in ok if k in (r.get("metrics") or {})]
        m = sum(vals) / len(vals)
        mean[k] = m
        std[k] = math.sqrt(sum((v - m) ** 2 for v in vals) / (len(vals) - 1)) if len(vals) > 1 else 0.0
    agg["metrics"], agg["metrics_std"] = mean, std
    agg["model_paths"] = [r.get("model_path") for r in ok]
    return agg


@register_hook
class TrainModelHook(Hook):
    description = ("Trains a proxy model (extra_configs.type: tiny_lm, tiny_clip or a plugged trainer) on each data "
                   "set with each seed, as parallel Ray experiments; with an `evaluator` also evaluates each run.")
    arguments = ("extra_configs: {type, <trainer args>, dataset_path (path or list; default dj_configs.dataset_path), "
                 "seeds (default [0]), evaluator: {type, ...}}")
    outputs = "[per-data-set results {dataset_path, metrics (mean), metrics_std, runs}, list of mean metrics]"
    component_kinds = ("trainer",)
    hook_keys = ("dataset_path", "seeds", "evaluator")

    @classmethod
    def check(cls, where: str, dj_configs: Any, extra_configs: Any, wired: set[str]) -> None:
        super().check(where, dj_configs, extra_configs, wired)
        ev = (extra_configs or {}).get("evaluator")
        if ev is not None:
            if not isinstance(ev, dict) or ev.get("type") not in component_types(("evaluator",)):
                raise RecipeError(f"{where}: extra_configs.evaluator must be a mapping with a 'type' among "
                                  f"{', '.join(component_types(('evaluator',)))}, got {ev!r}")

    def run(self, ctx: JobContext) -> list[Any]:
        from sandbox_engine.sandbox.pools import _as_list

        ex = ctx.extra_configs
        _component(ctx, ("trainer",), drop=TRAIN_KEYS)  # validate the arguments before spawning tasks
        datasets = _as_list(ex.get("dataset_path") or (ctx.dj_configs or {}).get("dataset_path"))
        if not datasets:
            raise RecipeError(f"{ctx.name}: TrainModelHook needs extra_configs.dataset_path (or dj_configs.dataset_path)")
        trainer = {k: v for k, v in ex.items() if k not in TRAIN_KEYS}
        res = train_pools(ctx, [str(d) for d in datasets], trainer, ex.get("evaluator"),
                          [int(s) for s in _as_list(ex.get("seeds", [0]))])
        return [res, [r["metrics"] for r in res]]


@register_hook
class InferModelHook(Hook):
    description = "Runs a trained tiny LM over a data set: per-sample loss (lower = more like the training data)."
    arguments = "extra_configs: {type: tiny_lm, model_path, dataset_path, text_key}"
    outputs = "[data set path with __dj__stats__.proxy_loss]"
    component_kinds = ("trainer",)
    hook_keys = None

    def run(self, ctx: JobContext) -> list[Any]:
        return ProbeViaModelInferHook().run(ctx)


@register_hook
class EvaluateDataHook(Hook):
    description = "Evaluates data sets with a data evaluator component (noise_ground_truth, data_stats)."
    arguments = "extra_configs: {type: noise_ground_truth | data_stats, dataset_path, ...}"
    outputs = "the component's outputs"
    component_kinds = ("data_evaluator",)

    def run(self, ctx: JobContext) -> list[Any]:
        return _component(ctx, self.component_kinds).run(ctx.job_dir)


@register_hook
class EvaluateModelHook(Hook):
    description = ("Evaluates trained models (extra_configs.type an evaluator, model_path a path or list), or with "
                   "type proxy_comparison trains refined / random-equal-size / full data over seeds and compares.")
    arguments = "extra_configs: {type: lm_perplexity | clip_zero_shot | proxy_comparison, ...}"
    outputs = "[list of metric dicts] or [comparison, per-arm results]"
    component_kinds = ("evaluator", "comparison")
    hook_keys = ("model_path",)

    def run(self, ctx: JobContext) -> list[Any]:
        from sandbox_engine.sandbox.pools import _as_list

        if ctx.extra_configs.get("type") == "proxy_comparison":
            from sandbox_engine.sandbox.compare import run_comparison

            return run_comparison(ctx)
        ev = _component(ctx, ("evaluator",), drop=("model_path",))
        paths = []
        for p in _as_list(ctx.extra_configs.get("model_path")):
            paths += p.get("model_paths", []) if isinstance(p, dict) else [p]
        return [[ev.evaluate(str(p), ctx.job_dir) for p in paths]]


def hook_metadata() -> list[dict]:
    return [{"name": n, "description": h.description, "arguments": h.arguments, "outputs": h.outputs,
             "component_types": component_types(h.component_kinds) if h.component_kinds else []}
            for n, h in HOOKS.items()]


def get_hook(name: str, where: str = "") -> type[Hook]:
    if name not in HOOKS:
        raise RecipeError(f"{where + ': ' if where else ''}unknown hook {name!r};{did_you_mean(name, HOOKS)} "
                          f"known hooks: {', '.join(HOOKS)}")
    return HOOKS[name]
