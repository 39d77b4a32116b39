"""python_lambda_mapper and python_file_mapper (Data-Juicer's cases and bad input)."""
import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import JuiceboxError, OpArgumentError


def lam(samples, src, batched=False):
    return process_samples(samples, [{"python_lambda_mapper": {"lambda_str": src, "batched": batched}}])


def test_lambda_modifies_values():
    assert lam([{"value": 1}, {"value": 2}], "lambda d: {**d, 'value': d['value'] + 1}") == [
        {"value": 2}, {"value": 3}]


def test_lambda_no_operation_and_empty_string():
    data = [{"text": "a", "meta": {"x": 1}}]
    assert lam(data, "lambda d: d") == data
    assert lam(data, "") == data


def test_lambda_result_updates_the_sample():
    assert lam([{"value": 1, "text": "a"}, {"value": 2}], "lambda d: {'v2': d['value'] * 2}") == [
        {"value": 1, "text": "a", "v2": 2}, {"value": 2, "v2": 4}]


def test_lambda_batched_may_change_row_count():
    assert lam([{"value": 1}, {"value": 2}], "lambda d: {'value': d['value'] + [6]}", True) == [
        {"value": 1}, {"value": 2}, {"value": 6}]
    with pytest.raises(JuiceboxError, match="row count"):
        lam([{"value": 1, "text": "a"}], "lambda d: {'value': d['value'] + [6]}", True)


@pytest.mark.parametrize("src", ["invalid_lambda", "lambda x, y: x + y", "lambda: 1", "lambda *a: a",
                                 "(", "1 + 1"])
def test_invalid_lambda_strings(src):
    with pytest.raises(OpArgumentError, match="lambda_str"):
        lam([{"value": 1}], src)


def test_lambda_must_return_a_dict():
    with pytest.raises(JuiceboxError, match="must return a dict"):
        lam([{"value": 1}], "lambda d: d['value']")


def test_python_file(tmp_path):
    f = tmp_path / "my_ops.py"
    f.write_text("def process_single(s):\n    return {'text': s['text'].upper()}\n\n"
                 "def process_batch(b):\n    return {'text': b['text'] * 2}\n\n"
                 "def two(a, b):\n    return a\n\nNOT_CALLABLE = 3\n")
    data = [{"text": "ab", "id": 1}]
    run = lambda args: process_samples(data, [{"python_file_mapper": {"file_path": str(f), **args}}])  # noqa: E731
    assert run({}) == [{"text": "AB", "id": 1}]
    batched = {"file_path": str(f), "function_name": "process_batch", "batched": True}
    assert process_samples([{"text": "ab"}], [{"python_file_mapper": batched}]) == [{"text": "ab"}, {"text": "ab"}]
    assert process_samples(data, [{"python_file_mapper": None}]) == data
    for args, msg in [({"function_name": "nope"}, "not found"), ({"function_name": "two"}, "exactly one"),
                      ({"function_name": "NOT_CALLABLE"}, "not callable")]:
        with pytest.raises(OpArgumentError, match=msg):
            run(args)
    for path, msg in [(tmp_path / "missing.py", "no such file"), (tmp_path, "no such file")]:
        with pytest.raises(OpArgumentError, match=msg):
            process_samples(data, [{"python_file_mapper": {"file_path": str(path)}}])
    txt = tmp_path / "x.txt"
    txt.write_text("")
    with pytest.raises(OpArgumentError, match="not a Python"):
        process_samples(data, [{"python_file_mapper": {"file_path": str(txt)}}])
