"""`juicebox analyze RECIPE.yaml`: every filter's stats, summarised and plotted, nothing filtered."""
from __future__ import annotations

from typing import Optional

import typer

from agent.cli import app, friendly_errors


@app.command("analyze")
@friendly_errors
def analyze_cmd(
    recipe: str = typer.Argument(..., help="A Data-Juicer recipe YAML."),
    work_dir: Optional[str] = typer.Option(None, "--work-dir", help="Where analysis/ goes (default: "
                                           "the recipe's work_dir or its export folder)."),
    no_plots: bool = typer.Option(False, "--no-plots", help="Skip the PNG plots."),
    no_export: bool = typer.Option(False, "--no-export", help="Do not write the samples with stats."),
) -> None:
    """Compute the stats of every filter in RECIPE without filtering; write analysis/overall.csv,
    overall.md, histograms, box plots and correlation heatmaps."""
    from rich.console import Console
    from rich.table import Table

    from sandbox_engine.analyzer import analyze

    result = analyze(recipe, work_dir=work_dir, export=not no_export, plots=not no_plots)
    console = Console()
    overall = result.overall
    table = Table(title=f"Stats of {result.num_samples} samples")
    table.add_column("stat", no_wrap=True)
    for idx in overall.index:
        table.add_column(str(idx), justify="right")
    for col in overall.columns:
        cells = []
        for idx in overall.index:
            v = overall.at[idx, col]
            cells.append(f"{v:.4g}" if isinstance(v, float) else str(v))
        table.add_row(col, *cells)
    console.print(table)
    console.print(f"overall table: {result.paths.get('overall_csv')}")
    if "export" in result.paths:
        console.print(f"samples with stats: {result.paths['export']}")
