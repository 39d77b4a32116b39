"""The real graph: the built-in planner, approval interrupts persisted in SQLite across a process restart,
and the LLM planner through the real `openai` client against a scripted server (with fallbacks)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agent.graph import Runtime, build_graph
from agent.llm import LLMConfig
from agent.nodes.goals import check_target, parse_target
from agent.nodes.planning import BUILTIN_NAME
from agent.session import Session
from tests.agent.scripted_openai_server import ScriptedOpenAIServer

ROOT = Path(__file__).resolve().parents[2]
GOAL = "keep only texts with at least 20 characters"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    rows = [{"text": "ok"}, {"text": "tiny"}, {"text": "short one"}]
    rows += [{"text": f"This is a reasonably long sentence number {i} about data."} for i in range(7)]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def _steps(recipe: dict) -> dict:
    return {next(iter(s)): next(iter(s.values())) for s in recipe["process"]}


def _drive(graph, inp, cfg):
    said = []
    for chunk in graph.stream(inp, cfg, stream_mode="custom"):
        said.append(chunk["say"])
    return "".join(said)


def test_parse_target_and_check():
    assert parse_target("drop short texts, keeping at least 60% of the data")["min_keep"] == 0.6
    t = parse_target("remove at most 10% of the samples")
    assert (t["min_keep"], t["max_keep"]) == (0.9, 1.0)
    assert parse_target("remove texts with more than 30% special characters") == {}
    assert check_target({"min_keep": 0.6, "max_keep": 1.0}, {"kept_ratio": 0.5})[0] is False
    assert check_target({}, {"kept_ratio": 0.1})[0] is True


def test_builtin_graph_plans_interrupts_and_runs(data, tmp_path):
    graph = build_graph(Runtime(llm=None), InMemorySaver())
    cfg = {"configurable": {"thread_id": "t1"}}
    _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path / "w")}, cfg)
    snap = graph.get_state(cfg)
    assert snap.next == ("approve",)  # nothing ran before approval
    assert not (tmp_path / "w").exists()
    assert snap.values["planner"] == BUILTIN_NAME
    assert _steps(snap.values["recipe"]) == {"text_length_filter": {"min_len": 20}}
    assert len(snap.values["justifications"]) == 1
    said = _drive(graph, Command(resume=True), cfg)
    vals = graph.get_state(cfg).values
    assert graph.get_state(cfg).next == ()
    run = vals["runs"][-1]
    assert (run["num_in"], run["num_out"]) == (10, 7)
    assert run["per_op"] == [{"op": "text_length_filter", "in": 10, "removed": 3}]
    out = [json.loads(x) for x in Path(run["output_path"]).read_text().splitlines()]
    assert len(out) == 7 and all(len(r["text"]) >= 20 for r in out)
    assert "kept 7 of 10" in vals["answer"] and "kept 7 of 10" in said


def test_the_planners_notes_are_said(data, tmp_path):
    """What the built-in planner did not understand reaches the user, not only the state."""
    graph = build_graph(Runtime(llm=None), InMemorySaver())
    cfg = {"configurable": {"thread_id": "notes"}}
    said = _drive(graph, {"goal": GOAL + ", and frobnicate the widgets", "data_path": str(data),
                          "work_dir": str(tmp_path)}, cfg)
    assert "note: I did not understand: 'frobnicate the widgets'" in said
    assert any("frobnicate" in n for n in graph.get_state(cfg).values["notices"])


def test_feedback_replans_and_rejection_stops(data, tmp_path):
    graph = build_graph(Runtime(llm=None), InMemorySaver())
    cfg = {"configurable": {"thread_id": "t2"}}
    _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path)}, cfg)
    _drive(graph, Command(resume="also remove duplicate documents"), cfg)
    vals = graph.get_state(cfg).values
    assert graph.get_state(cfg).next == ("approve",)
    assert "document_deduplicator" in _steps(vals["recipe"])
    assert len(vals["versions"]) == 2 and "feedback" in vals["versions"][1]["why"]
    _drive(graph, Command(resume="no"), cfg)
    vals = graph.get_state(cfg).values
    assert not vals.get("runs") and "approval was not given" in vals["answer"]


def test_loop_revises_until_target_and_says_why(data, tmp_path):
    graph = build_graph(Runtime(llm=None), InMemorySaver())
    cfg = {"configurable": {"thread_id": "t3"}}
    goal = "keep only texts with at least 40 characters, and keep at least 90% of the data"
    _drive(graph, {"goal": goal, "data_path": str(data), "work_dir": str(tmp_path), "auto_approve": True,
                   "max_iters": 3}, cfg)
    vals = graph.get_state(cfg).values
    assert vals["runs"][0]["kept_ratio"] == 0.7 and vals["runs"][0]["target_met"] is False
    assert len(vals["runs"]) >= 2  # bounded loop revised at least once
    assert any("text_length_filter.min_len" in c and "why" in c for c in vals["changes"])
    new_min = _steps(vals["recipe"])["text_length_filter"]["min_len"]
    assert new_min < 40
    assert len(vals["runs"]) <= 3


_FIRST_HALF = textwrap.dedent("""
    import sys
    from agent.session import Session
    s = Session("restart", home=sys.argv[1], llm=None)
    s.ask(sys.argv[2], sys.argv[3], say=lambda t: None, work_dir=sys.argv[4])
    assert s.pending() is not None
    print("PENDING")
