"""HPO of a recipe's filter thresholds with optuna; the objective is a proxy-model metric.

Search space: the numeric `min_*` / `max_*` arguments each filter step of the recipe sets (all of them
when a step sets none), bounded by quantiles of the
filter's stat on the data (min_* in [q(low_quantile), median], max_* in [median, q(high_quantile)]) and by the
argument's own valid range. Objective: held-out perplexity (clean reference split) of the tiny proxy LM
trained for a fixed number of steps on the filtered data; a trial that keeps less than `min_keep_ratio` of
the data is rejected (pruned), so "keep almost nothing" cannot win. Bad trials are pruned by a MedianPruner
on the perplexity reported during training. The study lives in sqlite (optuna RDB storage, load_if_exists):
`n_trials` is the study's target, so a killed search resumes where it stopped. The recipe's own thresholds
run first (trial 0), so the result says how much HPO improved on them.
"""
from __future__ import annotations

import copy
import math
import typing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from sandbox_engine.errors import RecipeError
from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path, write_jsonl
from sandbox_engine.sandbox.pools import STATS, load_pool, stat_value
from sandbox_engine.sandbox.trainers.base import Component, ComponentArgs, register_component


class HPOArgs(ComponentArgs):
    recipe: str | dict = Field(description="Recipe (path or mapping) with dataset_path and process to tune.")
    dataset_path: str | None = Field(None, description="Data to tune on (default: the recipe's dataset_path).")
    reference: str = Field("demo:text_reference", description="Clean held-out jsonl for the proxy metric.")
    text_key: str = Field("text", description="Field holding the text.")
    tokenizer_data: str | None = Field(None, description="jsonl for the shared tokenizer (default: the data).")
    trainer: dict = Field(default_factory=dict, description="tiny_lm arguments (n_layer, n_embd, steps, ...).")
    n_trials: int = Field(20, ge=1, description="Trials the study should hold in the end (a resumed study "
                          "runs only the missing ones).")
    min_keep_ratio: float = Field(0.2, gt=0, le=1, description="Trials keeping less of the data are rejected.")
    low_quantile: float = Field(0.0, ge=0, le=0.5, description="Lower end of the min_* search ranges.")
    high_quantile: float = Field(1.0, ge=0.5, le=1, description="Upper end of the max_* search ranges.")
    ops: list[str] = Field(default_factory=list, description="Tune only these ops (default: every filter).")
    seeds: list[int] = Field([0], description="Training seeds per trial (the objective is their mean).")
    eval_every: int = Field(0, ge=0, description="Report held-out perplexity every N steps for pruning "
                            "(0: a quarter of the steps).")
    pruner_startup_trials: int = Field(2, ge=0, description="Trials run in full before pruning starts.")
    max_reference: int = Field(200, ge=1, description="Use at most this many reference samples.")
    study_name: str = Field("juicebox_hpo", description="Study name in the storage.")
    storage: str | None = Field(None, description="sqlite file or RDB url (default: <work dir>/hpo_study.db).")
    sampler_seed: int = Field(0, description="TPE sampler seed.")


@dataclass
class Param:
    step: int  # index in process
    op: str
    arg: str
    stat: str
    low: float
    high: float
    is_int: bool
    initial: float

    @property
    def name(self) -> str:
        return f"{self.step}.{self.op}.{self.arg}"


def _numeric_kind(annotation: Any) -> str | None:
    args = set(typing.get_args(annotation)) or {annotation}
    if float in args:
        return "float"
    if int in args and bool not in args:
        return "int"
    return None


def _valid_range(field: Any) -> tuple[float, float]:
    lo, hi = -math.inf, math.inf
    for m in field.metadata:
        for attr, side in (("ge", "lo"), ("gt", "lo"), ("le", "hi"), ("lt", "hi")):
            v = getattr(m, attr, None)
            if v is not None:
                lo, hi = (max(lo, v), hi) if side == "lo" else (lo, min(hi, v))
    return lo, hi


def _quantile(vals: list[float], q: float) -> float:
    s = sorted(vals)
    pos = q * (len(s) - 1)
    i = int(math.floor(pos))
    j = min(i + 1, len(s) - 1)
    return s[i] + (s[j] - s[i]) * (pos - i)


