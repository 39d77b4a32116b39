"""CLIP image-text similarity through open_clip, from a local checkpoint only.

No CLIP weights ship in any PyPI package, so the operator takes a checkpoint the user (or the sandbox,
which trains a tiny CLIP on the demo set) saved: a folder in open_clip's layout
(``open_clip_config.json`` with ``model_cfg`` + ``open_clip_model.safetensors`` /
``open_clip_pytorch_model.bin``), or a weights file with that config beside it. `save_checkpoint`
writes that layout. A hub name such as 'openai/clip-vit-base-patch32' is looked up in the local Hugging
Face cache (a transformers CLIP, scored as Data-Juicer does: logits_per_text / 100); we never download.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached, torch_threads

CONFIG = "open_clip_config.json"


def resolve(hf_clip: str | None, op: str = "image_text_similarity_filter") -> tuple[Path, Path | None]:
    """(model folder, explicit weights file or None) for a checkpoint argument. The folder holds an
    open_clip checkpoint, or (a hub name found in the local Hugging Face cache) a transformers CLIP."""
    from sandbox_engine.models.hub_cache import find_cached, looks_like_hub_id, where_to_put

    p = Path(os.path.expanduser(hf_clip or ""))
    if hf_clip and p.is_dir() and (p / CONFIG).is_file():
        return p, None
    if hf_clip and p.is_file() and (p.parent / CONFIG).is_file():
        return p.parent, p
    if looks_like_hub_id(hf_clip):
        snap = find_cached(hf_clip, lambda d: (d / CONFIG).is_file() or (d / "config.json").is_file())
        if snap is not None:
            return snap, None
        raise ModelUnavailableError(
            f"operator {op!r}: argument 'hf_clip' = {hf_clip!r} is not in the local Hugging Face cache "
            f"and models are never downloaded: {where_to_put(hf_clip)} (a transformers CLIP, or an "
            "open_clip checkpoint folder with open_clip_config.json).")
    where = ("a folder without open_clip_config.json" if hf_clip and p.is_dir() else
             "a file without open_clip_config.json beside it" if hf_clip and p.is_file() else
             "not a local path")
    raise ModelUnavailableError(
        f"operator {op!r}: argument 'hf_clip' = {hf_clip!r} is {where}. CLIP weights are never "
        "downloaded: give a local open_clip checkpoint, i.e. a folder holding open_clip_config.json "
        "(with 'model_cfg') and open_clip_model.safetensors or open_clip_pytorch_model.bin, or such a "
        "weights file with the config beside it (sandbox_engine.models.clip.save_checkpoint writes "
        "this layout; the sandbox can train a tiny CLIP on the demo set).")


class ClipScorer:
    """An open_clip model with its image preprocessing and tokenizer (one per process)."""

    def __init__(self, folder: Path, weights: Path | None = None):
        torch_threads()
        from sandbox_engine.compat import ensure_torchvision

        ensure_torchvision()
        import open_clip

        name = f"local-dir:{folder.resolve()}"
        self.model, _, self.preprocess = open_clip.create_model_and_transforms(name)
        if weights is not None:
            open_clip.load_checkpoint(self.model, str(weights))
        self.model.eval()
        self.tokenizer = open_clip.get_tokenizer(name)

    def similarity(self, text: str, images: list) -> Any:
        """Cosine similarities, shape (1, len(images)): what Data-Juicer reads as
        ``logits_per_text / 100`` from a trained CLIP."""
        import torch

        with torch.inference_mode():
            pix = torch.stack([self.preprocess(im) for im in images])
            img = torch.nn.functional.normalize(self.model.encode_image(pix), dim=-1)
            txt = torch.nn.functional.normalize(self.model.encode_text(self.tokenizer([text])), dim=-1)
            return txt @ img.T


class HFClipScorer:
    """A transformers CLIP (as in the Hugging Face cache) scored as Data-Juicer's
    image_text_similarity_filter does: ``logits_per_text / 100``."""

    def __init__(self, folder: Path):
        torch_threads()
        from sandbox_engine.compat import ensure_torchvision

        ensure_torchvision()
        from transformers import AutoModel, AutoProcessor

        self.model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        self.processor = AutoProcessor.from_pretrained(str(folder), local_files_only=True)
        self.max_len = self.model.config.text_config.max_position_embeddings

    def similarity(self, text: str, images: list) -> Any:
        import torch

        with torch.inference_mode():
            inputs = self.processor(text=[text], images=images, return_tensors="pt", truncation=True,
                                    max_length=self.max_len, padding=True)
            return self.model(**inputs).logits_per_text / 100.0


def load(hf_clip: str) -> ClipScorer | HFClipScorer:
    folder, weights = resolve(hf_clip)
    key = ("clip", str(folder.resolve()), str(weights.resolve()) if weights else "")
    if weights is None and not (folder / CONFIG).is_file():
        return cached(key, lambda: HFClipScorer(folder))
    return cached(key, lambda: ClipScorer(folder, weights))


def save_checkpoint(model, model_cfg: dict, folder: str | Path,
                    preprocess_cfg: dict | None = None) -> Path:
    """Write an open_clip model in the local-folder layout this module (and open_clip) loads."""
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cfg: dict[str, Any] = {"model_cfg": model_cfg}
    if preprocess_cfg:
        cfg["preprocess_cfg"] = preprocess_cfg
    (folder / CONFIG).write_text(json.dumps(cfg, indent=2), encoding="utf-8")
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / "open_clip_model.safetensors"))
    return folder


TINY_CFG: dict[str, Any] = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16, "patch_size": 16},
    "text_cfg": {"context_length": 32, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
}


def tiny_clip(folder: str | Path, seed: int = 0) -> Path:
    """A tiny randomly initialised CLIP saved to `folder` (tests, smoke runs; not meaningful)."""
    torch_threads()
    from sandbox_engine.compat import ensure_torchvision

    ensure_torchvision()
    import open_clip
    import torch

    torch.manual_seed(seed)
    model = open_clip.CLIP(**TINY_CFG)
    return save_checkpoint(model, TINY_CFG, folder)
