"""Planners: the built-in one (no LLM, the default) and the LLM one (tool calling through `openai`).
The LLM planner's failures are LLMErrors; the graph then falls back to the built-in planner."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from agent.llm import LLMClient, LLMError
from agent.nodes.adapters import builtin_draft, builtin_name, llm_tools, normalize_plan

BUILTIN_NAME = builtin_name("built-in planner (no LLM)")

RECIPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "process": {"type": "array", "items": {"type": "object"},
                    "description": "ordered single-key mappings {operator_name: {argument: value}}"},
        "justifications": {"type": "array", "items": {"type": "string"},
                           "description": "one sentence per step: why it is there"},
    },
    "required": ["process", "justifications"],
}


def prompt(name: str) -> str:
    """A prompt template from prompts/ (files, so they can be edited without touching code)."""
    import prompts

    return (Path(prompts.__file__).parent / name).read_text(encoding="utf-8")


class Planner(Protocol):
    name: str

    def draft(self, goal: str, dataset: dict | None = None, candidates: list | None = None,
              feedback: str | None = None) -> dict[str, Any]:
        """{recipe: {process: [...]}, justifications: [...]}"""


class BuiltinPlanner:
    name = BUILTIN_NAME

    def draft(self, goal: str, dataset: dict | None = None, candidates: list | None = None,
              feedback: str | None = None) -> dict[str, Any]:
        text = f"{goal}. {feedback}" if feedback else goal
        return builtin_draft(text, (dataset or {}).get("path"))


class LLMPlanner:
    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.name = client.config.describe()

    def draft(self, goal: str, dataset: dict | None = None, candidates: list | None = None,
              feedback: str | None = None) -> dict[str, Any]:
        user = prompt("graph_plan.md").format(
            goal=goal, dataset=json.dumps(dataset or "none given", default=str)[:1500],
            candidates=json.dumps(candidates or [], default=str)[:3000],
            feedback=f"The user's feedback on the previous draft: {feedback}\n" if feedback else "")
        messages = [{"role": "system", "content": prompt("graph_system.md")},
                    {"role": "user", "content": user}]
        out = self.client.structured(messages, "submit_recipe", RECIPE_SCHEMA, llm_tools())
        plan = normalize_plan(out)
        _validate(plan["recipe"])
        return plan


def _validate(recipe: dict[str, Any]) -> None:
    """A recipe the engine cannot build counts as a malformed reply."""
    from sandbox_engine.errors import JuiceboxError
    from sandbox_engine.recipe_process import build_ops

    if not recipe.get("process"):
        raise LLMError("malformed", "the drafted recipe has no process steps")
    try:
        build_ops(recipe["process"])
    except (JuiceboxError, TypeError) as err:
        raise LLMError("malformed", f"the drafted recipe is invalid: {err}") from err
