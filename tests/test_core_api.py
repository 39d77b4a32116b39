"""The in-memory API and the registry's error messages."""
import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.errors import OpArgumentError, UnknownOpError


def test_process_samples_maps_then_filters_and_keeps_inputs():
    samples = [{"text": "  a\u3000b  "}, {"text": "hello world"}, {"meta": {"x": 1}}]
    before = [dict(s) for s in samples]
    out = process_samples(samples, [{"whitespace_normalization_mapper": None},
                                    {"text_length_filter": {"min_len": 3}}])
    assert out == [{"text": "a b"}, {"text": "hello world"}]
    assert samples == before


def test_compute_stats_drops_nothing_and_skips_present_stats():
    samples = [{"text": "abc"}, {"text": "x", "__dj__stats__": {"text_len": 99}}]
    out = compute_stats(samples, [{"text_length_filter": {"min_len": 5}}])
    assert [s["__dj__stats__"]["text_len"] for s in out] == [3, 99]


def test_bad_op_and_arguments_name_the_place():
    with pytest.raises(UnknownOpError, match=r"process\[0\].*did you mean 'text_length_filter'"):
        process_samples([], [{"text_length_filtr": {}}])
    with pytest.raises(OpArgumentError, match="unknown argument 'min_lne'.*min_len"):
        process_samples([], [{"text_length_filter": {"min_lne": 3}}])
    with pytest.raises(ValueError, match="'min_len' = 'x'"):
        process_samples([], [{"text_length_filter": {"min_len": "x"}}])
