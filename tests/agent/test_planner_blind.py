"""The built-in planner on the blind goal suite (goals written before reading the planner): it must
generalise beyond the suite it was tuned on."""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.run_planner_eval import builtin_plan_fn, load_goals, score

BLIND = Path(__file__).resolve().parents[2] / "evals" / "goals_blind"
TUNED = Path(__file__).resolve().parents[2] / "evals" / "goals"


@pytest.fixture(scope="module")
def plan():
    return builtin_plan_fn(use_catalog=False)[1]


def _report(res: dict) -> str:
    return "\n".join(f"{f['where']}: {f['goal']}\n  expected {f['expected']}\n  got      {f['got']}"
                     for f in res["failures"])


def test_blind_suite_is_large_and_well_formed() -> None:
    cases = load_goals(BLIND)
    assert len(cases) >= 100
    assert len({c["goal"] for c in cases}) == len(cases)
    for c in cases:
        assert c["expected"], c["where"]


def test_blind_suite_floor(plan) -> None:
    res = score(load_goals(BLIND), plan)
    assert res["exact"] >= 0.9, _report(res)
    assert res["op_recall"] >= 0.95 and res["op_precision"] >= 0.95, _report(res)


def test_tuned_suite_still_passes(plan) -> None:
    res = score(load_goals(TUNED), plan)
    assert res["exact"] >= 0.95, _report(res)


def test_score_counts_a_wrong_argument_as_a_miss() -> None:
    cases = [{"goal": "g", "expected": [{"text_length_filter": {"min_len": 50}}]}]
    assert score(cases, lambda g: [{"text_length_filter": {"min_len": 50}}])["exact"] == 1.0
    assert score(cases, lambda g: [{"text_length_filter": {"min_len": 51}}])["exact"] == 0.0
    assert score(cases, lambda g: [{"text_length_filter": {"min_len": 50}}, "document_deduplicator"])["exact"] == 0.0
