"""k-sigma refinement: move each op's min/max thresholds to mean -/+ k*std of the stat it filters on.

Data-Juicer's rule (formats.md): for every op of the recipe that writes an analysed stat, each argument
whose name contains ``min`` becomes ``mean - k*std`` and each containing ``max`` becomes
``mean + k*std``. Better than upstream, we clip to the stat's valid range, round integer stats so the
kept set is the same as with the exact bound, leave ``*_closed_interval`` flags alone, and match
arguments to stats by name for ops with several stats (``min_width`` -> ``image_width``).
"""
from __future__ import annotations

import copy
import math
from typing import Any, Mapping

from sandbox_engine.ops.base import get_op_class
from sandbox_engine.recipe_process import parse_process
from sandbox_engine.stats_info import is_integer_stat, valid_range


def _threshold_args(args_model: Any, given: Mapping[str, Any], only_given: bool) -> list[str]:
    names = list(given) if only_given else list(args_model.model_fields)
    return [n for n in names if ("min" in n or "max" in n) and "closed_interval" not in n]


def _stat_for_arg(arg: str, stats: list[str]) -> str | None:
    if len(stats) == 1:
        return stats[0]
    stem = arg.replace("min_", "").replace("max_", "")
    for s in stats:
        if stem and stem in s:
            return s
    return stats[0] if stats else None


def _new_value(kind: str, stat: str, mean: float, std: float, k: float) -> float | int:
    lo, hi = valid_range(stat)
    v = mean - k * std if kind == "min" else mean + k * std
    v = min(max(v, lo), hi)
    if is_integer_stat(stat) and math.isfinite(v):
        v = math.ceil(v - 1e-9) if kind == "min" else math.floor(v + 1e-9)
    return v


def refine_ksigma(process: list[dict], mean_std: Mapping[str, tuple[float, float]], k: float = 3.0,
                  only_given: bool = True) -> tuple[list[dict], list[dict]]:
    """Refine a recipe's process list from analysed (mean, std) per stat.

    Returns the new process list and a list of changes ``{op, arg, old, new, stat}``. With
    `only_given` (Data-Juicer's behaviour) only thresholds written in the recipe move; otherwise the
    defaults move too."""
    if k < 0:
        raise ValueError(f"k-sigma: k must be >= 0, got {k}")
    out, changes = [], []
    for name, args in parse_process(copy.deepcopy(process)):
        cls = get_op_class(name)
        stats = [s for s in cls.stats_keys if s in mean_std]
        if stats:
            for arg in _threshold_args(cls.Args, args, only_given):
                stat = _stat_for_arg(arg, stats)
                if stat is None:
                    continue
                mean, std = mean_std[stat]
                if math.isnan(mean) or math.isnan(std):
                    continue
                kind = "min" if "min" in arg else "max"
                new = _new_value(kind, stat, mean, std, k)
                field = cls.Args.model_fields.get(arg)
                if field is not None and field.annotation is int and not float(new).is_integer():
                    new = math.ceil(new) if kind == "min" else math.floor(new)
                if field is not None and field.annotation is int and math.isfinite(new):
                    new = int(new)
                old = args.get(arg, field.default if field is not None else None)
                if old != new:
                    changes.append({"op": name, "arg": arg, "old": old, "new": new, "stat": stat})
                args[arg] = new
        out.append({name: args})
    return out, changes


def refine_from_analysis(process: list[dict], analysis: Any, k: float = 3.0,
                         only_given: bool = True) -> tuple[list[dict], list[dict]]:
    """k-sigma on an AnalysisResult (sandbox_engine.analyzer) or an overall.csv path."""
    if isinstance(analysis, str):
        import pandas as pd

        overall = pd.read_csv(analysis, index_col=0)
        mean_std = {c: (float(overall.at["mean", c]), float(overall.at["std", c]))
                    for c in overall.columns
                    if _is_number(overall.at["mean", c]) and _is_number(overall.at["std", c])}
    else:
        mean_std = analysis.mean_std()
    return refine_ksigma(process, mean_std, k=k, only_given=only_given)


def _is_number(v: Any) -> bool:
    try:
        return not math.isnan(float(v))
    except (TypeError, ValueError):
        return False
