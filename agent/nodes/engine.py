"""The engine actions the graph dispatches: read the data, run a recipe step by step (so each op's
removals are known), and revise thresholds from the data's stats (k-sigma, in the needed direction)."""
from __future__ import annotations

import copy
import json
import math
import os
from functools import lru_cache
from typing import Any

from sandbox_engine.errors import DataFormatError


def load_samples(path: str) -> list[dict]:
    """All samples of a JSONL / JSON / parquet file (or a folder of them)."""
    return [dict(r) for r in _load_cached(os.path.abspath(path), os.path.getmtime(path))]


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: float) -> tuple[dict, ...]:
    try:
        from sandbox_engine.dataset import read_batches  # the engine's reader, when present
        from sandbox_engine.batches import batch_to_rows

        rows: list[dict] = []
        for b in read_batches(path, batch_size=1000):
            rows.extend(batch_to_rows(b))
        return tuple(rows)
    except ImportError:
        pass
    if path.endswith(".parquet"):
        import pandas as pd

        return tuple(pd.read_parquet(path).to_dict("records"))
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if path.endswith(".json") and text.lstrip().startswith("["):
        return tuple(json.loads(text))
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise DataFormatError(f"{path}:{n}: not a JSON line ({err.msg})") from None
    return tuple(rows)


def inspect(samples: list[dict], path: str) -> dict[str, Any]:
    fields: dict[str, None] = {}
    for s in samples[:1000]:
        fields.update(dict.fromkeys(s))
    has_images = any(s.get("images") for s in samples[:1000])
    example = next((s for s in samples if s.get("text")), samples[0] if samples else {})
    return {"path": path, "num_samples": len(samples), "fields": list(fields),
            "modality": "multimodal" if has_images else "text",
            "example": {k: (str(v)[:200]) for k, v in example.items()}}


def _keys(recipe: dict) -> dict[str, Any]:
    tk = recipe.get("text_keys")
    if isinstance(tk, list):
        tk = tk[0] if tk else None
    return {"text_key": tk, "image_key": recipe.get("image_key")}


def run_recipe(recipe: dict, samples: list[dict], out_path: str | None = None) -> dict[str, Any]:
    """Run the recipe op by op; metrics say how many samples each op removed."""
    from sandbox_engine import process_samples
    from sandbox_engine.recipe_process import parse_process

    current = samples
    per_op = []
    for name, args in parse_process(recipe.get("process") or []):
        before = len(current)
        current = process_samples(current, [{name: args}], **_keys(recipe))
        per_op.append({"op": name, "in": before, "removed": before - len(current)})
    metrics: dict[str, Any] = {"num_in": len(samples), "num_out": len(current),
                               "kept_ratio": round(len(current) / len(samples), 4) if samples else 0.0,
                               "per_op": per_op}
    if out_path:
        os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
        with open(out_path, "w", encoding="utf-8") as fh:
            for row in current:
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        metrics["output_path"] = out_path
    return metrics


def stat_mean_std(recipe: dict, samples: list[dict]) -> dict[str, tuple[float, float]]:
    """(mean, std) per stat of the recipe's filters over the samples (list stats: their mean)."""
    from sandbox_engine import compute_stats

    rows = compute_stats(samples, recipe.get("process") or [], **_keys(recipe))
    values: dict[str, list[float]] = {}
    for row in rows:
        for key, v in (row.get("__dj__stats__") or {}).items():
            if isinstance(v, list):
                v = sum(v) / len(v) if v and all(isinstance(x, (int, float)) for x in v) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                values.setdefault(key, []).append(float(v))
    out = {}
    for key, vs in values.items():
        mean = sum(vs) / len(vs)
        std = math.sqrt(sum((x - mean) ** 2 for x in vs) / (len(vs) - 1)) if len(vs) > 1 else 0.0
        out[key] = (mean, std)
    return out


def _direction_ok(arg: str, old: Any, new: Any, direction: str) -> bool:
    if direction == "both":
        return True
    try:
        old_f, new_f = float(old), float(new)
    except (TypeError, ValueError):
        return False
    looser = new_f < old_f if "min" in arg else new_f > old_f
    return looser if direction == "loosen" else (not looser and new_f != old_f)


def ksigma_steps(recipe: dict, samples: list[dict], k: float, direction: str,
                 only_ops: set[int] | None = None) -> tuple[dict, list[dict]]:
    """k-sigma thresholds for the chosen steps, keeping only changes in `direction`
    (loosen / tighten / both). Returns the new recipe and the changes made."""
    from sandbox_engine.refine.ksigma import refine_ksigma

    mean_std = stat_mean_std(recipe, samples)
    new = copy.deepcopy(recipe)
    process = new.get("process") or []
    changes = []
    for i, step in enumerate(process):
        if only_ops is not None and i not in only_ops:
            continue
        name = next(iter(step)) if isinstance(step, dict) else step
        args = dict((step.get(name) or {}) if isinstance(step, dict) else {})
        for only_given in (True, False):
            refined, diff = refine_ksigma([{name: dict(args)}], mean_std, k=k, only_given=only_given)
            diff = [d for d in diff if _direction_ok(d["arg"], d["old"], d["new"], direction)]
            if diff:
                break
        for d in diff:
            args[d["arg"]] = d["new"]
            changes.append({**d, "step": i})
        process[i] = {name: args}
    return new, changes
