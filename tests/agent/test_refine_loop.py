"""The refine loop end to end on a small slice of the shipped noisy text set, with a tiny proxy LM: the act
step goes through tools/, the metrics come from real training, and the outputs are all written."""
from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import pytest
import yaml

from agent.cli_chat import run_refine
from agent.refine_loop import ExperimentSettings, best_run, decide, revise, settings_for
from agent.termplot import bar_chart, perplexity_chart
from sandbox_engine.sandbox.demo_data import read_jsonl, text_demo, write_jsonl

GOAL = ("drop texts under 20 characters, drop texts with too many special characters, remove duplicates, "
        "and keep about 75% of the data")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, Path]:
    """240 rows of the demo set (clean and noisy) and 60 rows of its clean reference split."""
    files = text_demo()
    rows = read_jsonl(files["dataset"])
    root = tmp_path_factory.mktemp("small")
    data = write_jsonl(root / "data.jsonl", random.Random(0).sample(rows, 240))
    ref = write_jsonl(root / "ref.jsonl", read_jsonl(files["reference"])[:60])
    return data, ref


def _tiny(ref: Path) -> dict:
    return settings_for(2, reference=str(ref), steps=12, n_embd=32, n_head=2, n_layer=1, vocab_size=300,
                        seq_len=32, batch_size=8, max_blocks=40).model_dump()


@pytest.fixture(scope="module")
def refined(small, tmp_path_factory):
    data, ref = small
    out = tmp_path_factory.mktemp("refine")
    state = run_refine(GOAL, str(data), 2, True, out, experiment=_tiny(ref))
    return state, out


