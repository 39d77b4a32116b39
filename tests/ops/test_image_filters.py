"""Cheap image filters, with Data-Juicer's own test cases (tests/ops/filter/test_image_*_filter.py)."""
from pathlib import Path

import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.ops.filters.image_basic import size_to_bytes

IMG = Path(__file__).resolve().parents[1] / "data" / "images"
IMG1, IMG2, IMG3 = str(IMG / "img1.png"), str(IMG / "img2.jpg"), str(IMG / "img3.jpg")  # 336x336, 640x480, 342x500
SINGLE = [{"images": [IMG1]}, {"images": [IMG2]}, {"images": [IMG3]}]
PAIRS = [{"images": [IMG1, IMG2]}, {"images": [IMG2, IMG3]}, {"images": [IMG1, IMG3]}]


def run(samples, op, **args):
    return process_samples(samples, [{op: args}])


@pytest.mark.parametrize("args, expected", [
    ({"min_width": 400, "min_height": 400}, [IMG2]),
    ({"max_width": 500, "max_height": 500}, [IMG1, IMG3]),
    ({}, [IMG1, IMG2, IMG3]),
])
def test_shape_single(args, expected):
    assert [s["images"][0] for s in run(SINGLE, "image_shape_filter", **args)] == expected


def test_shape_any_all():
    args = {"min_width": 400, "min_height": 400}
    assert run(PAIRS, "image_shape_filter", **args) == PAIRS[:2]
    assert run(PAIRS, "image_shape_filter", any_or_all="all", **args) == []


def test_shape_stats_and_reversed_range():
    stats = compute_stats(SINGLE, [{"image_shape_filter": {}}])
    assert [s["__dj__stats__"]["image_width"] for s in stats] == [[336], [640], [342]]
    assert [s["__dj__stats__"]["image_height"] for s in stats] == [[336], [480], [500]]
    # reversed: each bound test is negated, then width and height are combined (Data-Juicer)
    out = run(SINGLE, "image_shape_filter", min_width=400, max_width=1000, reversed_range=True)
    assert [s["images"][0] for s in out] == []


@pytest.mark.parametrize("args, expected", [
    ({"min_ratio": 0.8, "max_ratio": 1.2}, [IMG1]),
    ({"min_ratio": 0.8}, [IMG1, IMG2]),
    ({"max_ratio": 1.2}, [IMG1, IMG3]),
])
def test_aspect_ratio_single(args, expected):
    assert [s["images"][0] for s in run(SINGLE, "image_aspect_ratio_filter", **args)] == expected


def test_aspect_ratio_any_all_and_stats():
    args = {"min_ratio": 0.8, "max_ratio": 1.2}
    assert run(PAIRS, "image_aspect_ratio_filter", **args) == [PAIRS[0], PAIRS[2]]
    assert run(PAIRS, "image_aspect_ratio_filter", any_or_all="all", **args) == []
    stats = compute_stats(SINGLE, [{"image_aspect_ratio_filter": {}}])
    assert [s["__dj__stats__"]["aspect_ratios"] for s in stats] == [[1.0], [640 / 480], [342 / 500]]


@pytest.mark.parametrize("args, expected", [
    ({"min_size": "120kb", "max_size": "180KB"}, [IMG1]),   # 171427, 189406, 113695 bytes
    ({"min_size": "120kib"}, [IMG1, IMG2]),
    ({"max_size": "150KiB"}, [IMG3]),
    ({"max_size": "1MB"}, [IMG1, IMG2, IMG3]),
])
def test_size_single(args, expected):
    assert [s["images"][0] for s in run(SINGLE, "image_size_filter", **args)] == expected


def test_size_any_all_and_stats():
    args = {"min_size": "120kb", "max_size": "180KB"}
    assert run(PAIRS, "image_size_filter", **args) == [PAIRS[0], PAIRS[2]]
    assert run(PAIRS, "image_size_filter", any_or_all="all", **args) == []
    stats = compute_stats(SINGLE, [{"image_size_filter": {}}])
    assert [s["__dj__stats__"]["image_sizes"] for s in stats] == [[171427], [189406], [113695]]


def test_size_strings():
    assert size_to_bytes("10KB") == size_to_bytes("10kib") == 10240
    assert size_to_bytes("1MiB") == 1 << 20
    assert size_to_bytes("1.5MB") == 3 << 19
    assert size_to_bytes("0") == 0 and size_to_bytes(77) == 77 and size_to_bytes("5 b") == 5
    with pytest.raises(ValueError, match="max_size"):
        process_samples(SINGLE, [{"image_size_filter": {"max_size": "10 parsecs"}}])


@pytest.mark.parametrize("op", ["image_shape_filter", "image_aspect_ratio_filter", "image_size_filter"])
def test_no_images_kept(op):
    samples = [{"text": "no image key"}, {"text": "empty", "images": []}, {"text": "none", "images": None}]
    assert [s["text"] for s in run(samples, op, any_or_all="all")] == ["no image key", "empty", "none"]
    stats = compute_stats(samples, [{op: {}}])
    assert all(v == [] for s in stats for v in s["__dj__stats__"].values())


def test_existing_stats_not_recomputed():
    sample = {"images": [IMG1], "__dj__stats__": {"image_width": [10], "image_height": [10]}}
    assert run([sample], "image_shape_filter", min_width=100) == []


def test_missing_image_is_skipped_or_a_clear_error(tmp_path):
    missing = str(tmp_path / "nope.png")
    for op in ("image_shape_filter", "image_size_filter"):
        # Data-Juicer's skip_op_error (default True) drops the sample the op fails on
        assert run([{"images": [missing]}, {"text": "no image"}], op) == [{"text": "no image"}]
        with pytest.raises(ValueError, match=f"{op}.*nope.png.*skip_op_error"):
            run([{"images": [missing]}], op, skip_op_error=False)


def test_relative_paths_from_working_dir(monkeypatch):
    monkeypatch.chdir(IMG)
    assert run([{"images": ["img2.jpg"]}, {"images": ["img1.png"]}], "image_shape_filter",
               min_width=400) == [{"images": ["img2.jpg"]}]


def test_bad_any_or_all():
    with pytest.raises(ValueError, match="any_or_all"):
        process_samples(SINGLE, [{"image_shape_filter": {"any_or_all": "some"}}])
