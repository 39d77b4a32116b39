"""The chat's turn classifier: English and Chinese; operators named through the catalog."""
from __future__ import annotations

import pytest

from agent.turns import TurnKind, classify_turn, mentioned_operator, parse_turn

PLANNED = {"recipe": {"process": [{"text_length_filter": {"min_len": 20}}, {"document_deduplicator": {}}]}}
PENDING = {**PLANNED, "pending": True}
RAN = {**PLANNED, "runs": [{"num_in": 40, "num_out": 32}]}
G, C, D, R, O, CMD = (TurnKind.GOAL, TurnKind.PLAN_CHANGE, TurnKind.DATA_QUESTION, TurnKind.RESULT_QUESTION,
                      TurnKind.OPERATOR_QUESTION, TurnKind.COMMAND)


@pytest.mark.parametrize("text,state,kind,topic", [
    ("drop texts shorter than 20 characters and remove exact duplicates", {}, G, None),
    ("keep only English texts", RAN, G, None),
    ("new goal: keep only English texts", PENDING, G, None),
    ("how many samples are in my data?", PENDING, D, "count"),
    ("数据里有多少条样本？", PENDING, D, "count"),
    ("what languages are in here?", {}, D, "languages"),
    ("有哪些语言？", {}, D, "languages"),
    ("how long are the texts?", {}, D, "lengths"),
    ("文本有多长？", {}, D, "lengths"),
    ("what fields are there?", {}, D, "fields"),
    ("show me 3 samples the length filter removed", RAN, R, "removed_samples"),
    ("why was sample 17 dropped?", RAN, R, "why_dropped"),
    ("第17条为什么被删了？", RAN, R, "why_dropped"),
    ("how many were removed by the dedup step?", RAN, R, "removed_count"),
    ("what does stopwords_filter do?", RAN, O, "op_info"),
    ("stopwords_filter 是做什么的？", {}, O, "op_info"),
    ("what does the length filter do?", {}, O, "op_info"),
    ("also remove duplicate documents", PENDING, C, None),
    ("make it 50 characters instead", RAN, C, None),
    ("do not remove duplicates", RAN, C, None),
    ("can you also drop emails?", RAN, C, None),
    ("不要去重", RAN, C, None),
    ("raise the length filter's minimum to 50", RAN, C, None),
    ("/approve", RAN, CMD, None),
    ("can you drop texts shorter than 20 characters?", {}, G, None),
    ("what about removing emails too?", RAN, C, None),
    ("能不能去掉重复的？", RAN, C, None),
    ("can you show me samples the length filter removed?", RAN, R, "removed_samples"),
    ("可以显示被删掉的样本吗？", RAN, R, "removed_samples"),
    ("which samples were dropped?", RAN, R, "removed_samples"),
    ("how many samples are left?", {}, R, "removed_count"),
])
def test_classify(text, state, kind, topic):
    turn = parse_turn(text, state)
    assert (turn.kind, turn.topic) == (kind, topic)
    assert classify_turn(text, state) is kind


def test_details_and_language():
    t = parse_turn("show me 3 samples the length filter removed", RAN)
    assert (t.op, t.n, t.lang) == ("text_length_filter", 3, "en")
    t = parse_turn("第17条为什么被删了？", RAN)
    assert (t.sample, t.lang) == (17, "zh")
    assert parse_turn("how many were removed by the dedup step?", RAN).op == "document_deduplicator"
    assert parse_turn("show me five samples that were dropped", RAN).n == 5


def test_operators_resolve_through_the_catalog_search():
    """Phrases go to the catalog search (no per-operator phrase lists); the recipe's ops come first."""
    asked: list[str] = []

    def search(text: str) -> list[tuple[str, float]]:
        asked.append(text)
        return [("fancy_widget_filter", 0.9), ("text_length_filter", 0.5)]

    assert mentioned_operator("drop what the widget filter flags", {}, search, names=set()) == "fancy_widget_filter"
    assert asked == ["widget filter"]
    assert mentioned_operator("what did the widget filter do", PLANNED, search, names=set()) == "text_length_filter"
    assert mentioned_operator("what does fancy_widget_filter do", {}, search, names={"fancy_widget_filter"}) \
        == "fancy_widget_filter"
    assert mentioned_operator("how long are the texts", {}, search, names=set()) is None


@pytest.mark.parametrize("text,op", [
    ("为什么要去重？", "document_deduplicator"),
    ("why drop the short texts at all?", "text_length_filter"),
])
def test_why_a_step_is_a_question_about_that_step(text, op):
    """'为什么要去重？' asks why a step of the plan is there, in any words; a question about the data stays one."""
    state = {"recipe": {"process": [{"text_length_filter": {"min_len": 20}}, {"document_deduplicator": {}}]}}
    turn = parse_turn(text, state)
    assert turn.kind == TurnKind.OPERATOR_QUESTION and turn.op == op, turn
    assert parse_turn("数据里有重复吗？", state).kind == TurnKind.DATA_QUESTION
