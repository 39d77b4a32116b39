"""The safe expression grammar of general_field_filter: what it accepts, evaluates and rejects."""
import pytest

from sandbox_engine.errors import OpArgumentError
from sandbox_engine.field_expr import FieldExpression, parse_condition


def ev(src: str, row: dict) -> bool:
    return parse_condition(src).evaluate(row)


def test_comparisons_and_chains():
    assert ev("num > 10", {"num": 15})
    assert not ev("num > 10", {"num": 5})
    assert ev("10 < num <= 30", {"num": 30})
    assert not ev("10 < num <= 30", {"num": 31})
    assert not ev("10 < num <= 30", {"num": 10})
    assert ev("num != 3", {"num": 4})
    assert ev("text == 'hello'", {"text": "hello"})
    assert ev('text == "hello"', {"text": "hello"})
    assert ev("num >= -2.5", {"num": -2})
    assert ev("flag == True", {"flag": True})


def test_boolean_logic_and_not_extension():
    src = "(num > 10 or text == 'hello') and not meta.bad"
    assert parse_condition(src).fields == ["num", "text", "meta.bad"]
    assert ev(src, {"num": 5, "text": "hello", "meta.bad": False})
    assert not ev(src, {"num": 50, "text": "x", "meta.bad": True})
    assert not ev(src, {"num": 5, "text": "x", "meta.bad": False})


def test_none_side_and_incomparable_types_are_false():
    assert not ev("num > 10", {"num": None})
    assert not ev("num != 10", {})
    assert not ev("num == None", {"num": None})
    assert not ev("text < 3", {"text": "abc"})
    assert not ev("1 < num < 5", {"num": "x"})


def test_dotted_fields_are_collected():
    e = parse_condition("__dj__stats__.text_len > 3 and __dj__meta__.a.b == 1")
    assert e.fields == ["__dj__stats__.text_len", "__dj__meta__.a.b"]
    rows = {"__dj__stats__.text_len": [5, 1, None], "__dj__meta__.a.b": [1, 1, 1]}
    assert e.evaluate_column(rows, 3) == [True, False, False]


def test_empty_condition_keeps_all():
    e = FieldExpression("   ")
    assert e.fields == [] and e.evaluate({})


@pytest.mark.parametrize("src", ["invalid condition", "num >", "num > > 3", "(a == 1", "a = 1"])
def test_syntax_errors_raise_value_error(src):
    with pytest.raises(OpArgumentError, match="not a valid expression"):
        parse_condition(src)


@pytest.mark.parametrize("src, what", [
    ("len(text) > 3", "function call"),
    ("__import__('os').system('true')", "function call"),
    ("num + 1 > 3", "arithmetic"),
    ("meta['a'] == 1", "subscript"),
    ("num in [1, 2]", "comparison operator In"),
    ("num is None", "comparison operator Is"),
    ("-num > 3", "arithmetic"),
    ("lambda: 1", "Lambda"),
    ("text.upper().x == 1", "attribute of a non-field"),
])
def test_other_constructs_are_rejected_at_parse_time(src, what):
    with pytest.raises(ValueError, match=what):
        parse_condition(src)


def test_error_is_value_error_subclass():
    assert issubclass(OpArgumentError, ValueError)
