"""Small plots drawn with unicode blocks, for the terminal (the PNGs are in the report)."""
from __future__ import annotations

import math

_EIGHTHS = " ▏▎▍▌▋▊▉█"


def _bar(value: float, top: float, width: int) -> str:
    if top <= 0 or not math.isfinite(value) or value <= 0:
        return ""
    cells = value / top * width
    full = int(cells)
    rest = _EIGHTHS[int((cells - full) * 8)] if full < width else ""
    return ("█" * full + rest).rstrip()


def bar_chart(items: list[tuple[str, float]], title: str = "", width: int = 30, fmt: str = "{:g}") -> str:
    """One horizontal bar per (label, value)."""
    if not items:
        return ""
    top = max((v for _, v in items if math.isfinite(v)), default=0.0)
    pad = max(len(label) for label, _ in items)
    lines = [title] if title else []
    for label, v in items:
        lines.append(f"  {label.ljust(pad)} │{_bar(v, top, width).ljust(width)} {fmt.format(v)}")
    return "\n".join(lines)


def perplexity_chart(runs: list[dict], width: int = 30) -> str:
    """Held-out perplexity per iteration and arm (mean ± std over seeds)."""
    rows: list[tuple[str, float, float]] = []
    for r in runs:
        exp = r.get("experiment") or {}
        for arm, short in (("refined", "refined"), ("random_equal_size", "random"), ("full_data", "full")):
            if exp.get(arm):
                rows.append((f"it{r.get('iteration', 0) + 1} {short}", exp[arm]["mean"], exp[arm]["std"]))
    if not rows:
        return ""
    top = max(m + s for _, m, s in rows)
    pad = max(len(lb) for lb, _, _ in rows)
    lines = ["held-out perplexity of the proxy LM (lower is better; mean ± std over seeds)"]
    for label, m, s in rows:
        lines.append(f"  {label.ljust(pad)} │{_bar(m, top, width).ljust(width)} {m:.1f} ± {s:.1f}")
    return "\n".join(lines)
