"""Running configs: context input/output/local resolution, analyzer/k-sigma/process hooks, iterations, resume."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from sandbox_engine.sandbox.demo_data import read_jsonl
from sandbox_engine.sandbox.runner import run_sandbox

RECIPE = {"process": [{"text_length_filter": {"min_len": 10, "max_len": 100000}},
                      {"alphanumeric_filter": {"min_ratio": 0.1, "max_ratio": 1.0}}]}


def test_context_wiring_analyzer_pools_ksigma_process(small_text, tmp_path):
    config = {
        "work_dir": str(tmp_path / "wd"), "parallel": False,
        "pipelines": [
            {"probe": {
                "probe_job_configs": [{"hook": "ProbeViaAnalyzerHook", "meta_name": "analysis",
                                       "dj_configs": {"dataset_path": small_text["dataset"], **RECIPE},
                                       "output": ["analyzed", "overall"]}],
                "execution_job_configs": [{"hook": "DataPoolManipulationHook", "meta_name": "pools",
                                           "extra_configs": {"type": "data_pool_construction"},
                                           "input": {"extra_configs.dataset_path": "-1.analyzed"},
                                           "local": {"extra_configs.split_ratios": [0.5]}}],
                "evaluation_job_configs": [{"hook": "EvaluateDataHook", "meta_name": "truth",
                                            "extra_configs": {"type": "noise_ground_truth",
                                                              "truth": small_text["truth"],
                                                              "full_dataset": small_text["dataset"]},
                                            "input": {"extra_configs.dataset_path": "pools.res_0"}}]}},
            {"refine": {
                "refine_recipe_job_configs": [{"hook": "RefineRecipeViaKSigmaHook", "meta_name": "ksigma",
                                               "dj_configs": {"dataset_path": small_text["dataset"], **RECIPE},
                                               "extra_configs": {"k_sigma": 1},
                                               "input": {"extra_configs.overall_csv": "probe.analysis.overall"}}],
                "execution_job_configs": [{"hook": "ProcessDataHook", "meta_name": "process",
                                           "input": {"dj_configs": "-1.res_0"}}]}}]}
    summary = run_sandbox(config)
    assert summary["status"] == "ok"
    ctx = json.loads((tmp_path / "wd" / "context_infos.json").read_text())
    it = ctx["iterations"][0]
    assert set(it) == {"probe", "refine"} and ctx["finished"] == ["0/probe", "0/refine"]
    analyzed = read_jsonl(it["probe"]["analysis"]["analyzed"])
    assert len(analyzed) == 120 and "text_len" in analyzed[0]["__dj__stats__"]
    assert Path(it["probe"]["analysis"]["overall"]).exists()
    pools = it["probe"]["pools"]["res_0"]
    assert len(pools) == 4 and all("iter_0/probe/pools" in p for p in pools)  # 2 stats x split [0.5]
    assert sum(len(read_jsonl(p)) for p in pools) == 240
    truth = it["probe"]["truth"]["res_0"]
    assert [t["dataset_path"] for t in truth] == pools and all(0 <= t["noise_ratio"] <= 1 for t in truth)
    recipe = yaml.safe_load(Path(it["refine"]["ksigma"]["res_0"]).read_text())
    changes = it["refine"]["ksigma"]["res_1"]
    assert {c["op"] for c in changes} == {"text_length_filter", "alphanumeric_filter"}
    new_min = recipe["process"][0]["text_length_filter"]["min_len"]
    assert new_min != 10
    processed = read_jsonl(it["refine"]["process"]["res_0"])
    assert 0 < len(processed) < 120
    assert all(len(r["text"]) >= new_min for r in processed)
    assert (tmp_path / "wd" / "summary.json").exists() and (tmp_path / "wd" / "report.md").exists()
    assert summary["best_recipe"] == it["refine"]["ksigma"]["res_0"]


def test_iterations_with_targets_and_updater(small_text, tmp_path):
    config = {"work_dir": str(tmp_path / "wd"), "max_iter_num": 3,
              "iter_targets": ["pipe.count.res_0.0.num <= 60"],
              "iter_updater": {"pipe.half.res_0.0": "pipe.count.extra_configs.dataset_path"},
              "pipelines": [{"pipe": {
                  "execution_job_configs": [{"hook": "GeneralDataExecutorHook", "meta_name": "half",
                                             "extra_configs": {"type": "random_pool", "num_samples": 60},
                                             "input": {"extra_configs.dataset_path": "count.res_0.0.dataset_path"}}],
                  "evaluation_job_configs": [{"hook": "EvaluateDataHook", "meta_name": "count",
                                              "extra_configs": {"type": "data_stats",
                                                                "dataset_path": small_text["dataset"]}}]}}]}
    # 'half' reads 'count' of the same pipeline before it runs: a clear error at load, nothing silently empty
    import pytest

    from sandbox_engine.errors import JuiceboxError

    with pytest.raises(JuiceboxError, match="job 'count' does not run before this one"):
        run_sandbox(config)
    config["pipelines"][0]["pipe"]["execution_job_configs"][0]["input"] = {}
    config["pipelines"][0]["pipe"]["execution_job_configs"][0]["extra_configs"]["dataset_path"] = small_text["dataset"]
    summary = run_sandbox(config)
    ctx = json.loads((tmp_path / "wd" / "context_infos.json").read_text())
    # iteration 0 counts the full data (120 > 60), the updater points 'count' at the half pool, iteration 1 meets the target
    assert summary["iterations"] == 2
    assert ctx["iterations"][0]["pipe"]["count"]["res_0"][0]["num"] == 120
    assert ctx["iterations"][1]["pipe"]["count"]["res_0"][0]["num"] == 60


CUSTOM = '''
import os, time
from pathlib import Path
from pydantic import Field
from sandbox_engine.sandbox.components import DataExecutor
from sandbox_engine.sandbox.trainers.base import ComponentArgs, register_component

class Args(ComponentArgs):
    log: str = Field(description="file to append to")
    sleep: float = 0.0

@register_component("log_and_sleep")
class LogAndSleep(DataExecutor):
    description = "test component: appends a line, then sleeps unless NO_SLEEP is set"
    Args = Args

    def run(self, export_path):
        with open(self.args.log, "a") as f:
            f.write("ran\\n")
        if not os.environ.get("NO_SLEEP"):
            time.sleep(self.args.sleep)
        return [self.args.log]
'''


def test_resume_after_kill_skips_finished_pipelines(tmp_path):
    (tmp_path / "custom.py").write_text(CUSTOM)
    first, second = tmp_path / "first.log", tmp_path / "second.log"
    job = lambda log, s: {"hook": "GeneralDataExecutorHook", "meta_name": "job",  # noqa: E731
                          "extra_configs": {"type": "log_and_sleep", "log": str(log), "sleep": s}}
    config = {"work_dir": str(tmp_path / "wd"), "resume": True, "custom_component_paths": ["custom.py"],
              "pipelines": [{"first": {"execution_job_configs": [job(first, 0)]}},
                            {"second": {"execution_job_configs": [job(second, 120)]}}]}
    path = tmp_path / "sandbox.yaml"
    path.write_text(yaml.safe_dump(config))
    cmd = [sys.executable, "-m", "agent.cli", "sandbox", str(path)]
    code = "import sys; from agent.cli import app; sys.argv = ['juicebox'] + sys.argv[1:]; app()"
    cmd = [sys.executable, "-c", code, "sandbox", str(path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    ctx_file = tmp_path / "wd" / "context_infos.json"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if second.exists() and ctx_file.exists() and "0/first" in ctx_file.read_text():
                break
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.2)
        else:
            raise AssertionError("the first pipeline never finished")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert "0/second" not in ctx_file.read_text()
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "NO_SLEEP": "1"}, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert first.read_text() == "ran\n"  # not run again
    assert second.read_text() == "ran\nran\n"  # killed once, then finished
    summary = json.loads((tmp_path / "wd" / "summary.json").read_text())
    assert summary["status"] == "ok" and summary["finished_pipelines"] == ["0/first", "0/second"]
    assert [j["pipeline"] for j in summary["jobs"]] == ["first", "second"]
