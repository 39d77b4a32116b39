"""`juicebox plan GOAL --format json|yaml` with no endpoint configured."""
import json

import pytest
import yaml
from typer.testing import CliRunner

from agent.cli import app


@pytest.fixture
def runner(tmp_path, monkeypatch):
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "JUICEBOX_MODEL", "OPENAI_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_plan_json_on_stdout_planner_on_stderr(runner):
    res = runner.invoke(app, ["plan", "Keep texts between 50 and 2,000 chars and remove near duplicates",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == {"process": [{"text_length_filter": {"min_len": 50, "max_len": 2000}},
                                {"document_minhash_deduplicator": {}}]}
    assert "built-in planner" in res.stderr
    assert "planner" not in res.stdout


def test_plan_yaml_with_data(runner, tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "hello"}\n')
    res = runner.invoke(app, ["plan", "remove emails; drop texts with fewer than 5 words", "--data", str(data)])
    assert res.exit_code == 0, res.output
    recipe = yaml.safe_load(res.stdout)
    assert recipe["dataset_path"] == str(data)
    assert recipe["process"] == [{"clean_email_mapper": {}}, {"words_num_filter": {"min_num": 5}}]


def test_plan_bad_input_exits_2(runner):
    assert runner.invoke(app, ["plan", "dedupe", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["plan", "dedupe", "--data", "/nonexistent/x.jsonl"]).exit_code == 2
