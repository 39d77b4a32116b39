"""Removing mappers: Data-Juicer's own test cases and edge cases."""
import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import ModelUnavailableError, OpArgumentError
from tests.ops._mapper_helpers import assert_cases


def test_remove_long_words():
    args = {"min_len": 3, "max_len": 15}
    assert_cases("remove_long_words_mapper", args, [
        ("This paper proposed novel method LLM pretraining.", "This paper proposed novel method LLM pretraining."),
        ("This paper a novel eqeqweqwewqeqwe121e1 method on LLM pretrain.", "This paper novel method LLM pretrain."),
        ("Sur la plateforme MT4, manières à ces fonctionnalités sont conçu",
         "Sur plateforme MT4, manières ces fonctionnalités sont conçu"),
        ("This paper proposed a novel eqeqweqwewqenhq😊😠 method on LLM.",
         "This paper proposed novel eqeqweqwewqenhq😊😠 method LLM."),
        ("Sur la plateforme MT4, plusieurs manières d'accéder0123456789012345 à ces fonctionnalités sont "
         "conçues simultanément.",
         "Sur plateforme MT4, plusieurs manières d'accéder0123456789012345 ces fonctionnalités sont "
         "conçues simultanément."),
    ])


def test_remove_long_words_keeps_lines_and_tabs():
    assert_cases("remove_long_words_mapper", {"max_len": 4}, [
        ("ab  toolong cd\nx\ttoolong\tyz\ntoolong\n", "ab cd\nx\tyz"), ("", "")])


REPEAT_CASES = [
    ("今天天气真不错，阳光明媚，适合出去散步。小明说：“今天天气真不错，我们去海边吧。” 小红回答说：“好主意！” "
     "但是，小李觉得：“今天天气真不错，我们去爬山吧。” 今天天气真不错，阳光明媚，适合出去散步。昨天下雨了，今天天气真不错，温度适中。",
     "今天天气真不错，阳光明媚，适合出去散步。小明说：“今天天气真不错，我们去海边吧。” 小红回答说：“好主意！” "
     "但是，小李觉得：“今天天气真不错，我们去爬山吧。”昨天下雨了，今天天气真不错，温度适中。"),
    ("The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every "
     "letter of the alphabet? The quick brown fox jumps over the lazy dog. Speaking of foxes, they are known "
     "for their cunning. The quick brown fox jumps over the lazy dog.",
     "The quick brown fox jumps over the lazy dog. Isn't it amazing how a simple sentence can contain every "
     "letter of the alphabet? Speaking of foxes, they are known for their cunning."),
    ("我很开心 。但是你不开心  。我很开心 。\n你好呀！我很开心 。我好的。你好呀！", "我很开心 。但是你不开心  。\n你好呀！我好的。"),
    ("默认配置下，长度低于2的句子不会被去重。去重？去重。去重！重。重...... 重! 1234？3215. 1234. 3. 3. 3",
     "默认配置下，长度低于2的句子不会被去重。去重？重。重...... 重! 1234？3215. 3. 3. 3"),
]


def test_remove_repeat_sentences():
    assert_cases("remove_repeat_sentences_mapper", None, REPEAT_CASES)


def test_remove_repeat_sentences_options():
    text = "Hello world. hello world! Hello, world."
    assert_cases("remove_repeat_sentences_mapper", None, [(text, "Hello world. hello world!")])
    assert_cases("remove_repeat_sentences_mapper", {"lowercase": True}, [(text, "Hello world.")])
    assert_cases("remove_repeat_sentences_mapper", {"ignore_special_character": False},
                 [(text, text)])
    assert_cases("remove_repeat_sentences_mapper", {"min_repeat_sentence_length": 20}, [(text, text)])


TABLE = ("This is a table:\n编号 分行 营运资金1 营运资金2 营运资金3 营运资金4 营运资金5\n"
         "① 北京分行 495,000,000.00 200,000,000.00 295,000,000.00 - 495,000,000.00\n"
         "② 大连分行 440,000,000.00 100,000,000.00 340,000,000.00 - 440,000,000.00\n"
         "③ 重庆分行 500,000,000.00 100,000,000.00 400,000,000.00 - 500,000,000.00\n"
         "④ 成都分行 430,000,000.00 430,000,000.00 - - 430,000,000.00\n"
         "⑤ 武汉分行 500,000,000.00 500,000,000.00 - - 500,000,000.00\n"
         "This is a table")


