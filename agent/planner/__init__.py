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
    from importlib.util import find_spec

    if find_spec("tools.catalog") is None:
        raise ImportError("tools.catalog is not available")

    cache: dict = {}

    def search(text: str) -> list[tuple[str, float]]:
        # the catalog (and the operator registry behind it) loads on the first clause no rule covers,
        # so a goal the rules cover plans without importing the engine
        if "cat" not in cache:
            from tools.catalog import get_catalog

            cache["cat"] = get_catalog()
            cache["names"] = cache["cat"].names()
        cat = cache["cat"]
        return [(h.name, h.score) for h in cat.search(text, k=3, vector=vector, kinds=("operator",))
                if h.name in cache["names"]]

    return BuiltinPlanner(search=search)
