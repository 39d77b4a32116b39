"""Word filters: Data-Juicer's own test cases, exact stats, word lists, tokenization and sharing."""
import json

import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.errors import OpArgumentError
from sandbox_engine.ops.base import build_op

STATS = "__dj__stats__"


def kept(op: dict, ds: list[dict]) -> list[int]:
    return [ds.index(s) for s in process_samples(ds, [op])]


def stat(op: dict, key: str, ds: list[dict]) -> list:
    return [s[STATS][key] for s in compute_stats(ds, [op])]


def texts(*ts: str) -> list[dict]:
    return [{"text": t} for t in ts]


def test_words_num_dj_case():
    ds = texts("Today is Sun", "Today is Sunday and it's a happy day!", "a v s e c s f e f g a a a  ",
               "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►")
    op = {"words_num_filter": {"min_num": 5, "max_num": 15}}
    assert kept(op, ds) == [1, 2]
    assert stat(op, "num_words", ds)[:3] == [3, 8, 13]


def test_words_num_strips_symbol_only_words():
    ds = texts("hello , world !!! 123 --", "", "😊 ok 😊")
    assert stat({"words_num_filter": {}}, "num_words", ds) == [2, 0, 1]


def test_word_repetition_dj_case():
    ds = texts("Today is Sunday Sunday Sunday Sunday Sunday and it's a happy day!",
               "Today is Sunday Sunday Sunday and it's a happy day!",
               "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
               "plusieurs èrdash@hqbchd.ckd d'accéder à ces wc  site d'amateurs et de professionnels",
               "中文也是一个字算字数的")
    op = {"word_repetition_filter": {"rep_len": 3, "min_ratio": 0.0, "max_ratio": 0.2}}
    assert kept(op, ds) == [1, 3, 4]
    # 12 words -> 10 trigrams; 'sunday sunday sunday' occurs 3 times -> 3/10
    assert stat(op, "word_rep_ratio", ds)[0] == pytest.approx(0.3)


def test_word_repetition_is_case_insensitive():
    # 'go home' x3 and 'home go' x2 once lower-cased: every bigram repeats
    ds = texts("Go home go HOME go home", "Go home, go away", "one")
    assert stat({"word_repetition_filter": {"rep_len": 2}}, "word_rep_ratio", ds) == [1.0, 0.0, 0.0]


def test_stopwords_en_dj_case():
    ds = texts("Today is Sunday and it's a happy day!",
               "Today is Sund Sund Sund Sund Sunday and it's a happy day!",
               "a v s e c s f e f g a qkc",
               "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
               "Do you need a cup of coffee?",
               "emoji表情测试下😊，😸31231")
    assert kept({"stopwords_filter": {"lang": "en", "min_ratio": 0.3}}, ds) == [0, 1, 4]
    # 12 refined words, stopwords: is, and, it's, a
    assert stat({"stopwords_filter": {}}, "stopwords_ratio", ds)[1] == pytest.approx(4 / 12)


def test_flagged_words_en_dj_case():
    ds = texts("Today is anal cumshot day", "Fuck you doggystyle!",
               "　决定Do you need a cup of coffee?", "Today is a good day!")
    op = {"flagged_words_filter": {"lang": "en", "max_ratio": 0.045}}
    assert kept(op, ds) == [2, 3]
    assert stat(op, "flagged_words_ratio", ds)[:2] == [pytest.approx(2 / 5), pytest.approx(1 / 3)]


def test_flagged_words_zh_with_tokenization_and_words_aug():
    ds = texts("你是个卖淫女", "根据算子使用情况增量安装方案确定", "去除字母、数字、下划线占比过低或过高的代码",
               "基于前一步结果，除掉打飞机、三级片等敏感词",
               "使用片段分词器对每个页面进行分词，使用语言模型计算每个段落的困惑度得分，由此过滤低质量文本")
    op = {"flagged_words_filter": {"lang": "zh", "tokenization": True, "max_ratio": 0.045,
                                   "use_words_aug": True}}
    assert kept(op, ds) == [1, 2, 4]


def test_words_num_zh_with_tokenization():
    ds = texts("你是个卖淫女", "根据算子使用情况增量安装方案确定", "去除字母、数字、下划线占比过低或过高的代码",
               "使用片段分词器对每个页面进行分词，使用语言模型计算每个段落的困惑度得分，由此过滤低质量文本",
               "基于前一步结果，在同一个聚类中找出那些过长文档为假正例，暂不进行滤除")
    op = {"words_num_filter": {"lang": "zh", "tokenization": True, "min_num": 10, "max_num": 25}}
    assert kept(op, ds) == [2, 4]
    assert stat({"words_num_filter": {"lang": "zh"}}, "num_words", ds) == [1, 1, 1, 1, 1]


def test_stopwords_zh_with_tokenization():
    ds = texts("你好，请问你是谁", "字母、数字、下划线、占比、代码",
               "基于前一步结果，在同一个聚类中找出那些过长文档为假正例，暂不进行滤除")
    op = {"stopwords_filter": {"lang": "zh", "tokenization": True, "min_ratio": 0.2, "use_words_aug": True}}
    assert kept(op, ds) == [0, 2]
    # without tokenization Chinese text is one whitespace word: no stopword matches
    assert stat({"stopwords_filter": {"lang": "zh"}}, "stopwords_ratio", ds) == [0.0, 0.0, 0.0]


