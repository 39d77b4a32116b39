"""Write the goal suites' labelled requests as training examples for the planner's request classifier.

    python -m evals.export_requests [--exclude 44] [--out agent/planner/data/labelled_requests.jsonl]

One JSON line per goal: its text, the operators it asks for (an exact goal's steps; a vague goal's
required operators, the first of each alternative) and the suite it comes from, so that a measurement can
hold suites out of training (`JUICEBOX_INTENT_HOLDOUT=35,36`)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from evals.run_planner_eval import load_goals, steps_of

ROOT = Path(__file__).resolve().parent
OUT = ROOT.parent / "agent" / "planner" / "data" / "labelled_requests.jsonl"


def suite_name(folder: Path) -> str:
    return folder.name.removeprefix("goals_heldout") if folder.name.startswith("goals_heldout") else folder.name


def rows(exclude: set[str]) -> list[dict]:
    out = []
    for folder in sorted(ROOT.glob("goals*")):
        if not folder.is_dir() or suite_name(folder) in exclude:
            continue
        for case in load_goals(folder):
            if "expected" in case:
                ops = [name for name, _ in steps_of(case["expected"])]
            else:
                ops = [r if isinstance(r, str) else r[0] for r in case.get("required") or []]
            if ops:
                out.append({"text": case["goal"], "ops": ops, "suite": suite_name(folder)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exclude", default="", help="suites to leave out, comma-separated (e.g. 44)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = rows({s for s in args.exclude.split(",") if s})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(data)} labelled requests -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
