"""The tool registry: name -> (function, Args model, Result model, docstring), and the JSON-schema
specs the LLM sees."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel

from tools import functions as F
from tools import schemas as S
from tools.workspace import Workspace, default_workspace


@dataclass(frozen=True)
class Tool:
    name: str
    fn: Callable[..., BaseModel]
    args: type[BaseModel]
    writes: bool = False  # needs the user's approval first
    question: bool = False  # answers the user's questions in chat (not offered to the planner by default)

    @property
    def description(self) -> str:
        return " ".join((self.fn.__doc__ or self.name).split())

    def spec(self) -> dict[str, Any]:
        """An OpenAI tool spec."""
        schema = self.args.model_json_schema()
        schema.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": schema}}

    def __call__(self, arguments: dict[str, Any], ws: Workspace | None = None) -> dict[str, Any]:
        return self.fn(self.args(**(arguments or {})), ws or default_workspace()).model_dump(mode="json")


TOOLS: dict[str, Tool] = {t.name: t for t in [
    Tool("inspect_dataset", F.inspect_dataset, S.InspectDatasetArgs),
    Tool("search_operators", F.search_operators, S.SearchOperatorsArgs),
    Tool("get_operator_info", F.get_operator_info, S.OperatorInfoArgs),
    Tool("validate_recipe", F.validate_recipe, S.RecipeArgs),
    Tool("run_recipe", F.run_recipe, S.RunRecipeArgs, writes=True),
    Tool("analyze_dataset", F.analyze_dataset, S.AnalyzeDatasetArgs, writes=True),
    Tool("explain_removed", F.explain_removed, S.ExplainRemovedArgs),
    Tool("probe_pools", F.probe_pools, S.ProbePoolsArgs, writes=True),
    Tool("refine_recipe", F.refine_recipe, S.RefineRecipeArgs, writes=True),
    Tool("train_proxy", F.train_proxy, S.TrainProxyArgs, writes=True),
    Tool("evaluate", F.evaluate, S.EvaluateArgs, writes=True),
    Tool("compare_runs", F.compare_runs, S.CompareRunsArgs),
    Tool("save_recipe_yaml", F.save_recipe_yaml, S.SaveRecipeArgs, writes=True),
    Tool("count_samples", F.count_samples, S.DataPathArgs, question=True),
    Tool("count_matching", F.count_matching, S.CountMatchingArgs, question=True),
    Tool("language_counts", F.language_counts, S.LanguageCountsArgs, question=True),
    Tool("text_lengths", F.text_lengths, S.TextLengthsArgs, question=True),
    Tool("profile_dataset", F.profile_dataset, S.ProfileDatasetArgs, question=True),
    Tool("explain_sample", F.explain_sample, S.ExplainSampleArgs, question=True),
]}


def register(tool: Tool) -> Tool:
    """Add a tool from the layer above (the agent registers `draft_recipe`, which needs its planner:
    tools never import the agent)."""
    TOOLS[tool.name] = tool
    return tool


def tool_specs(names: list[str] | None = None) -> list[dict[str, Any]]:
    return [TOOLS[n].spec() for n in (names or TOOLS)]


def call_tool(name: str, arguments: dict[str, Any], ws: Workspace | None = None) -> dict[str, Any]:
    from sandbox_engine.errors import did_you_mean

    tool = TOOLS.get(name)
    if tool is None:
        raise F.JuiceboxError(f"unknown tool {name!r}.{did_you_mean(name, TOOLS)}")
    return tool(arguments, ws)


def llm_tools(ws: Workspace | None = None, read_only: bool = True,
              questions: bool = False) -> dict[str, tuple[dict, Callable[[dict], Any]]]:
    """{name: ({description, parameters}, call(arguments))} for the LLM planner; read-only tools by
    default (the graph runs the writing ones itself after approval); `questions` adds the tools that
    answer the user's questions (count_samples, language_counts, text_lengths, profile_dataset,
    explain_sample)."""
    out = {}
    for name, t in TOOLS.items():
        if (read_only and t.writes) or (t.question and not questions):
            continue
        spec = t.spec()["function"]
        out[name] = ({"description": spec["description"], "parameters": spec["parameters"]},
                     (lambda a, _t=t: _t(a, ws)))
    return out
