"""Conversation.send: goals plan through the graph; questions about the data, the run and operators are
answered from the tools without touching the plan; paths come from the folder the chat started in;
failures are error events and the conversation goes on; sessions are new unless resumed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.conversation import ChatError, Conversation, Event, list_sessions
from agent.turns import TurnKind
from tests.agent.chat_data import write_mini

GOAL = "drop texts shorter than 20 characters and remove exact duplicates"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write_mini(tmp_path / "project" / "data" / "mini.jsonl")
    return tmp_path / "project"


def _conv(folder: Path, **kw) -> Conversation:
    return Conversation(home=folder.parent / "home", cwd=folder, llm=None, background=False, warm_index=False, **kw)


def _one(events: list[Event], kind: str) -> Event:
    hits = [e for e in events if e.kind == kind]
    assert hits, [e.kind for e in events]
    return hits[0]


def _text(events: list[Event]) -> str:
    return "\n".join(e.text for e in events)


def test_questions_runs_and_paths(folder):
    conv = _conv(folder, data_path="data/mini.jsonl")
    assert conv.data_path == str(folder / "data" / "mini.jsonl")
    plan = _one(conv.send(GOAL), "plan")
    steps = [next(iter(s)) for s in plan.payload["recipe"]["process"]]
    assert plan.payload["pending"] and steps[0] == "text_length_filter" and steps[1].endswith("deduplicator")

    # questions leave the pending plan alone
    langs = _one(conv.send("what languages are in here?"), "table")
    assert langs.payload["rows"][0][:2] == ["en", 38] and {r[0] for r in langs.payload["rows"]} == {"en", "zh", "fr"}
    hist = _one(conv.send("how long are the texts?"), "histogram")
    assert sum(b["count"] for b in hist.payload["bins"]) == 40
    assert _one(conv.send("what fields are there?"), "table").payload["rows"] == [["text", "str", 40]]
    assert "Nothing has run yet" in _text(conv.send("why was sample 31 dropped?"))
    assert conv.state()["pending"] and len(conv.state()["versions"]) == 1

    ran = _one(conv.send("/approve"), "run_result")
    run_dir = Path(ran.payload["run_dir"])
    assert folder / "juicebox_runs" / conv.id / "run-1" in run_dir.parents
    assert str(run_dir) in ran.text and ran.payload["runs"][-1]["num_out"] == 32

    why = conv.send("why was sample 31 dropped?")
    assert "Sample 31 was removed: text_length_filter removed it: text_len = 2 (bounds: min_len=20)" in _text(why)
    dup = conv.send("why was sample 39 dropped?")
    assert _one(dup, "text").payload["op"] == steps[1] and "duplicate" in _text(dup)
    assert "Sample 1 was kept" in _text(conv.send("why was sample 1 dropped?"))
    assert "第 31 条样本被删除了" in _text(conv.send("第31条为什么被删了？"))
    assert f"{steps[1]} removed 2 of the 34" in _text(conv.send("how many were removed by the dedup step?"))
    shown = _one(conv.send("show me 4 samples the length filter removed"), "table")
    assert [r[2] for r in shown.payload["rows"]] == ["ok", "hi there", "tiny text", "no"]

    info = conv.send("what does stopwords_filter do?")
    assert _text(info).startswith("stopwords_filter (filter") and \
        "min_ratio" in [r[0] for r in _one(info, "table").payload["rows"]]
    assert "stopwords_filter（filter" in _text(conv.send("stopwords_filter 是做什么的？"))

    assert "数据共有 40 条样本" in _text(conv.send("数据里有多少条样本？"))
    saved = _one(conv.send("/save out/cleaned.yaml"), "notice")
    assert saved.payload["path"] == str(folder / "out" / "cleaned.yaml")
    # paths inside the recipe's folder are written relative to it, others stay absolute
    assert f"dataset_path: {folder / 'data' / 'mini.jsonl'}" in (folder / "out" / "cleaned.yaml").read_text()
    conv.send("/save cleaned.yaml")
    assert "dataset_path: data/mini.jsonl\n" in (folder / "cleaned.yaml").read_text()


def test_failures_are_said_and_the_chat_goes_on(folder):
    (folder / "bad.jsonl").write_text('{"text": "fine"}\n{not json\n')
    conv = _conv(folder, data_path="data/mini.jsonl")
    err = _one(conv.send("/data nope.jsonl"), "error")
    assert "nope.jsonl" in err.text and str(folder) in err.text
    _one(conv.send(GOAL), "plan")
    _one(conv.send("/approve"), "run_result")
    conv.send("/data bad.jsonl")
    failed = _one(conv.send("/run"), "error")
    assert "bad.jsonl:2" in failed.text
    assert "Your data has 40 samples" in _text(conv.send("/data data/mini.jsonl") + conv.send("how many samples?"))
    assert _one(conv.send("/run"), "run_result").payload["runs"][-1]["num_out"] == 32


def test_new_session_unless_resumed(folder):
    first = _conv(folder, data_path="data/mini.jsonl")
    first.send(GOAL)
    second = _conv(folder)
    assert second.id != first.id and second.data_path is None and not second.state()["pending"]
    again = _conv(folder, resume=True, session_id=first.id)
    assert again.data_path == first.data_path and again.state()["pending"]
    assert any(e.kind == "plan" for e in again.start_events())
    assert _conv(folder, resume=True).id == again.id  # --resume alone: the last one
    with pytest.raises(ChatError, match="no saved session named 'nope'"):
        _conv(folder, resume=True, session_id="nope")
    table = _one(second.send("/sessions"), "table")
    assert {r[0].lstrip("* ") for r in table.payload["rows"]} == {first.id, second.id}
    assert {i.id for i in list_sessions(folder.parent / "home")} == {first.id, second.id}
    info = json.loads((folder.parent / "home" / "sessions" / first.id / "session.json").read_text())
    assert info["goal"] == GOAL and info["work_dir"] == str(folder / "juicebox_runs" / first.id)


def test_a_change_after_a_run_replans(folder):
    conv = _conv(folder, data_path="data/mini.jsonl", work_dir="elsewhere")
    conv.send("drop texts shorter than 20 characters")
    assert Path(_one(conv.send("/approve"), "run_result").payload["run_dir"]).is_relative_to(folder / "elsewhere")
    plan = _one(conv.send("also remove exact duplicates"), "plan")
    assert plan.payload["pending"] and len(conv.state()["versions"]) == 2


def test_a_classifier_can_override_the_builtin_one(folder):
    """The LLM path classifies through `Conversation.classifier`; the built-in parse fills in the details."""
    conv = _conv(folder, data_path="data/mini.jsonl")
    seen: list[str] = []
    conv.classifier = lambda text, state: seen.append(text) or TurnKind.DATA_QUESTION
    events = conv.send("keep only English texts")  # the built-in classifier: a goal
    assert seen == ["keep only English texts"] and "Your data has 40 samples" in _text(events)
    assert not conv.state().get("recipe")
    conv.classifier = lambda text, state: TurnKind.OPERATOR_QUESTION
    assert "Which operator?" in _text(conv.send("what is this?"))
