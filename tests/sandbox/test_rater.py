"""Learned data rater: on real clean text mixed with real gibberish (the shipped demo set and its ground truth),
joint training moves the weights toward the clean samples; the rated pools feed the selection comparison."""
from __future__ import annotations

import math

import pytest

from sandbox_engine.sandbox.demo_data import read_jsonl, write_jsonl
from sandbox_engine.sandbox.rater import (LearnedRater, RatingSelectionComparison,
                                          SelectionComparisonArgs, compare_selections, features)
from sandbox_engine.sandbox.trainers import COMPONENTS

TINY = dict(vocab_size=500, n_embd=32, n_layer=1, n_head=2, seq_len=32, batch_size=16, hash_dim=64, hidden=16,
            max_reference=200)


@pytest.fixture(scope="module")
def noisy(text_files, tmp_path_factory):
    rows = read_jsonl(text_files["dataset"])
    kind = {t["id"]: t["kind"] for t in read_jsonl(text_files["truth"])}
    clean = [r for r in rows if kind[r["id"]] == "clean"][:90]
    noise = [r for r in rows if kind[r["id"]] == "gibberish"][:30]
    d = tmp_path_factory.mktemp("rater")
    path = write_jsonl(d / "noisy.jsonl", clean + noise)
    return {"path": str(path), "clean": {r["id"] for r in clean}, "n": len(clean) + len(noise), "dir": d,
            "reference": str(text_files["reference"])}


@pytest.fixture(scope="module")
def rated(noisy):
    comp = LearnedRater(dataset_path=noisy["path"], reference=noisy["reference"], steps=20, rater_lr=3e-2,
                        seed=0, **TINY)
    path, info = comp.run(noisy["dir"])
    return read_jsonl(path), info


def test_registered_as_components():
    assert COMPONENTS["learned_rater"] is LearnedRater
    assert COMPONENTS["rating_selection_comparison"] is RatingSelectionComparison
    assert LearnedRater.kind == "data_executor" and "meta-gradient" in LearnedRater.description


def test_every_sample_gets_a_rating(rated, noisy):
    rows, info = rated
    assert info["num"] == noisy["n"] == len(rows)
    assert all(isinstance(r["meta"]["rating"], float) and math.isfinite(r["meta"]["rating"]) for r in rows)


def test_weights_move_toward_clean_samples(rated, noisy):
    rows, _ = rated
    clean = [r["meta"]["rating"] for r in rows if r["id"] in noisy["clean"]]
    noise = [r["meta"]["rating"] for r in rows if r["id"] not in noisy["clean"]]
    assert sum(clean) / len(clean) > sum(noise) / len(noise)
    # softmax weights over the whole set: the clean share of the weight grows above its share of samples
    z = max(r["meta"]["rating"] for r in rows)
    w = {r["id"]: math.exp(r["meta"]["rating"] - z) for r in rows}
    share = sum(v for k, v in w.items() if k in noisy["clean"]) / sum(w.values())
    assert share > len(clean) / len(rows) + 0.05
    # ranking quality: most (clean, noise) pairs are ordered right
    pairs = sum((c > n) + 0.5 * (c == n) for c in clean for n in noise) / (len(clean) * len(noise))
    assert pairs > 0.75


def test_untrained_rater_is_uniform(noisy):
    rows, info = LearnedRater(dataset_path=noisy["path"], reference=noisy["reference"], steps=1, rater_lr=1e-9,
                              **TINY).run(noisy["dir"] / "one_step")
    vals = [r["meta"]["rating"] for r in read_jsonl(rows)]
    assert max(vals) - min(vals) < 1e-3  # the output layer starts at zero: every sample weighs the same


def test_features_use_stats_and_words():
    rows = [{"text": "the cat sat on the mat", "__dj__stats__": {"text_len": 22, "lang": "en"}},
            {"text": "zq9x 7fk2 qqq", "__dj__stats__": {"text_len": 13, "lang": "en"}}]
    mat, names = features(rows, hash_dim=16)
    assert mat.shape == (2, len(names)) and "stat:text_len" in names and "stat:lang" not in names
    assert mat[:, names.index("stat:text_len")].tolist() == [1.0, -1.0]  # z-scored


def test_bad_args_name_the_component():
    from sandbox_engine.errors import RecipeError

    with pytest.raises(RecipeError, match="learned_rater.*steps"):
        LearnedRater(dataset_path="x.jsonl", steps=0)


def test_selection_comparison(rated, noisy, tmp_path):
    rows, _ = rated
    path = write_jsonl(tmp_path / "rated.jsonl", rows)
    args = SelectionComparisonArgs(
        rated_dataset=str(path), select_ratio=0.5, mu_shift=0.2, sigma=0.2, seeds=[0, 1],
        trainer={"type": "tiny_lm", "vocab_size": 500, "n_embd": 16, "n_layer": 1, "n_head": 2, "seq_len": 32,
                 "steps": 5, "batch_size": 8, "tokenizer_data": noisy["path"]},
        evaluator={"type": "lm_perplexity", "reference": noisy["reference"], "seq_len": 32, "max_blocks": 50})
    res = compare_selections(args, tmp_path / "cmp")
    assert set(res["arms"]) == {"topk", "shift_gaussian", "random"}
    assert res["metric"] == "perplexity" and res["lower_is_better"] and res["seeds"] == 2
    assert res["size"] == noisy["n"] // 2
    for arm in res["arms"].values():
        assert not arm["errors"] and arm["seeds"] == 2 and arm["mean"] > 1 and arm["std"] >= 0
        assert len(read_jsonl(arm["dataset_path"])) == res["size"]
    # top-k by the learned rating holds less gibberish than the random pool
    noise_in = {a: sum(r["id"] not in noisy["clean"] for r in read_jsonl(v["dataset_path"]))
                for a, v in res["arms"].items()}
    assert noise_in["topk"] < noise_in["random"]
    assert "| top-k by rating |" in res["markdown"] and "±" in res["markdown"]


def test_runs_from_the_general_data_executor_hook(noisy, tmp_path):
    from sandbox_engine.sandbox.hooks import GeneralDataExecutorHook, JobContext

    extra = {"type": "learned_rater", "dataset_path": noisy["path"], "reference": noisy["reference"], "steps": 2,
             "rating_key": "__dj__stats__.rating", **TINY}
    GeneralDataExecutorHook.check("p.rate", None, extra, set())
    out = GeneralDataExecutorHook().run(JobContext("p.rate", {}, extra, tmp_path, {"work_dir": str(tmp_path)}))
    path, info = out
    rows = read_jsonl(path)
    assert len(rows) == info["num"] == noisy["n"] and all("rating" in r["__dj__stats__"] for r in rows)
