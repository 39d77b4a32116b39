"""suffix_filter, specified_field_filter, specified_numeric_field_filter, general_field_filter
(cases after Data-Juicer's own unit tests, plus edge cases)."""
import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.errors import OpArgumentError

STATS = "__dj__stats__"
SUFFIX = "__dj__suffix__"

SUFFIX_DS = [
    {"text": "Today is Sun", SUFFIX: ".txt"},
    {"text": "a v s e c s f e f g a c", SUFFIX: ".html"},
    {"text": "中文也是一个字算字数的", SUFFIX: ".txt"},
    {"text": "，。、„”“«»１」「《》´∶：？！", SUFFIX: ".html"},
    {"text": "dasdasdasdasdasdasdasd", SUFFIX: ".jsonl"},
]


@pytest.mark.parametrize("suffixes, kept", [
    ([".txt", ".html"], [0, 1, 2, 3]),
    (".html", [1, 3]),
    (None, [0, 1, 2, 3, 4]),
    ([], [0, 1, 2, 3, 4]),
])
def test_suffix_filter(suffixes, kept):
    out = process_samples(SUFFIX_DS, [{"suffix_filter": {"suffixes": suffixes}}])
    assert out == [SUFFIX_DS[i] for i in kept]


def test_suffix_filter_missing_suffix_is_dropped_and_writes_no_stats():
    ds = [{"text": "a"}, {"text": "b", SUFFIX: ".txt"}]
    assert process_samples(ds, [{"suffix_filter": {"suffixes": [".txt"]}}]) == [ds[1]]
    assert [s[STATS] for s in compute_stats(ds, [{"suffix_filter": {"suffixes": [".txt"]}}])] == [{}, {}]


META_DS = [
    {"text": "a v s e c s f e f g a c", "meta": {"suffix": ".pdf", "star": 50}},
    {"text": "中文也是一个字算字数的", "meta": {"suffix": ".docx", "star": 6}},
    {"text": "，。、„”“«»１」「《》´∶：？！", "meta": {"suffix": ".txt", "star": 100}},
    {"text": "dasdasdasdasdasdasdasd", "meta": {"suffix": ".html", "star": 12}},
    {"text": "a v s e c s f e f g a c", "meta": {"suffix": "", "star": 51}},
]


def test_specified_field_filter_scalar():
    out = process_samples(META_DS, [{"specified_field_filter": {"field_key": "meta.suffix",
                                                                "target_value": [".pdf", ".txt"]}}])
    assert out == [META_DS[0], META_DS[2]]


def test_specified_field_filter_list_values_must_all_match():
    ds = [{"text": "a", "meta": {"path": {"test": ["txt", "json"]}}},
          {"text": "b", "meta": {"path": {"test": ["pdf", "mp4"]}}},
          {"text": "c", "meta": {"path": {"test": []}}},
          {"text": "d", "meta": {}}]
    op = {"specified_field_filter": {"field_key": "meta.path.test", "target_value": ["pdf", "txt", "json"]}}
    assert process_samples(ds, [op]) == [ds[0], ds[2]]


def test_specified_field_filter_without_target_keeps_all():
    assert process_samples(META_DS, [{"specified_field_filter": {"field_key": "meta.suffix"}}]) == META_DS
    assert process_samples(META_DS, [{"specified_field_filter": {"target_value": [1]}}]) == META_DS


def test_specified_numeric_field_filter():
    op = {"specified_numeric_field_filter": {"field_key": "meta.star", "min_value": 10, "max_value": 70}}
    assert process_samples(META_DS, [op]) == [META_DS[0], META_DS[3], META_DS[4]]


def test_specified_numeric_field_filter_strings_missing_and_zero():
    ds = [{"text": "a", "meta": {"n": "50"}}, {"text": "b", "meta": {"n": "6"}},
          {"text": "c", "meta": {"n": "abc"}}, {"text": "d", "meta": {}},
          {"text": "e", "meta": {"n": 0}}, {"text": "f", "meta": {"n": [20]}},
          {"text": "g", "meta": {"n": 12.5}}]
    op = {"specified_numeric_field_filter": {"field_key": "meta.n", "min_value": -5, "max_value": 70}}
    # Data-Juicer's is_number treats a falsy value (0) as non-numeric: that sample is dropped too.
    assert [s["text"] for s in process_samples(ds, [op])] == ["a", "b", "g"]


def test_specified_numeric_field_filter_open_and_reversed():
    ds = [{"text": str(v), "v": v} for v in (10, 20, 30)]
    base = {"field_key": "v", "min_value": 10, "max_value": 30}
    run = lambda **kw: [s["v"] for s in process_samples(ds, [{"specified_numeric_field_filter": {**base, **kw}}])]
    assert run() == [10, 20, 30]
    assert run(min_closed_interval=False, max_closed_interval=False) == [20]
    # reversed flips the closed flags before testing: default flags keep the bounds, open ones keep none
    assert run(reversed_range=True) == [10, 30]
    assert run(min_closed_interval=False, max_closed_interval=False, reversed_range=True) == []
    assert run(min_closed_interval=False, reversed_range=True) == [30]


GEN_DS = [{"num": 5, "text": "hello"}, {"num": 15, "text": "world"}, {"num": 15, "text": "hello"},
          {"text": "no num"}]


@pytest.mark.parametrize("cond, kept", [
    ("num > 10", [1, 2]),
    ("num >= 10 and text != 'hello'", [1]),
    ("num < 10 or text == 'world'", [0, 1]),
    ("10 < num <= 15", [1, 2]),
    ("not num > 10", [0, 3]),
    ("", [0, 1, 2, 3]),
])
def test_general_field_filter(cond, kept):
    out = process_samples(GEN_DS, [{"general_field_filter": {"filter_condition": cond}}])
    assert out == [GEN_DS[i] for i in kept]


def test_general_field_filter_nested_fields_and_stats():
    ds = [{"text": "a long text here", "__dj__meta__": {"a": 1}, "meta": {"b": 2}},
          {"text": "short", "__dj__meta__": {"a": 1}, "meta": {"b": 0}},
          {"text": "another long text", "__dj__meta__": {"a": 2}, "meta": {"b": 5}}]
    cond = "__dj__meta__.a == 1 and meta.b > 1"
    assert process_samples(ds, [{"general_field_filter": {"filter_condition": cond}}]) == [ds[0]]
    proc = [{"text_length_filter": {"min_len": 1}},
            {"general_field_filter": {"filter_condition": "__dj__stats__.text_len > 10"}}]
    assert [s["text"] for s in process_samples(ds, proc)] == ["a long text here", "another long text"]
    stats = [s[STATS] for s in compute_stats(ds, [{"general_field_filter": {"filter_condition": cond}}])]
    assert [s["general_field_filter_condition"] for s in stats] == [True, False, False]


def test_general_field_filter_skips_present_stat():
    ds = [{"num": 1, STATS: {"general_field_filter_condition": True}}, {"num": 1}]
    out = process_samples(ds, [{"general_field_filter": {"filter_condition": "num > 5"}}])
    assert out == [ds[0]]


@pytest.mark.parametrize("cond", ["invalid condition", "len(text) > 3", "num + 1 > 2"])
def test_general_field_filter_bad_condition_is_value_error(cond):
    with pytest.raises(OpArgumentError, match="filter_condition"):
        process_samples(GEN_DS, [{"general_field_filter": {"filter_condition": cond}}])
