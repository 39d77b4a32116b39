"""Planners: turn a request in plain words (English or Chinese) into a Data-Juicer recipe.

The built-in planner reads only the operators' own metadata (their Args models' measures and bounds,
their example requests) through the catalog; the LLM planner (agent/nodes/planning.py) uses the same
catalog and quantity reader.
"""
from __future__ import annotations

from agent.planner.builtin import PLANNER_NAME, BuiltinPlanner, PlanOutput

__all__ = ["BuiltinPlanner", "PlanOutput", "PLANNER_NAME", "builtin_planner"]

_PLANNERS: dict = {}


def builtin_planner(use_catalog: bool = True, vector: bool | None = None) -> BuiltinPlanner:
    """The built-in planner over the process-wide catalog (made once per process and data dir).
    `vector=None` asks the persistent chromadb index when it is open, else the in-memory one (same scores);
    `use_catalog` is kept for compatibility: the planner always works from the catalog."""
    from tools.catalog import get_catalog

    cat = get_catalog()
    key = (id(cat), vector)
    planner = _PLANNERS.get(key)
    if planner is None or planner.catalog is not cat or len(planner.ops) != len(cat.names()):
        planner = _PLANNERS[key] = BuiltinPlanner(cat, vector=vector)
    return planner
