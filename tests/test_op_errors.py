"""skip_op_error (samples an op fails on are dropped and counted) and per-op num_proc."""
from __future__ import annotations

import pytest

from sandbox_engine import process_samples
from sandbox_engine.apply import apply_streamable
from sandbox_engine.batches import rows_to_batch
from sandbox_engine.executor import _Pools
from sandbox_engine.op_errors import OpSampleError, SkipLog
from sandbox_engine.ops.base import build_op

GOOD = ["one two three four", "a a a a a a b", "five words are right here", "x y"]


def test_bad_sample_dropped_and_the_others_unchanged():
    steps = [{"words_num_filter": {"min_num": 2}},
             {"word_repetition_filter": {"rep_len": 1, "max_ratio": 0.5}}, {"clean_email_mapper": {}}]
    clean = process_samples([{"text": t} for t in GOOD], steps)
    mixed = [{"text": t} for t in GOOD[:2]] + [{"text": 42}, {"text": ["a", "list"]}] + \
            [{"text": t} for t in GOOD[2:]]
    assert process_samples(mixed, steps) == clean


def test_skips_are_counted_with_an_example():
    op = build_op("words_num_filter", {"min_num": 1})
    log = SkipLog()
    batch = rows_to_batch([{"text": "fine words"}, {"text": 7}, {"text": 8.5}])
    out = apply_streamable(op, batch, {}, skips=log)
    assert out["text"] == ["fine words"] and log.count == 2
    assert log.examples[0].startswith("{text=7}") and "TypeError" in log.examples[0]


def test_skip_op_error_false_names_op_and_sample():
    with pytest.raises(OpSampleError,
                       match=r"'clean_email_mapper' failed on the sample \{text=\['a', 'list'\]"):
        process_samples([{"text": "ok"}, {"text": ["a", "list"]}],
                        [{"clean_email_mapper": {"skip_op_error": False}}])


def test_num_proc_sets_the_stage_workers():
    ops = [build_op("text_length_filter", {"num_proc": 2}), build_op("words_num_filter", {}),
           build_op("clean_email_mapper", {"num_proc": 9})]
    pools = _Pools(ops, 4, [], None, None)
    assert [pools.size([i]) for i in range(3)] == [2, 4, 4]
    assert pools.size([0, 1, 2]) == 2  # a fused stage: the smallest
    assert _Pools(ops, 1, [], None, None).size([0]) == 1


def test_many_bad_samples_in_a_large_batch_keep_order():
    rows = [{"text": 7 if i % 7 == 3 else f"sample {i} has a few words", "i": i} for i in range(300)]
    log = SkipLog()
    op = build_op("words_num_filter", {"min_num": 2})
    out = apply_streamable(op, rows_to_batch(rows), {}, skips=log)
    assert out["i"] == [i for i in range(300) if i % 7 != 3]
    assert log.count == len([i for i in range(300) if i % 7 == 3]) and len(log.examples) == 3


def test_every_sample_failing_a_deduplicator():
    samples = [{"text": "too short"}, {"text": "x"}]
    assert process_samples(samples, [{"document_minhash_deduplicator": {}}]) == []


def test_a_number_as_a_media_path_is_a_skip_and_leaves_stdout_open():
    import os

    out = process_samples([{"text": "a", "audios": [1]}, {"text": "b", "audios": []}],
                          [{"audio_duration_filter": {}}])
    assert out == [{"text": "b", "audios": []}]
    os.fstat(1)  # fd 1 was read (and closed) as an audio file once