def test_outputs_are_written(refined):
    state, out = refined
    for name in ("recipe.yaml", "recipe_v0.yaml", "iterations.diff", "report.md", "runs.json", "perplexity.png"):
        assert (out / name).is_file(), name
    recipe = yaml.safe_load((out / "recipe.yaml").read_text())
    names = [next(iter(s)) for s in recipe["process"]]
    assert {"text_length_filter", "special_characters_filter", "document_deduplicator"} <= set(names)
    report = (out / "report.md").read_text()
    assert "Sandbox experiments" in report and "±" in report and "perplexity.png" in report
    assert (out / "perplexity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    runs = json.loads((out / "runs.json").read_text())
    assert len(runs) == len(state["runs"]) >= 1
    assert len(runs) <= 2
    if len(runs) == 2:  # a revision happened: it is in the diff and says why
        assert "recipe_v1.yaml" in (out / "iterations.diff").read_text()
        assert any("why:" in c for c in state["changes"])


def test_act_goes_through_tools_and_metrics_come_from_training(refined):
    state, _ = refined
    calls = state["tool_calls"]
    for tool in ("run_recipe", "probe_pools", "analyze_dataset", "train_proxy", "evaluate", "compare_runs"):
        assert tool in calls, tool
    first = state["runs"][0]
    exp = first["experiment"]
    assert exp["sizes"]["refined"] == first["num_out"] == exp["sizes"]["random_equal_size"]
    assert exp["sizes"]["full_data"] == first["num_in"] == 240
    for arm in ("refined", "random_equal_size", "full_data"):
        vals = exp[arm]["values"]
        assert len(vals) == 2 and all(math.isfinite(v) and 1 < v < 1e5 for v in vals)
        assert vals[0] != vals[1]  # two seeds train two different models
        assert exp[arm]["mean"] == pytest.approx(sum(vals) / 2)
        assert exp[arm]["std"] > 0
    assert len({exp[a]["mean"] for a in ("refined", "random_equal_size", "full_data")}) == 3
    # probe: each op alone, counts that add up with the data
    pools = first["probe"]["pools"]
    assert [p["op"] for p in pools] == [next(iter(s)) for s in first["recipe"]["process"]]
    assert all(0 <= p["removed"] <= 240 for p in pools)
    assert "text_len" in first["probe"]["stats"]
    # the full data did not change between iterations: trained once, reused
    if len(state["runs"]) == 2:
        assert state["runs"][1]["experiment"]["full_data"]["values"] == exp["full_data"]["values"]


def _run(kept: float, ppl: tuple[float, float, float], probe: list[tuple[str, int]]) -> dict:
    arms = dict(zip(("refined", "random_equal_size", "full_data"), ({"mean": m, "std": 1.0} for m in ppl)))
    return {"kept_ratio": kept, "num_in": 100, "num_out": int(kept * 100), "iteration": 0,
            "per_op": [{"op": o, "in": 100, "removed": n} for o, n in probe],
            "probe": {"pools": [{"op": o, "removed": n} for o, n in probe]},
            "experiment": {**arms, "seeds": [0, 1], "beats_random": ppl[0] < ppl[1], "beats_full": ppl[0] < ppl[2]}}


def test_decision_logic_on_constructed_cases():
    target = {"min_keep": 0.7, "max_keep": 0.8, "said": "keep about 75%"}
    probe = [("text_length_filter", 5), ("stopwords_filter", 40)]
    assert decide(target, _run(0.5, (300, 350, 360), probe))[2] == "too_few"
    assert decide(target, _run(0.9, (300, 350, 360), probe))[2] == "too_many"
    ok, verdict, problem = decide(target, _run(0.75, (300, 350, 360), probe))
    assert ok and problem is None and "refined beats random and full" in verdict
    # keep target met but the refined pool trains a worse proxy than a random pool of its size
    assert decide(target, _run(0.75, (380, 350, 360), probe))[:3:2] == (False, "worse_than_random")
    # no target: refined must beat both random and full
    assert decide({}, _run(0.6, (355, 358, 350), probe))[2] == "worse_than_full"
    assert decide({}, _run(0.6, (340, 358, 350), probe))[0] is True
    # said in Chinese for a Chinese goal: the same decisions, no English sentence
    zh_target = {"min_keep": 0.7, "max_keep": 0.8, "said": "保留大约75%"}
    ok, verdict, problem = decide(zh_target, _run(0.75, (300, 350, 360), probe), zh=True)
    assert ok and problem is None and "达到目标" in verdict and "随机子集和全部数据" in verdict
    assert not re.search(r"[A-Za-z]{4,}", verdict)
    ok, verdict, problem = decide(zh_target, _run(0.5, (300, 350, 360), probe), zh=True)
    assert (ok, problem) == (False, "too_few") and "保留得太少" in verdict
    no_exp = {k: v for k, v in _run(0.6, (340, 358, 350), probe).items() if k != "experiment"}
    assert decide({}, no_exp, zh=True)[1] == "目标里没有可衡量的指标；配方已按计划运行"
    # revise: the op that removes the most on its own is the one loosened (or turned off) when quality lost
    samples = [{"text": "the and of a to in is " * (i % 5 + 1) + "x" * i} for i in range(60)]
    recipe = {"process": [{"text_length_filter": {"min_len": 10}}, {"stopwords_filter": {"min_ratio": 0.3}}]}
    new, diff, why, k = revise(recipe, samples, _run(0.75, (380, 350, 360), probe), "worse_than_random", 3.0)
    assert diff and all(d["op"] == "stopwords_filter" for d in diff) and "stopwords_filter" in why
    assert new["process"][0] == recipe["process"][0]
    if len(new["process"]) == 2:  # loosened
        assert new["process"][1]["stopwords_filter"]["min_ratio"] < 0.3
    else:  # nothing left to loosen: turned off, and the change says so
        assert diff == [{"op": "stopwords_filter", "arg": "(step)", "old": "on", "new": "off", "step": 1}]
        assert "turned off" in why
    # best_run: the last that met the goal, else the lowest refined perplexity
    runs = [_run(0.5, (300, 350, 360), probe), _run(0.6, (290, 350, 360), probe)]
    assert best_run(runs) is runs[1]
    runs[0]["target_met"] = True
    assert best_run(runs) is runs[0]


def test_terminal_charts():
    chart = bar_chart([("a", 10), ("b", 5), ("c", 0)], title="removed")
    lines = chart.splitlines()
    assert lines[0] == "removed" and lines[1].count("█") == 30 and lines[2].count("█") == 15
    assert "█" not in lines[3]
    ppl = perplexity_chart([_run(0.7, (300, 350, 360), [])])
    assert "it1 refined" in ppl and "300.0 ± 1.0" in ppl


def test_settings_presets():
    assert settings_for().seeds == [0, 1, 2]
    assert settings_for(quick=True).seeds == [0] and settings_for(quick=True).steps < ExperimentSettings().steps
    assert settings_for(2, steps=7).model_dump()["steps"] == 7


def test_chat_renders_removed_per_op_in_the_terminal(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from agent.cli import app

    rows = [{"text": "ok"}, {"text": "tiny"}] + [{"text": f"A long enough sentence number {i} here."} for i in range(6)]
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    env = {"JUICEBOX_HOME": str(tmp_path / "home"), "JUICEBOX_PLANNER": "builtin", "COLUMNS": "160"}
    monkeypatch.chdir(tmp_path)  # the chat writes ./juicebox_runs/<session>/ where it is run, not into the checkout
    res = CliRunner().invoke(app, ["chat", "--data", str(data)], env=env,
                             input="keep only texts with at least 20 characters\n/approve\n/quit\n")
    assert res.exit_code == 0, res.output
    chart = res.output.split("removed per op (iteration 1)")[1].splitlines()[1]
    assert "text_length_filter" in chart and "█" * 30 in chart and chart.rstrip().endswith(" 2")
