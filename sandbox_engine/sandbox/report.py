"""summary.json (every job's outputs and metrics, best recipe, `comparison`) and report.md with PNG plots."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


def _jsonable(v: Any) -> Any:
    return json.loads(json.dumps(v, default=str))


def _walk(v: Any):
    yield v
    if isinstance(v, dict):
        for x in v.values():
            yield from _walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from _walk(x)


def _pool_results(records: list[dict]) -> list[tuple[str, list[dict]]]:
    """Per TrainModelHook job: its per-pool results (dicts with dataset_path, metrics, metrics_std)."""
    out = []
    for r in records:
        if r["hook"] == "TrainModelHook":
            res = next(iter(r["outputs"].values()), [])
            if isinstance(res, list) and res and isinstance(res[0], dict) and "metrics" in res[0]:
                out.append((f"{r['pipeline']}.{r['meta_name']}", res))
    return out


def write_summary(runner: Any, seconds: float, error: str | None) -> dict:
    cfg, records, wd = runner.cfg, runner.records, Path(runner.work_dir)
    comparison, best_recipe, failed = None, None, []
    for r in records:
        for v in _walk(r["outputs"]):
            if isinstance(v, dict) and {"metric", "refined", "random_equal_size", "full_data"} <= set(v):
                comparison = v
            if isinstance(v, dict) and v.get("error") and "seed" in v:
                failed.append({"job": f"{r['pipeline']}.{r['meta_name']}", "dataset_path": v.get("dataset_path"),
                               "seed": v.get("seed"), "error": v["error"]})
        if r["hook"] in ("RefineRecipeViaKSigmaHook", "RefineRecipeViaModelFeedbackHook"):
            first = next(iter(r["outputs"].values()), None)
            if isinstance(first, str):
                best_recipe = first
    summary = {"project_name": cfg.project_name, "experiment_name": cfg.experiment_name, "work_dir": str(wd),
               "finished_at": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": round(seconds, 1),
               "status": "failed" if error else "ok", "error": error,
               "iterations": len(runner.context.get("iterations", [])),
               "finished_pipelines": runner.context.get("finished", []),
               "jobs": _jsonable(records), "best_recipe": best_recipe, "failed_experiments": failed}
    if comparison:
        summary["comparison"] = _jsonable(comparison)
    wd.mkdir(parents=True, exist_ok=True)
    (wd / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    try:
        write_report(summary, wd)
    except Exception as err:  # a plot failing must not hide the results
        (wd / "report.md").write_text(f"# Sandbox report\n\nreport failed: {err}\n")
    return summary


def _short(path: str) -> str:
    return Path(str(path)).name.replace(".jsonl", "")


def plot_pools(name: str, results: list[dict], out: Path) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [k for k in (results[0].get("metrics") or {})]
    if not metrics:
        return None
    m = metrics[0]
    labels = [_short(r["dataset_path"]) for r in results]
    vals = [r["metrics"].get(m, float("nan")) for r in results]
    errs = [r.get("metrics_std", {}).get(m, 0.0) for r in results]
    fig, ax = plt.subplots(figsize=(max(5, 0.35 * len(labels) + 2), 4))
    ax.bar(range(len(vals)), vals, yerr=errs, capsize=3, color="#4c72b0")
    ax.set_xticks(range(len(vals)))
    ax.set_xticklabels(labels, rotation=75, ha="right", fontsize=7)
    ax.set_ylabel(f"{m} (mean ± std over seeds)")
    ax.set_title(name)
    lo = min(v - e for v, e in zip(vals, errs) if v == v) if any(v == v for v in vals) else 0
    hi = max(v + e for v, e in zip(vals, errs) if v == v) if any(v == v for v in vals) else 1
    ax.set_ylim(lo - 0.05 * (hi - lo + 1e-9), hi + 0.05 * (hi - lo + 1e-9))
    fig.tight_layout()
    path = out / f"pools_{name.replace('.', '_')}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path.name


def plot_comparison(comp: dict, out: Path) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    arms = ["refined", "random_equal_size", "full_data"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(arms, [comp[a] for a in arms], yerr=[comp.get(f"{a}_std") or 0 for a in arms], capsize=4,
           color=["#55a868", "#8172b2", "#c44e52"])
    ax.set_ylabel(f"{comp['metric']} ({'lower' if comp['lower_is_better'] else 'higher'} is better)")
    ax.set_title(f"proxy model, mean ± std over {comp['seeds']} seeds")
    fig.tight_layout()
    fig.savefig(out / "comparison.png", dpi=100)
    plt.close(fig)
    return "comparison.png"


def write_report(summary: dict, wd: Path) -> None:
    lines = [f"# Sandbox report: {summary['project_name']} / {summary['experiment_name']}", "",
             f"Status: **{summary['status']}** in {summary['seconds']} s, {summary['iterations']} iteration(s).", ""]
    if summary.get("error"):
        lines += [f"Error: `{summary['error']}`", ""]
    comp = summary.get("comparison")
    if comp and comp.get("refined") is not None:
        lb = comp["lower_is_better"]
        fmt = lambda a: f"{comp[a]:.4g} ± {comp.get(a + '_std') or 0:.2g}"  # noqa: E731
        lines += ["## Refined recipe vs baselines", "",
                  f"| data | size | {comp['metric']} ({'lower' if lb else 'higher'} is better, {comp['seeds']} seeds) |",
                  "|---|---|---|"]
        for a in ("refined", "random_equal_size", "full_data"):
            lines.append(f"| {a} | {comp.get('sizes', {}).get(a, '')} | {fmt(a)} |")
        verdict = []
        for other, key in (("a random pool of equal size", "refined_beats_random"), ("the full data", "refined_beats_full")):
            if key in comp:
                verdict.append(f"{'beats' if comp[key] else 'does NOT beat'} {other}")
        lines += ["", f"The refined recipe's proxy model {' and '.join(verdict)} on {comp['metric']} "
                  f"(mean over {comp['seeds']} seeds).", "", f"![comparison]({plot_comparison(comp, wd)})", ""]
    if summary.get("best_recipe"):
        lines += [f"Best recipe: `{summary['best_recipe']}`", ""]
    pools = _pool_results_from_summary(summary)
    noise = {v["dataset_path"]: v["noise_ratio"] for j in summary["jobs"] for v in _walk(j["outputs"])
             if isinstance(v, dict) and "noise_ratio" in v and "dataset_path" in v}
    for name, res in pools:
        metric = next(iter(res[0].get("metrics") or {}), None)
        if metric is None:
            continue
        has_noise = all(r["dataset_path"] in noise for r in res)
        extra = " injected noise |" if has_noise else ""
        lines += [f"## {name}: {metric} per data pool", "", f"| pool | {metric} | std | seeds | errors |{extra}",
                  "|---|---|---|---|---|" + ("---|" if has_noise else "")]
        lower = metric in ("perplexity", "loss")
        order = sorted(res, key=lambda r: r["metrics"].get(metric, float("nan")), reverse=not lower)
        for r in order:
            cell = f" {100 * noise[r['dataset_path']]:.1f}% |" if has_noise else ""
            lines.append(f"| {_short(r['dataset_path'])} | {r['metrics'].get(metric, float('nan')):.4g} | "
                         f"{r.get('metrics_std', {}).get(metric, 0):.2g} | {r.get('seeds')} | {len(r.get('errors') or [])} |{cell}")
        if has_noise and len(res) > 2:
            from scipy.stats import spearmanr

            rho = spearmanr([noise[r["dataset_path"]] for r in res], [r["metrics"].get(metric) for r in res])[0]
            lines += ["", f"Spearman correlation between a pool's share of injected noise (ground truth) and its "
                      f"{metric}: {rho:.2f} ({'a noisier pool trains a worse proxy model' if rho * (1 if lower else -1) >= 0.3 else 'no clear link'}). Pools are listed best first."]
        png = plot_pools(name, res, wd)
        if png:
            lines += ["", f"![{name}]({png})", ""]
    for job in summary["jobs"]:
        if job["hook"] == "ProbeViaAnalyzerHook":
            heat = Path(summary["work_dir"]) / f"iter_{job['iter']}" / job["pipeline"] / job["meta_name"] / "analysis"
            pngs = sorted(heat.glob("*spearman*.png")) + sorted(heat.glob("*pearson*.png"))
            if pngs:
                rel = pngs[0].relative_to(wd)
                lines += [f"## Stat correlations ({job['pipeline']}.{job['meta_name']})", "", f"![heatmap]({rel})", ""]
    for job in summary["jobs"]:  # components that render their own results (e.g. rating selection vs random)
        for v in _walk(job["outputs"]):
            if isinstance(v, dict) and isinstance(v.get("markdown"), str):
                lines += [f"## {job['pipeline']}.{job['meta_name']}", "", v["markdown"], ""]
    if summary["failed_experiments"]:
        lines += ["## Failed experiments", ""]
        lines += [f"- {f['job']} {_short(f['dataset_path'] or '')} seed {f['seed']}: {f['error']}"
                  for f in summary["failed_experiments"]]
        lines.append("")
    lines += ["## Jobs", "", "| iter | pipeline | job | hook | seconds |", "|---|---|---|---|---|"]
    lines += [f"| {j['iter']} | {j['pipeline']} | {j['meta_name']} | {j['hook']} | {j['seconds']} |"
              for j in summary["jobs"]]
    (wd / "report.md").write_text("\n".join(lines) + "\n")


def _pool_results_from_summary(summary: dict) -> list[tuple[str, list[dict]]]:
    return _pool_results(summary["jobs"])
