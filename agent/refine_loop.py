"""The refine loop's act / check / revise, shared by the graph and the CLI.

Act goes through tools/ (run_recipe, probe_pools, analyze_dataset, train_proxy, evaluate, compare_runs):
run the recipe, probe which op removes what, then train the tiny proxy LM on (a) the recipe's output,
(b) a random pool of the same size and (c) the full data, over fixed seeds, and take held-out perplexity
on a clean reference split. Check reads those numbers against the goal; revise moves thresholds (k-sigma)
or toggles the op that hurt, and says why.
"""
from __future__ import annotations

import hashlib
import json
import math
import random
import time
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

Say = Callable[[str], None]
ARMS = ("refined", "random_equal_size", "full_data")


class ExperimentSettings(BaseModel):
    """Proxy experiment sizes: small enough that the demo runs in minutes on 2 CPU cores."""

    model_config = ConfigDict(extra="forbid")
    seeds: list[int] = Field([0, 1, 2], description="Training seeds (each arm is trained once per seed).")
    reference: str = Field("demo:text_reference", description="Clean held-out jsonl for perplexity.")
    text_key: str = "text"
    tokenizer_data: str | None = Field(None, description="Shared tokenizer's training data (default: the full data).")
    vocab_size: int = 1000
    n_layer: int = 2
    n_embd: int = 64
    n_head: int = 4
    seq_len: int = 64
    batch_size: int = 16
    steps: int = 300
    lr: float = Field(1e-3, description="Peak learning rate; 3e-3 made seeds disagree by ±50 perplexity.")
    max_blocks: int = 200
    random_seed: int = 42
    probe: bool = True

    def trainer(self, data_path: str) -> dict[str, Any]:
        return {"type": "tiny_lm", "text_key": self.text_key, "tokenizer_data": self.tokenizer_data or data_path,
                "vocab_size": self.vocab_size, "n_layer": self.n_layer, "n_embd": self.n_embd,
                "n_head": self.n_head, "seq_len": self.seq_len, "batch_size": self.batch_size,
                "steps": self.steps, "lr": self.lr, "device": "cpu"}

    def evaluator(self) -> dict[str, Any]:
        return {"type": "lm_perplexity", "reference": self.reference, "text_key": self.text_key,
                "seq_len": self.seq_len, "max_blocks": self.max_blocks, "device": "cpu"}


def settings_for(seeds: int | None = None, quick: bool = False, **overrides: Any) -> ExperimentSettings:
    """Default (3 seeds) or --quick (1 seed, fewer steps); --seeds N overrides the count."""
    base: dict[str, Any] = {"seeds": [0], "steps": 120, "max_blocks": 120} if quick else {}
    if seeds is not None:
        base["seeds"] = list(range(max(int(seeds), 1)))
    return ExperimentSettings(**{**base, **{k: v for k, v in overrides.items() if v is not None}})


