"""Measurable targets in a goal ("keep at least 70% of the data") and the check against metrics."""
from __future__ import annotations

import re
from typing import Any

_NUM = r"(\d+(?:\.\d+)?)\s*(?:%|percent)"
_DATA = r"(?:\s+of\s+(?:the\s+|my\s+)?(?:data(?:set)?|samples|rows|records|documents|corpus))"
_KEEP = re.compile(r"\b(?:keep(?:ing)?|retain(?:ing)?|preserv(?:e|ing))\s+(at least|at most|no more than|no less than|about|around"
                   r"|roughly|approximately|~|over|under|more than|less than)?\s*" + _NUM, re.I)
_DROP = re.compile(r"\b(?:remov(?:e|ing)|drop(?:ping)?|discard(?:ing)?|filter(?:ing)? out)\s+(at least|at most|no more than|no less than|about"
                   r"|around|roughly|approximately|~|over|under|more than|less than)?\s*" + _NUM + _DATA, re.I)
_LOWER = {"at least", "no less than", "over", "more than"}
_UPPER = {"at most", "no more than", "under", "less than"}


def parse_target(goal: str) -> dict[str, Any]:
    """{min_keep, max_keep} as fractions, for what the goal says about how much data survives."""
    m = _KEEP.search(goal or "")
    if m:
        return _bounds(m.group(1), float(m.group(2)) / 100, keep=True, text=m.group(0))
    m = _DROP.search(goal or "")
    if m:
        return _bounds(m.group(1), float(m.group(2)) / 100, keep=False, text=m.group(0))
    return {}


def _bounds(qual: str | None, frac: float, keep: bool, text: str) -> dict[str, Any]:
    qual = (qual or "").lower()
    if qual in _LOWER:
        lo, hi = frac, 1.0
    elif qual in _UPPER:
        lo, hi = 0.0, frac
    else:  # "keep 70%", "about 70%": within 5 points
        lo, hi = max(frac - 0.05, 0.0), min(frac + 0.05, 1.0)
    if not keep:  # removing a share bounds the kept share from the other side
        lo, hi = 1.0 - hi, 1.0 - lo
    return {"min_keep": round(lo, 4), "max_keep": round(hi, 4), "said": text.strip()}


def check_target(target: dict[str, Any], metrics: dict[str, Any], zh: bool = False) -> tuple[bool, str]:
    """Whether the run meets the target, and a sentence saying so (in Chinese when `zh`)."""
    kept = metrics.get("kept_ratio")
    if not target or kept is None:
        return True, ("目标里没有可衡量的指标；配方已按计划运行" if zh else
                      "no measurable target in the goal; the recipe ran as planned")
    lo, hi = target.get("min_keep", 0.0), target.get("max_keep", 1.0)
    said = target.get("said", "")
    where = (f"保留了 {kept:.1%} 的样本（目标 {lo:.0%}-{hi:.0%}，来自“{said}”）" if zh else
             f"kept {kept:.1%} of the samples (target {lo:.0%}-{hi:.0%}, from '{said}')")
    if kept < lo - 1e-9:
        return False, where + ("：保留得太少" if zh else ": too few kept")
    if kept > hi + 1e-9:
        return False, where + ("：保留得太多" if zh else ": too many kept")
    return True, where + ("：达到目标" if zh else ": target met")
