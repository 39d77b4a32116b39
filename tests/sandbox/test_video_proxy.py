"""The video demo set, the tiny video-text proxy and a tiny smoke run of the shipped video config."""
from __future__ import annotations

import filecmp
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from sandbox_engine.ops.video_io import get_video_duration, open_video
from sandbox_engine.sandbox.demo_data import read_jsonl
from sandbox_engine.sandbox.trainers import get_component
from sandbox_engine.sandbox.video_demo import DIRECTIONS, build, clip_frames

CONFIG = Path(__file__).resolve().parents[2] / "sandbox_engine" / "assets" / "sandbox_configs" / \
    "video_single_op_pools.yaml"


@pytest.fixture(scope="module")
def small_video(demo_cache, tmp_path_factory):
    return build(tmp_path_factory.mktemp("video"), n_clips=60, n_reference=20)


def test_clip_frames_move_in_the_captioned_direction():
    img = np.full((28, 28), 255, np.uint8)
    for d in DIRECTIONS:
        f = clip_frames(img, d, 10, 0)
        first, last = [np.argwhere(x > 0).mean(0) for x in (f[0], f[-1])]  # (row, col) centres
        dy, dx = last - first
        assert {"right": dx > 10, "left": dx < -10, "down": dy > 10, "up": dy < -10}[d], d


def test_demo_set_has_known_noise(small_video):
    rows, truth = read_jsonl(small_video["dataset"]), read_jsonl(small_video["truth"])
    assert len(rows) == 60 and [r["id"] for r in rows] == [t["id"] for t in truth]
    kinds = Counter(t["kind"] for t in truth)
    assert kinds["clean"] > 25 and len(kinds) >= 4
    for r, t in zip(rows, truth):
        assert r["text"].startswith("<__dj__video> a ") and " moving " in r["text"]
        if t["kind"] == "clean":
            assert r["text"] == f"<__dj__video> a {t['label']} moving {t['direction']}"
        with open_video(r["videos"][0]) as c:
            frames = sum(1 for _ in c.decode(video=0))
            w = c.streams.video[0].codec_context.width
        assert frames == (3 if t["kind"] == "too_short" else 12)
        assert w == (16 if t["kind"] == "tiny_resolution" else 48)
        if t["kind"] == "duplicate":
            assert any(filecmp.cmp(r["videos"][0], o["videos"][0], shallow=False) for o in rows if o is not r)
    with open_video(rows[0]["videos"][0]) as c:
        assert get_video_duration(c) == pytest.approx(1.5, abs=0.01)
    ref = np.load(small_video["reference"])
    assert ref["frames"].shape == (20, 12, 48, 48) and set(ref["directions"]) <= {0, 1, 2, 3}


def test_proxy_trains_and_scores(small_video, tmp_path):
    trainer = get_component("tiny_video_clip")(steps=3, batch_size=16, device="cpu")
    out = trainer.train(str(small_video["dataset"]), tmp_path / "m", seed=0)
    assert out["train_pairs"] == 60 and np.isfinite(out["train_loss"])
    metrics = get_component("video_zero_shot")(reference=str(small_video["reference"]), device="cpu") \
        .evaluate(out["model_path"])
    assert set(metrics) == {"class_motion_accuracy", "class_accuracy", "motion_accuracy"}
    assert all(0 <= v <= 1 for v in metrics.values())
    assert metrics["class_motion_accuracy"] <= min(metrics["class_accuracy"], metrics["motion_accuracy"])


def test_shipped_video_config_smoke(small_video, tmp_path):
    """The shipped config, on 60 clips with 3 training steps per model: every job runs and the report
    names the winning pools and the three arms."""
    from sandbox_engine.sandbox.runner import run_sandbox

    text = CONFIG.read_text()
    for name, key in (("demo:video_reference", "reference"), ("demo:video_truth", "truth"),
                      ("demo:video", "dataset")):
        text = text.replace(name, str(small_video[key]))
    config = yaml.safe_load(text.replace("steps: 200", "steps: 3").replace("seeds: [0, 1]", "seeds: [0]"))
    config["work_dir"], config["parallel"] = str(tmp_path / "wd"), False
    summary = run_sandbox(config)
    assert summary["status"] == "ok"
    report = (tmp_path / "wd" / "report.md").read_text()
    assert "random_equal_size" in report and "full_data" in report and "class_motion_accuracy" in report
    recipe = yaml.safe_load(Path(summary["best_recipe"]).read_text())
    assert all(next(iter(step)).startswith("video_") for step in recipe["process"])
    assert json.loads((tmp_path / "wd" / "summary.json").read_text())["status"] == "ok"
