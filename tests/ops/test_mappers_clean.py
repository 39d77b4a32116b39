"""Cleaning mappers: Data-Juicer's own test cases, custom patterns and bad input."""
import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import OpArgumentError
from tests.ops._mapper_helpers import assert_cases


def test_clean_email():
    cases = [("happy day euqal.np@gmail.com", "happy day "),
             ("请联系某某某@163.com", "请联系某某某@163.com"),
             ("ftp://exam>>le@domain.info", "ftp://exam>>"),
             ("ftp://examle@domain.info", "ftp://")]
    assert_cases("clean_email_mapper", None, cases)
    assert_cases("clean_email_mapper", {"repl": "<EMAIL>"},
                 [("happy day euqal.np@gmail.com", "happy day <EMAIL>"),
                  ("ftp://exam>>le@domain.info", "ftp://exam>><EMAIL>")])


def test_clean_email_custom_pattern_and_raw_literal():
    assert_cases("clean_email_mapper", {"pattern": r"\S+@\S+", "repl": "X"}, [("a 某@163.com b", "a X b")])
    assert_cases("clean_email_mapper", {"pattern": r"r'\d+@'"}, [("12@x", "x")])


def test_clean_ip_v4_v6():
    assert_cases("clean_ip_mapper", None, [
        ("test of ip 234.128.124.123", "test of ip "),
        ("34.0.124.123", ""),
        ("ftp://exam>>le@domain.info", "ftp://exam>>le@domain.info"),
        ("个人网站：https://www.189.133.222.55.html", "个人网站：https://www..html"),
        ("dd41:cfe2:a8bc:2ec4:5dfe:06f2:b5e4:abef", ""),
        ("个人网站：https://www.2ea3:a10e:b532:e2fe:2402:5aae:4dac:ba33.html", "个人网站：https://www..html"),
    ])
    assert_cases("clean_ip_mapper", {"repl": "<IP>"}, [("test of ip 234.128.124.123", "test of ip <IP>")])


def test_clean_links():
    assert_cases("clean_links_mapper", None, [
        ("ftp://user:password@ftp.example.com:21/", ""),
        ("FTP://www.example.com/path/to/file.txt", ""),
        ("https://www.example.com/file.html?param1=value1&param2=value2", ""),
        ("https://example.com", ""),
        ("https://[2001:0db8:85a3:0000:0000:8a2e:0370:7334]/path", ""),
        ("This is a test,http://www.example.com/file.html?param1=value1&param2=value2", "This is a test,"),
        ("这是个测试,https://example.com/path/to/page.html#section", "这是个测试,"),
        ("This is a sample@example for test", "This is a sample@example for test"),
        ("这是一个测试， 12345@qq.com", "这是一个测试， 12345@qq.com"),
        ("abcd:/e f is a sample for test", "abcd:/e f is a sample for test"),
        ("abcd://ef is a sample for test", " is a sample for test"),
        ("This is a sample for test", "This is a sample for test"),
        ("12345678", "12345678"),
    ])
    assert_cases("clean_links_mapper", {"repl": "<LINKS>"}, [
        ("ftp://user:password@ftp.example.com:21/", "<LINKS>"),
        ("abcd://ef is a sample for test", "<LINKS> is a sample for test")])


def test_clean_html():
    assert_cases("clean_html_mapper", None, [
        ("<p>This is a test</p>", "This is a test"),
        ("<a href='https://www.example.com/file.html?;name=Test' rel='noopener noreferrer' "
         "target='_blank'>测试</a>", "测试"),
        ("<ul><li>Coffee</li><li>Tea</li><li>Milk</li></ul>", "\n*Coffee\n*Tea\n*Milk"),
        ("<ol><li>Coffee</li><li>Tea</li><li>Milk</li></ol>", "*\n*Coffee\n*Tea\n*Milk"),
        ("<p>&copy; 2021 Your Name.</p>", "© 2021 Your Name."),
        ("This is a test", "This is a test"),
        ("", ""),
    ])


