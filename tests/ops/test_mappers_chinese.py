"""chinese_convert_mapper with OpenCC (Data-Juicer's cases)."""
import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import OpArgumentError
from tests.ops._mapper_helpers import assert_cases


def test_s2t_and_t2s():
    assert_cases("chinese_convert_mapper", {"mode": "s2t"}, [
        ("这是几个简体字，会被转换为繁体字", "這是幾個簡體字，會被轉換爲繁體字"),
        ("如果本身都是繁體字就不會被轉換", "如果本身都是繁體字就不會被轉換"),
        ("试试繁体afadf字$#@#和简体字，以及各123种符号", "試試繁體afadf字$#@#和簡體字，以及各123種符號"),
    ])
    assert_cases("chinese_convert_mapper", {"mode": "t2s"}, [
        ("這是幾個簡體字，會被轉換爲繁體字", "这是几个简体字，会被转换为繁体字"),
        ("如果本身都是简体字就不会被转换", "如果本身都是简体字就不会被转换"),
    ])


def test_regional_modes():
    assert_cases("chinese_convert_mapper", {"mode": "s2tw"}, [("群贤毕至，少长咸集", "群賢畢至，少長咸集")])
    assert_cases("chinese_convert_mapper", {"mode": "tw2s"}, [("群賢畢至，少長咸集", "群贤毕至，少长咸集")])
    assert_cases("chinese_convert_mapper", {"mode": "s2twp"},
                 [("鼠标里面的硅二极管坏了，导致光标分辨率降低。", "滑鼠裡面的矽二極體壞了，導致游標解析度降低。")])
    assert_cases("chinese_convert_mapper", {"mode": "tw2sp"},
                 [("滑鼠裡面的矽二極體壞了，導致游標解析度降低。", "鼠标里面的硅二极管坏了，导致光标分辨率降低。")])
    assert_cases("chinese_convert_mapper", {"mode": "s2hk"}, [("这是几个简体字", "這是幾個簡體字")])
    assert_cases("chinese_convert_mapper", {"mode": "hk2s"}, [("這是幾個簡體字", "这是几个简体字")])
    assert_cases("chinese_convert_mapper", {"mode": "t2jp"}, [("廣", "広")])
    assert_cases("chinese_convert_mapper", {"mode": "jp2t"}, [("広", "廣")])


def test_invalid_mode_and_missing_text():
    with pytest.raises(OpArgumentError, match="mode"):
        process_samples([{"text": "a"}], [{"chinese_convert_mapper": {"mode": "x2y"}}])
    assert process_samples([{"meta": 1}, {"text": ""}], [{"chinese_convert_mapper": None}]) == [
        {"meta": 1}, {"text": ""}]
