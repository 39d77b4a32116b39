"""Proxy models (tiny settings: a few steps), Ray-parallel experiments, comparison, summary and report."""
import json
import math
from pathlib import Path

import pytest

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.sandbox.ray_exec import run_trials
from sandbox_engine.sandbox.runner import run_sandbox
from sandbox_engine.sandbox.trainers import component_metadata, get_component

LM = {"type": "tiny_lm", "n_embd": 32, "n_layer": 1, "n_head": 2, "vocab_size": 300, "steps": 4, "batch_size": 4,
      "seq_len": 32}


def test_tiny_lm_trains_and_evaluates(small_text, tmp_path):
    tr = get_component("tiny_lm")(**{k: v for k, v in LM.items() if k != "type"},
                                  tokenizer_data=small_text["dataset"])
    res = tr.train(small_text["dataset"], tmp_path / "m", seed=0)
    assert Path(res["model_path"], "tokenizer.json").exists() and res["train_docs"] > 100
    ev = get_component("lm_perplexity")(reference=small_text["reference"])
    m = ev.evaluate(res["model_path"])
    assert math.isfinite(m["perplexity"]) and m["perplexity"] == pytest.approx(math.exp(m["loss"]))
    assert 50 < m["perplexity"] < 1000  # a few steps: far from uniform over 300 tokens is not expected


def test_tiny_clip_trains_and_evaluates(small_images, tmp_path):
    tr = get_component("tiny_clip")(steps=3, batch_size=16, width=32, layers=1, embed_dim=16)
    res = tr.train(small_images["dataset"], tmp_path / "c", seed=0)
    assert res["train_pairs"] == 80 and Path(res["model_path"], "model.pt").exists()
    m = get_component("clip_zero_shot")(reference=small_images["reference"]).evaluate(res["model_path"])
    assert 0 <= m["zero_shot_accuracy"] <= 1 and m["recall@1"] <= m["recall@5"]


def test_registry_metadata_and_bad_args():
    meta = {m["type"]: m for m in component_metadata()}
    for t in ("tiny_lm", "lm_perplexity", "tiny_clip", "clip_zero_shot", "data_pool_construction", "random_pool",
              "proxy_comparison", "best_pools_recipe", "top_op_per_cluster"):
        assert meta[t]["description"] and meta[t]["outputs"]
    assert "steps" in meta["tiny_lm"]["arguments"]
    with pytest.raises(JuiceboxError, match="steps"):
        get_component("tiny_lm")(steps=0)
    with pytest.raises(JuiceboxError, match="did you mean 'tiny_lm'"):
        get_component("tiny_lmm")


def test_ray_parallel_equals_sequential_and_failures_are_reported(small_text, tmp_path):
    tr = {**LM, "tokenizer_data": small_text["dataset"], "device": "cpu"}
    ev = {"type": "lm_perplexity", "reference": small_text["reference"], "device": "cpu"}
    trials = [{"trainer": tr, "evaluator": ev, "dataset_path": small_text["dataset"], "seed": s,
               "out_dir": str(tmp_path / mode / str(s)), "tag": str(s)} for s in (0, 1) for mode in ["x"]]
    bad = {**trials[0], "dataset_path": str(tmp_path / "missing.jsonl"), "tag": "bad"}
    seq = run_trials([dict(t, out_dir=t["out_dir"] + "s") for t in trials], parallel=False)
    par = run_trials([dict(t, out_dir=t["out_dir"] + "p") for t in trials] + [bad], parallel=True,
                     work_dir=str(tmp_path), num_cpus=2)
    from sandbox_engine.sandbox.ray_exec import shutdown

    shutdown()
    assert [r["metrics"] for r in seq] == [r["metrics"] for r in par[:2]]
    assert seq[0]["metrics"] != seq[1]["metrics"]  # seeds matter
    assert "error" in par[2] and "missing.jsonl" in par[2]["error"]


def test_comparison_summary_and_report(small_text, tmp_path):
    lm = {**LM, "tokenizer_data": small_text["dataset"]}
    ev = {"type": "lm_perplexity", "reference": small_text["reference"]}
    config = {"work_dir": str(tmp_path / "wd"), "parallel": False, "pipelines": [{"exp": {
        "execution_job_configs": [
            {"hook": "GeneralDataExecutorHook", "meta_name": "pools",
             "extra_configs": {"type": "random_pool", "dataset_path": small_text["dataset"], "num_samples": 40}},
            {"hook": "TrainModelHook", "meta_name": "train",
             "extra_configs": {**lm, "seeds": [0, 1], "evaluator": ev},
             "input": {"extra_configs.dataset_path": "pools.res_0"}}],
        "evaluation_job_configs": [
            {"hook": "EvaluateModelHook", "meta_name": "compare",
             "extra_configs": {"type": "proxy_comparison", "full_dataset": small_text["dataset"], "seeds": [0, 1],
                               "refined_recipe": {"process": [{"text_length_filter": {"min_len": 40,
                                                                                        "max_len": 2000}}]},
                               "trainer": lm, "evaluator": ev}},
            {"hook": "TrainModelHook", "meta_name": "broken",
             "extra_configs": {**lm, "seeds": [0], "dataset_path": str(tmp_path / "nope.jsonl"), "evaluator": ev}}]}}]}
    summary = run_sandbox(config)
    comp = summary["comparison"]
    assert comp["metric"] == "perplexity" and comp["lower_is_better"] is True and comp["seeds"] == 2
    assert all(isinstance(comp[k], float) for k in ("refined", "random_equal_size", "full_data"))
    assert comp["sizes"]["refined"] == comp["sizes"]["random_equal_size"] < comp["sizes"]["full_data"] == 120
    train = summary["jobs"][1]["outputs"]["res_0"][0]
    assert train["seeds"] == 2 and set(train["metrics"]) == {"perplexity", "loss"} and train["metrics_std"]["loss"] > 0
    assert summary["failed_experiments"] and summary["failed_experiments"][0]["job"] == "exp.broken"
    report = (tmp_path / "wd" / "report.md").read_text()
    assert "random_equal_size" in report and "comparison.png" in report and "Failed experiments" in report
    assert (tmp_path / "wd" / "comparison.png").stat().st_size > 1000
    assert list((tmp_path / "wd").glob("pools_exp_train.png"))
    saved = json.loads((tmp_path / "wd" / "summary.json").read_text())
    assert saved["comparison"]["refined"] == comp["refined"]
