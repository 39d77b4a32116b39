"""Planners: the built-in one (no LLM, the default) and the LLM one (structured output through
`openai`). The LLM planner's failures are LLMErrors; the graph then falls back to the built-in planner
for the turn (and drops the endpoint only when it cannot be reached)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from agent.llm import LLMClient, LLMError
from agent.nodes.adapters import builtin_draft, builtin_name, normalize_plan
from agent.nodes.llm_grounding import goal_needs, ground
from agent.nodes.llm_prompt import (ban_for, candidate_names, describe, need_options, needs_schema, per_need_schema,
                                    retrieve, suits_data)

BUILTIN_NAME = builtin_name("built-in planner (no LLM)")
NEEDS_TOKENS = 200  # the needs are a few short quotes


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
    """Drafts through the LLM: retrieved candidates and their arguments in the prompt; the goal's needs
    asked first, then one step per need among the operators found for it (grammar-constrained output
    where the server takes it); the reply held to the goal (llm_grounding); up to `repairs` rounds in
    which an invalid recipe goes back to the model with the validation error. Still invalid:
    LLMError('invalid')."""

    repairs = 3

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.name = client.config.describe()

    def draft(self, goal: str, dataset: dict | None = None, candidates: list | None = None,
              feedback: str | None = None) -> dict[str, Any]:
        names = candidate_names(candidates) or retrieve(goal)
        if feedback:  # the feedback may ask for operators the goal did not
            names += [n for n in retrieve(feedback, k=4) if n not in names]
        names = suits_data(names, dataset) or suits_data(retrieve(goal, k=16), dataset) or names
        user = prompt("graph_plan.md").format(
            goal=goal, dataset=_dataset_line(dataset), candidates=describe(names) or "(none found)",
            feedback=f"The user's feedback on the previous draft: {feedback}\n\n" if feedback else "")
        messages: list[dict[str, Any]] = [{"role": "system", "content": prompt("graph_system.md")},
                                          {"role": "user", "content": user}]
        goal_text = f"{goal} {feedback or ''}"
        needs = self._needs(messages, goal_text)
        options = need_options(needs, names, dataset)
        banned: dict[str, set[str]] = {}
        error = ""
        for round_ in range(self.repairs + 1):
            schema = per_need_schema(needs, options, banned)
            try:
                out = self.client.structured(messages, "submit_recipe", schema)
                said = json.dumps(out, ensure_ascii=False)
                plan = normalize_plan(_steps_as_mappings(out))
                steps = ground(plan["recipe"]["process"], needs, goal_text)
                plan["recipe"]["process"] = steps
                plan["justifications"] = (plan["justifications"] or [f"the goal asks: {n}" for n in needs])[:len(steps)]
                error = validation_error(plan["recipe"]) or _data_error(plan["recipe"], dataset)
            except LLMError as err:
                if err.kind != "malformed":
                    raise
                said, error = "(no JSON recipe)", str(err)
            if not error:
                if round_:
                    plan["notes"] = [f"the LLM's recipe was repaired in {round_} round(s)"]
                return plan
            if said != "(no JSON recipe)":  # the grammar of the next round leaves out what failed
                options = _ban(error, plan["recipe"], options, banned)
            messages = messages + [{"role": "assistant", "content": said},
                                   {"role": "user", "content": prompt("graph_repair.md").format(error=error)}]
        raise LLMError("invalid", f"the drafted recipe was still invalid after {self.repairs} repair "
                                  f"rounds ({error})")

    def _needs(self, messages: list[dict[str, Any]], goal: str) -> list[str]:
        """First the goal's needs alone (a short reply), kept where the goal says them; the recipe then
        gets exactly one step per need."""
        most = self.client.config.max_steps
        try:
            out = self.client.structured(messages, "list_needs", needs_schema(most), max_tokens=NEEDS_TOKENS)
        except LLMError as err:
            if err.kind != "malformed":
                raise
            out = {}
        return goal_needs(out.get("needs"), goal, most)


def _ban(error: str, recipe: dict[str, Any], options: list[list[str]], banned: dict[str, set[str]]) -> list[list[str]]:
    """ban_for on the step the error names: its arguments leave the grammar, else its operator leaves
    that step's options."""
    import re

    m = re.match(r"process\[(\d+)\]", error)
    if not m or int(m.group(1)) >= len(options):
        return options
    i = int(m.group(1))
    return options[:i] + [ban_for(error, recipe, options[i], banned)] + options[i + 1:]


def _data_error(recipe: dict[str, Any], dataset: dict | None) -> str:
    """A step whose operator reads a media field the data does not have (see suits_data), or ''."""
    for i, step in enumerate(recipe.get("process") or []):
        (op, _), = step.items()
        if not suits_data([op], dataset):
            return (f"process[{i}] {op}: this operator reads a field the data does not have (the data's "
                    f"fields are {', '.join(dataset['fields'])}); choose operators for those fields")
    return ""


def _dataset_line(dataset: dict | None) -> str:
    if not dataset:
        return "none given"
    keep = {k: dataset[k] for k in ("path", "num_samples", "fields", "text_key", "modality", "languages")
            if k in dataset}
    return json.dumps(keep or dataset, ensure_ascii=False, default=str)[:600]


def _steps_as_mappings(out: dict[str, Any]) -> dict[str, Any]:
    """Steps written as {"name"/"op": x, "args": {...}} become Data-Juicer's {x: {...}}; the goal's
    `needs` the model listed become the steps' justifications."""
    out = dict(out.get("recipe") if isinstance(out.get("recipe"), dict) and "process" not in out else out)
    needs = out.pop("needs", None)
    if isinstance(needs, list) and not out.get("justifications"):
        out["justifications"] = [f"the goal asks: {n}" for n in needs if isinstance(n, str)]
    steps = []
    for step in out.get("process") or []:
        if isinstance(step, dict) and len(step) > 1:
            name = step.get("name") or step.get("op") or step.get("operator")
            args = step.get("args") or step.get("arguments") or step.get("parameters") or {}
            if isinstance(name, str) and isinstance(args, dict):
                step = {name: args}
        elif isinstance(step, str):
            step = {step: {}}
        steps.append(step)
    out["process"] = steps
    return out


def validation_error(recipe: dict[str, Any]) -> str:
    """Why the engine would refuse the recipe (through the tools layer's validate_recipe), or ''."""
    from tools.registry import call_tool

    process = recipe.get("process")
    if not process:
        return "the recipe has no process steps; give at least one operator step"
    for i, step in enumerate(process):
        if not isinstance(step, dict) or len(step) != 1:
            return f"process[{i}] must be a single-key mapping {{operator_name: {{arguments}}}}, got {step!r}"
    result = call_tool("validate_recipe", {"recipe": {"process": process}})
    if not result["ok"]:
        return "; ".join(result["errors"])
    for i, step in enumerate(process):
        (op, args), = step.items()
        for key, low in (args or {}).items():
            high = (args or {}).get("max_" + key[4:]) if key.startswith("min_") else None
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
                return (f"process[{i}] {op}: {key}={low} is above max_{key[4:]}={high}, so nothing would be kept; "
                        f"min_ is the lowest value kept and max_ the highest")
    return ""
