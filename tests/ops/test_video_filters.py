"""Video filters and the video deduplicators on clips the tests write (PyAV / OpenCV), checked against
the definitions in shared/specs/op-semantics-media.md."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.errors import ModelUnavailableError, OpArgumentError
from sandbox_engine.ops.base import build_op
from tests.ops._media import clip, frames_moving_square, write_clip, write_cv2_clip

V = "<__dj__video>"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("clips")
    return {
        "c25": clip(d / "c25.mp4", 2.5),                      # 2.5 s -> duration stat 2 (half-even)
        "c35": clip(d / "c35.mp4", 3.5),                      # 3.5 s -> 4
        "still": clip(d / "still.mp4", 2.0, speed=0),
        "tall": clip(d / "tall.mp4", 1.0, w=32, h=96),
        "cv2": write_cv2_clip(d / "cv2.mp4", frames_moving_square(20, 64, 48, speed=3)),
        "dir": str(d),
    }


def stat(samples, op, args=None):
    return [s["__dj__stats__"] for s in compute_stats(samples, [{op: args or {}}])]


def test_duration_is_rounded_half_even_and_filters(clips):
    samples = [{"videos": [clips["c25"]]}, {"videos": [clips["c35"]]}, {"videos": []}]
    assert [s["video_duration"] for s in stat(samples, "video_duration_filter")] == [[2], [4], []]
    kept = process_samples(samples, [{"video_duration_filter": {"min_duration": 3}}])
    assert [s["videos"] for s in kept] == [[clips["c35"]], []]  # no video: kept


def test_reversed_range_keeps_the_boundaries(clips):
    """min=2, max=4 reversed keeps (-inf, 2] U [4, inf): both clips sit on a boundary."""
    samples = [{"videos": [clips["c25"]]}, {"videos": [clips["c35"]]}, {"videos": [clips["still"]]}]
    kept = process_samples(samples, [{"video_duration_filter": {"min_duration": 2, "max_duration": 4,
                                                                "reversed_range": True}}])
    assert len(kept) == 3
    kept = process_samples(samples, [{"video_duration_filter": {"min_duration": 2, "max_duration": 4,
                                                                "reversed_range": True,
                                                                "min_closed_interval": False}}])
    assert [s["videos"][0] for s in kept] == [clips["c35"]]  # keeps v < 2 or v >= 4


def test_any_or_all_and_unreadable_video(clips, tmp_path):
    samples = [{"videos": [clips["c25"], clips["c35"]]}]
    assert process_samples(samples, [{"video_duration_filter": {"min_duration": 3}}]) != []
    assert process_samples(samples, [{"video_duration_filter": {"min_duration": 3, "any_or_all": "all"}}]) == []
    assert process_samples([{"videos": [str(tmp_path / "missing.mp4")]}], [{"video_duration_filter": {}}]) == []


def test_resolution_and_aspect_ratio(clips):
    samples = [{"videos": [clips["c25"]]}, {"videos": [clips["tall"]]}]
    st = stat(samples, "video_resolution_filter")
    assert [(s["video_width"], s["video_height"]) for s in st] == [([64], [48]), ([32], [96])]
    kept = process_samples(samples, [{"video_resolution_filter": {"min_width": 40}}])
    assert [s["videos"][0] for s in kept] == [clips["c25"]]
    # reversed: a video is kept only if both sides are out of range
    kept = process_samples(samples, [{"video_resolution_filter": {"min_width": 40, "max_width": 100,
                                                                  "min_height": 40, "max_height": 100,
                                                                  "reversed_range": True}}])
    assert kept == []
    st = stat(samples, "video_aspect_ratio_filter", {"min_ratio": "1:2"})
    assert [s["video_aspect_ratios"] for s in st] == [[64 / 48], [32 / 96]]
    kept = process_samples(samples, [{"video_aspect_ratio_filter": {"min_ratio": "1:2", "max_ratio": "3/2"}}])
    assert [s["videos"][0] for s in kept] == [clips["c25"]]
    with pytest.raises(OpArgumentError, match="min_ratio"):
        build_op("video_aspect_ratio_filter", {"min_ratio": "wide"})


def _farneback(prev, cur):
    import cv2

    flow = cv2.calcOpticalFlowFarneback(prev, cur, None, 0.5, 3, 15, 3, 5, 1.2, 0)
    return float(np.mean(cv2.cartToPolar(flow[..., 0], flow[..., 1])[0]))


def test_motion_score_uses_upstream_frame_sampling(clips):
    """10 fps sampled at 2 fps: step 5, frames 0, 1, 5, 10, 15 (the first pair is adjacent)."""
    import cv2

    cap = cv2.VideoCapture(clips["cv2"])
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY))
    used = [0, 1, 5, 10, 15]
    expected = np.mean([_farneback(frames[a], frames[b]) for a, b in zip(used, used[1:])])
    (s,) = stat([{"videos": [clips["cv2"]]}], "video_motion_score_filter")
    assert s["video_motion_score"][0] == pytest.approx(expected, rel=1e-5)
    rel = stat([{"videos": [clips["cv2"]]}], "video_motion_score_filter", {"relative": True})[0]
    assert rel["video_motion_score"][0] == pytest.approx(expected / np.hypot(48, 64), rel=1e-5)


def test_motion_score_keeps_moving_clips(clips, tmp_path):
    samples = [{"videos": [clips["c25"]]}, {"videos": [clips["still"]]},
               {"videos": [str(tmp_path / "nope.mp4")]}]
    st = stat(samples, "video_motion_score_filter")
    assert st[0]["video_motion_score"][0] > 0.25
    assert 0 <= st[1]["video_motion_score"][0] < 0.05  # codec noise only
    assert st[2]["video_motion_score"] == [-1.0]
    kept = process_samples(samples, [{"video_motion_score_filter": {}}])
    assert [s["videos"][0] for s in kept] == [clips["c25"]]


def test_frames_text_similarity_with_a_local_clip(clips, tmp_path):
    from sandbox_engine.models import clip as clip_model
    from sandbox_engine.ops.video_io import frame_images

    ckpt = str(clip_model.tiny_clip(tmp_path / "tiny"))
    text = f"{V} a square moving right<|__dj__eoc|>"
    (s,) = stat([{"text": text, "videos": [clips["c25"]]}], "video_frames_text_similarity_filter",
                {"hf_clip": ckpt})
    frames = frame_images(clips["c25"], "all_keyframes", 3)
    expected = clip_model.load(ckpt).similarity("a square moving right", frames).mean().item()
    assert s["video_frames_text_similarity"] == [pytest.approx(expected, abs=1e-5)]
    with pytest.raises(ModelUnavailableError, match="open_clip"):
        build_op("video_frames_text_similarity_filter", {})


def test_nsfw_scores_frames_with_the_shipped_model(clips):
    from sandbox_engine.models import nsfw
    from sandbox_engine.ops.video_io import frame_images

    (s,) = stat([{"videos": [clips["c25"]]}], "video_nsfw_filter",
                {"frame_sampling_method": "uniform", "frame_num": 2, "reduce_mode": "max"})
    expected = max(nsfw.load().scores(frame_images(clips["c25"], "uniform", 2)))
    assert s["video_nsfw_score"] == [pytest.approx(expected, abs=1e-6)]
    assert process_samples([{"videos": [clips["c25"]]}], [{"video_nsfw_filter": {}}]) != []


@pytest.mark.parametrize("op,arg,needle", [
    ("video_watermark_filter", {}, "amrul-hzz/watermark_detector"),
    ("video_aesthetics_filter", {}, "aesthetics-predictor"),
    ("video_captioning_from_frames_mapper", {}, "blip2"),
    ("video_tagging_from_frames_mapper", {}, "ram_plus_swin_large_14m.pth"),
    ("video_ocr_area_ratio_filter", {}, "craft_mlt_25k.pth"),
    ("video_motion_score_raft_filter", {}, "raft_large"),
    ("image_text_matching_filter", {}, "blip-itm-base-coco"),
])
def test_model_ops_name_what_to_provide(op, arg, needle):
    with pytest.raises(ModelUnavailableError, match=needle):
        build_op(op, arg)


def test_frame_sampling_follows_upstream(clips, tmp_path):
    from sandbox_engine.ops.video_io import frames_uniformly, key_frame_seconds, open_video

    p = write_clip(tmp_path / "gop.mp4", frames_moving_square(25, 32, 32), fps=10, gop=10)
    with open_video(p) as c:
        assert key_frame_seconds(c) == [0.0, 1.0, 2.0]
        # D = 2.5 s: t = 0, 1.25, 2.5 -> frames at 0, 1.3 and the last frame (2.4) for t=D
        assert [round(float(f.pts * f.time_base), 2) for f in frames_uniformly(c, 3)] == [0.0, 1.3, 2.4]
        assert [round(float(f.pts * f.time_base), 2) for f in frames_uniformly(c, 1)] == [1.3]


def test_video_deduplicator_and_ray_names(clips, tmp_path):
    copy = str(tmp_path / "copy.mp4")
    shutil.copy(clips["c25"], copy)
    samples = [{"text": "a", "videos": [clips["c25"]]}, {"text": "b", "videos": [copy]},
               {"text": "c", "videos": [clips["c35"]]}, {"text": "d", "videos": []}, {"text": "e", "videos": []}]
    kept = process_samples(samples, [{"video_deduplicator": {}}])
    assert [s["text"] for s in kept] == ["a", "c", "d", "e"]
    kept = process_samples(samples, [{"ray_video_deduplicator": {"backend": "redis"}}])
    assert [s["text"] for s in kept] == ["a", "c", "d"]  # one sample without video survives
    kept = process_samples(samples, [{"video_deduplicator": {"consider_text": True}}])
    assert len(kept) == 5


def test_ray_dedup_names_run_like_the_local_ops():
    texts = ["the cat sat on the mat today ok", "the cat sat on the mat today ok", "x", "x", "different words here now yes"]
    samples = [{"text": t} for t in texts]
    local = process_samples(samples, [{"document_minhash_deduplicator": {}}])
    bts = process_samples(samples, [{"ray_bts_minhash_deduplicator": {"union_find_parallel_num": 2,
                                                                      "memory_per_sample": 0.2}}])
    # the same near-duplicate clusters; texts without a shingle ("x"): the local op's min() raises and
    # skip_op_error drops them, upstream's BTS gives them one "empty" key, so the first survives
    assert [s["text"] for s in local] == [texts[0], texts[4]]
    assert [s["text"] for s in bts] == [texts[0], "x", texts[4]]
    doc = process_samples(samples, [{"ray_document_deduplicator": {"redis_address": "redis://h:1"}}])
    assert [s["text"] for s in doc] == ["the cat sat on the mat today ok", "x", "different words here now yes"]
    basic = process_samples(samples + [{"text": "x", "images": ["a.png"]}], [{"ray_basic_deduplicator": {}}])
    assert len(basic) == 4
