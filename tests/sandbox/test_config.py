"""A bad sandbox config fails at load, before any work, naming the pipeline, job and key at fault."""
import pytest

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.sandbox.config import load_sandbox_config
from sandbox_engine.sandbox.runner import SandboxRunner, validate


def cfg(tmp_path, **jobs):
    return {"work_dir": str(tmp_path / "wd"), **jobs}


def check(c):
    validate(load_sandbox_config(c))


def test_pipelines_forms_and_anonymous(tmp_path):
    a = load_sandbox_config(cfg(tmp_path, probe_job_configs=[{"hook": "GeneralProbeHook",
                                                              "extra_configs": {"type": "data_stats"}}]))
    assert [p.name for p in a.pipelines] == ["anonymous"] and a.pipelines[0].probe_job_configs[0].meta_name == "probe_0"
    job = {"hook": "EvaluateDataHook", "extra_configs": {"type": "data_stats", "dataset_path": "x"}}
    b = load_sandbox_config(cfg(tmp_path, pipelines=[{"one": {"evaluation_job_configs": [job]}},
                                                     {"two": {"probe_job_configs": [job]}}]))
    c = load_sandbox_config(cfg(tmp_path, pipelines={"one": {"evaluation_job_configs": [job]}}))
    assert [p.name for p in b.pipelines] == ["one", "two"] and c.pipelines[0].name == "one"


def test_unknown_hook_names_job_and_suggests(tmp_path):
    c = cfg(tmp_path, probe_job_configs=[{"hook": "ProbeViaAnalyserHook", "meta_name": "ana", "dj_configs": {}}])
    with pytest.raises(JuiceboxError, match=r"job 'ana'.*'hook'.*ProbeViaAnalyzerHook"):
        check(c)


def test_unknown_job_key(tmp_path):
    c = cfg(tmp_path, execution_job_configs=[{"hook": "ProcessDataHook", "meta_name": "proc", "dj_config": {}}])
    with pytest.raises(JuiceboxError, match=r"execution_job_configs\[0\] \(meta_name 'proc'\).*unknown key 'dj_config'"):
        load_sandbox_config(c)


def test_unknown_top_level_key(tmp_path):
    with pytest.raises(JuiceboxError, match="unknown key 'max_iter'"):
        load_sandbox_config(cfg(tmp_path, max_iter=3))


def test_component_type_checked_at_load(tmp_path):
    c = cfg(tmp_path, execution_job_configs=[{"hook": "TrainModelHook", "meta_name": "train",
                                              "extra_configs": {"type": "tiny_llm"}}])
    with pytest.raises(JuiceboxError, match=r"job 'train'.*extra_configs.type 'tiny_llm'.*tiny_lm"):
        check(c)
    c = cfg(tmp_path, execution_job_configs=[{"hook": "DataPoolManipulationHook", "meta_name": "pools"}])
    with pytest.raises(JuiceboxError, match=r"job 'pools'.*needs 'extra_configs.type'.*data_pool_construction"):
        check(c)
    c = cfg(tmp_path, execution_job_configs=[{"hook": "TrainModelHook", "meta_name": "t",
                                              "extra_configs": {"type": "tiny_lm", "evaluator": {"type": "acc"}}}])
    with pytest.raises(JuiceboxError, match=r"job 't'.*extra_configs.evaluator.*lm_perplexity"):
        check(c)


def test_recipe_required_and_missing_file(tmp_path):
    with pytest.raises(JuiceboxError, match=r"job 'proc'.*needs a recipe in 'dj_configs'"):
        check(cfg(tmp_path, execution_job_configs=[{"hook": "ProcessDataHook", "meta_name": "proc"}]))
    with pytest.raises(JuiceboxError, match=r"meta_name 'p'.*dj_configs: file not found"):
        load_sandbox_config(cfg(tmp_path, probe_job_configs=[{"hook": "ProbeViaAnalyzerHook", "meta_name": "p",
                                                             "dj_configs": "nope.yaml"}]))


