"""Hugging Face models the media operators need, loaded from a local folder only (never downloaded).

Data-Juicer names hub models (amrul-hzz/watermark_detector, shunk031/aesthetics-predictor-...,
Salesforce/blip-itm-base-coco, Salesforce/blip2-opt-2.7b); none ships on PyPI, so these operators take a
local copy (a folder saved with `save_pretrained`, or downloaded elsewhere) and say what to provide when it
is missing. `ImageClassifier`, `AestheticsScorer`, `BlipItm` and `Blip2Captioner` mirror the upstream
inference exactly (fp32, eval, the same processors and heads).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached, torch_threads


def local_model_dir(value: str | None, op: str, arg: str, what: str, hub_name: str) -> Path:
    """The local folder of a Hugging Face model (config.json inside), or ModelUnavailableError saying
    what to provide."""
    from sandbox_engine.models.hub_cache import find_cached, looks_like_hub_id

    p = Path(os.path.expanduser(value or ""))
    if value and p.is_dir() and (p / "config.json").is_file():
        return p
    snap = find_cached(value, lambda d: (d / "config.json").is_file()) if looks_like_hub_id(value) else None
    if snap is not None:
        return snap
    where = ("a folder without config.json" if value and p.is_dir() else
             "not a local folder" if value else "empty")
    raise ModelUnavailableError(
        f"operator {op!r}: argument {arg!r} = {value!r} is {where}. This operator needs {what} "
        f"(Data-Juicer uses {hub_name!r}); models are never downloaded: give the path of a local copy, "
        f"a folder with config.json and the weights as written by `save_pretrained` (for example "
        f"`huggingface-cli download {hub_name} --local-dir DIR` on a machine with network access), or "
        f"a hub name whose model is in the local Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or "
        f"~/.cache/huggingface/hub).")


def _device(accelerator: str | None) -> str:
    import torch

    if accelerator == "cuda" or (accelerator is None and torch.cuda.is_available()):
        return "cuda" if torch.cuda.is_available() else "cpu"
    return "cpu"


class ImageClassifier:
    """AutoModelForImageClassification + AutoImageProcessor: softmax probability of label 1 per image
    (upstream's NSFW and watermark scores)."""

    def __init__(self, folder: Path, accelerator: str | None = None):
        torch_threads()
        from transformers import AutoImageProcessor, AutoModelForImageClassification

        self.processor = AutoImageProcessor.from_pretrained(str(folder))
        self.device = _device(accelerator)
        self.model = AutoModelForImageClassification.from_pretrained(str(folder)).to(self.device).eval()

    def positive_probs(self, images: list) -> list[float]:
        import torch

        if not images:
            return []
        with torch.inference_mode():
            inputs = self.processor(images=images, return_tensors="pt").to(self.device)
            logits = self.model(**inputs).logits
            return torch.softmax(logits, dim=-1)[:, 1].tolist()


class AestheticsScorer:
    """simple-aesthetics-predictor's layout: a CLIP vision tower with projection plus a head named
    `layers` (one Linear for v1 and v2-linear; Linear-ReLU-...-Linear for v2-relu), in one state dict."""

    def __init__(self, folder: Path, accelerator: str | None = None):
        torch_threads()
        import torch
        from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

        cfg = CLIPVisionConfig.from_pretrained(str(folder))
        state = _load_state(folder)
        head = {k[len("layers."):]: v for k, v in state.items() if k.startswith("layers.")}
        if not head:
            raise ModelUnavailableError(f"{folder}: no aesthetics head (weights named 'layers.*') found; "
                                        "give a simple-aesthetics-predictor checkpoint folder")
        self.tower = CLIPVisionModelWithProjection(cfg)
        self.tower.load_state_dict({k: v for k, v in state.items() if not k.startswith("layers.")},
                                   strict=False)
        linear_keys = sorted({k.split(".")[0] for k in head if k.endswith("weight")}, key=int)
        mods: list[Any] = []
        for n, idx in enumerate(linear_keys):
            w = head[f"{idx}.weight"]
            lin = torch.nn.Linear(w.shape[1], w.shape[0])
            lin.load_state_dict({"weight": w, "bias": head[f"{idx}.bias"]})
            mods.append(lin)
            if n < len(linear_keys) - 1 and "relu" in str(folder).lower():
                mods.append(torch.nn.ReLU())
        self.head = torch.nn.Sequential(*mods)
        self.device = _device(accelerator)
        self.tower.to(self.device).eval()
        self.head.to(self.device).eval()
        self.processor = CLIPImageProcessor.from_pretrained(str(folder))
        self.scale = 10.0 if "aesthetics-predictor" in str(folder) or "aesthetics_predictor" in str(folder) else 1.0

    def scores(self, images: list) -> list[float]:
        import torch

        if not images:
            return []
        with torch.inference_mode():
            pix = self.processor(images=images, return_tensors="pt")["pixel_values"].to(self.device)
            emb = self.tower(pixel_values=pix).image_embeds
            emb = emb / emb.norm(dim=-1, keepdim=True)
            return (self.head(emb).squeeze(-1) / self.scale).tolist()


def _load_state(folder: Path) -> dict:
    import torch

    st = folder / "model.safetensors"
    if st.is_file():
        from safetensors.torch import load_file

        return load_file(str(st))
    binf = folder / "pytorch_model.bin"
    if binf.is_file():
        return torch.load(str(binf), map_location="cpu", weights_only=True)
    raise ModelUnavailableError(f"{folder}: neither model.safetensors nor pytorch_model.bin is there")


class BlipItm:
    """BLIP image-text matching: softmax(itm_score)[:, 1] for one text against images."""

    def __init__(self, folder: Path, accelerator: str | None = None):
        torch_threads()
        from transformers import AutoProcessor, BlipForImageTextRetrieval

        self.processor = AutoProcessor.from_pretrained(str(folder))
        self.device = _device(accelerator)
        self.model = BlipForImageTextRetrieval.from_pretrained(str(folder)).to(self.device).eval()

    def scores(self, text: str, images: list) -> list[float]:
        import torch

        with torch.inference_mode():
            inputs = self.processor(text=[text] * len(images), images=images, return_tensors="pt",
                                    truncation=True, padding=True,
                                    max_length=self.model.config.text_config.max_position_embeddings)
            out = self.model(**inputs.to(self.device), use_itm_head=True)
            return torch.softmax(out.itm_score, dim=-1)[:, 1].tolist()


class Blip2Captioner:
    """BLIP-2 (or any image-to-text model with AutoProcessor + generate): one caption per image."""

    def __init__(self, folder: Path, accelerator: str | None = None):
        torch_threads()
        from transformers import AutoModelForImageTextToText, AutoProcessor

        self.processor = AutoProcessor.from_pretrained(str(folder))
        self.device = _device(accelerator)
        self.model = AutoModelForImageTextToText.from_pretrained(str(folder)).to(self.device).eval()

    def captions(self, images: list, prompt: str | None = None) -> list[str]:
        import torch

        if not images:
            return []
        with torch.inference_mode():
            kw: dict[str, Any] = {"images": images, "return_tensors": "pt"}
            if prompt:
                kw["text"] = [prompt] * len(images)
            inputs = self.processor(**kw).to(self.device)
            ids = self.model.generate(**inputs, max_new_tokens=128, do_sample=True)
            return [t.strip() for t in self.processor.batch_decode(ids, skip_special_tokens=True)]


def load(kind: type, folder: Path, accelerator: str | None = None) -> Any:
    return cached((kind.__name__, str(folder.resolve()), accelerator or ""), lambda: kind(folder, accelerator))
