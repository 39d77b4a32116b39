"""Face filters and blur mappers with OpenCV's shipped Haar cascade, on a photo that ships with
matplotlib (Grace Hopper) and on a plain image without faces."""
from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from sandbox_engine import compute_stats, process_samples


@pytest.fixture(scope="module")
def imgs(tmp_path_factory):
    import matplotlib

    d = tmp_path_factory.mktemp("faces")
    face = Image.open(os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg"))
    face.convert("RGB").resize((256, 320)).save(d / "face.png")
    Image.new("RGB", (64, 64), (120, 30, 30)).save(d / "plain.png")
    return str(d / "face.png"), str(d / "plain.png")


def test_face_count_and_ratio(imgs):
    face, plain = imgs
    samples = [{"images": [face]}, {"images": [plain]}]
    st = [s["__dj__stats__"] for s in compute_stats(samples, [{"image_face_count_filter": {}},
                                                             {"image_face_ratio_filter": {}}])]
    assert st[0]["face_counts"] == [1] and st[1]["face_counts"] == [0]
    assert 0.05 < st[0]["face_ratios"][0] < 0.6 and st[1]["face_ratios"] == [0.0]
    kept = process_samples(samples, [{"image_face_count_filter": {}}])
    assert [s["images"] for s in kept] == [[face]]
    kept = process_samples(samples, [{"image_face_ratio_filter": {"max_ratio": 0.01}}])
    assert [s["images"] for s in kept] == [[plain]]


def test_face_blur_and_random_blur(imgs, tmp_path):
    face, plain = imgs
    out = process_samples([{"images": [face, plain]}], [{"image_face_blur_mapper": {
        "radius": 8, "save_dir": str(tmp_path)}}])
    new_face, same = out[0]["images"]
    assert same == plain and new_face != face and os.path.dirname(new_face) == str(tmp_path)
    a = np.asarray(Image.open(face)).astype(float)
    b = np.asarray(Image.open(new_face)).astype(float)
    assert a.shape == b.shape and np.abs(a - b).mean() > 0.5
    out = process_samples([{"images": [plain]}], [{"image_blur_mapper": {"p": 1.0, "save_dir": str(tmp_path)}}])
    assert out[0]["images"][0] != plain and out[0]["__dj__source_file__"] == [plain]
    out = process_samples([{"images": [plain]}], [{"image_blur_mapper": {"p": 0.0}}])
    assert out[0]["images"] == [plain]
