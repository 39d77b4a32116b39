"""Charts for the web chat as inline SVG strings, drawn here on the server (no JavaScript library): a
horizontal bar chart (samples removed per op), a histogram (a stat's distribution) and the proxy's
held-out perplexity per iteration and arm (mean ± std over seeds, from `refine`)."""
from __future__ import annotations

import math
from html import escape
from typing import Any

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
BAR = "#4f7cac"
ARM_COLORS = {"refined": "#3a8d5c", "random": "#b0872f", "full": "#7a6fb0"}


def _num(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    return f"{v:.4g}" if abs(v) < 1e5 else f"{v:.3g}"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" {FONT}><title>{escape(title)}</title>'
            f'<text x="4" y="14" font-weight="bold">{escape(title)}</text>' + "".join(body) + "</svg>")


def bar_chart(items: list[tuple[str, float]], title: str, width: int = 560) -> str:
    """One horizontal bar per (label, value), the value written after the bar."""
    if not items:
        return ""
    label_w = min(max(len(lb) for lb, _ in items) * 7 + 12, 260)
    plot_w = width - label_w - 60
    row_h, top_pad = 22, 24
    top = max((v for _, v in items if math.isfinite(v)), default=0.0)
    body = []
    for i, (label, v) in enumerate(items):
        y = top_pad + i * row_h
        w = plot_w * v / top if top > 0 and math.isfinite(v) and v > 0 else 0
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                    f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{BAR}">'
                    f'<title>{escape(label)}: {_num(v)}</title></rect>'
                    f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{_num(v)}</text>')
    return _svg(width, top_pad + len(items) * row_h + 6, body, title)


def histogram(bins: list[dict[str, float]], title: str, width: int = 560, height: int = 180,
              marks: dict[str, float] | None = None) -> str:
    """Vertical bars over [low, high) bins ({low, high, count}), with the range written under the axis;
    `marks` (e.g. a filter's min_len / max_len) as dashed lines where they fall inside the range."""
    if not bins:
        return ""
    left, right, top_pad, bottom = 40, 10, 24, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max(b["count"] for b in bins) or 1
    bw = plot_w / len(bins)
    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" stroke="#888"/>',
            f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end">{_num(top)}</text>',
            f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>']
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / top
        x = left + i * bw
        body.append(f'<rect class="bar" x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" width="{max(bw - 2, 1):.1f}" '
                    f'height="{h:.1f}" fill="{BAR}"><title>{_num(b["low"])} to {_num(b["high"])}: '
                    f'{_num(b["count"])}</title></rect>')
    body.append(f'<text x="{left}" y="{height - 10}">{_num(bins[0]["low"])}</text>'
                f'<text x="{width - right}" y="{height - 10}" text-anchor="end">{_num(bins[-1]["high"])}</text>')
    lo, hi = bins[0]["low"], bins[-1]["high"]
    for name, v in (marks or {}).items():
        if hi > lo and lo <= v <= hi:
            x = left + plot_w * (v - lo) / (hi - lo)
            body.append(f'<line class="mark" x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" y2="{top_pad + plot_h}" '
                        f'stroke="#c0392b" stroke-dasharray="4 3"><title>{escape(name)} = {_num(v)}</title></line>'
                        f'<text x="{x + 3:.1f}" y="{top_pad + 10}" fill="#c0392b">{escape(name)}={_num(v)}</text>')
    return _svg(width, height, body, title)


def bins_of(values: list[float], n_bins: int = 20) -> list[dict[str, float]]:
    """Equal-width bins over the finite values (one bin when they are all equal)."""
    vals = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            vals.append(f)
    if not vals:
        return []
    lo, hi = min(vals), max(vals)
    if hi == lo:
        return [{"low": lo, "high": hi, "count": len(vals)}]
    step = (hi - lo) / n_bins
    counts = [0] * n_bins
    for v in vals:
        counts[min(int((v - lo) / step), n_bins - 1)] += 1
    return [{"low": lo + i * step, "high": lo + (i + 1) * step, "count": c} for i, c in enumerate(counts)]


def perplexity_chart(runs: list[dict[str, Any]], width: int = 560) -> str:
    """Grouped bars: per iteration, the held-out perplexity of the proxy trained on the refined data, a
    random subset of equal size and the full data, with ± std whiskers. Empty without experiments."""
    groups = []
    for r in runs:
        exp = r.get("experiment") or {}
        arms = [(short, exp[arm]["mean"], exp[arm].get("std") or 0.0)
                for arm, short in (("refined", "refined"), ("random_equal_size", "random"), ("full_data", "full"))
                if exp.get(arm) and math.isfinite(exp[arm].get("mean", math.nan))]
        if arms:
            groups.append((f"iteration {r.get('iteration', 0) + 1}", arms))
    if not groups:
        return ""
    title = "held-out perplexity of the proxy LM per iteration (lower is better; mean ± std)"
    left, top_pad, bottom, height = 40, 40, 34, 220
    plot_h = height - top_pad - bottom
    group_w = (width - left - 10) / len(groups)
    top = max(m + s for _, arms in groups for _, m, s in arms) or 1.0
    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" stroke="#888"/>',
            f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end">{_num(top)}</text>']
    for k, (short, color) in enumerate(ARM_COLORS.items()):
        body.append(f'<rect x="{4 + k * 90}" y="22" width="10" height="10" fill="{color}"/>'
                    f'<text x="{18 + k * 90}" y="31">{short}</text>')
    for g, (label, arms) in enumerate(groups):
        x0 = left + g * group_w
        bw = min((group_w - 16) / 3, 60)
        for k, (short, m, s) in enumerate(arms):
            x = x0 + 8 + k * bw
            h = plot_h * m / top
            y = top_pad + plot_h - h
            ys = [top_pad + plot_h - plot_h * (m + d) / top for d in (s, -s)]
            body.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bw - 3:.1f}" height="{h:.1f}" '
                        f'fill="{ARM_COLORS[short]}"><title>{escape(label)} {short}: {m:.2f} ± {s:.2f}</title></rect>'
                        f'<line x1="{x + (bw - 3) / 2:.1f}" x2="{x + (bw - 3) / 2:.1f}" y1="{ys[0]:.1f}" '
                        f'y2="{ys[1]:.1f}" stroke="#222"/>'
                        f'<text x="{x + (bw - 3) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10">'
                        f'{m:.1f}</text>')
        body.append(f'<text x="{x0 + group_w / 2:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>')
    return _svg(width, height, body, title)
