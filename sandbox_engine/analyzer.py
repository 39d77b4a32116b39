"""The analyzer: every filter's stats over a data set, without filtering, summarised and plotted.

Writes, under ``<work_dir>/analysis/``: ``overall.csv`` and ``overall.md`` (count, mean, std, min,
quartiles, configured percentiles, max per stat, in Data-Juicer's orientation: one column per stat),
a histogram and a box plot PNG per numeric stat, and pearson / spearman / kendall correlation matrices
(CSV and heatmap PNG). The samples with their stats are exported too, as Data-Juicer's analyzer does,
because data pools and k-sigma refinement start from them.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from sandbox_engine.apply import run_ops_on_batch
from sandbox_engine.fields import STATS
from sandbox_engine.ops.base import Batch, Filter, Operator, batch_len

DEFAULT_PERCENTILES = (0.25, 0.5, 0.75)
CORR_METHODS = ("pearson", "spearman", "kendall")
KENDALL_MAX_ROWS = 20_000  # kendall is quadratic in pandas: sample beyond this


@dataclass
class AnalysisResult:
    """What an analysis produced. `overall` has describe rows as index and one column per stat."""

    overall: Any  # pandas.DataFrame
    stats: Any  # pandas.DataFrame: one row per sample, one column per stat (list stats: their mean)
    correlations: dict[str, Any] = field(default_factory=dict)  # method -> DataFrame
    paths: dict[str, str] = field(default_factory=dict)
    num_samples: int = 0
    stat_to_op: dict[str, str] = field(default_factory=dict)

    def mean_std(self) -> dict[str, tuple[float, float]]:
        """(mean, std) per numeric stat: what k-sigma refinement needs."""
        out = {}
        for col in self.overall.columns:
            try:
                m, s = float(self.overall.at["mean", col]), float(self.overall.at["std", col])
            except (KeyError, TypeError, ValueError):
                continue
            if not (math.isnan(m) or math.isnan(s)):
                out[col] = (m, s)
        return out


def stats_filters(ops: list[Operator]) -> list[Filter]:
    return [op for op in ops if isinstance(op, Filter)]


def iter_stats_batches(batches: Iterable[Batch], ops: list[Operator]) -> Iterator[Batch]:
    """Each batch with its filters' stats computed (nothing mapped, nothing dropped)."""
    filters = stats_filters(ops)
    for b in batches:
        yield run_ops_on_batch(filters, b, batch_size=max(batch_len(b), 1), stats_only=True)