def test_remove_table_text():
    assert_cases("remove_table_text_mapper", None, [
        (TABLE, "This is a table:\nThis is a table"),
        ("T:\na\tb\nc\td\nend", "T:\nend"),
        ("no table here\njust prose", "no table here\njust prose"),
    ])
    # a 7-column table survives when tables are at most 5 columns wide
    assert_cases("remove_table_text_mapper", {"min_col": 2, "max_col": 5}, [(TABLE, TABLE)])


def test_remove_table_text_bounds():
    for bad in ({"min_col": 1}, {"max_col": 21}, {"min_col": 5, "max_col": 3}):
        with pytest.raises(OpArgumentError):
            process_samples([{"text": "a"}], [{"remove_table_text_mapper": bad}])


NON_CHINESE = ["特殊的康熙部首或者扩展部首会被去除，⼏⺁", "请问你是谁dasoidhao@1264fg.45om",
               "ftp://exam匹配ple汉字ma-niè包括rdas繁體字h@hqbchd.ckdhnfes.cds", "👊    所有的非汉字a44sh都12@46h会被去除"]


@pytest.mark.parametrize("flags,targets", [
    ((False, False, False), ["特殊的康熙部首或者扩展部首会被去除", "请问你是谁", "匹配汉字包括繁體字", "所有的非汉字都会被去除"]),
    ((True, False, False), ["特殊的康熙部首或者扩展部首会被去除", "请问你是谁dasoidhaofgom",
                            "ftpexam匹配ple汉字mani包括rdas繁體字hhqbchdckdhnfescds", "所有的非汉字ash都h会被去除"]),
    ((True, True, False), ["特殊的康熙部首或者扩展部首会被去除", "请问你是谁dasoidhao1264fg45om",
                           "ftpexam匹配ple汉字mani包括rdas繁體字hhqbchdckdhnfescds", "所有的非汉字a44sh都1246h会被去除"]),
    ((True, True, True), ["特殊的康熙部首或者扩展部首会被去除，", "请问你是谁dasoidhao1264fg.45om",
                          "ftp//exam匹配ple汉字ma-ni包括rdas繁體字hhqbchd.ckdhnfes.cds",
                          "    所有的非汉字a44sh都1246h会被去除"]),
])
def test_remove_non_chinese_character(flags, targets):
    args = dict(zip(("keep_alphabet", "keep_number", "keep_punc"), flags))
    assert_cases("remove_non_chinese_character_mapper", args, list(zip(NON_CHINESE, targets)))


def test_remove_words_with_incorrect_substrings():
    assert_cases("remove_words_with_incorrect_substrings_mapper",
                 {"substrings": ["http", "www", ".com", "href", "//"]}, [
        ("This paper proposed a novel https://whiugc.com method on LLM", "This paper proposed a novel method on LLM"),
        ("plusieurs èrdash@hqbchd.ckd d'accéder à ces wwwasdasd fonc", "plusieurs èrdash@hqbchd.ckd d'accéder à ces fonc"),
    ])
    assert_cases("remove_words_with_incorrect_substrings_mapper", None, [
        ("see www.x.org\tand <a href=x> now", "see\tand <a now"), ("你好，请问你是谁", "你好，请问你是谁")])
    assert_cases("remove_words_with_incorrect_substrings_mapper", {"substrings": ["算子"]},
                 [("根据 算子使用 情况", "根据 情况")])


def test_remove_words_tokenization_needs_a_model():
    with pytest.raises(ModelUnavailableError, match="sentencepiece"):
        process_samples([{"text": "a"}], [{"remove_words_with_incorrect_substrings_mapper":
                                           {"lang": "zh", "tokenization": True}}])


def test_missing_text_is_left_alone():
    ops = [{"remove_long_words_mapper": {"max_len": 3}}, {"remove_repeat_sentences_mapper": None},
           {"remove_table_text_mapper": None}, {"remove_non_chinese_character_mapper": None},
           {"remove_words_with_incorrect_substrings_mapper": None}]
    assert process_samples([{"meta": 1}, {"text": "好 abcd"}], ops) == [{"meta": 1}, {"text": "好"}]
