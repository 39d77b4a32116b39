"""What `juicebox refine` leaves behind: the final recipe YAML, each version, the diff between
iterations, and report.md."""
from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any


def _yaml(recipe: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(recipe, sort_keys=False, allow_unicode=True, default_flow_style=False)


def write_refine_outputs(state: dict[str, Any], work_dir: str | Path) -> dict[str, str]:
    out = Path(work_dir)
    out.mkdir(parents=True, exist_ok=True)
    versions = state.get("versions") or [{"recipe": state.get("recipe") or {}, "why": "draft"}]
    paths: dict[str, str] = {}
    diffs = []
    for i, v in enumerate(versions):
        (out / f"recipe_v{i}.yaml").write_text(_yaml(v["recipe"]), encoding="utf-8")
        if i:
            a = _yaml(versions[i - 1]["recipe"]).splitlines(keepends=True)
            b = _yaml(v["recipe"]).splitlines(keepends=True)
            diffs.append(f"# v{i - 1} -> v{i}: {v['why']}\n")
            diffs.extend(difflib.unified_diff(a, b, f"recipe_v{i - 1}.yaml", f"recipe_v{i}.yaml"))
    from agent.refine_loop import best_run

    best = best_run(state.get("runs") or [])
    final = out / "recipe.yaml"
    final.write_text(_yaml((best or {}).get("recipe") or state.get("recipe") or versions[-1]["recipe"]),
                     encoding="utf-8")
    diff = out / "iterations.diff"
    diff.write_text("".join(diffs) or "# the recipe did not change between iterations\n", encoding="utf-8")
    plot = perplexity_png(state.get("runs") or [], out / "perplexity.png")
    report = out / "report.md"
    report.write_text(report_markdown(state, plot.name if plot else None), encoding="utf-8")
    (out / "runs.json").write_text(json.dumps(state.get("runs") or [], indent=2, default=str), encoding="utf-8")
    paths.update(recipe=str(final), diff=str(diff), report=str(report), runs=str(out / "runs.json"))
    if plot:
        paths["plot"] = str(plot)
    return paths


def perplexity_png(runs: list[dict[str, Any]], path: Path) -> Path | None:
    """Held-out perplexity per iteration, refined / random equal size / full data, with ± std error bars."""
    its = [r for r in runs if (r.get("experiment") or {}).get("refined")]
    if not its:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    x = [r.get("iteration", 0) + 1 for r in its]
    for j, (arm, label) in enumerate((("refined", "refined (recipe output)"),
                                      ("random_equal_size", "random, equal size"), ("full_data", "full data"))):
        m = [r["experiment"][arm]["mean"] for r in its]
        e = [r["experiment"][arm]["std"] for r in its]
        ax.errorbar([v + (j - 1) * 0.06 for v in x], m, yerr=e, marker="o", capsize=4, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("held-out perplexity (lower is better)")
    ax.set_xticks(x)
    ax.set_title(f"Proxy LM, mean ± std over {len(its[0]['experiment'].get('seeds') or [0])} seed(s)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def report_markdown(state: dict[str, Any], plot: str | None = None) -> str:
    runs = state.get("runs") or []
    lines = ["# Juicebox refine report", "", f"- Goal: {state.get('goal', '')}",
             f"- Data: {state.get('data_path')}", f"- Planner: {state.get('planner')}",
             f"- Target: {state.get('target') or 'none stated (k-sigma refinement from the data stats)'}",
             f"- Iterations run: {len(runs)}", "", "## Plan (final recipe)", ""]
    just = state.get("justifications") or []
    for i, step in enumerate((state.get("recipe") or {}).get("process") or []):
        name, args = next(iter(step.items()))
        lines.append(f"{i + 1}. `{name}` {json.dumps(args or {})}" + (f" — {just[i]}" if i < len(just) else ""))
    lines += ["", "## Runs", "", "| iteration | in | kept | kept % | removed per op | verdict |", "|---|---|---|---|---|---|"]
    for r in runs:
        per_op = ", ".join(f"{p['op']}: {p['removed']}" for p in r.get("per_op") or [])
        lines.append(f"| {r.get('iteration', 0) + 1} | {r['num_in']} | {r['num_out']} | {r['kept_ratio']:.1%} | "
                     f"{per_op} | {r.get('verdict', '')} |")
    exps = [r for r in runs if (r.get("experiment") or {}).get("refined")]
    if exps:
        e0 = exps[0]["experiment"]
        lines += ["", "## Sandbox experiments (proxy LM, held-out perplexity on the clean reference split)", "",
                  f"Tiny GPT-2 proxy trained from scratch for a fixed token budget on each pool, seeds {e0['seeds']}; "
                  "perplexity mean ± std over seeds (lower is better).", "",
                  "| iteration | kept % | refined | random, equal size | full data | refined beats random | "
                  "refined beats full |", "|---|---|---|---|---|---|---|"]
        for r in exps:
            e = r["experiment"]
            cells = [f"{e[a]['mean']:.1f} ± {e[a]['std']:.1f}" for a in ("refined", "random_equal_size", "full_data")]
            lines.append(f"| {r.get('iteration', 0) + 1} | {r['kept_ratio']:.1%} | {' | '.join(cells)} | "
                         f"{'yes' if e['beats_random'] else 'no'} | {'yes' if e['beats_full'] else 'no'} |")
        if plot:
            lines += ["", f"![perplexity per iteration]({plot})"]
    probes = [r for r in runs if (r.get("probe") or {}).get("pools")]
    if probes:
        lines += ["", "## Probe: what each op removes on its own (single-op pools)", "",
                  "| iteration | removed by each op alone |", "|---|---|"]
        for r in probes:
            lines.append(f"| {r.get('iteration', 0) + 1} | " + ", ".join(
                f"{p['op']}: {p['removed']}" for p in r["probe"]["pools"]) + " |")
    from agent.refine_loop import best_run

    best = best_run(runs)
    if best is not None:
        lines += ["", f"Final recipe (recipe.yaml): iteration {best.get('iteration', 0) + 1} "
                  f"({'met the goal' if best.get('target_met') else 'best held-out perplexity; goal not fully met'})."]
    scored = [r for r in runs if r.get("truth")]
    if scored:
        lines += ["", "## Against the ground truth", "", "| iteration | clean kept | noise removed | noise left in output |",
                  "|---|---|---|---|"]
        for r in scored:
            t = r["truth"]
            lines.append(f"| {r.get('iteration', 0) + 1} | {t['clean_kept']:.1%} | {t['noise_removed']:.1%} | "
                         f"{t['noise_share_out']:.1%} |")
    lines += ["", "## What changed and why", ""]
    lines += [f"- {c}" for c in state.get("changes") or []] or ["- nothing: the first recipe was kept"]
    if state.get("notices"):
        lines += ["", "## Notices", ""] + [f"- {n}" for n in state["notices"]]
    lines += ["", "## Answer", "", state.get("answer", ""), ""]
    return "\n".join(lines)


def truth_scores(output_path: str, truth_path: str, data_path: str) -> dict[str, float]:
    """Share of clean samples kept and of noise removed, from per-id truth labels (`kind`)."""
    def ids(path: str) -> list[dict]:
        from agent.nodes.engine import load_samples

        return load_samples(path)

    present = {r.get("id") for r in ids(data_path)}
    kinds = {r["id"]: r.get("kind") for r in ids(truth_path) if r["id"] in present}
    kept = {r.get("id") for r in ids(output_path)}
    clean = [i for i in kinds if kinds[i] == "clean"]
    noise = [i for i in kinds if kinds[i] not in ("clean", None)]
    out_noise = sum(1 for i in kept if i in kinds and kinds[i] not in ("clean", None))
    return {"clean_kept": sum(i in kept for i in clean) / max(len(clean), 1),
            "noise_removed": sum(i not in kept for i in noise) / max(len(noise), 1),
            "noise_share_out": out_noise / max(len(kept), 1)}
