"""`juicebox run RECIPE.yaml`, `juicebox ops list` and `juicebox ops show NAME`.

Imports of the engine happen inside the commands, so `juicebox --help` stays fast.
"""
from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from agent.cli import app, friendly_errors, ops_app


@app.command("run")
@friendly_errors
def run_cmd(
    recipe: str = typer.Argument(..., help="A Data-Juicer recipe YAML."),
    np: Optional[int] = typer.Option(None, "--np", min=1, help="Worker processes (default: the recipe's np)."),
    export_path: Optional[str] = typer.Option(None, "--export-path", help="Override the recipe's export_path."),
    dataset_path: Optional[str] = typer.Option(None, "--dataset-path", help="Override the recipe's dataset_path."),
    work_dir: Optional[str] = typer.Option(None, "--work-dir", help="Override the recipe's work_dir."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar per op."),
    json_out: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Run RECIPE's process list over its data set and export the result (resumes from checkpoints
    when the recipe sets use_checkpoint)."""
    import json

    from rich.console import Console

    from sandbox_engine.executor import run_recipe

    err = Console(stderr=True)
    summary = run_recipe(recipe, np=np, export_path=export_path, dataset_path=dataset_path,
                         work_dir=work_dir, progress=progress and err.is_terminal, console=err)
    if json_out:
        typer.echo(json.dumps(summary.dump_json(), ensure_ascii=False, indent=2))
        return
    out = Console()
    out.print(summary.table())
    for line in summary.skip_lines():
        err.print(f"[yellow]skipped:[/] {line}", markup=True, highlight=False, soft_wrap=True)
    if summary.resumed_ops:
        out.print(f"resumed after {summary.resumed_ops} finished op(s) from {summary.checkpoint_dir}")
    out.print(f"exported {summary.rows_out} samples to {summary.export_path}", highlight=False)
    if summary.stats_path:
        out.print(f"stats: {summary.stats_path}", highlight=False)
    for path in summary.trace_files:
        out.print(f"trace: {path}", highlight=False)
    out.print(f"summary: {summary.summary_path}", highlight=False)


def _type_name(annotation: Any) -> str:
    name = getattr(annotation, "__name__", None)
    if name and not getattr(annotation, "__args__", None):
        return name
    return str(annotation).replace("typing.", "").replace("NoneType", "None")


def _default(field: Any) -> str:
    from pydantic_core import PydanticUndefined

    if field.default_factory is not None:
        return repr(field.default_factory())
    if field.default is PydanticUndefined:
        return "(required)"
    if field.default == sys.maxsize:
        return "sys.maxsize"
    return repr(field.default)


def op_info(cls: Any) -> dict[str, Any]:
    """The catalog entry of an operator class (what `ops show` prints)."""
    from sandbox_engine.ops.base import FilterArgs, OpArgs

    base = FilterArgs.model_fields if issubclass(cls.Args, FilterArgs) else OpArgs.model_fields
    args = []
    for name, field in cls.Args.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        args.append({"name": name, "type": _type_name(field.annotation), "default": _default(field),
                     "description": field.description or "", "common": name in base,
                     "measure": extra.get("measure", ""), "bound": extra.get("bound", ""),
                     "cues": dict(extra.get("cues") or {})})
    return {"name": cls.name, "category": cls.category, "modality": cls.modality, "cost": cls.cost,
            "stats_keys": list(cls.stats_keys), "description": cls.description,
            "example": cls.example, "requests": list(cls.requests), "arguments": args}


@ops_app.command("list")
@friendly_errors
def ops_list(
    category: Optional[str] = typer.Option(None, "--category", "-c", help="mapper, filter, deduplicator, selector, grouper."),
    modality: Optional[str] = typer.Option(None, "--modality", "-m", help="text, image, multimodal, audio, video, any."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the registered operators."""
    import json

    from sandbox_engine.errors import JuiceboxError, did_you_mean
    from sandbox_engine.ops.base import CATEGORIES, MODALITIES, load_builtin_ops

    for value, allowed, what in ((category, CATEGORIES, "category"), (modality, MODALITIES, "modality")):
        if value is not None and value not in allowed:
            raise JuiceboxError(f"--{what} {value!r} is not one of {', '.join(allowed)}."
                                f"{did_you_mean(value, allowed)}")
    registry = load_builtin_ops()
    classes = [registry[n] for n in sorted(registry)
               if (category is None or registry[n].category == category)
               and (modality is None or registry[n].modality == modality)]
    if json_out:
        typer.echo(json.dumps([{"name": c.name, "category": c.category, "modality": c.modality,
                                "cost": c.cost, "stats_keys": list(c.stats_keys)} for c in classes], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(classes)} operators")
    for col in ("name", "category", "modality", "cost", "stats"):
        table.add_column(col, no_wrap=col == "name")
    for c in classes:
        table.add_row(c.name, c.category, c.modality, c.cost, ", ".join(c.stats_keys))
    Console().print(table)


@ops_app.command("show")
@friendly_errors
def ops_show(
    name: str = typer.Argument(..., help="Operator name, e.g. text_length_filter."),
    all_args: bool = typer.Option(False, "--all", help="Also list the arguments every op takes."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show an operator's arguments (types, defaults, descriptions), stats keys, description,
    example and cost."""
    import json

    from sandbox_engine.ops.base import get_op_class

    info = op_info(get_op_class(name))
    if json_out:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{info['name']}[/]  ({info['category']}, {info['modality']}, cost: {info['cost']})")
    console.print(info["description"], highlight=False)
    if info["stats_keys"]:
        console.print(f"stats keys: {', '.join(info['stats_keys'])}", highlight=False)
    table = Table(title="arguments")
    for col in ("argument", "type", "default", "measure", "bound", "description"):
        table.add_column(col, overflow="fold")
    common = []
    for a in info["arguments"]:
        if a["common"] and not all_args:
            common.append(a["name"])
            continue
        description = a["description"]
        if a["cues"]:
            description += " Cues: " + "; ".join(f"{v}: {', '.join(p)}" for v, p in a["cues"].items())
        table.add_row(a["name"], a["type"], a["default"], a["measure"], a["bound"], description)
    console.print(table)
    if common:
        console.print(f"common arguments (--all to list): {', '.join(common)}", highlight=False)
    if info["example"]:
        console.print("example:", highlight=False)
        console.print(f"  - {info['example']}", highlight=False, markup=False)
    if info["requests"]:
        console.print("example requests:", highlight=False)
        for r in info["requests"]:
            console.print(f"  - {r}", highlight=False, markup=False)