""")


def test_interrupt_approve_resume_across_process_restart(data, tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUICEBOX_PLANNER": "builtin"}
    proc = subprocess.run([sys.executable, "-c", _FIRST_HALF, str(home), GOAL, str(data), str(tmp_path / "w")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "PENDING" in proc.stdout
    assert (home / "sessions.sqlite").is_file()
    # a new process (this one) opens the same session and finds the plan awaiting approval
    sess = Session(home=home, llm=None)  # no id: the last session is resumed
    assert sess.id == "restart"
    pending = sess.pending()
    assert pending["kind"] == "approval" and _steps(pending["recipe"]) == {"text_length_filter": {"min_len": 20}}
    said: list[str] = []
    assert sess.resume(True, said.append) is None
    assert sess.values["runs"][-1]["num_out"] == 7
    assert "kept 7 of 10" in "".join(said)


def _llm_runtime(server: ScriptedOpenAIServer, **kw) -> Runtime:
    return Runtime(LLMConfig(base_url=server.base_url, api_key="k", model="scripted", max_retries=0, **kw))


def test_llm_planner_reads_a_recipe_written_as_text(data, tmp_path):
    recipe = {"process": [{"text_length_filter": {"min_len": 20}}],
              "justifications": ["drops texts under 20 characters"]}
    script = [{"content": json.dumps({"needs": [GOAL]})},  # the first question: the goal's needs
              {"content": "<tool_call>" + json.dumps({"name": "submit_recipe", "arguments": recipe}) + "</tool_call>"},
              {"content": "Kept 7 of 10 samples; text_length_filter removed 3."}]
    with ScriptedOpenAIServer(script) as srv:
        rt = _llm_runtime(srv)
        graph = build_graph(rt, InMemorySaver())
        cfg = {"configurable": {"thread_id": "llm"}}
        _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path)}, cfg)
        vals = graph.get_state(cfg).values
        assert vals["planner"].startswith("LLM planner (scripted")
        assert _steps(vals["recipe"]) == {"text_length_filter": {"min_len": 20}}
        assert vals["justifications"] == ["drops texts under 20 characters"]
        assert srv.requests[0]["response_format"]["type"] == "json_schema"
        said = _drive(graph, Command(resume=True), cfg)
        assert "Kept 7 of 10 samples" in said  # the answer streamed from the model
        assert srv.requests[-1].get("stream") is True


@pytest.mark.parametrize("reply", [{"malformed": True},
                                   {"content": json.dumps({"process": [{"no_such_op": {}}], "justifications": ["?"]})}])
def test_unusable_llm_draft_falls_back_for_the_turn_only(reply, data, tmp_path):
    with ScriptedOpenAIServer([reply]) as srv:
        rt = _llm_runtime(srv)
        graph = build_graph(rt, InMemorySaver())
        cfg = {"configurable": {"thread_id": "fb"}}
        said = _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path)}, cfg)
        vals = graph.get_state(cfg).values
        assert "falling back to the built-in planner" in said and "for this turn (the LLM stays on)" in said
        assert vals["notices"] and vals["planner"] == BUILTIN_NAME
        assert _steps(vals["recipe"]) == {"text_length_filter": {"min_len": 20}}
        drafts = [r for r in srv.requests if "process" in json.dumps(r.get("response_format") or {})]
        assert len(drafts) == 4  # the draft and 3 repair rounds
        assert rt.client is not None  # the endpoint stays on: the answer asks it again
        asked = len(srv.requests)  # the needs and the 4 drafts
        _drive(graph, Command(resume=True), cfg)
        assert len(srv.requests) == asked + 1


def test_timeout_drops_the_endpoint_for_the_session(data, tmp_path):
    with ScriptedOpenAIServer([{"sleep": 2, "content": "late"}]) as srv:
        rt = _llm_runtime(srv, timeout=0.5)
        graph = build_graph(rt, InMemorySaver())
        cfg = {"configurable": {"thread_id": "slow"}}
        said = _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path)}, cfg)
        assert "did not answer in time" in said and "for the rest of this session" in said
        assert graph.get_state(cfg).values["planner"] == BUILTIN_NAME
        n = len(srv.requests)
        _drive(graph, Command(resume=True), cfg)
        assert len(srv.requests) == n  # the failed endpoint is not asked again this session


def test_refused_connection_falls_back(data, tmp_path):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    rt = Runtime(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", max_retries=0, timeout=2))
    graph = build_graph(rt, InMemorySaver())
    cfg = {"configurable": {"thread_id": "refused"}}
    said = _drive(graph, {"goal": GOAL, "data_path": str(data), "work_dir": str(tmp_path)}, cfg)
    assert "connection" in said and "falling back" in said
    assert graph.get_state(cfg).values["recipe"]["process"] == [{"text_length_filter": {"min_len": 20}}]


def test_template_answer_speaks_the_goals_language():
    from agent.graph import template_answer

    state = {"goal": "去掉少于二十个字的文本，然后去重", "planner": "built-in",
             "recipe": {"process": [{"text_length_filter": {"min_len": 20}}, {"document_deduplicator": {}}]}}
    zh = template_answer(state)
    assert "配方：2 步" in zh and "还没有给数据集" in zh and "Recipe" not in zh
    en = template_answer({**state, "goal": "drop texts under 20 characters, then dedupe"})
    assert "Recipe: 2 step(s)" in en and "No data set given" in en
