"""Throughput of the model-backed filters (samples/second, one process, one torch thread).

    python evals/bench_models.py [--n 2000]

Texts are sentences from the shipped LM reference corpus joined into ~60-word samples; images are
the Data-Juicer test images. Model loading is excluded (one warm-up call first).
"""
from __future__ import annotations

import argparse
import lzma
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def text_samples(n: int) -> list[dict]:
    from sandbox_engine.models.ngram_lm import ASSET

    lines = lzma.open(ASSET, "rt", encoding="utf-8").read().splitlines()[::7]
    out, i = [], 0
    while len(out) < n:
        words, parts = 0, []
        while words < 60:
            parts.append(lines[i % len(lines)])
            words += len(parts[-1].split())
            i += 1
        out.append({"text": " ".join(parts)})
    return out


def image_samples(n: int) -> list[dict]:
    d = ROOT.parent / "shared" / "data" / "dj_images"
    if not d.is_dir():
        d = ROOT / "shared" / "data" / "dj_images"
    imgs = sorted(str(p) for p in d.iterdir())
    return [{"text": f"<__dj__image> a photo number {i}", "images": [imgs[i % len(imgs)]]}
            for i in range(n)]


def bench(name: str, args: dict, samples: list[dict]) -> tuple[float, float]:
    """(samples per wall second, samples per CPU second of this process). The second is the one
    to trust on a shared, busy machine."""
    from sandbox_engine import compute_stats

    compute_stats(samples[:8], [{name: args}])  # load the model
    t, c = time.perf_counter(), time.process_time()
    compute_stats(samples, [{name: args}])
    return len(samples) / (time.perf_counter() - t), len(samples) / (time.process_time() - c)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="text samples per op")
    ap.add_argument("--n-images", type=int, default=64, help="image samples per op")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    from sandbox_engine.models import clip

    texts, images = text_samples(a.n), image_samples(a.n_images)
    short = [{"text": " ".join(t["text"].split()[:12])} for t in texts]  # 12-word sentences
    tiny = str(clip.tiny_clip(Path(tempfile.mkdtemp()) / "clip"))
    valid = [{"text": "A short story about people and their work."}]
    cases = [
        ("language_id_score_filter", {}, texts),
        ("token_num_filter", {}, texts),
        ("perplexity_filter", {}, texts),
        ("text_embd_similarity_filter", {"valid_dataset": valid}, texts[: max(a.n // 8, 8)]),
        ("text_embd_similarity_filter", {"valid_dataset": valid}, short[: max(a.n // 4, 8)]),
        ("image_nsfw_filter", {}, images),
        ("image_text_similarity_filter", {"hf_clip": tiny}, images),
    ]
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}, torch threads: "
          f"{torch.get_num_threads()}; texts ~60 words unless noted, images 336x336..640x480")
    print(f"{'op':32s} {'wall':>10s} {'cpu':>10s}  samples/s")
    for name, args, samples in cases:
        wall, cpu = bench(name, args, samples)
        n_words = len(samples[0].get("text", "").split())
        note = (" tiny random CLIP" if name == "image_text_similarity_filter" else
                f" {n_words}-word texts" if "images" not in samples[0] else "")
        print(f"{name:32s} {wall:10.1f} {cpu:10.1f}  (n={len(samples)}){note}")


if __name__ == "__main__":
    main()
