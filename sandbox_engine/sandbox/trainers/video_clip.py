"""Tiny video-text proxy: per-frame features pooled over time, trained contrastively from scratch.

Video tower: each sampled frame and its difference to the next go through a small CNN (2 channels: the
frame, the motion), features are averaged over time and projected. Text tower: hashed words, mean of
their embeddings, projected. InfoNCE both ways with a learned temperature. Evaluated by zero-shot
class+motion retrieval on clean held-out clips: each clip's best prompt among "a {class} moving {dir}"
for every class and direction.
Minutes on 2 CPU cores; CUDA when there (`device: auto`).
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
from pydantic import Field

from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path
from sandbox_engine.sandbox.trainers.base import (ComponentArgs, Evaluator, Trainer, device, register_component,
                                                  save_trained, seed_everything, train_contrastive)

_DECODED: dict[tuple, np.ndarray] = {}


def decode_clip(path: str, frames: int, size: int) -> np.ndarray:
    """(frames, size, size) uint8 grayscale frames at uniform indices (repeated when the clip is shorter);
    an unreadable clip gives black frames. Cached per process."""
    key = (path, frames, size)
    if key not in _DECODED:
        from PIL import Image

        try:
            import av

            with av.open(path) as c:
                raw = [f.to_image().convert("L") for f in c.decode(video=0)]
        except Exception:  # noqa: BLE001 (a broken clip trains as blank, like a bad sample would)
            raw = []
        if not raw:
            arr = np.zeros((frames, size, size), np.uint8)
        else:
            idx = np.linspace(0, len(raw) - 1, frames).round().astype(int)
            arr = np.stack([np.asarray(raw[i].resize((size, size), Image.BILINEAR)) for i in idx])
        _DECODED[key] = arr
    return _DECODED[key]


def tokenize(texts: list[str], vocab: int, length: int) -> np.ndarray:
    """Hashed word ids (0 = padding)."""
    out = np.zeros((len(texts), length), np.int64)
    for i, t in enumerate(texts):
        words = re.findall(r"[a-z0-9\-]+", t.lower().replace("<__dj__video>", " ").replace("<|__dj__eoc|>", " "))
        ids = [1 + zlib.crc32(w.encode()) % (vocab - 1) for w in words][:length]
        out[i, :len(ids)] = ids
    return out


class VideoClipArgs(ComponentArgs):
    text_key: str = Field("text", description="Field holding the caption.")
    video_key: str = Field("videos", description="Field holding the video paths (the first is used).")
    frames: int = Field(4, ge=2, description="Frames sampled per clip.")
    frame_size: int = Field(32, ge=8, description="Frames are resized to this square size.")
    width: int = Field(16, ge=4, description="CNN channels.")
    embed_dim: int = Field(64, ge=8, description="Joint embedding size.")
    vocab_size: int = Field(1024, ge=64, description="Hashing tokenizer size.")
    context_length: int = Field(12, ge=2, description="Caption length in words.")
    batch_size: int = Field(64, ge=2, description="Pairs per contrastive step.")
    steps: int = Field(200, ge=1, description="Optimizer steps (the same budget for every pool).")
    lr: float = Field(3e-3, gt=0, description="Peak learning rate (AdamW, linear decay).")
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda'.")


def build_model(a: VideoClipArgs):
    import torch
    from torch import nn

    class VideoText(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w = a.width
            self.cnn = nn.Sequential(
                nn.Conv2d(2, w, 3, stride=2, padding=1), nn.ReLU(),
                nn.Conv2d(w, 2 * w, 3, stride=2, padding=1), nn.ReLU(),
                nn.Conv2d(2 * w, 2 * w, 3, stride=2, padding=1), nn.ReLU(),
                nn.AdaptiveAvgPool2d(2), nn.Flatten())
            self.video_proj = nn.Linear(8 * w, a.embed_dim)
            self.words = nn.EmbeddingBag(a.vocab_size, 2 * w, mode="mean", padding_idx=0)
            self.text_proj = nn.Sequential(nn.ReLU(), nn.Linear(2 * w, a.embed_dim))
            self.logit_scale = nn.Parameter(torch.tensor(2.3))

        def encode_video(self, x):  # x: (B, T, S, S) floats in [0, 1]
            b, t, s, _ = x.shape
            pairs = torch.stack([x[:, :-1], x[:, 1:] - x[:, :-1]], dim=2)  # (B, T-1, 2, S, S)
            f = self.cnn(pairs.reshape(b * (t - 1), 2, s, s)).reshape(b, t - 1, -1).mean(1)
            return nn.functional.normalize(self.video_proj(f), dim=-1)

        def encode_text(self, ids):
            return nn.functional.normalize(self.text_proj(self.words(ids)), dim=-1)

    return VideoText()


@register_component("tiny_video_clip")
class TinyVideoClipTrainer(Trainer):
    description = ("Trains a tiny video-text model from scratch (per-frame CNN on frames and frame differences, "
                   "pooled over time; hashed-word text tower) with the contrastive loss on a pool's "
                   "video-caption pairs, for a fixed number of steps.")
    outputs = "model_path (a directory with model.pt and config.json), train_loss"
    Args = VideoClipArgs

    def train(self, dataset_path: str, out_dir: Path, seed: int) -> dict:
        seed_everything(seed)
        import torch

        a = self.args
        dev = device(a.device)
        rows = [r for r in read_jsonl(resolve_demo_path(dataset_path)) if r.get(a.video_key)]
        if len(rows) < 2:
            raise ValueError(f"tiny_video_clip: {dataset_path} has fewer than 2 video-text samples")
        clips = torch.from_numpy(np.stack([decode_clip(r[a.video_key][0], a.frames, a.frame_size)
                                           for r in rows])).float().div(255)
        texts = torch.from_numpy(tokenize([str(r.get(a.text_key, "")) for r in rows], a.vocab_size,
                                          a.context_length))
        model = build_model(a).to(dev)

        def logits(m, clip, txt):
            return m.logit_scale.exp().clamp(max=100) * m.encode_video(clip) @ m.encode_text(txt).t()

        losses = train_contrastive(model, clips, texts, logits, steps=a.steps, batch_size=a.batch_size, lr=a.lr,
                                   weight_decay=0.05, seed=seed, dev=dev)
        return {**save_trained(model, a, out_dir, losses), "train_pairs": len(rows), "device": dev}


class RetrievalArgs(ComponentArgs):
    reference: str = Field("demo:video_reference", description="npz with `frames` (N,T,S,S), `labels`, "
                           "`directions`, `label_names`, `direction_names` (or demo:video_reference).")
    prompt: str = Field("a {} moving {}", description="Prompt template (class, direction).")
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda'.")


@register_component("video_zero_shot")
class VideoZeroShotEvaluator(Evaluator):
    description = ("Zero-shot class+motion retrieval of a tiny video-text model on clean held-out clips: each "
                   "clip picks its best prompt among every (class, direction) pair; reports the joint accuracy "
                   "and the class and direction accuracies.")
    outputs = "class_motion_accuracy (higher is better), class_accuracy, motion_accuracy"
    primary_metric = "class_motion_accuracy"
    Args = RetrievalArgs

    def evaluate(self, model_path: str, out_dir: Path | None = None) -> dict:
        import torch
        from PIL import Image

        torch.set_num_threads(1)
        a = self.args
        cfg = VideoClipArgs.model_validate_json((Path(model_path) / "config.json").read_text())
        dev = device(a.device)
        model = build_model(cfg)
        model.load_state_dict(torch.load(Path(model_path) / "model.pt", map_location="cpu"))
        model.to(dev).eval()
        ref = np.load(resolve_demo_path(a.reference))
        frames = ref["frames"]
        idx = np.linspace(0, frames.shape[1] - 1, cfg.frames).round().astype(int)
        clips = np.stack([[np.asarray(Image.fromarray(f).resize((cfg.frame_size, cfg.frame_size), Image.BILINEAR))
                           for f in clip[idx]] for clip in frames])
        names, dirs = [str(n) for n in ref["label_names"]], [str(d) for d in ref["direction_names"]]
        prompts = [a.prompt.format(n, d) for n in names for d in dirs]
        with torch.no_grad():
            v = model.encode_video(torch.from_numpy(clips).float().div(255).to(dev)).cpu()
            t = model.encode_text(torch.from_numpy(tokenize(prompts, cfg.vocab_size, cfg.context_length)).to(dev)).cpu()
            best = (v @ t.t()).argmax(1).numpy()
        pred_cls, pred_dir = best // len(dirs), best % len(dirs)
        labels, directions = ref["labels"], ref["directions"]
        return {"class_motion_accuracy": float(np.mean((pred_cls == labels) & (pred_dir == directions))),
                "class_accuracy": float(np.mean(pred_cls == labels)),
                "motion_accuracy": float(np.mean(pred_dir == directions))}
