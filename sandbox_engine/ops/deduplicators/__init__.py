"""Deduplicators: hash each sample, then keep the first of each group of duplicates."""
from sandbox_engine.ops.deduplicators import document, image, minhash, simhash  # noqa: F401
