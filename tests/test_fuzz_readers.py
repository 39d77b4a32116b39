"""Fuzzing the JSON/JSONL readers and the recipe loader (hypothesis, a fixed number of examples so CI
time is bounded): any input either reads or raises our one bad-input error class (JuiceboxError,
exit code 2 on the CLI) whose message names the file; never another exception."""
from __future__ import annotations

import gzip
import json
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.formats.jsonio import iter_json, iter_jsonl
from sandbox_engine.recipe import load_recipe, recipe_from_dict

FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)

# lines: valid objects, other JSON values, arbitrary bytes, and cut-off objects
lines = st.one_of(
    st.dictionaries(st.sampled_from(["text", "meta", "images", "id"]), json_values, max_size=4)
      .map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=30),
    st.dictionaries(st.just("text"), st.text(max_size=20), min_size=1)
      .flatmap(lambda d: st.integers(0, 30).map(lambda k: json.dumps(d).encode()[:k])),
)
files = st.lists(lines, max_size=8).map(lambda ls: b"\n".join(ls))


def _read_all(reader, path):
    try:
        rows = list(reader(path))
    except JuiceboxError as err:
        assert path.name in str(err)
        return None
    assert all(isinstance(r, dict) for r in rows)
    return rows


@FUZZ
@given(data=files)
def test_jsonl_reader_reads_or_explains(tmp_path, data):
    path = tmp_path / "data.jsonl"
    path.write_bytes(data)
    _read_all(iter_jsonl, path)
    assert path.read_bytes() == data


@FUZZ
@given(data=files, array=st.booleans())
def test_json_reader_reads_or_explains(tmp_path, data, array):
    path = tmp_path / "data.json"
    path.write_bytes(b"[" + data.replace(b"\n", b",\n") + b"]" if array else data)
    _read_all(iter_json, path)


@FUZZ
@given(data=files, cut=st.floats(0, 1))
def test_gzip_jsonl_reader_reads_or_explains(tmp_path, data, cut):
    blob = gzip.compress(data)
    path = tmp_path / "data.jsonl.gz"
    path.write_bytes(blob[: int(len(blob) * cut)])
    _read_all(iter_jsonl, path)


# -- recipes ------------------------------------------------------------------------------------------

OPS = ["text_length_filter", "words_num_filter", "clean_email_mapper", "specified_field_filter",
       "topk_specified_field_selector", "document_deduplicator", "no_such_op"]
ARGS = ["min_len", "max_len", "min_num", "lang", "field_key", "topk", "reverse", "batch_size",
        "num_proc", "skip_op_error", "text_key", "reversed_range", "lowercase", "bogus"]
KEYS = ["project_name", "dataset_path", "export_path", "np", "text_keys", "image_key", "process",
        "open_tracer", "use_checkpoint", "trace_num", "op_fusion", "executor_type", "mystery"]

arg_values = st.one_of(scalars, st.sampled_from(["2e5", "1_000", "'3'", "-1", "1e-3", "all", "any"]),
                       st.lists(scalars, max_size=3))
steps = st.one_of(
    st.sampled_from(OPS),
    st.builds(lambda op, args: {op: args}, st.sampled_from(OPS),
              st.one_of(st.none(), st.dictionaries(st.sampled_from(ARGS), arg_values, max_size=3))),
    json_values,
)
recipes = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(scalars, st.lists(steps, max_size=4), json_values), max_size=6)


@FUZZ
@given(data=recipes)
def test_recipe_from_dict_loads_or_explains(data):
    try:
        recipe = recipe_from_dict(data)
    except JuiceboxError:
        return
    assert len(recipe.build_ops()) == len(recipe.steps())


yaml_text = st.one_of(
    recipes.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(alphabet=string.printable + "：é", max_size=120),
    recipes.map(lambda d: yaml.safe_dump(d)).flatmap(
        lambda t: st.integers(0, len(t)).map(lambda k: t[:k])),
)


@FUZZ
@given(text=yaml_text)
def test_recipe_file_loads_or_explains(tmp_path, text):
    path = tmp_path / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_recipe(path)
    except JuiceboxError as err:
        assert "recipe" in str(err) or "process" in str(err) or "operator" in str(err), str(err)


@pytest.mark.parametrize("text", [b"\xff\xfe\x00bad", b"process: [\x00]"])
def test_recipe_file_with_bad_bytes(tmp_path, text):
    path = tmp_path / "recipe.yaml"
    path.write_bytes(text)
    with pytest.raises(JuiceboxError, match="recipe.yaml"):
        load_recipe(path)
