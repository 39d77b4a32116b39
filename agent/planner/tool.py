"""The `draft_recipe` tool: the built-in planner behind the tools layer's door. It is registered here,
by the agent, because tools never import the agent (agent -> tools -> sandbox_engine)."""
from __future__ import annotations

from tools import schemas as S
from tools.registry import Tool, register
from tools.workspace import Workspace


def draft_recipe(args: S.DraftRecipeArgs, ws: Workspace | None = None) -> S.DraftRecipeResult:
    """Draft a recipe for a goal with the built-in planner (nothing runs)."""
    from agent.planner import builtin_planner

    out = builtin_planner().plan(args.goal)
    recipe = dict(out.recipe)
    if args.dataset_path:
        recipe = {"dataset_path": str(ws.resolve(args.dataset_path)) if ws else args.dataset_path, **recipe}
    return S.DraftRecipeResult(recipe=recipe, justifications=out.justifications, planner=out.planner, notes=out.notes)


DRAFT_RECIPE = register(Tool("draft_recipe", draft_recipe, S.DraftRecipeArgs))
