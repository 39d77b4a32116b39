import json
from pathlib import Path

import pytest

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.sandbox.demo_data import read_jsonl, write_jsonl
from sandbox_engine.sandbox.trainers import get_component


def _stats_rows(n=30):
    return [{"id": i, "text": f"sample {i}", "__dj__stats__": {"text_len": i, "alnum_ratio": (i % 7) / 7,
                                                                "words": [i, i + 2]}} for i in range(n)]


def run(type_, tmp_path, **kw):
    return get_component(type_)(**kw).run(tmp_path / "out")


def test_construction_splits_by_each_stat_with_dj_file_names(tmp_path):
    src = write_jsonl(tmp_path / "ds.jsonl", _stats_rows(30))
    paths = run("data_pool_construction", tmp_path, dataset_path=str(src))
    names = sorted(Path(p).relative_to(tmp_path / "out").as_posix() for p in paths)
    assert "text_len/ds_text_len_0.jsonl" in names and "words/ds_words_2.jsonl" in names
    assert len(paths) == 9
    low = read_jsonl(tmp_path / "out/text_len/ds_text_len_0.jsonl")
    high = read_jsonl(tmp_path / "out/text_len/ds_text_len_2.jsonl")
    assert [r["id"] for r in low] == list(range(10)) and [r["id"] for r in high] == list(range(20, 30))
    manifest = json.loads((tmp_path / "out/pools.json").read_text())
    m = next(x for x in manifest if x["stat"] == "text_len" and x["index"] == 1)
    assert (m["min"], m["max"], m["num"], m["op"]) == (10, 19, 10, "text_length_filter")


def test_construction_custom_ratios_and_bad_ratio(tmp_path):
    src = write_jsonl(tmp_path / "ds.jsonl", _stats_rows(20))
    paths = run("data_pool_construction", tmp_path, dataset_path=str(src), split_ratios=[0.25], stats=["text_len"])
    assert [len(read_jsonl(p)) for p in paths] == [5, 15]
    with pytest.raises(JuiceboxError, match="split_ratios"):
        run("data_pool_construction", tmp_path, dataset_path=str(src), split_ratios=[1.5])


def test_combination_builds_the_pyramid_of_intersections(tmp_path):
    rows = _stats_rows(10)
    a = write_jsonl(tmp_path / "a.jsonl", rows[:6])
    b = write_jsonl(tmp_path / "b.jsonl", rows[3:9])
    c = write_jsonl(tmp_path / "c.jsonl", rows[4:])
    paths = run("data_pool_combination", tmp_path, dataset_path=[str(a), str(b), str(c)])
    assert len(paths) == 7
    sizes = {Path(p).name: len(read_jsonl(p)) for p in paths}
    assert sizes["a_comb_0.jsonl"] == 6 and sizes["a_comb_0-1.jsonl"] == 3 and sizes["a_comb_0-1-2.jsonl"] == 2


def test_duplication_repeats_and_shuffles(tmp_path):
    src = write_jsonl(tmp_path / "p.jsonl", _stats_rows(5))
    paths = run("data_pool_duplication", tmp_path, dataset_path=str(src), duplicating_times=[1, 3], shuffle=True)
    assert [Path(p).name for p in paths] == ["p_dup_1.jsonl", "p_dup_3.jsonl"]
    rep = read_jsonl(paths[1])
    assert len(rep) == 15 and [r["id"] for r in rep] != [i for _ in range(3) for i in range(5)]


def test_ranking_orders_by_metric_keys(tmp_path):
    paths = ["p0", "p1", "p2"]
    metrics = [{"perplexity": 30.0}, {"perplexity": 10.0}, {"perplexity": 20.0}]
    out = run("data_pool_ranking", tmp_path, dataset_path=paths, metrics=metrics, ranking_keys=["perplexity"],
              descending=False, top_n=2)
    assert out == ["p1", "p2"]
    assert run("data_pool_ranking", tmp_path, dataset_path=paths, metrics=[1, 3, 2]) == ["p1", "p2", "p0"]
    with pytest.raises(JuiceboxError, match="3 pools but 2 metrics"):
        run("data_pool_ranking", tmp_path, dataset_path=paths, metrics=[1, 2])


def test_downsampling_merging_cartesian(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", _stats_rows(8))
    b = write_jsonl(tmp_path / "b.jsonl", _stats_rows(5))
    down = run("data_pool_downsampling", tmp_path, dataset_path=[str(a), str(b)])
    assert [len(read_jsonl(p)) for p in down] == [5, 5] and Path(down[0]).name == "a_5.jsonl"
    merged = run("data_pool_merging", tmp_path, dataset_path=[str(a), str(b)])
    assert len(read_jsonl(merged[0])) == 13
    joined = run("data_pool_cartesian_join", tmp_path, dataset_path_1=[str(a)], dataset_path_2=[str(a), str(b)])
    assert [Path(p).name for p in joined] == ["a_X_a.jsonl", "a_X_b.jsonl"]
    assert len(read_jsonl(joined[1])) == 13


def test_unknown_manipulator_argument_is_named(tmp_path):
    with pytest.raises(JuiceboxError, match="split_ratio"):
        get_component("data_pool_construction")(dataset_path="x", split_ratio=[0.5])
