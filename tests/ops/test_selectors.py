"""Selectors, on the data set of Data-Juicer's selector tests (tests/ops/selector/)."""
import pytest

from sandbox_engine import process_samples
from sandbox_engine.ops.base import build_op

TEXTS = ["Today is Sun", "a v s e c s f e f g a a a  ", "中文也是一个字算一个长度", "，。、„”“«»１」「《》´∶：？！",
         "他的英文名字叫Harry Potter", "这是一个测试", "我出生于2023年", "emoji表情测试下😊，😸31231\n",
         "a=1\nb\nc=1+2+3+5\nd=6", "使用片段分词器对每个页面进行分词，使用语言"]
SUFFIX = [".pdf", ".docx", ".txt", ".html", ".allm", ".py", ".java", ".html", ".pdf", ".xml"]
KEY2 = [34, 243, 551, 18, 551, 89, 354.32, 354.32, 33, 18]
KEY1 = [5, 63, 23, 48, 78, 3, 67, 32, 33, 48]
DS = [{"text": t, "count": c, "meta": {"suffix": s, "key1": {"key2": {"count": k2}, "count": k1}}}
      for t, c, s, k2, k1 in zip(TEXTS, [101, 16, 162, None, 88, None, None, 2, 178, 666], SUFFIX, KEY2, KEY1)]


def pick(op, samples=DS, **args):
    return [TEXTS.index(s["text"]) for s in process_samples(samples, [{op: args}])]


def test_topk():
    assert pick("topk_specified_field_selector", field_key="meta.key1.count", top_ratio=0.2, topk=5) == [4, 6]
    # Data-Juicer's order: by value; int(0.2 * 10) = 2, capped by topk
    assert pick("topk_specified_field_selector", field_key="meta.key1.count", top_ratio=0.2, topk=5,
                reverse=False) == [5, 0]
    assert pick("topk_specified_field_selector", field_key="meta.key1.count", topk=1) == [4]
    assert pick("topk_specified_field_selector", field_key="meta.key1.count", top_ratio=0.5, topk=3) == [4, 6, 1]
    # ties: the earlier sample first
    assert pick("topk_specified_field_selector", field_key="meta.key1.key2.count", top_ratio=0.3) == [2, 4, 6]


def test_topk_noops_and_missing():
    everything = list(range(10))
    assert pick("topk_specified_field_selector", top_ratio=0.2) == everything       # no field_key
    assert pick("topk_specified_field_selector", field_key="count") == everything   # no ratio, no topk
    assert pick("topk_specified_field_selector", samples=DS[:1], field_key="count", topk=1) == [0]
    # samples lacking the value are never chosen
    assert pick("topk_specified_field_selector", field_key="count", topk=4, reverse=False) == [7, 1, 4, 0]
    assert pick("topk_specified_field_selector", field_key="meta.nothing", topk=2) == []
    with pytest.raises(ValueError):
        process_samples(DS, [{"topk_specified_field_selector": {"field_key": "count", "top_ratio": 2}}])


def test_frequency():
    # 8 distinct suffixes: int(0.2 * 8) = 1 value, the most frequent first seen (.pdf)
    assert pick("frequency_specified_field_selector", field_key="meta.suffix", top_ratio=0.2, topk=5) == [0, 8]
    assert pick("frequency_specified_field_selector", field_key="meta.suffix", topk=2) == [0, 8, 3, 7]
    assert pick("frequency_specified_field_selector", field_key="meta.suffix", topk=3, reverse=False) == [1, 2, 4]
    assert pick("frequency_specified_field_selector", field_key="meta.key1.key2.count", top_ratio=0.4,
                topk=2) == [2, 4, 3, 9]
    assert pick("frequency_specified_field_selector", field_key="meta.suffix") == list(range(10))


def test_frequency_none_and_unhashable_values():
    ds = [{"text": "a", "v": None}, {"text": "b", "v": [1]}, {"text": "c", "v": None}, {"text": "d", "v": [1]},
          {"text": "e", "v": None}]
    out = process_samples(ds, [{"frequency_specified_field_selector": {"field_key": "v", "topk": 1}}])
    assert [s["text"] for s in out] == ["a", "c", "e"]


def test_range():
    # ascending ranks 3..6 of meta.key1.count, returned from the largest (Data-Juicer's order)
    assert pick("range_specified_field_selector", field_key="meta.key1.count", lower_percentile=0.3,
                upper_percentile=0.7) == [3, 9, 8, 7]
    assert pick("range_specified_field_selector", field_key="meta.key1.count", lower_rank=2,
                upper_rank=5) == [8, 7, 2]
    assert pick("range_specified_field_selector", field_key="meta.key1.count", lower_percentile=0.3,
                lower_rank=5, upper_percentile=0.9, upper_rank=7) == [3, 9]
    # a bound missing: nothing is selected away
    assert pick("range_specified_field_selector", field_key="meta.key1.count",
                lower_percentile=0.3) == list(range(10))


def test_tags():
    assert pick("tags_specified_field_selector", field_key="meta.suffix", target_tags=[".html", ".pdf"]) == [0, 3, 7, 8]
    assert pick("tags_specified_field_selector", field_key="meta.suffix", target_tags=[]) == []
    assert pick("tags_specified_field_selector", field_key="meta.missing", target_tags=["x"]) == []
    assert pick("tags_specified_field_selector", field_key="meta.suffix") == list(range(10))


def test_random():
    a = pick("random_selector", select_ratio=0.2, select_num=5)
    assert len(a) == 2 and len(set(a)) == 2
    assert pick("random_selector", select_ratio=0.2, select_num=5) == a   # fixed seed
    assert len(pick("random_selector", select_ratio=0.9, select_num=3)) == 3
    assert len(pick("random_selector", select_num=4)) == 4
    assert len(pick("random_selector", select_ratio=0.5)) == 5
    assert pick("random_selector", select_num=50) == list(range(10))
    assert pick("random_selector") == list(range(10))
    with pytest.raises(ValueError, match="select_num"):
        build_op("random_selector", {"select_num": 0})


def test_select_flags_preserve_order():
    op = build_op("topk_specified_field_selector", {"field_key": "v", "topk": 2, "reverse": False})
    cols = {"v": [5, 1, None, 3, 0]}
    assert op.select_indices(cols) == [4, 1]
    assert op.select(cols) == [False, True, False, False, True]
    with pytest.raises(ValueError, match="cannot be ordered"):
        op.select({"v": [1, "a", 2]})
