"""Score a planner on the goal suite: exact match (ops and stated arguments) and per-op precision/recall.

    python -m evals.run_planner_eval [--goals-dir DIR] [--show-failures]

The built-in planner is scored unless an LLM endpoint is configured and `--planner llm` is given.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import yaml

GOALS_DIR = Path(__file__).parent / "goals"


def load_goals(path: Path = GOALS_DIR) -> list[dict]:
    goals: list[dict] = []
    files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    for f in files:
        for i, g in enumerate(yaml.safe_load(f.read_text(encoding="utf-8")) or []):
            goals.append({"goal": g["goal"], "expected": g["expected"], "where": f"{f.name}#{i}"})
    return goals


def steps_of(process: list) -> list[tuple[str, dict]]:
    out = []
    for item in process or []:
        if isinstance(item, str):
            out.append((item, {}))
        else:
            (op, args), = item.items()
            out.append((op, dict(args or {})))
    return out


def _norm(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v


def same_step(a: tuple[str, dict], b: tuple[str, dict]) -> bool:
    return a[0] == b[0] and {k: _norm(v) for k, v in a[1].items()} == {k: _norm(v) for k, v in b[1].items()}


def score(cases: list[dict], plan: Callable[[str], list]) -> dict:
    """Run `plan(goal) -> process list` on every case; return the metrics and the failures."""
    exact = ordered = 0
    tp, fp, fn = Counter(), Counter(), Counter()
    failures = []
    for c in cases:
        got = steps_of(plan(c["goal"]))
        exp = steps_of(c["expected"])
        unordered_ok = len(got) == len(exp) and all(any(same_step(g, e) for g in got) for e in exp)
        exact += unordered_ok
        ordered += len(got) == len(exp) and all(same_step(g, e) for g, e in zip(got, exp))
        g_ops, e_ops = Counter(op for op, _ in got), Counter(op for op, _ in exp)
        for op in set(g_ops) | set(e_ops):
            tp[op] += min(g_ops[op], e_ops[op])
            fp[op] += max(0, g_ops[op] - e_ops[op])
            fn[op] += max(0, e_ops[op] - g_ops[op])
        if not unordered_ok:
            failures.append({"goal": c["goal"], "where": c.get("where", ""), "expected": c["expected"],
                             "got": [{op: a} for op, a in got]})
    n = max(len(cases), 1)
    per_op = {}
    for op in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[op] / (tp[op] + fp[op]) if tp[op] + fp[op] else 0.0
        r = tp[op] / (tp[op] + fn[op]) if tp[op] + fn[op] else 0.0
        per_op[op] = {"precision": round(p, 3), "recall": round(r, 3), "support": tp[op] + fn[op]}
    T, P, F = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {"n": len(cases), "exact": exact / n, "exact_ordered": ordered / n,
            "op_precision": T / (T + P) if T + P else 0.0, "op_recall": T / (T + F) if T + F else 0.0,
            "per_op": per_op, "failures": failures}


def builtin_plan_fn(use_catalog: bool = False) -> tuple[str, Callable[[str], list]]:
    from agent.planner import builtin_planner

    planner = builtin_planner(use_catalog=use_catalog)
    return planner.name, lambda goal: planner.plan(goal).recipe["process"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--goals", "--goals-dir", dest="goals", type=Path, default=GOALS_DIR,
                    help="a folder of goal YAML files (e.g. evals/goals_blind) or one YAML file")
    ap.add_argument("--catalog", action="store_true", help="let the planner use the operator catalog")
    ap.add_argument("--show-failures", action="store_true")
    a = ap.parse_args(argv)
    name, plan = builtin_plan_fn(a.catalog)
    res = score(load_goals(a.goals), plan)
    print(f"planner: {name}")
    print(f"goals: {res['n']}  exact: {res['exact']:.1%}  exact (ordered): {res['exact_ordered']:.1%}  "
          f"op precision: {res['op_precision']:.1%}  op recall: {res['op_recall']:.1%}")
    print(f"{'op':44} {'prec':>6} {'recall':>6} {'n':>4}")
    for op, m in res["per_op"].items():
        print(f"{op:44} {m['precision']:6.2f} {m['recall']:6.2f} {m['support']:4d}")
    if a.show_failures:
        for f in res["failures"]:
            print(f"\n✗ {f['where']}: {f['goal']}\n  expected: {f['expected']}\n  got:      {f['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
