"""Analyzer outputs and k-sigma refinement on real samples."""
import math
import os

import pandas as pd
import pytest

from sandbox_engine.analyzer import analyze_samples
from sandbox_engine.refine import refine_from_analysis, refine_ksigma

TEXTS = ["short", "a medium sized sentence here", "x" * 200, "another medium sentence, ok",
         "tiny", "The quick brown fox jumps over the lazy dog near the river bank today."]


@pytest.fixture()
def analysis(tmp_path):
    samples = [{"text": t} for t in TEXTS]
    process = [{"whitespace_normalization_mapper": None},
               {"text_length_filter": {"min_len": 10, "max_len": 100}}]
    return analyze_samples(samples, process, str(tmp_path), percentiles=[0.1, 0.9]), tmp_path


def test_overall_table_matches_pandas_describe(analysis):
    result, tmp = analysis
    lens = pd.Series([len(t) for t in TEXTS])
    col = result.overall["text_len"]
    assert col["count"] == 6
    assert col["mean"] == pytest.approx(lens.mean())
    assert col["std"] == pytest.approx(lens.std())
    assert col["10%"] == pytest.approx(lens.quantile(0.1))
    assert col["max"] == 200
    csv = pd.read_csv(tmp / "analysis" / "overall.csv", index_col=0)
    assert list(csv.index[:4]) == ["count", "mean", "std", "min"] and "90%" in csv.index
    md = (tmp / "analysis" / "overall.md").read_text()
    assert "text_len" in md and "text_length_filter" in md
    for name in ("text_len-hist.png", "text_len-box.png"):
        p = tmp / "analysis" / name
        assert p.exists() and p.read_bytes()[:4] == b"\x89PNG"


def test_nothing_is_filtered_by_analysis(analysis):
    result, _ = analysis
    assert result.num_samples == len(TEXTS)


def test_ksigma_moves_given_thresholds_and_clips(analysis):
    result, _ = analysis
    process = [{"text_length_filter": {"min_len": 10, "max_len": 100}},
               {"whitespace_normalization_mapper": None}]
    new, changes = refine_from_analysis(process, result, k=1)
    mean, std = result.mean_std()["text_len"]
    args = new[0]["text_length_filter"]
    assert args["min_len"] == max(0, math.ceil(mean - std))
    assert args["max_len"] == math.floor(mean + std)
    assert isinstance(args["min_len"], int)
    assert new[1] == {"whitespace_normalization_mapper": {}}
    assert {c["arg"] for c in changes} == {"min_len", "max_len"}
    # from the CSV file too, same answer
    new_csv, _ = refine_from_analysis(process, result.paths["overall_csv"], k=1)
    assert new_csv == new


def test_ksigma_clips_ratios_to_unit_range_and_keeps_flags():
    process = [{"text_length_filter": {"min_len": 5, "min_closed_interval": False}}]
    new, _ = refine_ksigma(process, {"text_len": (10.0, 20.0)}, k=3)
    assert new[0]["text_length_filter"] == {"min_len": 0, "min_closed_interval": False}
    with pytest.raises(ValueError):
        refine_ksigma(process, {"text_len": (1.0, 1.0)}, k=-1)


def test_correlations_written_when_two_stats(tmp_path):
    samples = [{"text": t} for t in TEXTS]
    process = [{"text_length_filter": {}}, {"text_length_filter": {"text_key": "text"}}]
    res = analyze_samples(samples, process, str(tmp_path))
    assert res.correlations == {}  # one distinct stat only
    assert os.path.exists(tmp_path / "analysis" / "overall.csv")