def search_space(process: list[dict], rows: list[dict], a: HPOArgs) -> list[Param]:
    """The tunable thresholds of the recipe's filters, with data-driven bounds."""
    from sandbox_engine import compute_stats
    from sandbox_engine.ops.base import get_op_class

    params: list[Param] = []
    for i, step in enumerate(process):
        op, args = next(iter(step.items()))
        args = args or {}
        cls = get_op_class(op)
        if cls.category != "filter" or (a.ops and op not in a.ops):
            continue
        stated = compute_stats(rows, [{op: args}], text_key=a.text_key)
        present = [k for k in cls.stats_keys if any(stat_value(r, k) is not None for r in stated)]
        names = [n for n, f in cls.Args.model_fields.items()
                 if n.startswith(("min_", "max_")) and _numeric_kind(f.annotation)]
        names = [n for n in names if n in args] or names  # the thresholds the recipe sets, else all
        for arg in names:
            field = cls.Args.model_fields[arg]
            kind = _numeric_kind(field.annotation)
            stem = arg[4:]
            stats = present if len(present) == 1 else [k for k in present if stem in k or k.endswith(stem)]
            if len(stats) != 1:
                continue
            vals = [v for r in stated if (v := stat_value(r, stats[0])) is not None and math.isfinite(v)]
            if not vals:
                continue
            lo_q, hi_q = (a.low_quantile, 0.5) if arg.startswith("min_") else (0.5, a.high_quantile)
            vlo, vhi = _valid_range(field)
            low = max(_quantile(vals, lo_q), vlo)
            high = min(_quantile(vals, hi_q), vhi)
            if kind == "int":  # round inwards at the median so a min range never passes a max range
                if arg.startswith("min_"):
                    low, high = math.floor(low), math.floor(high)
                else:
                    low, high = math.ceil(low), math.ceil(high)
            if not high > low:
                continue
            init = args.get(arg, field.default)
            init = min(max(float(init if init is not None else (low if arg.startswith("min_") else high)), low), high)
            params.append(Param(i, op, arg, stats[0], low, high, kind == "int", int(init) if kind == "int" else init))
    return params


def apply_params(recipe: dict, params: list[Param], values: dict[str, float]) -> dict:
    out = copy.deepcopy(recipe)
    for p in params:
        if p.name in values:
            step = out["process"][p.step]
            op = next(iter(step))
            step[op] = {**(step[op] or {}), p.arg: int(values[p.name]) if p.is_int else float(values[p.name])}
    return out


def _storage_url(s: str) -> str:
    return s if "://" in s else f"sqlite:///{Path(s).resolve()}"


