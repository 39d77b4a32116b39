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
    final = out / "recipe.yaml"
    final.write_text(_yaml(state.get("recipe") or versions[-1]["recipe"]), encoding="utf-8")
    diff = out / "iterations.diff"
    diff.write_text("".join(diffs) or "# the recipe did not change between iterations\n", encoding="utf-8")
    report = out / "report.md"
    report.write_text(report_markdown(state), encoding="utf-8")
    (out / "runs.json").write_text(json.dumps(state.get("runs") or [], indent=2, default=str), encoding="utf-8")
    paths.update(recipe=str(final), diff=str(diff), report=str(report))
    return paths


def report_markdown(state: dict[str, Any]) -> str:
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

    kinds = {r["id"]: r.get("kind") for r in ids(truth_path)}
    kept = {r.get("id") for r in ids(output_path)}
    clean = [i for i in kinds if kinds[i] == "clean"]
    noise = [i for i in kinds if kinds[i] not in ("clean", None)]
    out_noise = sum(1 for i in kept if i in kinds and kinds[i] not in ("clean", None))
    return {"clean_kept": sum(i in kept for i in clean) / max(len(clean), 1),
            "noise_removed": sum(i not in kept for i in noise) / max(len(noise), 1),
            "noise_share_out": out_noise / max(len(kept), 1)}
