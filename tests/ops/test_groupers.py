"""Groupers (Data-Juicer's tests/ops/grouper/ cases)."""
import json

from sandbox_engine import process_samples

SRC = [{"text": "Today is Sunday and it's a happy day!", "meta": {"language": "en"}},
       {"text": "Welcome to Data-Juicer!", "meta": {"language": "en"}},
       {"text": "欢迎使用Data-Juicer！", "meta": {"language": "zh"}}]


def test_naive_grouper():
    assert process_samples(SRC, [{"naive_grouper": None}]) == [
        {"text": [s["text"] for s in SRC], "meta": [s["meta"] for s in SRC]}]
    assert process_samples([], [{"naive_grouper": None}]) == []


def test_key_value_grouper():
    out = process_samples(SRC, [{"key_value_grouper": {"group_by_keys": ["meta.language"]}}])
    assert out == [{"text": [SRC[0]["text"], SRC[1]["text"]], "meta": [{"language": "en"}] * 2},
                   {"text": [SRC[2]["text"]], "meta": [{"language": "zh"}]}]
    # default: group by the text
    dup = SRC + [dict(SRC[0])]
    assert [len(s["text"]) for s in process_samples(dup, [{"key_value_grouper": None}])] == [2, 1, 1]
    # a missing key is a value of its own
    mixed = SRC + [{"text": "no meta"}]
    out = process_samples(mixed, [{"key_value_grouper": {"group_by_keys": ["meta.language"]}}])
    assert [s["text"] for s in out][-1] == ["no meta"]


def test_naive_reverse_grouper(tmp_path):
    batched = [{"text": ["a", "b"], "meta": [{"x": 1}, {"x": 2}], "__dj__batch_meta__": {"summary": "s1"}},
               {"text": ["c"], "meta": [{"x": 3}], "__dj__batch_meta__": {"summary": "总结"}}]
    path = tmp_path / "sub" / "batch_meta.jsonl"
    out = process_samples(batched, [{"naive_reverse_grouper": {"batch_meta_export_path": str(path)}}])
    assert out == [{"text": "a", "meta": {"x": 1}}, {"text": "b", "meta": {"x": 2}},
                   {"text": "c", "meta": {"x": 3}}]
    assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == [
        {"summary": "s1"}, {"summary": "总结"}]


def test_group_then_reverse_round_trip():
    ops = [{"key_value_grouper": {"group_by_keys": ["meta.language"]}}, {"naive_reverse_grouper": None}]
    assert process_samples(SRC, ops) == SRC
    assert process_samples(SRC, [{"naive_grouper": None}, {"naive_reverse_grouper": None}]) == SRC