def run_hpo(a: HPOArgs, work_dir: str | Path) -> dict:
    """Run (or resume) the study; returns the best recipe and a summary of every trial."""
    import optuna

    from sandbox_engine import process_samples
    from sandbox_engine.sandbox.lm_steps import train_lm
    from sandbox_engine.sandbox.trainers.lm import TinyLMArgs

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    recipe = yaml.safe_load(Path(a.recipe).read_text()) if isinstance(a.recipe, str) else copy.deepcopy(a.recipe)
    recipe = recipe or {}
    data = resolve_demo_path(a.dataset_path or recipe.get("dataset_path") or "")
    if not data:
        raise RecipeError("optuna_hpo: give dataset_path (or a recipe with one)")
    rows = load_pool(data)
    process = recipe.get("process") or []
    space = search_space(process, rows, a)
    if not space:
        raise RecipeError("optuna_hpo: the recipe has no filter with a numeric min_*/max_* threshold to tune")
    tok_data = a.tokenizer_data or (data if str(data).endswith(".jsonl") else
                                    str(write_jsonl(work_dir / "hpo_tokenizer_data.jsonl", rows)))
    ref = [t for r in read_jsonl(resolve_demo_path(a.reference)) if (t := str(r.get(a.text_key) or ""))]
    ref = ref[: a.max_reference]
    try:
        lm = TinyLMArgs(text_key=a.text_key, **a.trainer)
    except Exception as err:
        raise RecipeError(f"optuna_hpo: trainer: {err}") from None
    every = a.eval_every or max(1, lm.steps // 4)

    def objective(trial: optuna.Trial) -> float:
        values = {p.name: (trial.suggest_int(p.name, int(p.low), int(p.high)) if p.is_int
                           else trial.suggest_float(p.name, p.low, p.high)) for p in space}
        cand = apply_params(recipe, space, values)
        kept = process_samples([dict(r) for r in rows], cand["process"], text_key=a.text_key)
        share = len(kept) / max(len(rows), 1)
        trial.set_user_attr("kept_ratio", share)
        if share < a.min_keep_ratio:
            trial.set_user_attr("rejected", f"keeps {share:.3f} < min_keep_ratio {a.min_keep_ratio}")
            raise optuna.TrialPruned()
        texts = [str(r.get(a.text_key) or "") for r in kept]

        def report(step: int, ppl: float) -> None:
            trial.report(ppl, step)
            if trial.should_prune():
                raise optuna.TrialPruned()

        ppls = [train_lm(texts, ref, lm, s, tok_data, report=report if j == 0 else None, eval_every=every)
                ["perplexity"] for j, s in enumerate(a.seeds)]
        return sum(ppls) / len(ppls)

    storage = optuna.storages.RDBStorage(_storage_url(a.storage or str(work_dir / "hpo_study.db")))
    study = optuna.create_study(study_name=a.study_name, storage=storage, direction="minimize",
                                load_if_exists=True)
    for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        storage.set_trial_state_values(t._trial_id, optuna.trial.TrialState.FAIL)  # killed mid-trial
    done = [t for t in study.get_trials(deepcopy=False) if t.state.is_finished()
            and t.state != optuna.trial.TrialState.FAIL]
    study.sampler = optuna.samplers.TPESampler(seed=a.sampler_seed + len(study.trials),
                                               n_startup_trials=max(2, a.pruner_startup_trials))
    study.pruner = optuna.pruners.MedianPruner(n_startup_trials=a.pruner_startup_trials, n_warmup_steps=every)
    if not study.trials:
        study.enqueue_trial({p.name: p.initial for p in space}, user_attrs={"initial": True})
    remaining = a.n_trials - len(done)
    if remaining > 0:
        study.optimize(objective, n_trials=remaining, catch=(ValueError,))
    return _summary(study, recipe, space, work_dir, a)


def _summary(study: Any, recipe: dict, space: list[Param], work_dir: Path, a: HPOArgs) -> dict:
    from optuna.trial import TrialState

    trials = [{"number": t.number, "state": t.state.name, "value": t.value, "params": t.params,
               "kept_ratio": t.user_attrs.get("kept_ratio"), "initial": bool(t.user_attrs.get("initial")),
               **({"rejected": t.user_attrs["rejected"]} if "rejected" in t.user_attrs else {})}
              for t in study.get_trials(deepcopy=False)]
    complete = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    out: dict[str, Any] = {"study_name": a.study_name, "storage": a.storage or str(work_dir / "hpo_study.db"),
                           "metric": "perplexity", "lower_is_better": True, "n_trials": len(trials),
                           "space": [asdict(p) | {"name": p.name} for p in space], "trials": trials}
    initial = next((t for t in trials if t["initial"] and t["state"] == "COMPLETE"), None)
    out["initial_value"] = initial["value"] if initial else None
    if not complete:
        out.update(best_value=None, best_params=None, best_recipe=None, best_recipe_path=None, improved=False)
        return out
    best = min(complete, key=lambda t: t.value)
    best_recipe = apply_params(recipe, space, best.params)
    path = work_dir / "hpo_best_recipe.yaml"
    path.write_text(yaml.safe_dump(best_recipe, sort_keys=False, allow_unicode=True))
    out.update(best_value=best.value, best_params=best.params, best_trial=best.number,
               best_kept_ratio=best.user_attrs.get("kept_ratio"), best_recipe=best_recipe,
               best_recipe_path=str(path),
               improved=initial is not None and best.value < initial["value"])
    return out


@register_component("optuna_hpo")
class OptunaHPO(Component):
    kind = "refiner"
    description = ("HPO of the recipe's filter thresholds with optuna (TPE, MedianPruner on the perplexity "
                   "reported during training, sqlite study that resumes): objective = held-out perplexity of "
                   "the tiny proxy LM trained on the filtered data, with a minimum kept share.")
    outputs = "[best recipe path, best recipe dict, summary {best_value, initial_value, improved, trials, ...}]"
    Args = HPOArgs

    def run(self, export_path: Path) -> list[Any]:
        res = run_hpo(self.args, export_path)
        return [res["best_recipe_path"], res["best_recipe"], res]


__all__ = ["HPOArgs", "Param", "search_space", "apply_params", "run_hpo", "OptunaHPO", "STATS"]
