"""Video mappers write playable files: durations, frame counts and sizes are read back from them."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import OpArgumentError
from sandbox_engine.fields import SOURCE_FILE
from sandbox_engine.ops.base import build_op
from sandbox_engine.ops.filters.video_basic import coded_size
from sandbox_engine.ops.video_io import get_video_duration, open_video
from tests.ops._media import clip, frames_moving_square, write_clip

V, EOC = "<__dj__video>", "<|__dj__eoc|>"


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    d = tmp_path_factory.mktemp("vm")
    return {"c25": clip(d / "c25.mp4", 2.5, gop=5), "wide": clip(d / "wide.mp4", 1.0, w=128, h=32),
            "scene": write_clip(d / "scene.mp4", frames_moving_square(20, 64, 48, bg=0)
                                + frames_moving_square(20, 64, 48, bg=200)), "dir": d}


def frames_and_duration(path):
    with open_video(path) as c:
        return sum(1 for _ in c.decode(video=0)), round(get_video_duration(c, path), 3)


def test_split_by_duration(media, tmp_path):
    samples = [{"text": f"{V} a square{EOC}", "videos": [media["c25"]]}, {"text": "no video", "videos": []}]
    out = process_samples(samples, [{"video_split_by_duration_mapper": {"split_duration": 1,
                                                                        "save_dir": str(tmp_path)}}])
    assert [s["text"] for s in out] == [samples[0]["text"], f"{V * 3} a square{EOC}", "no video"]
    clips = out[1]["videos"]
    assert all(os.path.dirname(p) == str(tmp_path) and "__dj_hash_#" in p for p in clips)
    # [0,1] and [1,2] include both ends (11 frames at 10 fps), the tail [2, 2.5) has 5
    assert [frames_and_duration(p)[0] for p in clips] == [11, 11, 5]
    assert out[1][SOURCE_FILE] == [media["c25"]] * 3
    out = process_samples(samples, [{"video_split_by_duration_mapper": {
        "split_duration": 1, "min_last_split_duration": 0.6, "keep_original_sample": False,
        "save_dir": str(tmp_path)}}])
    assert [len(s["videos"]) for s in out] == [2]  # the 0.5 s tail is dropped; no-video sample vanishes


def test_split_by_key_frame(media, tmp_path):
    out = process_samples([{"text": f"{V} x", "videos": [media["c25"]]}],
                          [{"video_split_by_key_frame_mapper": {"save_dir": str(tmp_path)}}])
    assert out[1]["text"] == f"{V * 5} x{EOC}"  # key frames every 0.5 s
    assert [frames_and_duration(p)[0] for p in out[1]["videos"]] == [6, 6, 6, 6, 5]


def test_split_by_scene(media, tmp_path):
    out = process_samples([{"text": f"{V} two shots", "videos": [media["scene"]]},
                           {"text": f"{V} one shot", "videos": [media["c25"]]}],
                          [{"video_split_by_scene_mapper": {"save_dir": str(tmp_path)}}])
    assert out[0]["text"] == f"{V}{V} two shots"
    assert [os.path.basename(p)[-8:] for p in out[0]["videos"]] == ["_001.mp4", "_002.mp4"]
    assert [frames_and_duration(p)[1] for p in out[0]["videos"]] == [2.0, 2.0]
    assert out[1]["videos"] == [media["c25"]]  # one scene: unchanged


def test_resize_aspect_ratio_and_resolution(media, tmp_path):
    def run(op, args):
        out = process_samples([{"videos": [media["wide"]]}], [{op: {**args, "save_dir": str(tmp_path)}}])
        return coded_size(out[0]["videos"][0])

    assert run("video_resize_aspect_ratio_mapper", {"max_ratio": "2/1"}) == (128, 64)
    assert run("video_resize_aspect_ratio_mapper", {"max_ratio": "2:1", "strategy": "decrease"}) == (64, 32)
    assert run("video_resize_aspect_ratio_mapper", {}) == (128, 56)  # h = ceil(128 / (21/9)) = 55, up to even
    assert run("video_resize_resolution_mapper", {"max_width": 64}) == (64, 16)
    assert run("video_resize_resolution_mapper", {"min_height": 64, "force_original_aspect_ratio": "increase"}) == (256, 64)
    out = process_samples([{"videos": [media["wide"]]}], [{"video_resize_resolution_mapper": {"max_width": 500}}])
    assert out[0]["videos"] == [media["wide"]]
    with pytest.raises(OpArgumentError, match="even"):
        build_op("video_resize_resolution_mapper", {"force_original_aspect_ratio": "decrease",
                                                    "force_divisible_by": 3})


def test_ffmpeg_wrapped(media, tmp_path):
    out = process_samples([{"videos": [media["c25"]]}], [{"video_ffmpeg_wrapped_mapper": {
        "filter_name": "scale", "filter_kwargs": {"width": 32, "height": 24}, "save_dir": str(tmp_path)}}])
    assert coded_size(out[0]["videos"][0]) == (32, 24)
    assert frames_and_duration(out[0]["videos"][0])[1] == pytest.approx(2.5, abs=0.11)
    same = process_samples([{"videos": [media["c25"]]}], [{"video_ffmpeg_wrapped_mapper": {}}])
    assert same[0]["videos"] == [media["c25"]]


def test_face_blur_leaves_faceless_video_and_blurs_faces(media, tmp_path):
    import matplotlib
    from PIL import Image

    out = process_samples([{"videos": [media["c25"]]}], [{"video_face_blur_mapper": {}}])
    assert out[0]["videos"] == [media["c25"]]
    face = Image.open(os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg")).convert("RGB")
    face = np.asarray(face.resize((128, 160)))
    p = write_clip(tmp_path / "face.mp4", [face] * 4, fps=4)
    out = process_samples([{"videos": [p]}], [{"video_face_blur_mapper": {"radius": 6,
                                                                          "save_dir": str(tmp_path / "o")}}])
    new = out[0]["videos"][0]
    assert new != p and coded_size(new) == (128, 160)
    with open_video(p) as a, open_video(new) as b:
        fa = next(a.decode(video=0)).to_ndarray(format="rgb24").astype(float)
        fb = next(b.decode(video=0)).to_ndarray(format="rgb24").astype(float)
    assert np.abs(fa - fb).mean() > 1.0  # the face region changed


def test_remove_watermark_inpaints_the_roi(tmp_path):
    frames = frames_moving_square(10, 64, 48, bg=60)
    for f in frames:
        f[2:6, 2:12] = 255  # a static white logo in the top-left 0.2 x 0.2
    p = write_clip(tmp_path / "wm.mp4", frames)
    out = process_samples([{"videos": [p]}], [{"video_remove_watermark_mapper": {
        "roi_strings": ["0,0,0.2,0.2"], "frame_num": 5, "min_frame_threshold": 3,
        "save_dir": str(tmp_path / "o")}}])
    with open_video(out[0]["videos"][0]) as c:
        f = next(c.decode(video=0)).to_ndarray(format="rgb24")
    assert f[3:5, 4:10].mean() < 150  # the logo is gone
    assert coded_size(out[0]["videos"][0]) == (64, 48)


def test_extract_frames(media, tmp_path):
    out = process_samples([{"text": f"{V} x", "videos": [media["c25"]]}, {"text": "none", "videos": []}],
                          [{"video_extract_frames_mapper": {"frame_sampling_method": "uniform", "frame_num": 4,
                                                            "frame_dir": str(tmp_path)}}])
    assert len(out) == 1  # upstream drops a sample without video
    dirs = json.loads(out[0]["__dj__meta__"]["video_frames"])
    assert sorted(os.listdir(dirs[media["c25"]])) == [f"frame_{i}.jpg" for i in range(4)]
    out = process_samples([{"text": f"{V} x", "videos": [media["c25"]]}],
                          [{"video_extract_frames_mapper": {"output_format": "bytes"}}])
    assert len(out[0]["video_frames"][0]) == 5 and out[0]["video_frames"][0][0][:2] == b"\xff\xd8"
