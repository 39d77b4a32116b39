"""`juicebox chat`, `juicebox refine` and `juicebox demo` through typer's CliRunner with input lines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from agent.cli import app

GOAL = "keep only texts with at least 20 characters"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    rows = [{"text": "ok"}, {"text": "tiny"}, {"text": "short one"}]
    rows += [{"text": f"This is a reasonably long sentence number {i} about data."} for i in range(7)]
    rows.append(dict(rows[-1]))  # a duplicate
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.fixture()
def env(tmp_path: Path, monkeypatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # chat outputs go to ./juicebox_runs/<session>/
    return {"JUICEBOX_HOME": str(tmp_path / "home"), "JUICEBOX_PLANNER": "builtin", "COLUMNS": "160"}


def _chat(env: dict, data: Path, lines: list[str], *extra: str):
    result = CliRunner().invoke(app, ["chat", "--data", str(data), *extra], input="\n".join(lines) + "\n", env=env)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_chat_plan_approve_save_undo_history(data, env, tmp_path):
    out_yaml = tmp_path / "saved.yaml"
    out = _chat(env, data, [GOAL, "/plan", "/recipe", "also remove duplicate documents", "/undo", "/approve",
                            f"/save {out_yaml}", "/history", "/bogus", "/quit"])
    assert "planner: built-in planner" in out
    assert "Awaiting approval" in out and "text_length_filter" in out and "min_len=20" in out
    assert "min_len: 20" in out  # /recipe prints YAML
    assert "document_deduplicator" in out  # feedback re-planned
    assert "Back to the previous recipe version" in out
    assert "kept 8 of 11" in out  # /approve ran the restored recipe (no dedup)
    saved = yaml.safe_load(out_yaml.read_text())
    assert saved["process"] == [{"text_length_filter": {"min_len": 20}}]
    assert "v1: text_length_filter  (first draft)" in out and GOAL in out.split("You typed")[1]  # /history: typed lines + versions
    assert "Unknown command /bogus" in out
    assert (Path(env["JUICEBOX_HOME"]) / "chat_history").read_text().splitlines()[0] == GOAL


def test_chat_closed_mid_plan_resumes(data, env):
    first = _chat(env, data, [GOAL, "/quit"])
    assert "Awaiting approval" in first
    second = _chat(env, data, ["/approve", "/run", "/quit"], "--resume")
    assert "Resuming session" in second and "awaits approval" in second
    assert second.count("kept 8 of 11") >= 2  # approved, then /run ran the recipe again
    assert len(list(Path("juicebox_runs").glob("*/run-*/iter_1/processed.jsonl"))) == 2  # one folder per run
    third = _chat(env, data, ["/approve", "/quit"])  # a new session unless --resume
    assert "Nothing awaits approval" in third and "Resuming" not in third


def test_refine_writes_recipe_diff_and_report(data, env, tmp_path):
    work = tmp_path / "refine"
    goal = "keep only texts with at least 40 characters, and keep at least 90% of the data"
    result = CliRunner().invoke(app, ["refine", "--goal", goal, "--data", str(data), "--max-iters", "3", "--yes",
                                      "--work-dir", str(work), "--no-train"], env=env)
    assert result.exit_code == 0, result.output + repr(result.exception)
    final = yaml.safe_load((work / "recipe.yaml").read_text())
    assert final["process"][0]["text_length_filter"]["min_len"] < 40
    diff = (work / "iterations.diff").read_text()
    assert "-    min_len: 40" in diff
    report = (work / "report.md").read_text()
    assert "## What changed and why" in report and "too few samples kept" in report
    assert (work / "recipe_v0.yaml").is_file() and (work / "recipe_v1.yaml").is_file()


def test_refine_asks_for_approval_without_yes(data, env, tmp_path):
    work = tmp_path / "r2"
    result = CliRunner().invoke(app, ["refine", "--goal", GOAL, "--data", str(data), "--work-dir", str(work), "--no-train"],
                                input="n\n", env=env)
    assert result.exit_code == 0, result.output
    assert "Run this recipe?" in result.output
    assert "approval was not given" in (work / "report.md").read_text()


def test_refine_missing_data_is_a_clean_error(env, tmp_path):
    result = CliRunner().invoke(app, ["refine", "--goal", GOAL, "--data", str(tmp_path / "nope.jsonl")], env=env)
    assert result.exit_code == 2 and "no such file" in result.output