class Tools:
    """Calls tools by name through the registry, confined to the run's workspace; logs each call."""

    def __init__(self, work_dir: str, data_paths: list[str]) -> None:
        import os

        from tools.workspace import Workspace

        for var, val in (("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                         ("TOKENIZERS_PARALLELISM", "false"), ("HF_HUB_OFFLINE", "1")):
            os.environ.setdefault(var, val)
        self.ws = Workspace(work_dir, data_paths)
        self.calls: list[str] = []

    def __call__(self, name: str, **arguments: Any) -> dict[str, Any]:
        from tools.registry import call_tool

        self.calls.append(name)
        return call_tool(name, arguments, self.ws)


# -- act ---------------------------------------------------------------------------------------

def run_step(tools: Tools, recipe: dict, data_path: str, iteration: int) -> dict[str, Any]:
    """Run the recipe on the data (run_recipe tool); per-op removals as the graph reports them."""
    rec = {k: v for k, v in recipe.items() if k not in ("export_path", "work_dir")}
    res = tools("run_recipe", recipe=rec, dataset_path=data_path, np=int(recipe.get("np") or 1),
                export_path=f"iter_{iteration + 1}/processed.jsonl")
    per_op = [{"op": o["name"], "in": o["rows_in"], "removed": o["removed"]} for o in res["ops"]]
    n_in, n_out = res["rows_in"], res["rows_out"]
    return {"num_in": n_in, "num_out": n_out, "kept_ratio": round(n_out / n_in, 4) if n_in else 0.0,
            "per_op": per_op, "output_path": res["export_path"], "run_dir": res["work_dir"],
            "seconds": res["seconds"], "iteration": iteration}


def probe(tools: Tools, recipe: dict, data_path: str, iteration: int, analysis_cache: dict) -> dict[str, Any]:
    """Single-op pools (what each op alone removes) and the data's stats for the recipe's filters."""
    rec = {"np": int(recipe.get("np") or 1), "process": recipe.get("process") or []}
    if recipe.get("text_keys"):
        rec["text_keys"] = recipe["text_keys"]
    pools = tools("probe_pools", recipe=rec, dataset_path=data_path, work_dir=f"iter_{iteration + 1}/probe")["pools"]
    out = {"pools": [{"op": p["op"], "kept": p["rows_out"], "removed": p["rows_in"] - p["rows_out"],
                      "kept_ratio": p["kept_ratio"]} for p in pools]}
    key = json.dumps([next(iter(s)) if isinstance(s, dict) else s for s in rec["process"]])
    if key not in analysis_cache:  # stats depend on which filters there are, not on their thresholds
        res = tools("analyze_dataset", recipe=rec, dataset_path=data_path, work_dir=f"iter_{iteration + 1}/analysis")
        analysis_cache[key] = {stat: {m: round(v, 4) for m, v in vals.items() if m in ("mean", "std", "min", "max")}
                               for stat, vals in res["stats"].items()}
    out["stats"] = analysis_cache[key]
    return out


def _file_key(path: str) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def train_arm(tools: Tools, pool: str, tag: str, settings: ExperimentSettings, data_path: str,
              cache: dict, say: Say) -> dict[str, Any]:
    """Train + evaluate the proxy on one pool with every seed (train_proxy, evaluate tools); cached by
    the pool's content, so an unchanged pool (the full data, an unchanged output) is not retrained."""
    cfg_key = hashlib.sha1(json.dumps(settings.model_dump(), sort_keys=True).encode()).hexdigest()[:8]
    key = f"{_file_key(pool)}-{cfg_key}"
    if key in cache:
        say(f"  {tag}: unchanged pool, reusing its {len(cache[key]['values'])} trained model(s)\n")
        return {**cache[key], "reused": True}
    values, losses = [], []
    for seed in settings.seeds:
        t0 = time.perf_counter()
        trained = tools("train_proxy", dataset_path=pool, work_dir=f"models/{key}/s{seed}",
                        config={**settings.trainer(data_path), "seed": seed})
        metrics = tools("evaluate", model_path=trained["model_path"], config=settings.evaluator())
        values.append(float(metrics["perplexity"]))
        losses.append(float(trained.get("train_loss", math.nan)))
        say(f"  {tag}: seed {seed}: held-out perplexity {values[-1]:.1f} "
            f"(train loss {losses[-1]:.2f}, {time.perf_counter() - t0:.1f}s)\n")
    res = {"values": values, "mean": _mean(values), "std": _std(values), "train_loss": losses}
    cache[key] = res
    return res


def _mean(v: list[float]) -> float:
    return sum(v) / len(v) if v else math.nan


def _std(v: list[float]) -> float:
    if len(v) < 2:
        return 0.0
    m = _mean(v)
    return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))


def experiment(tools: Tools, run: dict, data_path: str, settings: ExperimentSettings, cache: dict,
               say: Say) -> dict[str, Any]:
    """Proxy LM on refined vs random-equal-size vs full data; held-out perplexity mean ± std over seeds."""
    from sandbox_engine.sandbox.demo_data import read_jsonl, write_jsonl

    i = run["iteration"]
    root = tools.ws.resolve(f"iter_{i + 1}/arms", write=True)
    full = read_jsonl(data_path)
    n = run["num_out"]
    out: dict[str, Any] = {"metric": "perplexity", "lower_is_better": True, "seeds": list(settings.seeds),
                           "sizes": {"refined": n, "random_equal_size": n, "full_data": len(full)}}
    if n == 0:
        say("  the recipe kept no samples: nothing to train on\n")
        return {**out, "refined": None, "beats_random": False, "beats_full": False}
    pools = {"refined": run["output_path"],
             "random_equal_size": str(write_jsonl(root / "random_equal_size.jsonl",
                                                  random.Random(settings.random_seed).sample(full, n))),
             "full_data": data_path}
    say(f"Training the proxy LM ({settings.n_layer} layers, d={settings.n_embd}, {settings.steps} steps) on "
        f"refined ({n}), random equal size ({n}) and full data ({len(full)}), seeds {settings.seeds}...\n")
    summaries = []
    for arm in ARMS:
        out[arm] = train_arm(tools, pools[arm], arm, settings, data_path, cache, say)
        summary = root / f"{arm}_summary.json"
        summary.write_text(json.dumps({"rows_in": len(full), "rows_out": out["sizes"][arm],
                                       "metrics": {"perplexity": out[arm]["mean"]}}))
        summaries.append(str(summary))
    best = tools("compare_runs", runs=summaries)["best"]
    out["best_arm"] = Path(best).name.replace("_summary.json", "") if best else None
    out["beats_random"] = out["refined"]["mean"] < out["random_equal_size"]["mean"]
    out["beats_full"] = out["refined"]["mean"] < out["full_data"]["mean"]
    return out


# -- check -------------------------------------------------------------------------------------

