"""Tiny CLIP proxy: open_clip's CLIP with a small custom config (ViT 2 layers, width 64, 28x28 input; text
transformer 2 layers), trained contrastively from scratch on a pool's image-caption pairs; evaluated by
zero-shot accuracy and image->text retrieval recall on a clean held-out split.

Captions use a hashing word tokenizer (no vocabulary to fit), so every pool shares one tokenizer.
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
from pydantic import Field

from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path
from sandbox_engine.sandbox.trainers.base import (ComponentArgs, Evaluator, Trainer, device, ensure_torch_stack,
                                                  register_component, save_trained, seed_everything,
                                                  train_contrastive)

IMAGE_TOKEN = "<__dj__image>"
EOC = "<|__dj__eoc|>"


def tokenize(texts: list[str], vocab_size: int, context_length: int) -> np.ndarray:
    """Hash words to ids 1..V-3; SOT=V-2, EOT=V-1 (the highest id, as open_clip's argmax pooling wants)."""
    out = np.zeros((len(texts), context_length), dtype=np.int64)
    for i, t in enumerate(texts):
        words = re.findall(r"[a-z0-9]+", t.replace(IMAGE_TOKEN, " ").replace(EOC, " ").lower())
        ids = [vocab_size - 2] + [1 + zlib.crc32(w.encode()) % (vocab_size - 3) for w in words]
        ids = ids[: context_length - 1] + [vocab_size - 1]
        out[i, : len(ids)] = ids
    return out


def load_image(path: str, size: int) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("L").resize((size, size)), dtype=np.uint8)


def to_tensor(gray: np.ndarray):
    import torch

    x = torch.from_numpy(gray.astype(np.float32) / 255.0 - 0.5) / 0.3
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


class TinyCLIPArgs(ComponentArgs):
    text_key: str = Field("text", description="Field holding the caption.")
    image_key: str = Field("images", description="Field holding the image paths (the first is used).")
    image_size: int = Field(28, ge=8, description="Images are resized to this square size.")
    patch_size: int = Field(7, ge=1, description="ViT patch size.")
    width: int = Field(64, ge=16, description="Width of both towers.")
    layers: int = Field(2, ge=1, description="Transformer layers in each tower.")
    embed_dim: int = Field(64, ge=8, description="Joint embedding size.")
    vocab_size: int = Field(2048, ge=64, description="Hashing tokenizer size.")
    context_length: int = Field(16, ge=4, description="Caption length in tokens.")
    batch_size: int = Field(64, ge=2, description="Pairs per contrastive step.")
    steps: int = Field(150, ge=1, description="Optimizer steps (a fixed budget for every pool).")
    lr: float = Field(2e-3, gt=0, description="Peak learning rate (AdamW, linear decay).")
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda'.")


def build_model(a: TinyCLIPArgs):
    ensure_torch_stack()
    from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg

    heads = max(1, a.width // 32)
    vision = CLIPVisionCfg(layers=a.layers, width=a.width, head_width=a.width // heads, patch_size=a.patch_size,
                           image_size=a.image_size)
    text = CLIPTextCfg(context_length=a.context_length, vocab_size=a.vocab_size, width=a.width, heads=heads,
                       layers=a.layers)
    return CLIP(embed_dim=a.embed_dim, vision_cfg=vision, text_cfg=text)


@register_component("tiny_clip")
class TinyCLIPTrainer(Trainer):
    description = ("Trains a tiny CLIP (open_clip CLIP, custom small ViT + text transformer) from scratch with "
                   "the contrastive loss on a pool's image-caption pairs, for a fixed number of steps.")
    outputs = "model_path (a directory with model.pt and config.json), train_loss"
    Args = TinyCLIPArgs

    def train(self, dataset_path: str, out_dir: Path, seed: int) -> dict:
        seed_everything(seed)
        import torch

        a = self.args
        dev = device(a.device)
        rows = [r for r in read_jsonl(resolve_demo_path(dataset_path)) if r.get(a.image_key)]
        if len(rows) < 2:
            raise ValueError(f"tiny_clip: {dataset_path} has fewer than 2 image-text samples")
        images = to_tensor(np.stack([load_image(r[a.image_key][0], a.image_size) for r in rows]))
        texts = torch.from_numpy(tokenize([str(r.get(a.text_key, "")) for r in rows], a.vocab_size,
                                          a.context_length))
        model = build_model(a).to(dev)

        def logits(m, img, txt):
            img_f, txt_f, scale = m(img, txt)[:3]
            return scale * img_f @ txt_f.t()

        losses = train_contrastive(model, images, texts, logits, steps=a.steps, batch_size=a.batch_size, lr=a.lr,
                                   weight_decay=0.1, seed=seed, dev=dev)
        return {**save_trained(model, a, out_dir, losses), "train_pairs": len(rows)}


class ZeroShotArgs(ComponentArgs):
    reference: str = Field("demo:image_reference", description="npz with `images`, `labels`, `label_names` "
                           "(or demo:image_reference).")
    prompt: str = Field("a photo of a {}", description="Zero-shot class prompt template.")
    recall_k: list[int] = Field([1, 5], description="k values for image->text retrieval recall.")
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda'.")


@register_component("clip_zero_shot")
class ZeroShotEvaluator(Evaluator):
    description = ("Zero-shot classification accuracy of a tiny CLIP on a clean held-out split, and image->text "
                   "retrieval recall@k (a hit when a retrieved caption names the image's class).")
    outputs = "zero_shot_accuracy (higher is better), recall@k"
    primary_metric = "zero_shot_accuracy"
    Args = ZeroShotArgs

    def evaluate(self, model_path: str, out_dir: Path | None = None) -> dict:
        ensure_torch_stack()
        import torch

        torch.set_num_threads(1)
        a = self.args
        cfg = TinyCLIPArgs.model_validate_json((Path(model_path) / "config.json").read_text())
        dev = device(a.device)
        model = build_model(cfg)
        model.load_state_dict(torch.load(Path(model_path) / "model.pt", map_location="cpu"))
        model.to(dev).eval()
        ref = np.load(resolve_demo_path(a.reference))
        from PIL import Image

        imgs = np.stack([np.asarray(Image.fromarray(x).resize((cfg.image_size, cfg.image_size))) for x in ref["images"]])
        labels = torch.from_numpy(ref["labels"].astype(np.int64))
        names = [str(n) for n in ref["label_names"]]
        with torch.no_grad():
            img_f = model.encode_image(to_tensor(imgs).to(dev), normalize=True).cpu()
            prompts = torch.from_numpy(tokenize([a.prompt.format(n) for n in names], cfg.vocab_size,
                                                cfg.context_length))
            cls_f = model.encode_text(prompts.to(dev), normalize=True).cpu()
            acc = float((img_f @ cls_f.t()).argmax(1).eq(labels).float().mean())
            # retrieval: one caption per image from varied templates; hit = retrieved caption's class matches
            rng = np.random.default_rng(0)
            templates = ["a photo of a {}", "grayscale picture of a {}", "this is a {}", "product shot: {}"]
            caps = [templates[rng.integers(len(templates))].format(names[int(l)]) for l in labels]
            cap_f = model.encode_text(torch.from_numpy(tokenize(caps, cfg.vocab_size, cfg.context_length)).to(dev),
                                      normalize=True).cpu()
            order = (img_f @ cap_f.t()).argsort(1, descending=True)
        out = {"zero_shot_accuracy": acc}
        for k in a.recall_k:
            hits = labels[order[:, :k]].eq(labels[:, None]).any(1).float().mean()
            out[f"recall@{k}"] = float(hits)
        return out