def test_words_aug_joins_neighbours(tmp_path):
    (tmp_path / "stopwords.json").write_text(json.dumps({"en": ["x y", "x y z"]}))
    ds = texts("X y, z")
    base = {"stopwords_dir": str(tmp_path), "use_words_aug": True, "words_aug_join_char": " "}
    # words x, y, z + 'x y', 'y z' (size 2) + 'x y z' (size 3): two of six are listed
    assert stat({"stopwords_filter": {**base, "words_aug_group_sizes": [2, 3]}}, "stopwords_ratio",
                ds) == [pytest.approx(2 / 6)]
    assert stat({"stopwords_filter": {**base, "use_words_aug": False}}, "stopwords_ratio", ds) == [0.0]
    ds = texts("of the")  # 'of', 'the' and the joined 'ofthe' (default join char '')
    assert stat({"stopwords_filter": {"use_words_aug": True}}, "stopwords_ratio", ds) == [pytest.approx(2 / 3)]


def test_lang_all_is_union_and_unknown_lang_lists_valid_ones():
    ds = texts("le chat et the dog")
    assert stat({"stopwords_filter": {"lang": "all"}}, "stopwords_ratio", ds)[0] > \
        stat({"stopwords_filter": {"lang": "en"}}, "stopwords_ratio", ds)[0]
    with pytest.raises(OpArgumentError, match=r"'lang' = 'xx'.*all, ar, bn"):
        build_op("stopwords_filter", {"lang": "xx"})
    with pytest.raises(OpArgumentError, match="'lang' = 'klingon'"):
        build_op("flagged_words_filter", {"lang": "klingon"})


def test_user_word_list_dir(tmp_path):
    (tmp_path / "my_stopwords.json").write_text(json.dumps({"en": ["sunday"], "xx": ["foo"]}))
    ds = texts("Sunday is a day", "foo bar")
    op = {"stopwords_filter": {"stopwords_dir": str(tmp_path), "lang": "en"}}
    assert stat(op, "stopwords_ratio", ds) == [0.25, 0.0]
    op = {"stopwords_filter": {"stopwords_dir": str(tmp_path), "lang": "xx"}}
    assert stat(op, "stopwords_ratio", ds) == [0.0, 0.5]
    # a folder without a stopwords file: the shipped lists, as Data-Juicer would fetch them
    other = tmp_path / "empty"
    other.mkdir()
    assert stat({"stopwords_filter": {"stopwords_dir": str(other)}}, "stopwords_ratio", ds)[0] == 0.5


EDGE = [{"text": ""}, {"meta": {}}, {"text": "😊 😸 !!!"}, {"text": "中文 字符"}]


@pytest.mark.parametrize("op, key, expected", [
    ("words_num_filter", "num_words", [0, 0, 0, 2]),
    ("word_repetition_filter", "word_rep_ratio", [0.0, 0.0, 0.0, 0.0]),
    ("stopwords_filter", "stopwords_ratio", [0.0, 0.0, 0.0, 0.0]),
    ("flagged_words_filter", "flagged_words_ratio", [0.0, 0.0, 0.0, 0.0]),
])
def test_edge_cases(op, key, expected):
    assert stat({op: {}}, key, EDGE) == expected


def test_reversed_range_and_open_interval():
    ds = texts("one two three", "one two three four five")
    assert kept({"words_num_filter": {"min_num": 3, "max_num": 5, "max_closed_interval": False}}, ds) == [0]
    # reversed flips both closed flags, so the bounds are still kept (Data-Juicer's keep rule)
    assert kept({"words_num_filter": {"min_num": 3, "max_num": 4, "reversed_range": True}}, ds) == [0, 1]
    assert kept({"words_num_filter": {"min_num": 4, "max_num": 6, "reversed_range": True}}, ds) == [0]


def test_fused_word_filters_share_words_and_skip_present_stats():
    ds = [{"text": "The cat and the dog are in the house"},
          {"text": "cheap pills buy now", STATS: {"num_words": 50}},
          {"text": "short"}]
    proc = [{"words_num_filter": {"min_num": 3}},
            {"stopwords_filter": {"min_ratio": 0.3}},
            {"word_repetition_filter": {"rep_len": 2}}]
    out = process_samples(ds, proc, keep_stats=True)
    assert [s["text"] for s in out] == [ds[0]["text"]]
    assert out[0][STATS]["num_words"] == 9
    assert out[0][STATS]["stopwords_ratio"] == pytest.approx(6 / 9)
    stats = [s[STATS] for s in compute_stats(ds, proc)]
    assert stats[1]["num_words"] == 50 and stats[1]["stopwords_ratio"] == 0.0


def test_fast_refine_matches_words_refinement():
    from sandbox_engine.ops.filters.words import refine
    from sandbox_engine.ops.text_utils import refine_words, split_words

    text = "Hello, World!! ¿Qué?  😊ok😊 --- İstanbul 'quoted' 3.14 a\tb\nc ，中文。"
    for lower in (True, False):
        assert refine(split_words(text), lower) == refine_words(split_words(text), lower_case=lower)