def _stat_rows(stats_col: list[dict]) -> tuple[list[dict], list[dict]]:
    """Split per-sample stats into a row for correlation (scalars; list -> mean) and the values
    for describe (lists exploded)."""
    scalar_rows, exploded = [], []
    for s in stats_col:
        row, exp = {}, {}
        for k, v in (s or {}).items():
            if isinstance(v, (list, tuple)):
                nums = [x for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
                row[k] = sum(nums) / len(nums) if nums else None
                exp[k] = list(v)
            elif isinstance(v, bool):
                row[k] = float(v)
                exp[k] = [v]
            else:
                row[k] = v
                exp[k] = [v]
        scalar_rows.append(row)
        exploded.append(exp)
    return scalar_rows, exploded


def describe(values: dict[str, list], percentiles: Iterable[float] = ()) -> Any:
    """Data-Juicer's overall table: describe() per stat with the quartiles plus `percentiles`."""
    import pandas as pd

    pcts = sorted({*DEFAULT_PERCENTILES, *(float(p) for p in percentiles)})
    cols = {}
    for name, vals in values.items():
        s = pd.Series(vals, name=name)
        if s.dtype == object:
            num = pd.to_numeric(s, errors="coerce")
            s = num if num.notna().sum() == s.notna().sum() else s
        cols[name] = s.describe(percentiles=pcts)
    if not cols:
        return pd.DataFrame()
    return pd.DataFrame(cols)


def summarise(stats_cols: list[dict], percentiles: Iterable[float] = ()) -> tuple[Any, Any, dict]:
    """(overall table, per-sample stats frame, every value per stat with lists exploded) from a list
    of `__dj__stats__` dicts."""
    import pandas as pd

    scalar_rows, exploded = _stat_rows(stats_cols)
    values: dict[str, list] = {}
    for exp in exploded:
        for k, vs in exp.items():
            values.setdefault(k, []).extend(vs)
    frame = pd.DataFrame(scalar_rows)
    return describe(values, percentiles), frame, values


def correlations(frame: Any, seed: int = 42) -> dict[str, Any]:
    import pandas as pd

    num = frame.apply(pd.to_numeric, errors="coerce").select_dtypes("number")
    num = num.loc[:, num.notna().any()]
    out = {}
    if num.shape[1] < 2:
        return out
    for method in CORR_METHODS:
        data = num
        if method == "kendall" and len(num) > KENDALL_MAX_ROWS:
            data = num.sample(KENDALL_MAX_ROWS, random_state=seed)
        out[method] = data.corr(method=method)
    return out


def plot_stat(values: list, name: str, out_dir: str) -> list[str]:
    """A histogram and a box plot of one numeric stat."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nums = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(float(v))]
    if not nums:
        return []
    paths = []
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.hist(nums, bins=min(50, max(5, int(math.sqrt(len(nums))))), color="#3b7dd8", edgecolor="white")
    ax.set_title(f"{name} (n={len(nums)})")
    ax.set_xlabel(name)
    ax.set_ylabel("samples")
    fig.tight_layout()
    p = os.path.join(out_dir, f"{name}-hist.png")
    fig.savefig(p, dpi=80)
    plt.close(fig)
    paths.append(p)
    fig, ax = plt.subplots(figsize=(6, 2.5))
    ax.boxplot(nums, orientation="horizontal", showfliers=True)
    ax.set_title(name)
    ax.set_yticks([])
    fig.tight_layout()
    p = os.path.join(out_dir, f"{name}-box.png")
    fig.savefig(p, dpi=80)
    plt.close(fig)
    paths.append(p)
    return paths


def plot_heatmap(corr: Any, method: str, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(corr.columns)
    fig, ax = plt.subplots(figsize=(2 + 0.7 * n, 1.5 + 0.6 * n))
    im = ax.imshow(corr.values, vmin=-1, vmax=1, cmap="coolwarm")
    ax.set_xticks(range(n), corr.columns, rotation=45, ha="right")
    ax.set_yticks(range(n), corr.columns)
    for i in range(n):
        for j in range(n):
            v = corr.values[i, j]
            if not math.isnan(v):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7)
    ax.set_title(f"{method} correlation of stats")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    p = os.path.join(out_dir, f"{method}-corr.png")
    fig.savefig(p, dpi=80)
    plt.close(fig)
    return p


def write_outputs(result: AnalysisResult, values: dict[str, list], out_dir: str,
                  plots: bool = True) -> None:
    from sandbox_engine.atomic import write_text as atomic_write_text

    os.makedirs(out_dir, exist_ok=True)
    overall = result.overall
    p_csv = os.path.join(out_dir, "overall.csv")
    atomic_write_text(p_csv, overall.to_csv())
    p_md = os.path.join(out_dir, "overall.md")
    atomic_write_text(p_md, overall_markdown(result))
    result.paths.update(overall_csv=p_csv, overall_md=p_md)
    for method, corr in result.correlations.items():
        p = os.path.join(out_dir, f"{method}_corr.csv")
        atomic_write_text(p, corr.to_csv())
        result.paths[f"{method}_corr_csv"] = p
    if plots:
        for name, vals in values.items():
            for p in plot_stat(vals, name, out_dir):
                result.paths[os.path.basename(p)[:-4]] = p
        for method, corr in result.correlations.items():
            result.paths[f"{method}_corr_png"] = plot_heatmap(corr, method, out_dir)


def overall_markdown(result: AnalysisResult) -> str:
    overall = result.overall
    lines = [f"# Analysis of {result.num_samples} samples", ""]
    if overall.empty:
        return "\n".join(lines + ["No stats: the recipe has no filters that compute stats.", ""])
    stats = list(overall.columns)
    lines.append("| stat | op | " + " | ".join(str(i) for i in overall.index) + " |")
    lines.append("|---|---|" + "---|" * len(overall.index))
    for col in stats:
        cells = []
        for idx in overall.index:
            v = overall.at[idx, col]
            if isinstance(v, float):
                cells.append("" if math.isnan(v) else f"{v:.4g}")
            else:
                cells.append(str(v))
        lines.append(f"| {col} | {result.stat_to_op.get(col, '')} | " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def analyze_batches(batches: Iterable[Batch], ops: list[Operator], work_dir: str,
                    percentiles: Iterable[float] = (), plots: bool = True,
                    sink: Any = None) -> AnalysisResult:
    """Compute stats batch by batch (only the stats are kept in memory), summarise, write outputs.
    `sink`, if given, receives each batch with its stats (e.g. a writer exporting the samples)."""
    stats_cols: list[dict] = []
    for b in iter_stats_batches(batches, ops):
        stats_cols.extend(b.get(STATS) or [{}] * batch_len(b))
        if sink is not None:
            sink.write(b)
    overall, frame, values = summarise(stats_cols, percentiles)
    stat_to_op = {k: op.name for op in stats_filters(ops) for k in op.stats_keys}
    result = AnalysisResult(overall=overall, stats=frame, correlations=correlations(frame),
                            num_samples=len(stats_cols), stat_to_op=stat_to_op)
    write_outputs(result, values, os.path.join(work_dir, "analysis"), plots=plots)
    return result


def analyze_samples(samples: list[dict], process: list[dict], work_dir: str,
                    percentiles: Iterable[float] = (), plots: bool = True) -> AnalysisResult:
    """Analyze in-memory samples with a recipe's process list."""
    from sandbox_engine.batches import rows_to_batch
    from sandbox_engine.recipe_process import build_ops

    ops = build_ops(process)
    return analyze_batches([rows_to_batch([dict(s) for s in samples])], ops, work_dir, percentiles,
                           plots)


def analyze(recipe: Any, work_dir: str | None = None, export: bool = True, plots: bool = True,
            progress: bool = True) -> AnalysisResult:
    """Analyze the data set of a recipe (a Recipe, a dict or a YAML path) with all its filters.

    The samples with their stats go to the recipe's `export_path` (as Data-Juicer's analyzer does) or,
    without one, to ``<work_dir>/analysis/analyzed.jsonl``."""
    from sandbox_engine.dataset import DataSource
    from sandbox_engine.formats.writers import BatchWriter
    from sandbox_engine.recipe import Recipe, load_recipe, recipe_from_dict

    if isinstance(recipe, Recipe):
        rec = recipe
    elif isinstance(recipe, dict):
        rec = recipe_from_dict(recipe)
    else:
        rec = load_recipe(recipe)
    ops = rec.build_ops()
    if work_dir is None:
        work_dir = str(rec.work_path()) if (rec.work_dir or rec.export_path) else "."
    os.makedirs(work_dir, exist_ok=True)
    export_path = str(rec.export_file()) if rec.export_path else os.path.join(
        work_dir, "analysis", "analyzed.jsonl")
    source = DataSource(rec.dataset_spec(), base_dir=rec.base_dir)
    batches: Iterable[Batch] = source.batches(1000)
    if progress:
        batches = _with_progress(batches, source.count(), "analyze")
    writer = BatchWriter(export_path) if export else None
    try:
        result = analyze_batches(batches, ops, work_dir, rec.percentiles or (), plots, sink=writer)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if writer is not None:
        writer.commit()
        result.paths["export"] = export_path
    return result


def _with_progress(batches: Iterable[Batch], total: int | None, label: str) -> Iterator[Batch]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=False) as prog:
        task = prog.add_task(label, total=total)
        for b in batches:
            yield b
            prog.advance(task, batch_len(b))
