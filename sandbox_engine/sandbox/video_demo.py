"""The video demo set, made offline from the shipped Fashion-MNIST images on first use.

Each clip shows one item moving left, right, up or down at a size, on a background gray, for 12 frames at
8 fps (1.5 s, 48x48), captioned from its label and direction ("<__dj__video> a sneaker moving left").
Known noise, recorded in a separate truth file: still clips (captioned as moving), flicker (the item
jumps around and the background flashes), swapped captions, too short clips (3 frames), tiny resolution
(16x16) and duplicates (an exact copy of an earlier clip's file). The held-out reference is clean clips of
other images (frames as arrays in an npz), for zero-shot class+motion retrieval.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from sandbox_engine.sandbox.demo_data import cache_root, image_demo, read_jsonl, write_jsonl

DIRECTIONS = ("left", "right", "up", "down")
FPS, FRAMES, CANVAS = 8, 12, 48
NOISE = {"still": 0.08, "flicker": 0.08, "swapped_caption": 0.08, "too_short": 0.06, "tiny_resolution": 0.06,
         "duplicate": 0.06}
VERSION = "v1"


def _item(img: np.ndarray, size: int) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(img).resize((size, size), Image.BILINEAR), dtype=np.uint8)


def clip_frames(img: np.ndarray, direction: str, size: int, bg: int, n: int = FRAMES, canvas: int = CANVAS,
                speed: float = 2.0, rng: np.random.Generator | None = None, flicker: bool = False) -> np.ndarray:
    """(n, canvas, canvas) uint8 frames of the item moving in `direction` (speed 0: still)."""
    item = _item(img, size)
    free = canvas - size
    travel = speed * (n - 1)
    start = (free - travel) / 2
    frames = np.full((n, canvas, canvas), bg, dtype=np.uint8)
    for t in range(n):
        if flicker and rng is not None:
            x, y = rng.integers(0, free + 1, size=2)
            frames[t] = rng.integers(0, 255)
        else:
            d = start + speed * t
            mid = free / 2
            x, y = {"right": (d, mid), "left": (free - d, mid), "down": (mid, d), "up": (mid, free - d)}[direction]
        x, y = int(round(x)), int(round(y))
        region = frames[t, y:y + size, x:x + size]
        frames[t, y:y + size, x:x + size] = np.maximum(region, item)
    return frames


def write_gray_clip(path: Path, frames: np.ndarray, fps: int = FPS) -> str:
    import av

    n, h, w = frames.shape
    with av.open(str(path), "w") as out:
        s = out.add_stream("mpeg4", rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.codec_context.gop_size = 4
        s.codec_context.bit_rate = 400_000
        for f in frames:
            rgb = np.repeat(f[:, :, None], 3, axis=2)
            for p in s.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(p)
        for p in s.encode():
            out.mux(p)
    return str(path)


def caption(label: str, direction: str) -> str:
    return f"<__dj__video> a {label} moving {direction}"


def build(root: Path, n_clips: int = 480, n_reference: int = 200, seed: int = 0) -> dict[str, Path]:
    rng = np.random.default_rng(seed)
    img_files = image_demo()
    truth = {t["id"]: t for t in read_jsonl(img_files["truth"])}
    clean = [r for r in read_jsonl(img_files["dataset"]) if truth[r["id"]]["kind"] == "clean"]
    picks = rng.choice(len(clean), size=n_clips, replace=False)
    clips_dir = root / "clips"
    clips_dir.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    kinds = list(NOISE)
    probs = np.array([NOISE[k] for k in kinds] + [1 - sum(NOISE.values())])
    rows, truth_rows = [], []
    labels = sorted({truth[r["id"]]["label"] for r in clean})
    for n, j in enumerate(picks):
        src = clean[int(j)]
        label = truth[src["id"]]["label"]
        img = np.asarray(Image.open(src["images"][0]).convert("L").resize((28, 28)))
        direction = DIRECTIONS[rng.integers(4)]
        size, bg = int(rng.choice([14, 18, 22])), int(rng.choice([0, 30, 60]))
        kind = (kinds + ["clean"])[rng.choice(len(probs), p=probs)]
        if kind == "duplicate" and not rows:
            kind = "clean"
        cid = f"v{n:05d}"
        path = clips_dir / f"{cid}.mp4"
        text = caption(label, direction)
        if kind == "duplicate":
            prev = rows[int(rng.integers(len(rows)))]
            shutil.copyfile(prev["videos"][0], path)
            text = prev["text"]
            label, direction = truth_rows[rows.index(prev)]["label"], truth_rows[rows.index(prev)]["direction"]
        else:
            frames = clip_frames(img, direction, size, bg, speed=0.0 if kind == "still" else 2.0, rng=rng,
                                 flicker=kind == "flicker", n=3 if kind == "too_short" else FRAMES)
            if kind == "tiny_resolution":
                frames = np.stack([np.asarray(Image.fromarray(f).resize((16, 16), Image.BILINEAR)) for f in frames])
            write_gray_clip(path, frames)
            if kind == "swapped_caption":
                other = [lb for lb in labels if lb != label][int(rng.integers(len(labels) - 1))]
                text = caption(other, DIRECTIONS[(DIRECTIONS.index(direction) + 1 + int(rng.integers(3))) % 4])
        rows.append({"id": cid, "text": text, "videos": [str(path)]})
        truth_rows.append({"id": cid, "kind": kind, "label": label, "direction": direction})
    ref = np.load(img_files["reference"])
    ref_frames, ref_labels, ref_dirs = [], [], []
    for i in range(min(n_reference, len(ref["images"]))):
        direction = int(rng.integers(4))
        ref_frames.append(clip_frames(ref["images"][i], DIRECTIONS[direction], int(rng.choice([14, 18, 22])),
                                      int(rng.choice([0, 30, 60]))))
        ref_labels.append(int(ref["labels"][i]))
        ref_dirs.append(direction)
    reference = root / "video_reference.npz"
    np.savez_compressed(reference, frames=np.stack(ref_frames), labels=np.array(ref_labels),
                        directions=np.array(ref_dirs), label_names=ref["label_names"],
                        direction_names=np.array(DIRECTIONS))
    truth_path = write_jsonl(root / "video_demo_truth.jsonl", truth_rows)
    dataset = write_jsonl(root / "video_demo.jsonl", rows)
    return {"dataset": dataset, "reference": reference, "truth": truth_path}


def video_demo(cache_dir=None) -> dict[str, Path]:
    """Materialise the video demo (clips, `dataset` jsonl, `reference` npz, `truth`) once per version."""
    import os

    root = cache_root(cache_dir) / "video" / VERSION
    names = {"dataset": "video_demo.jsonl", "reference": "video_reference.npz", "truth": "video_demo_truth.jsonl"}
    if all((root / n).exists() for n in names.values()):
        return {k: root / n for k, n in names.items()}
    tmp = root.with_name(f"{VERSION}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    build(tmp)
    for f in (tmp / "video_demo.jsonl",):  # paths point into the final folder
        rows = [json.loads(x) for x in f.read_text().splitlines() if x.strip()]
        for r in rows:
            r["videos"] = [str(root / Path(p).relative_to(tmp)) for p in r["videos"]]
        write_jsonl(f, rows)
    if root.exists():
        shutil.rmtree(tmp, ignore_errors=True)  # another process finished first
    else:
        tmp.rename(root)
    return {k: root / n for k, n in names.items()}
