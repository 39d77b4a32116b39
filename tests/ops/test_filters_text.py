"""Character and line filters: Data-Juicer's own test cases, exact stat values and edge cases."""
import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.ops.base import build_op
from sandbox_engine.ops.filters.text_basic import shared_rows

STATS = "__dj__stats__"

DS = [
    {"text": "a=1\nb\nc=1+2+3+5\nd=6"},
    {"text": "Today is Sund Sund Sund Sund Sunday and it's a happy day!\nYou know"},
    {"text": "a v s e e f g a qkc"},
    {"text": "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"},
    {"text": "Do you need a cup of coffee?"},
    {"text": "emoji表情测试下😊，😸31231\n"},
]


def kept(op: dict, ds=DS) -> list[int]:
    out = process_samples(ds, [op])
    return [ds.index(s) for s in out]


def stat(op: dict, key: str, ds=DS) -> list:
    return [s[STATS][key] for s in compute_stats(ds, [op])]


@pytest.mark.parametrize("op, expected", [
    ({"alphanumeric_filter": {"min_ratio": 0.2, "max_ratio": 0.9}}, [0, 1, 2, 4, 5]),
    ({"alphanumeric_filter": {"tokenization": True, "min_ratio": 1.5}}, [1, 4]),
    ({"average_line_length_filter": {"min_len": 10, "max_len": 20}}, [2, 5]),
    ({"maximum_line_length_filter": {"min_len": 10, "max_len": 20}}, [2, 5]),
    ({"special_characters_filter": {"min_ratio": 0.0, "max_ratio": 0.25}}, [1, 4]),
    ({"text_length_filter": {"min_len": 10, "max_len": 50}}, [0, 2, 3, 4, 5]),
])
def test_dj_cases(op, expected):
    assert kept(op) == expected


def test_character_repetition_dj_case():
    ds = [{"text": "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!"},
          {"text": "a v s e c s f e f g a c"},
          {"text": "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"},
          {"text": "中文也是一个字算字数的"}]
    op = {"character_repetition_filter": {"rep_len": 5, "min_ratio": 0.0, "max_ratio": 0.4}}
    assert kept(op, ds) == [1, 2, 3]
    assert stat(op, "char_rep_ratio", ds)[0] == pytest.approx(26 / 57)


def test_exact_stat_values():
    assert stat({"alphanumeric_filter": {}}, "alnum_ratio")[0] == pytest.approx(10 / 19)
    assert stat({"average_line_length_filter": {}}, "avg_line_length")[0] == pytest.approx(19 / 4)
    assert stat({"maximum_line_length_filter": {}}, "max_line_length") == [9, 57, 19, 34, 28, 18]
    assert stat({"special_characters_filter": {}}, "special_char_ratio")[4] == pytest.approx(7 / 28)
    # 'abcabc' with rep_len 3: 4 trigrams abc(2) bca cab; k = min(isqrt(3), 3 - 2) = 1 -> 2/4
    assert stat({"character_repetition_filter": {"rep_len": 3}}, "char_rep_ratio",
                [{"text": "abcabc"}]) == [0.5]


def test_alpha_token_ratio_counts_alpha_chars_per_token():
    # 'hello world': 10 alphabetic characters over 2 WordPiece tokens.
    assert stat({"alphanumeric_filter": {"tokenization": True}}, "alpha_token_ratio",
                [{"text": "hello world"}]) == [5.0]


EDGE = [{"text": ""}, {"meta": {"x": 1}}, {"text": "😊😊😊"}, {"text": "中文字符\n\n测试"}]


@pytest.mark.parametrize("op, key, expected", [
    ("alphanumeric_filter", "alnum_ratio", [0.0, 0.0, 0.0, 1.0 * 6 / 8]),
    ("average_line_length_filter", "avg_line_length", [0.0, 0.0, 3.0, 8 / 3]),
    ("maximum_line_length_filter", "max_line_length", [0, 0, 3, 4]),
    ("special_characters_filter", "special_char_ratio", [0.0, 0.0, 1.0, 2 / 8]),
    ("character_repetition_filter", "char_rep_ratio", [0.0, 0.0, 0.0, 0.0]),
    ("text_length_filter", "text_len", [0, 0, 3, 8]),
])
def test_edge_cases_empty_missing_emoji_cjk(op, key, expected):
    assert stat({op: {}}, key, EDGE) == pytest.approx(expected)


def test_missing_text_rows_keep_their_shape():
    out = process_samples(EDGE, [{"maximum_line_length_filter": {"min_len": 0}}])
    assert out == EDGE


def test_open_intervals_and_reversed_range():
    ds = [{"text": "a\nbb"}, {"text": "abc"}, {"text": "abcd\nabcd"}]  # max line lengths 2, 3, 4
    base = {"min_len": 2, "max_len": 4}
    assert kept({"maximum_line_length_filter": base}, ds) == [0, 1, 2]
    assert kept({"maximum_line_length_filter": {**base, "min_closed_interval": False}}, ds) == [1, 2]
    assert kept({"maximum_line_length_filter": {**base, "max_closed_interval": False}}, ds) == [0, 1]
    # reversed flips both closed flags first (Data-Juicer): the bounds 2 and 4 stay kept by default
    assert kept({"maximum_line_length_filter": {**base, "reversed_range": True}}, ds) == [0, 2]
    assert kept({"maximum_line_length_filter": {**base, "min_closed_interval": False,
                                                "max_closed_interval": False,
                                                "reversed_range": True}}, ds) == []


def test_present_stats_are_not_recomputed():
    ds = [{"text": "short", STATS: {"avg_line_length": 100.0}}, {"text": "short"}]
    assert stat({"average_line_length_filter": {}}, "avg_line_length", ds) == [100.0, 5.0]
    assert kept({"average_line_length_filter": {"min_len": 10}}, ds) == [0]


def test_fused_line_filters_share_lines_across_dropped_rows():
    ds = [{"text": "x"}, {"text": "a long enough line\nand another one"}, {"text": "tiny\nrow"}]
    proc = [{"text_length_filter": {"min_len": 1}},
            {"average_line_length_filter": {"min_len": 5}},
            {"maximum_line_length_filter": {"min_len": 10}}]
    out = process_samples(ds, proc, keep_stats=True)
    assert [s["text"] for s in out] == [ds[1]["text"]]
    assert out[0][STATS]["max_line_length"] == 18


def test_shared_rows_realigns_by_identity_and_recomputes_when_unknown():
    calls = []

    def lines(ts):
        calls.append(len(ts))
        return [t.splitlines() for t in ts]

    texts = ["a\nb", "c", "d\ne\nf"]
    ctx: dict = {}
    assert shared_rows(ctx, "lines", texts, lines) == [["a", "b"], ["c"], ["d", "e", "f"]]
    assert shared_rows(ctx, "lines", [texts[0], texts[2]], lines) == [["a", "b"], ["d", "e", "f"]]
    assert calls == [3]
    assert shared_rows(ctx, "lines", ["new"], lines) == [["new"]]
    assert calls == [3, 1]


def test_metadata_and_bad_args():
    op = build_op("alphanumeric_filter", {"tokenization": True})
    assert op.stat_key == "alpha_token_ratio"
    assert build_op("alphanumeric_filter").stat_key == "alnum_ratio"
    with pytest.raises(ValueError, match="rep_len"):
        build_op("character_repetition_filter", {"rep_len": 0})
    with pytest.raises(ValueError, match="unknown argument 'max_lenn'"):
        build_op("maximum_line_length_filter", {"max_lenn": 3})
