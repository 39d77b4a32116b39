"""Planners: turn a goal in plain words into a Data-Juicer recipe.

`get_planner()` returns the active planner: the built-in one (rules + catalog, no LLM) unless an
OpenAI-compatible endpoint is configured and another module supplies an LLM planner.
"""
from __future__ import annotations

from agent.planner.builtin import PLANNER_NAME, BuiltinPlanner, PlanOutput

__all__ = ["BuiltinPlanner", "PlanOutput", "PLANNER_NAME", "builtin_planner"]


def builtin_planner(use_catalog: bool = True, vector: bool | None = None) -> BuiltinPlanner:
    """The built-in planner, wired to the catalog's hybrid retriever for phrases no rule covers.
    `vector=None` uses the vector index only when it is already built (warm)."""
    if not use_catalog:
        return BuiltinPlanner()
    from tools.catalog import get_catalog

    cat = get_catalog()

    def search(text: str) -> list[tuple[str, float]]:
        return [(h.name, h.score) for h in cat.search(text, k=3, vector=vector, kinds=("operator",))]

    return BuiltinPlanner(search=search, known_ops=cat.names())
