"""Scoring of the planner evaluation: vague goals (required/forbidden) and polarity errors.

Uses fake plan functions; the real planner is not run here."""
from pathlib import Path

import yaml

from evals.run_planner_eval import load_goals, polarity_errors, required_ok, score

HELDOUT = Path(__file__).resolve().parents[2] / "evals" / "goals_heldout"
DEDUP = ["document_deduplicator", "document_minhash_deduplicator"]


def fake(plans: dict[str, list]):
    return lambda goal: plans[goal]


def test_required_and_forbidden_scoring():
    cases = [
        {"goal": "a", "required": ["language_id_score_filter", DEDUP], "forbidden": ["image_nsfw_filter"]},
        {"goal": "b", "required": ["language_id_score_filter", DEDUP], "forbidden": []},
        {"goal": "c", "required": [DEDUP], "forbidden": ["image_nsfw_filter"]},
        {"goal": "d", "required": [], "forbidden": ["random_selector"]},
    ]
    plans = {
        "a": [{"language_id_score_filter": {"lang": "en"}}, {"document_minhash_deduplicator": {}}],
        "b": [{"language_id_score_filter": {"lang": "en"}}],  # no dedup alternative
        "c": [{"document_deduplicator": {}}, {"image_nsfw_filter": {}}],  # a forbidden op
        "d": [{"text_length_filter": {"min_len": 5}}],
    }
    res = score(cases, fake(plans))
    assert res["n_required"] == 4 and res["pass"] == 0.5
    assert sorted(f["goal"] for f in res["failures"]) == ["b", "c"]
    assert required_ok(cases[0], ["language_id_score_filter", "document_deduplicator"])


def test_exact_and_vague_cases_mix():
    cases = [{"goal": "x", "expected": [{"text_length_filter": {"min_len": 50}}]},
             {"goal": "y", "required": ["clean_html_mapper"], "forbidden": []}]
    res = score(cases, fake({"x": [{"text_length_filter": {"min_len": 50.0}}], "y": []}))
    assert (res["n"], res["exact"], res["n_required"], res["pass"]) == (1, 1.0, 1, 0.0)


def test_polarity_errors_counts_only_flipped_bounds():
    cases = [
        {"goal": "flip", "expected": [{"text_length_filter": {"min_len": 50}}]},
        {"goal": "right", "expected": [{"text_length_filter": {"max_len": 2000}}]},
        {"goal": "wrong number", "expected": [{"perplexity_filter": {"max_ppl": 1500}}]},
        {"goal": "range", "expected": [{"words_num_filter": {"min_num": 10, "max_num": 20}}]},
        {"goal": "between", "expected": [{"text_length_filter": {"min_len": 100, "max_len": 500,
                                                                 "reversed_range": True}}]},
        {"goal": "vague", "required": ["clean_html_mapper"], "forbidden": []},
    ]
    plans = {
        "flip": [{"text_length_filter": {"max_len": 50}}],
        "right": [{"text_length_filter": {"max_len": 2000}}],
        "wrong number": [{"perplexity_filter": {"max_ppl": 1000}}],
        "range": [{"words_num_filter": {"min_num": 20, "max_num": 10}}],
        "between": [{"text_length_filter": {"min_len": 100, "max_len": 500}}],
        "vague": [],
    }
    assert polarity_errors(cases, fake(plans)) == 1 + 0 + 0 + 2 + 1


def test_heldout_sets_load_and_use_registered_ops():
    from sandbox_engine.ops.base import load_builtin_ops

    ops = load_builtin_ops()
    cases = load_goals(HELDOUT)
    sizes = {f.name: len(yaml.safe_load(f.read_text(encoding="utf-8"))) for f in HELDOUT.glob("*.yaml")}
    assert sizes == {"en_free.yaml": 60, "zh.yaml": 60, "vague.yaml": 40, "polarity.yaml": 80}
    for c in cases:
        for step in c.get("expected", []):
            (op, args), = step.items()
            ops[op].Args(**args)  # raises on an unknown argument or a bad value
        for item in c.get("required", []) + c.get("forbidden", []):
            assert set(item if isinstance(item, list) else [item]) <= set(ops), c["where"]
