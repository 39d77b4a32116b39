"""The agent's tools on real data through the real engine, inside a workspace."""
import json

import pytest

from sandbox_engine.errors import JuiceboxError
from tools import schemas as S
from tools.registry import TOOLS, call_tool, llm_tools, tool_specs
from tools.workspace import Workspace, WorkspaceError

ROWS = [{"text": "Contact me at someone@example.com about the project plan today."},
        {"text": "ok"},
        {"text": "A perfectly ordinary sentence with enough characters in it."},
        {"text": "A perfectly ordinary sentence with enough characters in it."},
        {"text": "tiny"}]


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    return Workspace(tmp_path / "ws", data_paths=[data])


def test_every_tool_has_a_json_schema_and_a_docstring():
    specs = tool_specs()
    assert {s["function"]["name"] for s in specs} == set(TOOLS) and len(TOOLS) == 20
    for s in specs:
        assert s["function"]["description"] and s["function"]["parameters"]["type"] == "object"
    assert "run_recipe" not in llm_tools() and "search_operators" in llm_tools()


def test_workspace_confines_paths(ws, tmp_path):
    with pytest.raises(WorkspaceError, match="outside the session workspace"):
        ws.resolve("../../etc/passwd")
    with pytest.raises(WorkspaceError):
        ws.resolve(str(tmp_path / "data" / "d.jsonl"), write=True)  # data paths are read-only
    assert ws.resolve(str(tmp_path / "data" / "d.jsonl")).is_file()
    with pytest.raises(WorkspaceError):
        call_tool("save_recipe_yaml", {"recipe": {"process": []}, "path": "/tmp/elsewhere.yaml"}, ws)


def test_inspect_dataset(ws, tmp_path):
    out = call_tool("inspect_dataset", {"path": str(tmp_path / "data" / "d.jsonl"), "n_samples": 2}, ws)
    assert out["num_samples"] == 5 and out["modality"] == "text"
    assert [f["name"] for f in out["fields"]] == ["text"] and len(out["samples"]) == 2


def test_search_and_info():
    hits = call_tool("search_operators", {"query": "mail addresses", "k": 3})["hits"]
    assert hits[0]["name"] == "clean_email_mapper"
    info = call_tool("get_operator_info", {"name": "text_length_filter"})
    assert info["stats_keys"] == ["text_len"] and any(a["name"] == "min_len" for a in info["args"])
    with pytest.raises(JuiceboxError, match="did you mean"):
        call_tool("get_operator_info", {"name": "text_lenght_filter"})


def test_draft_then_validate(ws):
    d = call_tool("draft_recipe", {"goal": "remove emails and drop texts under 20 characters"}, ws)
    assert d["recipe"]["process"] == [{"clean_email_mapper": {}}, {"text_length_filter": {"min_len": 20}}]
    assert call_tool("validate_recipe", {"recipe": d["recipe"]})["ok"]
    bad = call_tool("validate_recipe", {"recipe": {"process": [{"text_length_filter": {"min_lne": 3}}]}})
    assert not bad["ok"] and "min_len" in bad["errors"][0]


def test_a_missing_model_does_not_make_a_recipe_invalid():
    """A model-backed step is valid where its model is not installed (it runs where the model is):
    listed under `unavailable` with what to install; a bad argument on such a step is still an error."""
    recipe = {"process": [{"text_length_filter": {"min_len": 5}}, {"video_tagging_from_frames_filter": {"tags": ["dog"]}}]}
    res = call_tool("validate_recipe", {"recipe": recipe})
    assert res["ok"] and res["steps"] == ["text_length_filter", "video_tagging_from_frames_filter"]
    assert len(res["unavailable"]) == 1 and res["unavailable"][0].startswith("process[1]") and "RAM++" in res["unavailable"][0]
    bad = call_tool("validate_recipe", {"recipe": {"process": [{"text_length_filter": {"min_len": 5}},
                                                               {"video_tagging_from_frames_filter": {"tagz": ["dog"]}}]}})
    assert not bad["ok"] and bad["errors"][0].startswith("process[1]") and "did you mean 'tags'" in bad["errors"][0]


def test_run_explain_compare_save(ws, tmp_path):
    data = str(tmp_path / "data" / "d.jsonl")
    recipe = {"process": [{"clean_email_mapper": {}}, {"text_length_filter": {"min_len": 10}},
                          {"document_deduplicator": {}}]}
    run = call_tool("run_recipe", {"recipe": recipe, "dataset_path": data, "export_path": "out/a.jsonl"}, ws)
    assert (run["rows_in"], run["rows_out"]) == (5, 2)
    why = call_tool("explain_removed", {"work_dir": run["work_dir"], "query": "tiny"}, ws)["removed"]
    assert why and why[0]["op"] == "text_length_filter" and "text_len" in why[0]["reason"]
    run2 = call_tool("run_recipe", {"recipe": {"process": [{"text_length_filter": {"min_len": 3}}]},
                                    "dataset_path": data, "export_path": "out2/b.jsonl"}, ws)
    cmp = call_tool("compare_runs", {"runs": [run["work_dir"], run2["work_dir"]]}, ws)
    assert [r["rows_out"] for r in cmp["runs"]] == [2, 4]
    saved = call_tool("save_recipe_yaml", {"recipe": recipe, "path": "recipes/r.yaml"}, ws)
    assert "clean_email_mapper" in open(saved["path"]).read()
    with pytest.raises(JuiceboxError, match="invalid"):
        call_tool("save_recipe_yaml", {"recipe": {"process": [{"nope_mapper": {}}]}, "path": "x.yaml"}, ws)


def test_refine_recipe_k_sigma(ws, tmp_path):
    out = call_tool("refine_recipe", {"recipe": {"process": [{"text_length_filter": {"min_len": 1, "max_len": 1000}}]},
                                      "dataset_path": str(tmp_path / "data" / "d.jsonl"), "k": 1.0}, ws)
    new = out["recipe"]["process"][0]["text_length_filter"]
    assert out["changes"] and new["max_len"] < 1000


def test_arguments_are_validated():
    with pytest.raises(ValueError):
        S.SearchOperatorsArgs(query="x", k=0)
    with pytest.raises(ValueError):
        S.InspectDatasetArgs(path="a", bogus=1)
