"""`juicebox plan`: draft a Data-Juicer recipe from a goal in plain words, without running anything.
(`chat` and `refine` live in agent/cli_chat.py.)"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from agent.cli import app, friendly_errors


def _draft(goal: str, data: str | None = None) -> tuple[dict, list[str], str, list[str]]:
    """(recipe, justifications, planner name, notices): the LLM planner when an endpoint is
    configured, else (or when it fails) the built-in one."""
    notices: list[str] = []
    try:
        from agent.llm import LLMConfig
        cfg = LLMConfig.from_env()
    except ImportError:
        cfg = None
    if cfg is not None:
        from agent.llm import LLMClient, LLMError
        from agent.nodes.planning import LLMPlanner

        try:
            planner = LLMPlanner(LLMClient(cfg))
            out = planner.draft(goal)
            return out["recipe"], out.get("justifications", []), planner.name, notices + out.get("notes", [])
        except LLMError as err:  # the endpoint failed or its recipe stayed invalid: fall back, say which
            where = "is unreachable" if err.transport else "gave no valid recipe"
            notices.append(f"the LLM endpoint {cfg.base_url or 'api.openai.com'} {where} ({err}); "
                           f"falling back to the built-in planner")
        except Exception as err:  # noqa: BLE001 - a planning bug must not cost the user the plan
            notices.append(f"the LLM planner failed ({type(err).__name__}: {err}); falling back to the "
                           f"built-in planner")
    from agent.planner import builtin_planner

    try:
        planner = builtin_planner(use_catalog=True, vector=None)
    except ImportError:
        planner = builtin_planner(use_catalog=False)
    out = planner.plan(goal, data=data) if data else planner.plan(goal)
    return out.recipe, out.justifications, planner.name, notices + out.notes


@app.command("plan")
@friendly_errors
def plan(goal: str = typer.Argument(..., help="What the data should become, in plain words."),
         data: Optional[Path] = typer.Option(None, "--data", help="Data set the recipe will run on."),
         fmt: str = typer.Option("yaml", "--format", "-f", help="yaml or json."),
         why: bool = typer.Option(False, "--why", help="Also print each step's justification (stderr).")) -> None:
    """Draft a Data-Juicer recipe (a `process` list) for GOAL; nothing runs."""
    from sandbox_engine.errors import JuiceboxError

    if fmt not in ("yaml", "json"):
        raise JuiceboxError(f"--format {fmt!r}: use yaml or json")
    if not goal.strip():
        raise JuiceboxError("the goal is empty: say what the data should become, e.g. "
                            "'drop texts under 50 characters and remove duplicates'")
    if data is not None and not data.exists():
        raise FileNotFoundError(f"--data: no such file or folder: {data}")
    recipe, justifications, name, notices = _draft(goal, str(data) if data is not None else None)
    if data is not None:
        recipe = {"dataset_path": str(data), **recipe}
    err = sys.stderr
    from agent.planner.lexicon import has_cjk

    zh = has_cjk(goal)  # (said in the goal's language)
    print(f"规划器：{name}" if zh else f"planner: {name}", file=err)
    for n in notices:
        print(f"提示：{n}" if zh else f"note: {n}", file=err)
    if why:
        for line in justifications:
            print(f"  - {line}", file=err)
    if fmt == "json":
        sys.stdout.write(json.dumps(recipe, ensure_ascii=False, indent=2) + "\n")
    else:
        import yaml

        sys.stdout.write(yaml.safe_dump(recipe, sort_keys=False, allow_unicode=True))
