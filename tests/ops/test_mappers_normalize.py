"""Normalising mappers (Data-Juicer's test cases reproduced, plus edge cases)."""
import pytest

from sandbox_engine import process_samples
from tests.ops._mapper_helpers import assert_cases


def test_punctuation_normalization_full_table():
    assert_cases("punctuation_normalization_mapper", None, [
        ("，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
         ",.,\"\"\"\"\"\"\"\"\"\"'::?!();- - . ~'...-<>[]%-"),
        ("你好，世界。", "你好,世界."),
        ("", ""),
    ])


def test_fix_unicode_bad_and_good():
    assert_cases("fix_unicode_mapper", None, [
        ("âœ” No problems", "✔ No problems"),
        ("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows.", "The Mona Lisa doesn't have eyebrows."),
        ("No problems", "No problems"),
        ("阿里巴巴", "阿里巴巴"),
    ])


def test_fix_unicode_normalization_forms():
    assert_cases("fix_unicode_mapper", {"normalization": "nfkc"}, [("ﬁ ①", "fi 1")])
    assert_cases("fix_unicode_mapper", {"normalization": "NFD"}, [("é", "e\u0301")])
    with pytest.raises(ValueError, match="normalization"):
        process_samples([{"text": "a"}], [{"fix_unicode_mapper": {"normalization": "NFX"}}])


def test_whitespace_normalization():
    out = process_samples([{"text": " a\u3000b\u00a0c "}], [{"whitespace_normalization_mapper": None}])
    assert out == [{"text": "a b c"}]


def test_missing_text_key_is_left_alone():
    out = process_samples([{"text": "，"}, {"meta": 1}],
                          [{"punctuation_normalization_mapper": None}, {"fix_unicode_mapper": None}])
    assert out == [{"text": ","}, {"meta": 1}]
