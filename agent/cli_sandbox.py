"""`juicebox sandbox CONFIG.yaml [--work-dir DIR]`: run a Data-Juicer sandbox config."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from agent.cli import app, friendly_errors


@app.command("sandbox")
@friendly_errors
def sandbox_cmd(
    config: Path = typer.Argument(..., help="Sandbox config YAML (Data-Juicer format), e.g. one of "
                                  "sandbox_engine/assets/sandbox_configs/*.yaml."),
    work_dir: Optional[str] = typer.Option(None, "--work-dir", help="Override the config's work_dir."),
    resume: Optional[bool] = typer.Option(None, "--resume/--no-resume", help="Skip finished pipelines."),
    sequential: bool = typer.Option(False, "--sequential", help="Run experiments in process, not as Ray tasks."),
) -> None:
    """Run a sandbox config: probe, refine, execute, evaluate; writes summary.json and report.md."""
    from rich.console import Console

    from sandbox_engine.sandbox.runner import run_sandbox

    overrides = {}
    if resume is not None:
        overrides["resume"] = resume
    if sequential:
        overrides["parallel"] = False
    summary = run_sandbox(str(config), work_dir=work_dir, **overrides)
    con = Console()
    con.print(f"[bold green]sandbox finished[/] in {summary['seconds']} s: "
              f"{summary['work_dir']}/summary.json, report.md")
    comp = summary.get("comparison")
    if comp:
        con.print(json.dumps({k: comp[k] for k in ("metric", "lower_is_better", "refined", "random_equal_size",
                                                    "full_data", "seeds") if k in comp}))
    if summary["failed_experiments"]:
        con.print(f"[yellow]{len(summary['failed_experiments'])} experiment(s) failed[/] (see summary.json)")
