"""Score a planner on the goal suite: exact match (ops and stated arguments) and per-op precision/recall.

    python -m evals.run_planner_eval [--goals-dir DIR] [--show-failures] [--per-file] [--cli]
    python -m evals.run_planner_eval --planner llm --base-url URL --model NAME [--goals-dir D] [--limit N]

Entries with `expected` are scored exact; entries with `required`/`forbidden` (vague goals) pass when
every required item (an op, or any op of an inner list) is in the plan and no forbidden op is.

The built-in planner is scored unless an LLM endpoint is configured and `--planner llm` is given.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
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
            case = {"goal": g["goal"], "where": f"{f.name}#{i}"}
            if "expected" in g:
                case["expected"] = g["expected"]
            else:
                case["required"], case["forbidden"] = g.get("required") or [], g.get("forbidden") or []
            goals.append(case)
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


def required_ok(case: dict, process: list) -> bool:
    """A vague goal passes when each required item (an op, or a list of alternatives) is planned
    and no forbidden op is."""
    ops = {op for op, _ in steps_of(process)}
    need = all((set(r) & ops) if isinstance(r, list) else r in ops for r in case.get("required") or [])
    return need and not ops & set(case.get("forbidden") or [])


def _opposite(arg: str) -> str | None:
    for a, b in (("min_", "max_"), ("max_", "min_"), ("lower_", "upper_"), ("upper_", "lower_")):
        if arg.startswith(a):
            return b + arg[len(a):]
    return None


def step_polarity_errors(expected: list, got: list) -> int:
    """Expected bounds that the plan put on the opposite side (min_len 50 expected, max_len 50 got),
    plus `reversed_range` dropped or added on a step whose bounds are right."""
    errors = 0
    got_steps = steps_of(got)
    for op, exp_args in steps_of(expected):
        cands = [a for g_op, a in got_steps if g_op == op]
        for arg, val in exp_args.items():
            opp = _opposite(arg)
            if opp is None or isinstance(val, bool):
                continue
            if any(_norm(a.get(opp)) == _norm(val) and _norm(a.get(arg)) != _norm(val) for a in cands):
                errors += 1
        bounds = {k: _norm(v) for k, v in exp_args.items() if _opposite(k) and not isinstance(v, bool)}
        if bounds and any({k: _norm(a.get(k)) for k in bounds} == bounds
                          and bool(a.get("reversed_range")) != bool(exp_args.get("reversed_range"))
                          for a in cands):
            errors += 1
    return errors


def polarity_errors(cases: list[dict], plan: Callable[[str], list]) -> int:
    """Count steps where the planner put a stated number on the opposite bound (exact cases only)."""
    return sum(step_polarity_errors(c["expected"], plan(c["goal"])) for c in cases if "expected" in c)


def score(cases: list[dict], plan: Callable[[str], list]) -> dict:
    """Run `plan(goal) -> process list` on every case; return the metrics and the failures.

    `exact`, precision and recall cover the entries with `expected`; `pass` covers those with
    `required`/`forbidden` (`n_required` of them)."""
    exact = ordered = passed = 0
    tp, fp, fn = Counter(), Counter(), Counter()
    failures = []
    vague = [c for c in cases if "expected" not in c]
    for c in vague:
        process = plan(c["goal"])
        if required_ok(c, process):
            passed += 1
        else:
            failures.append({"goal": c["goal"], "where": c.get("where", ""),
                             "expected": {"required": c["required"], "forbidden": c["forbidden"]},
                             "got": [{op: a} for op, a in steps_of(process)]})
    cases = [c for c in cases if "expected" in c]
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
            "n_required": len(vague), "pass": passed / max(len(vague), 1),
            "op_precision": T / (T + P) if T + P else 0.0, "op_recall": T / (T + F) if T + F else 0.0,
            "per_op": per_op, "failures": failures}


def retrieval_recall(cases: list[dict], ks: tuple[int, ...] = (1, 3, 5, 10)) -> dict[int, float]:
    """Recall@k of the built-in planner's retrieval: the share of expected (or required) operators that
    appear among the top k operators retrieved for some piece of the goal."""
    from agent.planner import builtin_planner

    planner = builtin_planner()
    found = {k: 0 for k in ks}
    total = 0
    for c in cases:
        wanted = [op for op, _ in steps_of(c["expected"])] if "expected" in c else \
            [r if isinstance(r, str) else r[0] for r in c.get("required") or []]
        alts = [{op} for op in wanted] if "expected" in c else \
            [{r} if isinstance(r, str) else set(r) for r in c.get("required") or []]
        pieces = planner.plan(c["goal"]).retrieved
        for want in alts:
            total += 1
            for k in ks:
                found[k] += any(want & set(p[:k]) for p in pieces)
    return {k: found[k] / max(total, 1) for k in ks}


def builtin_plan_fn(use_catalog: bool = False) -> tuple[str, Callable[[str], list]]:
    from agent.planner import builtin_planner

    planner = builtin_planner(use_catalog=use_catalog)
    return planner.name, lambda goal: planner.plan(goal).recipe["process"]


def cli_plan_fn() -> tuple[str, Callable[[str], list]]:
    """Plan through the real command, as a user would: `juicebox plan GOAL --format json`."""
    exe = shutil.which("juicebox", path=str(Path(sys.executable).parent)) or shutil.which("juicebox")
    if exe is None:
        raise SystemExit("--cli: no `juicebox` command next to this Python or on PATH; run `make install`")

    def plan(goal: str) -> list:
        r = subprocess.run([exe, "plan", goal, "--format", "json"], capture_output=True, text=True,
                           encoding="utf-8")
        if r.returncode != 0:
            print(f"juicebox plan failed ({r.returncode}) for {goal!r}: {r.stderr.strip()[-300:]}",
                  file=sys.stderr)
            return []
        return json.loads(r.stdout).get("process") or []

    return f"cli ({exe})", plan


def llm_plan_fn(base_url: str, model: str, timeout: float = 120.0) -> tuple[str, Callable[[str], list], dict]:
    """The LLM planner alone against an endpoint: a goal it falls back on scores as a miss; the stats
    count fallbacks (by error kind), repaired drafts and the seconds each goal took."""
    import time

    from agent.llm import LLMClient, LLMConfig, LLMError
    from agent.nodes.planning import LLMPlanner

    planner = LLMPlanner(LLMClient(LLMConfig(base_url=base_url, model=model, timeout=timeout, max_retries=0)))
    stats: dict[str, Any] = {"goals": 0, "fallbacks": Counter(), "repaired": 0, "seconds": []}

    def plan(goal: str) -> list:
        started = time.perf_counter()
        stats["goals"] += 1
        try:
            out = planner.draft(goal)
            stats["repaired"] += bool(out.get("notes"))
            return out["recipe"]["process"]
        except LLMError as err:
            stats["fallbacks"][err.kind] += 1
            print(f"fallback ({err.kind}) for {goal!r}: {str(err)[:200]}", file=sys.stderr)
            return []
        finally:
            stats["seconds"].append(time.perf_counter() - started)
            print(f"[{stats['goals']}] {stats['seconds'][-1]:.1f}s {goal[:70]!r}", file=sys.stderr, flush=True)

    return planner.name, plan, stats


def llm_stats_line(stats: dict) -> str:
    n, secs = max(stats["goals"], 1), stats["seconds"] or [0.0]
    fb = sum(stats["fallbacks"].values())
    kinds = ", ".join(f"{k} {v}" for k, v in stats["fallbacks"].most_common()) or "none"
    return (f"LLM fallback rate: {fb / n:.1%} ({fb} of {stats['goals']}: {kinds}); repaired drafts: "
            f"{stats['repaired']}; seconds per goal: mean {sum(secs) / len(secs):.1f}, max {max(secs):.1f}")


def memoised(plan: Callable[[str], list]) -> Callable[[str], list]:
    cache: dict[str, list] = {}
    return lambda goal: cache[goal] if goal in cache else cache.setdefault(goal, plan(goal))


def per_file_lines(cases: list[dict], plan: Callable[[str], list]) -> list[str]:
    """One line per goal file: exact rate and/or pass rate, and the polarity-error count."""
    files: dict[str, list[dict]] = {}
    for c in cases:
        files.setdefault(c.get("where", "").split("#")[0], []).append(c)
    lines = []
    for name, fc in files.items():
        res, parts = score(fc, plan), []
        if res["n"]:
            parts.append(f"exact {res['exact']:6.1%} of {res['n']:3d}")
        if res["n_required"]:
            parts.append(f"pass {res['pass']:6.1%} of {res['n_required']:3d}")
        parts.append(f"polarity errors {polarity_errors(fc, plan)}")
        lines.append(f"{name:24} " + "  ".join(parts))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--goals", "--goals-dir", dest="goals", type=Path, default=GOALS_DIR,
                    help="a folder of goal YAML files (e.g. evals/goals_blind) or one YAML file")
    ap.add_argument("--catalog", action="store_true", help="let the planner use the operator catalog")
    ap.add_argument("--show-failures", action="store_true")
    ap.add_argument("--per-file", action="store_true", help="also print a score per goal file")
    ap.add_argument("--cli", action="store_true",
                    help="plan through the real `juicebox plan GOAL --format json` command (subprocess)")
    ap.add_argument("--planner", choices=("builtin", "llm"), default="builtin",
                    help="llm: the LLM planner against --base-url / --model (fallbacks score as misses)")
    ap.add_argument("--base-url", default=None, help="OpenAI-compatible endpoint for --planner llm")
    ap.add_argument("--model", default="default", help="model name the endpoint serves")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N goals")
    ap.add_argument("--recall", action="store_true", help="also print the built-in planner's retrieval recall@k")
    a = ap.parse_args(argv)
    stats = None
    if a.planner == "llm":
        if not a.base_url:
            ap.error("--planner llm needs --base-url (e.g. http://127.0.0.1:8080/v1)")
        name, plan, stats = llm_plan_fn(a.base_url, a.model)
    else:
        name, plan = cli_plan_fn() if a.cli else builtin_plan_fn(a.catalog)
    plan = memoised(plan)
    cases = load_goals(a.goals)[:a.limit]
    res = score(cases, plan)
    print(f"planner: {name}")
    if res["n"] or not res["n_required"]:
        print(f"goals: {res['n']}  exact: {res['exact']:.1%}  exact (ordered): {res['exact_ordered']:.1%}  "
              f"op precision: {res['op_precision']:.1%}  op recall: {res['op_recall']:.1%}")
    if res["n_required"]:
        print(f"vague goals: {res['n_required']}  pass: {res['pass']:.1%}")
    print(f"polarity errors: {polarity_errors(cases, plan)}")
    if a.recall:
        print("retrieval recall@k: " + "  ".join(f"@{k} {v:.1%}" for k, v in retrieval_recall(cases).items()))
    if stats is not None:
        print(llm_stats_line(stats))
    if a.per_file:
        for line in per_file_lines(cases, plan):
            print(line)
    print(f"{'op':44} {'prec':>6} {'recall':>6} {'n':>4}")
    for op, m in res["per_op"].items():
        print(f"{op:44} {m['precision']:6.2f} {m['recall']:6.2f} {m['support']:4d}")
    if a.show_failures:
        for f in res["failures"]:
            print(f"\n✗ {f['where']}: {f['goal']}\n  expected: {f['expected']}\n  got:      {f['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