def decide(target: dict[str, Any], run: dict[str, Any], zh: bool = False) -> tuple[bool, str, str | None]:
    """(goal met, a sentence saying why (in Chinese when `zh`), the problem to fix: too_few / too_many /
    worse_than_random / worse_than_full / None). A stated keep-ratio target decides first; the proxy's perplexity
    must then beat a random pool of the same size. With no target the refined data must beat random and full."""
    from agent.nodes.goals import check_target

    kept = run.get("kept_ratio", 0.0)
    exp = run.get("experiment")
    parts = []
    sep = "；" if zh else "; "
    if target:
        ok, where = check_target(target, run, zh)
        if not ok:
            return False, where, ("too_few" if kept < target.get("min_keep", 0.0) else "too_many")
        parts.append(where)
    if not exp:
        return True, sep.join(parts) or check_target({}, run, zh)[1], None
    if exp.get("refined") is None:
        return False, ("配方没有保留任何样本" if zh else "the recipe kept no samples"), "too_few"
    r, rnd, full = (exp[a]["mean"] for a in ARMS)
    ppl = (f"留出困惑度：精炼后 {_pm(exp['refined'])}，同样大小的随机子集 {_pm(exp['random_equal_size'])}，"
           f"全部数据 {_pm(exp['full_data'])}" if zh else
           f"held-out perplexity refined {_pm(exp['refined'])} vs random equal size {_pm(exp['random_equal_size'])}"
           f" vs full data {_pm(exp['full_data'])}")
    if not exp["beats_random"]:
        return False, sep.join(parts + [ppl + ("：精炼后的数据并不比同样大小的随机子集好" if zh else
                                               ": the refined data is no better than a random pool of its size")]), \
            "worse_than_random"
    if not target and not exp["beats_full"]:
        return False, ppl + ("：精炼后的数据不如全部数据" if zh else ": the refined data does not beat the full data"), \
            "worse_than_full"
    beats = ("随机子集和全部数据" if r < full else "随机子集") if zh else ("random and full" if r < full else "random")
    return True, sep.join(parts + [ppl + (f"：精炼后的数据胜过{beats}" if zh else ": refined beats " + beats)]), None


def _pm(arm: dict) -> str:
    return f"{arm['mean']:.1f} ± {arm['std']:.1f}"


# -- revise ------------------------------------------------------------------------------------

def _removed_alone(run: dict) -> list[tuple[int, str, int]]:
    """(step, op, samples it removes): from the single-op probe when there is one, else the run."""
    pools = (run.get("probe") or {}).get("pools")
    src = pools if pools else run.get("per_op") or []
    return [(i, p["op"], int(p["removed"])) for i, p in enumerate(src)]


def revise(recipe: dict, samples: list[dict], run: dict, problem: str | None, k: float,
           target: dict | None = None) -> tuple[dict, list[dict], str, float]:
    """The next recipe: (recipe, threshold changes, why, new k). Toggled ops show as a change
    {op, arg: '(step)', old: 'on', new: 'off'}."""
    from agent.nodes.engine import ksigma_steps

    filt = [(i, op, n) for i, op, n in _removed_alone(run) if n > 0]
    worst = max(filt, key=lambda t: t[2], default=None)
    if problem is None:  # refine with no target and no experiment: Data-Juicer's k-sigma pass
        new, diff = ksigma_steps(recipe, samples, k, "both")
        return new, diff, f"k-sigma refinement from the data's stats (k={k:g})", k
    if problem in ("too_few", "worse_than_random") and worst is not None:
        new_k = k + 1.0
        new, diff = ksigma_steps(recipe, samples, new_k, "loosen", {worst[0]})
        why = ("too few samples kept" if problem == "too_few" else
               "the refined data trained no better a proxy than a random pool of the same size")
        why += f"; {worst[1]} removes the most on its own ({worst[2]})"
        if diff:
            return new, diff, why + f", so its thresholds move out to mean ± {new_k:g}·std", new_k
        if problem == "worse_than_random" and len(recipe.get("process") or []) > 1:
            return _toggle_off(recipe, worst[0], worst[1]), \
                [{"op": worst[1], "arg": "(step)", "old": "on", "new": "off", "step": worst[0]}], \
                why + ", and it has no threshold left to loosen, so it is turned off", k
        return recipe, [], why, new_k
    new_k = max(k - 1.0, 0.5)
    new, diff = ksigma_steps(recipe, samples, new_k, "tighten")
    why = ("too many samples kept" if problem == "too_many" else
           "the refined data does not beat the full data: noise is still getting through")
    return new, diff, why + f", so the filters tighten to mean ± {new_k:g}·std", new_k


def _toggle_off(recipe: dict, step: int, name: str) -> dict:
    import copy

    new = copy.deepcopy(recipe)
    new["process"] = [s for j, s in enumerate(new.get("process") or []) if j != step]
    return new


def best_run(runs: list[dict]) -> dict | None:
    """The run to hand back: the last one that met the goal, else the lowest refined perplexity, else the
    last one."""
    if not runs:
        return None
    met = [r for r in runs if r.get("target_met")]
    if met:
        return met[-1]
    scored = [r for r in runs if (r.get("experiment") or {}).get("refined")]
    if scored:
        return min(scored, key=lambda r: r["experiment"]["refined"]["mean"])
    return runs[-1]