def test_clean_copyright():
    assert_cases("clean_copyright_mapper", None, [
        ("这是一段 /* 多行注释\n注释内容copyright\n*/ 的文本。另外还有一些 // 单行注释。",
         "这是一段  的文本。另外还有一些 // 单行注释。"),
        ("如果多行/*注释中没有\n关键词,那么\n这部分注释也不会\n被清除*/\n会保留下来",
         "如果多行/*注释中没有\n关键词,那么\n这部分注释也不会\n被清除*/\n会保留下来"),
        ("//if start with\n//that will be cleand \n evenly", " evenly"),
        ("http://www.nasosnsncc.com", "http://www.nasosnsncc.com"),
        ("#if start with\nthat will be cleand \n#evenly", "that will be cleand \n#evenly"),
        ("--if start with\n--that will be cleand \n#evenly", ""),
    ])


def test_replace_content():
    assert_cases("replace_content_mapper", {"pattern": "●", "repl": "<SPEC>"}, [
        ("这是一个干净的文本。Including Chinese and English.", "这是一个干净的文本。Including Chinese and English."),
        ("◆●■►▼▲▴∆▻▷❖♡□", "◆<SPEC>■►▼▲▴∆▻▷❖♡□"),
        ("多个●■►▼这样的特殊字符可以●■►▼出现在句子任意位置", "多个<SPEC>■►▼这样的特殊字符可以<SPEC>■►▼出现在句子任意位置"),
    ])
    for pat in (r"\d+(?:,\d+)*", "r'\\d+(?:,\\d+)*'"):
        assert_cases("replace_content_mapper", {"pattern": pat, "repl": "<DIGIT>"}, [
            ("这是一个包含数字1,234的文本 99", "这是一个包含数字<DIGIT>的文本 <DIGIT>")])
    assert_cases("replace_content_mapper", {"pattern": ["●", "■"], "repl": ["<1>", "<2>"]},
                 [("●■►", "<1><2>►")])
    assert_cases("replace_content_mapper", {"pattern": ["●", "■"], "repl": "_"}, [("●■►", "__►")])
    assert_cases("replace_content_mapper", None, [("●", "●")])


def test_remove_specific_chars():
    assert_cases("remove_specific_chars_mapper", None, [
        ("这是一个干净的文本。Including Chinese and English.", "这是一个干净的文本。Including Chinese and English."),
        ("◆●■►▼▲▴∆▻▷❖♡□", ""),
        ("►This is a dirty text ▻ 包括中文和英文", "This is a dirty text  包括中文和英文"),
        ("多个●■►▼这样的特殊字符可以►▼▲▴∆吗？", "多个这样的特殊字符可以吗？"),
        ("未指定的●■☛₨➩►▼▲特殊字符会☻▷❖被删掉吗？？", "未指定的☛₨➩特殊字符会☻被删掉吗？？"),
    ])
    assert_cases("remove_specific_chars_mapper", {"chars_to_remove": ["a", "b"]}, [("abc", "c")])
    assert_cases("remove_specific_chars_mapper", {"chars_to_remove": ""}, [("abc", "abc")])


@pytest.mark.parametrize("op,arg", [("clean_email_mapper", "pattern"), ("clean_ip_mapper", "pattern"),
                                    ("clean_links_mapper", "pattern"), ("replace_content_mapper", "pattern")])
def test_invalid_regex_names_op_and_argument(op, arg):
    with pytest.raises(OpArgumentError) as err:
        process_samples([{"text": "a"}], [{op: {arg: "([a"}}])
    msg = str(err.value)
    assert op in msg and arg in msg and "([a" in msg and "unterminated" in msg


def test_replace_content_needs_one_repl_per_pattern():
    with pytest.raises(OpArgumentError, match="repl"):
        process_samples([{"text": "a"}], [{"replace_content_mapper": {"pattern": ["a", "b"], "repl": ["x"]}}])


def test_none_text_and_other_fields_kept():
    out = process_samples([{"text": "mail a@b.com", "meta": {"k": 1}}, {"meta": {"k": 2}}],
                          [{"clean_email_mapper": None}, {"clean_html_mapper": None},
                           {"clean_copyright_mapper": None}, {"remove_specific_chars_mapper": None}])
    assert out == [{"text": "mail ", "meta": {"k": 1}}, {"meta": {"k": 2}}]
