"""Importing this module registers every built-in operator."""
from sandbox_engine.ops import deduplicators, filters, groupers, mappers, selectors, selectors_rating  # noqa: F401
