"""Every registered operator carries the metadata the planner reads: argument measures, bounds and
cues, and example requests in English and Chinese (sandbox_engine/ops/metadata.py)."""
from __future__ import annotations

import pytest

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.ops.base import Filter, FilterArgs, OpArgs, load_builtin_ops
from sandbox_engine.ops.metadata import (MEASURES, arg_meta, base_fields, cue_value, has_cjk, is_literal,
                                         is_numeric, metadata_problems)

# the built-in ops (other test modules register custom ops into the same registry)
OPS = {n: c for n, c in load_builtin_ops().items() if c.__module__.startswith("sandbox_engine.")}
NAMES = sorted(OPS)


@pytest.mark.parametrize("name", NAMES)
def test_op_metadata_complete(name):
    assert metadata_problems(OPS[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_choice_cue_keys_are_accepted_values(name):
    """(d) for choice arguments validated in `setup` (a plain str field), each cue key builds the op."""
    cls = OPS[name]
    for arg, field in cls.Args.model_fields.items():
        meta = arg_meta(field)
        if meta.get("measure") != "choice" or not meta.get("cues") or is_literal(field.annotation):
            continue
        for key in meta["cues"]:
            cls.Args(**{arg: cue_value(key, field.annotation)})  # a ValidationError fails the test
            try:
                cls(**{arg: cue_value(key, field.annotation)})
            except ModelUnavailableError:
                pass  # the value is fine; the op's model is not installed here


def test_base_arguments_have_no_measure_but_reversed_range():
    for model in (OpArgs, FilterArgs):
        for arg, field in model.model_fields.items():
            expected = {"measure": "flag"} if arg == "reversed_range" else {}
            assert arg_meta(field) == expected, arg


def test_every_filter_stat_bound_pair_is_declared():
    """Filters deciding on one stat name their bounds: both sides must be tagged min and max."""
    for name, cls in OPS.items():
        if not issubclass(cls, Filter):
            continue
        fields = cls.Args.model_fields
        for arg in set(fields) - base_fields(cls.Args):
            if arg.startswith("min_") and "max_" + arg[4:] in fields:
                lo, hi = arg_meta(fields[arg]), arg_meta(fields["max_" + arg[4:]])
                assert (lo.get("bound"), hi.get("bound")) == ("min", "max"), (name, arg)
                assert lo.get("measure") == hi.get("measure") and lo.get("measure") in MEASURES, (name, arg)


def test_requests_name_their_own_measure():
    """A filter's requests in each language speak of its unit at least once, so that the planner can
    tell words_num_filter from token_num_filter from text_length_filter."""
    words = {"words": ("word", "词"), "tokens": ("token", "词元"), "characters": ("character", "字"),
             "perplexity": ("perplexity", "困惑度"), "pixels": ("pixel", "像素")}
    checked = 0
    for name, cls in OPS.items():
        measures = {arg_meta(f).get("measure") for a, f in cls.Args.model_fields.items()
                    if a.startswith("min_") and a not in base_fields(cls.Args)}
        if cls.category != "filter" or len(measures) != 1 or next(iter(measures)) not in words:
            continue
        en_word, zh_word = words[next(iter(measures))]
        reqs = cls.requests
        assert any(en_word.lower() in r.lower() for r in reqs if not has_cjk(r)), name
        assert any(zh_word in r for r in reqs if has_cjk(r)), name
        checked += 1
    assert checked >= 5


def test_requests_are_not_shared_between_ops():
    seen: dict[str, str] = {}
    for name in NAMES:
        for r in OPS[name].requests:
            key = r.strip().lower()
            assert key not in seen, f"{name} and {seen.get(key)} share the request {r!r}"
            seen[key] = name


def test_metadata_problems_reports_what_is_missing():
    """The checker itself: a filter without bounds, measures or requests is reported."""
    from pydantic import Field

    class Args(FilterArgs):
        min_len: int = Field(1, json_schema_extra={"measure": "characters"})
        max_len: int = Field(9)
        max_size: int = Field(9, json_schema_extra={"measure": "pixels"})  # unpaired: no bound needed
        mode: bool = Field(False, json_schema_extra={"measure": "flag", "cues": {"yes": ["x"]}})

    class Bad(Filter):
        name = "bad_filter"
        requests = ("drop short texts", "keep long ones", "remove junk", "删除短文本")

    Bad.Args = Args
    problems = "\n".join(metadata_problems(Bad))
    assert "bad_filter.min_len: a filter's min_* argument needs bound 'min'" in problems
    assert "bad_filter.max_len: a numeric argument needs a numeric measure" in problems
    assert "bad_filter.mode: flag cues keys must be 'true'/'false'" in problems
    assert "3 English and 1 Chinese" in problems
    assert "max_size" not in problems
    assert is_numeric(Args.model_fields["max_len"].annotation)
    assert not is_numeric(Args.model_fields["mode"].annotation)
