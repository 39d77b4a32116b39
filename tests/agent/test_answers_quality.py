"""Questions about the data's quality (duplicates, HTML, e-mails, links, near-empty texts ...), in English and
Chinese: the turn's topic, and the answer from the real profile_dataset tool on a small data set with known
issues (exact counts, the sample scope, a table of every share)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.answers import answer_data
from agent.events import Event
from agent.refine_loop import Tools
from agent.turns import TurnKind, parse_turn, quality_issues

PLANNED = {"recipe": {"process": [{"text_length_filter": {"min_len": 20}}, {"document_deduplicator": {}}]}}
PENDING = {**PLANNED, "pending": True}
D = TurnKind.DATA_QUESTION

LONG = [f"Sample number {i} talks about cleaning web text for small language models, carefully." for i in range(10)]
ROWS = ([{"text": s} for s in LONG]
        + [{"text": "<p>Hello <b>world</b>, this page is about preparing web data.</p>"},
           {"text": "Write to someone@example.com for the details of the project plan."},
           {"text": "ok"},
           {"text": "hi there"}]
        + [{"text": LONG[0]}, {"text": LONG[1]}, {"text": LONG[1]}])  # 3 exact duplicates: 17 samples in all


@pytest.fixture()
def data(tmp_path: Path, monkeypatch) -> tuple[Tools, str]:
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "q.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return Tools(str(tmp_path / "ws"), [str(folder)]), str(path)


def _ask(text: str, data: tuple[Tools, str], state: dict | None = None) -> list[Event]:
    tools, path = data
    turn = parse_turn(text, state or {})
    assert (turn.kind, turn.topic) == (D, "quality")
    events: list[Event] = []
    answer_data(turn, tools, path, events.append)
    assert "profile_dataset" in tools.calls
    return events


def _text(events: list[Event]) -> str:
    return "\n".join(e.text for e in events if e.kind == "text")


def _table(events: list[Event]) -> dict:
    tables = [e for e in events if e.kind == "table"]
    assert len(tables) == 1
    return tables[0].payload


@pytest.mark.parametrize("text,state,topic,issues", [
    ("how many exact duplicates are there?", {}, "quality", ["exact_duplicate"]),
    ("how many exact duplicates are there?", PENDING, "quality", ["exact_duplicate"]),
    ("are there any HTML tags or emails in my data?", {}, "quality", ["html", "email"]),
    ("what share of the samples are near-empty?", {}, "quality", ["near_empty"]),
    ("any dupes?", {}, "quality", ["exact_duplicate"]),
    ("does the data have links or URLs?", {}, "quality", ["link"]),
    ("are there very long texts?", {}, "quality", ["very_long"]),
    ("is my data noisy?", {}, "quality", []),
    ("how is the data quality?", {}, "quality", []),
    ("有多少重复的样本？", {}, "quality", ["exact_duplicate"]),
    ("数据里有网址或者邮箱吗？", {}, "quality", ["link", "email"]),
    ("数据里有HTML标签吗？", {}, "quality", ["html"]),
    ("有没有空的样本？", {}, "quality", ["near_empty"]),
    ("有超长的文本吗？", {}, "quality", ["very_long"]),
    ("数据质量怎么样？", {}, "quality", []),
    # the other topics are unchanged
    ("how many samples are there?", {}, "count", []),
    ("how many samples are in my data?", PENDING, "count", []),
    ("数据里有多少条样本？", {}, "count", []),
    ("what languages are in here?", {}, "languages", []),
    ("有哪些语言？", {}, "languages", []),
    ("how long are the texts?", {}, "lengths", []),
    ("what fields are there?", {}, "fields", []),
])
def test_quality_topic(text, state, topic, issues):
    turn = parse_turn(text, state)
    assert (turn.kind, turn.topic) == (D, topic)
    assert quality_issues(text) == issues


@pytest.mark.parametrize("text,state,kind,topic", [
    ("how many duplicates were removed?", {**PLANNED, "runs": [{"num_in": 40, "num_out": 32}]},
     TurnKind.RESULT_QUESTION, "removed_count"),
    ("does it also remove the HTML tags?", PENDING, TurnKind.PLAN_CHANGE, None),  # about the plan
    ("can you also drop emails?", PENDING, TurnKind.PLAN_CHANGE, None),
    ("能不能去掉重复的？", PENDING, TurnKind.PLAN_CHANGE, None),
])
def test_quality_words_in_results_and_changes(text, state, kind, topic):
    turn = parse_turn(text, state)
    assert (turn.kind, turn.topic) == (kind, topic)


def test_duplicates_answer_leads_with_the_exact_count(data):
    events = _ask("how many exact duplicates are there?", data)
    text = _text(events)
    assert text.startswith("Exact duplicates (repeating an earlier sample's text): 3 of the 17 samples (17.6%).")
    assert "near-empty texts 2 (11.8%)" in text and "HTML tags 1 (5.9%)" in text
    assert "e-mail addresses 1 (5.9%)" in text and "links" not in text
    assert "(All 17 samples were checked.)" in text
    table = _table(events)
    assert table["columns"] == ["issue", "samples", "share"]
    rows = {r[0]: r[1:] for r in table["rows"]}
    assert rows["exact duplicates"] == [3, "17.6%"] and rows["near-empty texts"] == [2, "11.8%"]
    assert rows["HTML tags"] == [1, "5.9%"] and rows["e-mail addresses"] == [1, "5.9%"]
    assert rows["links (URLs)"] == [0, "0.0%"] and rows["very long texts"] == [0, "0.0%"]
    assert len(rows) == 11  # every share of a text data set (no media)


def test_two_named_issues_come_first_in_the_order_asked(data):
    text = _text(_ask("are there any HTML tags or emails in my data?", data))
    assert text.index("Samples with HTML tags: 1 of the 17 samples (5.9%).") \
        < text.index("Samples with e-mail addresses: 1 of the 17 samples (5.9%).") < text.index("Also found:")
    assert "exact duplicates 3 (17.6%)" in text


def test_general_quality_question_lists_what_was_found(data):
    text = _text(_ask("how dirty is my data?", data))
    assert text.startswith("Found: exact duplicates 3 (17.6%), near-empty texts 2 (11.8%), HTML tags 1 (5.9%), "
                           "e-mail addresses 1 (5.9%).")


def test_chinese_answers(data):
    events = _ask("有多少重复的样本？", data)
    text = _text(events)
    assert text.startswith("17 条样本中有 3 条（17.6%）与前面的样本完全重复。")
    assert "近乎为空 2 条（11.8%）" in text and "（检查了全部 17 条样本。）" in text
    table = _table(events)
    assert table["columns"] == ["问题", "样本数", "占比"] and ["完全重复", 3, "17.6%"] in table["rows"]
    text = _text(_ask("数据里有网址或者邮箱吗？", data))
    assert text.startswith("17 条样本中有 0 条（0.0%）含链接（网址）。17 条样本中有 1 条（5.9%）含邮箱地址。")


def test_a_sample_says_so(data):
    tools, path = data
    res = tools("profile_dataset", path=path, max_samples=5)
    assert (res["sampled"], res["samples"], res["sample_kind"]) == (5, 17, "uniform")
    assert all(res["counts"][k] == round(res["shares"][k] * 5) for k in res["shares"])
    from agent.answers import answer_quality

    events: list[Event] = []
    answer_quality("en", res, ["exact_duplicate"], events.append)
    assert "(A uniform random sample of 5 of the 17 samples was checked.)" in _text(events)
    events.clear()
    answer_quality("zh", res, [], events.append)
    assert "（随机均匀抽查了 17 条中的 5 条。）" in _text(events)


def test_profile_dataset_tool(data, tmp_path):
    tools, path = data
    res = tools("profile_dataset", path=path)
    assert (res["samples"], res["samples_exact"], res["sampled"], res["sample_kind"]) == (17, True, 17, "all")
    assert res["text_key"] == "text" and res["modality"] == "text" and "duplicate_media" not in res["shares"]
    assert {k: v for k, v in res["counts"].items() if v} == {"exact_duplicate": 3, "near_empty": 2, "html": 1,
                                                            "email": 1}
    with pytest.raises(FileNotFoundError):
        tools("profile_dataset", path=str(Path(path).parent / "missing.jsonl"))
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        tools("profile_dataset", path=path, max_samples=0)


def test_data_without_text_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    path = tmp_path / "ids.jsonl"
    path.write_text("".join(json.dumps({"id": i, "score": i / 10}) + "\n" for i in range(5)))
    events: list[Event] = []
    answer_data(parse_turn("any duplicates?", {}), Tools(str(tmp_path / "ws"), [str(path)]), str(path), events.append)
    assert [e.kind for e in events] == ["notice"] and "No text field found" in events[0].text


@pytest.mark.parametrize("question,expected", [
    # the question's own condition, read as filter steps and run on the data (17 samples, 2 under 10 characters)
    ("how many samples have fewer than 10 characters?", "2 of the 17 samples match"),
    ("有多少条样本短于十个字符？", "17 条样本中有 2 条符合"),
    ("how many texts are longer than 60 characters?", "of the 17 samples match"),
])
def test_counts_under_a_condition(data, question, expected):
    tools, path = data
    turn = parse_turn(question, {})
    assert (turn.kind, turn.topic) == (D, "count")
    events: list[Event] = []
    answer_data(turn, tools, path, events.append)
    assert "count_matching" in tools.calls
    said = " ".join(e.text or "" for e in events)
    assert expected in said, said
    assert "Your data has" not in said


def test_count_matching_tool_runs_the_steps(data):
    tools, path = data
    res = tools("count_matching", path=path, process=[{"text_length_filter": {"min_len": 0, "max_len": 9}}])
    assert (res["counted"], res["total"], res["kept"]) == (17, 17, 2)
