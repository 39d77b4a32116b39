"""Loop eval: does `juicebox refine` beat the unrefined recipe on the demo set?

Runs the refine loop on the shipped noisy text set (the demo goal, built-in planner, approval given) and
compares the held-out perplexity (clean reference split) of the tiny proxy LM trained on
  - the refined recipe's output (the recipe the loop hands back),
  - the first drafted recipe's output (iteration 1, before any revision),
  - a random pool of the refined output's size, and the full data,
each mean ± std over the seeds, plus the ground-truth noise scores of both recipes' outputs.

    python -m evals.run_loop_eval [--seeds 3] [--quick] [--max-iters 3] [--work-dir outputs/loop_eval] [--strict]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def evaluate_loop(work_dir: Path, max_iters: int = 3, seeds: int | None = None, quick: bool = False,
                  data: str | None = None, truth: str | None = None, goal: str | None = None,
                  experiment: dict | None = None) -> dict:
    from rich.console import Console

    from agent.cli_chat import DEMO_GOAL, demo_data, run_refine
    from agent.nodes.report import truth_scores
    from agent.refine_loop import best_run, settings_for

    if data is None:
        d, t = demo_data(work_dir)
        data, truth = str(d), (str(t) if t else None)
    exp = experiment or settings_for(seeds, quick).model_dump()
    state = run_refine(goal or DEMO_GOAL, data, max_iters, True, work_dir, experiment=exp,
                       console=Console(stderr=True, highlight=False))
    runs = state.get("runs") or []
    if not runs or not (runs[0].get("experiment") or {}).get("refined"):
        raise SystemExit("the loop produced no trained proxy results")
    draft, final = runs[0], best_run(runs)

    def arm(run: dict, name: str) -> dict:
        a = run["experiment"][name]
        return {"mean": round(a["mean"], 3), "std": round(a["std"], 3), "values": [round(v, 3) for v in a["values"]]}

    out = {"goal": goal or DEMO_GOAL, "seeds": exp["seeds"], "iterations": len(runs),
           "final_iteration": final.get("iteration", 0) + 1,
           "refined": {"kept_ratio": final["kept_ratio"], "perplexity": arm(final, "refined")},
           "unrefined_draft": {"kept_ratio": draft["kept_ratio"], "perplexity": arm(draft, "refined")},
           "random_equal_size": {"kept_ratio": final["kept_ratio"], "perplexity": arm(final, "random_equal_size")},
           "full_data": {"kept_ratio": 1.0, "perplexity": arm(final, "full_data")},
           "changes": state.get("changes") or []}
    if truth:
        out["refined"]["truth"] = truth_scores(final["output_path"], truth, data)
        out["unrefined_draft"]["truth"] = truth_scores(draft["output_path"], truth, data)
    r, d = out["refined"]["perplexity"]["mean"], out["unrefined_draft"]["perplexity"]["mean"]
    out["refined_beats_draft"] = r < d
    out["refined_beats_random"] = r < out["random_equal_size"]["perplexity"]["mean"]
    out["refined_beats_full"] = r < out["full_data"]["perplexity"]["mean"]
    out["same_recipe_as_draft"] = final is draft
    return out


def print_table(res: dict) -> None:
    print(f"Loop eval: {res['iterations']} iteration(s), final recipe from iteration {res['final_iteration']}, "
          f"seeds {res['seeds']}")
    print(f"{'pool':<22} {'kept':>7} {'perplexity (mean ± std)':>26}  {'clean kept':>10} {'noise removed':>13}")
    for name in ("refined", "unrefined_draft", "random_equal_size", "full_data"):
        row = res[name]
        p = row["perplexity"]
        t = row.get("truth") or {}
        tk = f"{t['clean_kept']:.1%}" if t else "-"
        tn = f"{t['noise_removed']:.1%}" if t else "-"
        print(f"{name:<22} {row['kept_ratio']:>7.1%} {p['mean']:>18.1f} ± {p['std']:<5.1f}  {tk:>10} {tn:>13}")
    if res["same_recipe_as_draft"]:
        print("The first draft already met the goal: the loop handed it back unchanged.")
    print(f"refined beats the unrefined draft: {res['refined_beats_draft']}; beats random equal size: "
          f"{res['refined_beats_random']}; beats full data: {res['refined_beats_full']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=None, help="proxy training seeds (default 3)")
    ap.add_argument("--quick", action="store_true", help="1 seed, fewer steps")
    ap.add_argument("--max-iters", type=int, default=3)
    ap.add_argument("--work-dir", type=Path, default=Path("outputs/loop_eval"))
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    ap.add_argument("--strict", action="store_true", help="exit 1 unless refined beats the draft and random")
    a = ap.parse_args(argv)
    res = evaluate_loop(a.work_dir, a.max_iters, a.seeds, a.quick)
    print_table(res)
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))
    ok = (res["refined_beats_draft"] or res["same_recipe_as_draft"]) and res["refined_beats_random"]
    return 0 if ok or not a.strict else 1


if __name__ == "__main__":
    sys.exit(main())
