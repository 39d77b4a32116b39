"""With a data set, the planner's notes about fitting the plan to it are in the language of the goal."""
from __future__ import annotations

import json
import re

import pytest

from agent.planner import builtin_planner

ENGLISH_WORDS = re.compile(r"\b(?:the|of|your|data|percentile|measured|samples?|was|dropped|none|texts?|"
                           r"contains?|could|inspect)\b", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    import os

    os.environ.setdefault("JUICEBOX_HOME", str(tmp_path_factory.mktemp("home")))
    return builtin_planner()


@pytest.fixture
def data(tmp_path):
    rows = [{"text": "word " * n} for n in range(3, 200)] + [{"text": "tiny"}] * 3
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_chinese_goal_gets_chinese_data_notes(planner, data):
    out = planner.plan("把太短的文本删掉", data=str(data))
    (step,), = [list(s.items()) for s in out.recipe["process"]]
    assert step[0] == "text_length_filter" and step[1]["min_len"] > 10
    note, = [n for n in out.notes if n.startswith("text_length_filter")]
    assert note.startswith(f"text_length_filter：min_len = {step[1]['min_len']}，取自你的数据中 text_len（字符数）"
                           "的第 5 百分位数（在 200 条样本上测得；原为 10）")
    job = planner.plan("准备我的RAG语料", data=str(data))
    assert "clean_html_mapper" not in [next(iter(s)) for s in job.recipe["process"]]
    assert "已去掉 clean_html_mapper：抽样的 200 条文本都不含 HTML 标签" in job.notes
    fitted = [n for n in job.notes if n.startswith("已去掉") or "取自你的数据" in n]
    assert len(fitted) >= 2
    for n in fitted:
        assert CJK.search(n) and not ENGLISH_WORDS.search(n), n
    missing = planner.plan("把太短的文本删掉", data=str(data.parent / "missing.jsonl"))
    assert any(n.startswith(f"无法读取 {data.parent / 'missing.jsonl'}：") for n in missing.notes)


def test_an_english_goal_keeps_english_data_notes(planner, data):
    out = planner.plan("drop the too-short texts", data=str(data))
    assert any(n.startswith("text_length_filter: min_len = ") and "the 5th percentile of your data's" in n
               for n in out.notes)
    job = planner.plan("prepare my RAG corpus", data=str(data))
    assert "dropped clean_html_mapper: none of the 200 sampled texts contains HTML tags" in job.notes
    assert not any(CJK.search(n) for n in job.notes)


def test_a_looser_fit_of_a_stated_step_is_not_said_in_either_language(planner, tmp_path):
    """A step the user asked for keeps its default where the data would loosen it, and no note says otherwise."""
    rows = [{"text": "ab"}] * 5 + [{"text": "word " * n} for n in range(1, 40)]
    path = tmp_path / "short.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for goal in ("把太短的文本删掉", "remove texts that are too short"):
        out = planner.plan(goal, data=str(path))
        assert out.recipe["process"] == [{"text_length_filter": {}}], goal
        assert not any("min_len" in n for n in out.notes), goal
