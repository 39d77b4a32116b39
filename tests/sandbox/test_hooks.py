"""The remaining hooks on small real data: model feedback refinement, clustering, inference, probes, evaluation."""
import json
from pathlib import Path

import yaml

from sandbox_engine.sandbox.demo_data import read_jsonl
from sandbox_engine.sandbox.hooks import HOOKS, hook_metadata
from sandbox_engine.sandbox.runner import run_sandbox

DJ_HOOKS = {"ProbeViaAnalyzerHook", "ProbeViaModelInferHook", "GeneralProbeHook", "RefineRecipeViaKSigmaHook",
            "RefineRecipeViaModelFeedbackHook", "ProcessDataHook", "DataPoolManipulationHook",
            "GeneralDataExecutorHook", "TrainModelHook", "InferModelHook", "EvaluateDataHook", "EvaluateModelHook"}


def test_registry_has_dj_hooks_with_metadata():
    assert DJ_HOOKS <= set(HOOKS)
    meta = {m["name"]: m for m in hook_metadata()}
    for name in DJ_HOOKS:
        assert meta[name]["description"] and meta[name]["outputs"] and meta[name]["arguments"]
    assert "data_pool_ranking" in meta["DataPoolManipulationHook"]["component_types"]


def test_feedback_refinement_inference_and_evaluation(small_text, tmp_path):
    lm = {"type": "tiny_lm", "n_embd": 32, "n_layer": 1, "n_head": 2, "vocab_size": 300, "steps": 3,
          "batch_size": 4, "seq_len": 32, "tokenizer_data": small_text["dataset"]}
    ev = {"type": "lm_perplexity", "reference": small_text["reference"]}
    recipe = {"dataset_path": small_text["dataset"],
              "process": [{"text_length_filter": {}}, {"alphanumeric_filter": {}}, {"special_characters_filter": {}}]}
    config = {"work_dir": str(tmp_path / "wd"), "parallel": False, "pipelines": [{"p": {
        "probe_job_configs": [{"hook": "ProbeViaAnalyzerHook", "meta_name": "ana", "dj_configs": recipe}],
        "execution_job_configs": [
            {"hook": "DataPoolManipulationHook", "meta_name": "pools",
             "extra_configs": {"type": "data_pool_construction"},
             "input": {"extra_configs.dataset_path": "ana.res_0"}},
            {"hook": "TrainModelHook", "meta_name": "train", "extra_configs": {**lm, "evaluator": ev},
             "input": {"extra_configs.dataset_path": "pools.res_0"}},
            {"hook": "InferModelHook", "meta_name": "infer",
             "extra_configs": {"type": "tiny_lm", "dataset_path": small_text["dataset"]},
             "input": {"extra_configs.model_path": "train.res_0.0.model_paths.0"}}],
        "evaluation_job_configs": [
            {"hook": "DataPoolManipulationHook", "meta_name": "ranking",
             "extra_configs": {"type": "data_pool_ranking", "ranking_keys": ["perplexity"], "descending": False},
             "input": {"extra_configs.dataset_path": "pools.res_0", "extra_configs.metrics": "train.res_1"}},
            {"hook": "GeneralProbeHook", "meta_name": "probe_stats", "extra_configs": {"type": "data_stats"},
             "input": {"extra_configs.dataset_path": "infer.res_0"}},
            {"hook": "EvaluateModelHook", "meta_name": "eval", "extra_configs": ev,
             "input": {"extra_configs.model_path": "train.res_0.0"}}]}},
        {"q": {"probe_job_configs": [
            {"hook": "ProbeViaModelInferHook", "meta_name": "mprobe",
             "extra_configs": {"type": "tiny_lm", "dataset_path": small_text["dataset"]},
             "input": {"extra_configs.model_path": "p.train.res_0.1.model_paths.0"}}],
            "refine_recipe_job_configs": [
            {"hook": "RefineRecipeViaModelFeedbackHook", "meta_name": "best",
             "extra_configs": {"type": "best_pools_recipe", "top_k": 2}, "input": {"extra_configs.ranked_pools": "p.ranking.res_0"}},
            {"hook": "RefineRecipeViaModelFeedbackHook", "meta_name": "clusters",
             "extra_configs": {"type": "top_op_per_cluster", "num_clusters": 2},
             "input": {"extra_configs.ranked_pools": "p.ranking.res_0", "extra_configs.analyzed_path": "p.ana.res_0"}}]}}]}
    summary = run_sandbox(config)
    ctx = json.loads((tmp_path / "wd" / "context_infos.json").read_text())["iterations"][0]
    ranked = ctx["p"]["ranking"]["res_0"]
    assert sorted(ranked) == sorted(ctx["p"]["pools"]["res_0"]) and len(ranked) == 9
    ppl = {r["dataset_path"]: r["metrics"]["perplexity"] for r in ctx["p"]["train"]["res_0"]}
    assert [ppl[p] for p in ranked] == sorted(ppl.values())
    inferred = read_jsonl(ctx["p"]["infer"]["res_0"])
    assert len(inferred) == 120 and all("proxy_loss" in r["__dj__stats__"] for r in inferred[:5])
    assert "proxy_loss" in ctx["p"]["probe_stats"]["res_0"][0]["stats"]
    evals = ctx["p"]["eval"]["res_0"]
    assert evals[0]["perplexity"] == ctx["p"]["train"]["res_0"][0]["runs"][0]["metrics"]["perplexity"]
    assert "proxy_loss" in read_jsonl(ctx["q"]["mprobe"]["res_0"])[0]["__dj__stats__"]
    best = yaml.safe_load(Path(ctx["q"]["best"]["res_0"]).read_text())
    ops = [next(iter(step)) for step in best["process"]]
    assert 1 <= len(ops) <= 2 and len(set(ops)) == len(ops)
    assert set(ops) <= {"text_length_filter", "alphanumeric_filter", "special_characters_filter"}
    clusters = ctx["q"]["clusters"]["res_2"]
    assert sum(len(v) for v in clusters.values()) == 3 and len(clusters) == 2
    cl_ops = [next(iter(step)) for step in yaml.safe_load(Path(ctx["q"]["clusters"]["res_0"]).read_text())["process"]]
    assert len(cl_ops) <= 2 and len(set(cl_ops)) == len(cl_ops)
    assert summary["best_recipe"] == ctx["q"]["clusters"]["res_0"]
