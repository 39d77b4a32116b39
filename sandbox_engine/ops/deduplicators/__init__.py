"""Deduplicators: hash each sample, then keep the first of each group of duplicates."""
from sandbox_engine.ops.deduplicators import document, image, minhash, simhash, video  # noqa: F401
from sandbox_engine.ops.deduplicators import ray_names  # noqa: F401,E402  (after the ops it extends)