def test_bad_input_references(tmp_path):
    base = {"hook": "EvaluateDataHook", "meta_name": "ev", "extra_configs": {"type": "data_stats"}}
    with pytest.raises(JuiceboxError, match=r"job 'ev'.*'-1.res_0' points before the first job"):
        check(cfg(tmp_path, probe_job_configs=[{**base, "input": {"extra_configs.dataset_path": "-1.res_0"}}]))
    with pytest.raises(JuiceboxError, match=r"job 'ev'.*'nojob.res_0' names no pipeline or job"):
        check(cfg(tmp_path, probe_job_configs=[{**base, "input": {"extra_configs.dataset_path": "nojob.res_0"}}]))
    with pytest.raises(JuiceboxError, match=r"job 'ev'.*input key 'dataset_path'"):
        check(cfg(tmp_path, probe_job_configs=[{**base, "input": {"dataset_path": "ev.res_0"}}]))


def test_duplicate_meta_names_and_bad_targets(tmp_path):
    job = {"hook": "GeneralProbeHook", "meta_name": "x", "extra_configs": {"type": "data_stats"}}
    with pytest.raises(JuiceboxError, match="meta_name 'x' is used by several jobs"):
        load_sandbox_config(cfg(tmp_path, probe_job_configs=[job, job]))
    with pytest.raises(JuiceboxError, match="iter_targets"):
        check(cfg(tmp_path, probe_job_configs=[job], iter_targets=["anonymous.x.res_0 ~ 3"]))


def test_nothing_runs_when_invalid(tmp_path):
    c = load_sandbox_config(cfg(tmp_path, probe_job_configs=[
        {"hook": "GeneralProbeHook", "meta_name": "ok", "extra_configs": {"type": "data_stats", "dataset_path": "x"}},
        {"hook": "NoSuchHook", "meta_name": "bad"}]))
    with pytest.raises(JuiceboxError, match="NoSuchHook"):
        SandboxRunner(c).run()
    assert not (tmp_path / "wd" / "iter_0").exists()


def test_shipped_configs_load_and_validate():
    from pathlib import Path

    import sandbox_engine

    folder = Path(sandbox_engine.__file__).parent / "assets" / "sandbox_configs"
    paths = sorted(folder.glob("*.yaml"))
    assert {p.stem for p in paths} >= {"text_single_op_pools", "text_multi_op_clusters", "text_duplication",
                                        "image_single_op_pools", "text_rater"}
    for p in paths:
        c = load_sandbox_config(p)
        validate(c)
        assert str(c.work_dir).endswith(p.stem)


def test_cli_reports_bad_config_with_exit_code_2(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from agent.cli import app

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"work_dir": str(tmp_path / "wd"), "execution_job_configs": [
        {"hook": "TrainModelHook", "meta_name": "train", "extra_configs": {"type": "tiny_lm", "stepz": 3}}]}))
    res = CliRunner().invoke(app, ["sandbox", str(path)])
    assert res.exit_code == 2
    out = " ".join(res.output.split())
    assert "train" in out and "stepz" in out


def test_component_arguments_checked_at_load(tmp_path):
    c = cfg(tmp_path, execution_job_configs=[{"hook": "DataPoolManipulationHook", "meta_name": "pools",
                                              "extra_configs": {"type": "data_pool_construction",
                                                                "split_ratios": "half"},
                                              "input": {"extra_configs.dataset_path": "pools0.res_0"}}],
            probe_job_configs=[{"hook": "GeneralProbeHook", "meta_name": "pools0",
                                "extra_configs": {"type": "data_stats", "dataset_path": "x"}}])
    with pytest.raises(JuiceboxError, match=r"job 'pools'.*extra_configs.split_ratios"):
        check(c)
    ok = cfg(tmp_path, execution_job_configs=[{"hook": "TrainModelHook", "meta_name": "t",
                                               "extra_configs": {"type": "tiny_lm", "steps": 3, "seeds": [0, 1]}}])
    check(ok)  # dataset_path may still come from input or dj_configs
