"""Holding a small model to what the goal says. Models of 0.5B parameters list every candidate and
fill every argument with its default or an invented value; the prompt's rules ("one step per need",
"only the arguments the goal states") are enforced here on the reply:
- no more steps than the needs the model itself quoted from the goal, and no operator twice;
- an argument stays only when its value is grounded in the goal: a number the goal states (digits,
  "2,000", "2k", "30%", or what the quantity reader finds), a string the goal contains, a language
  code whose language the goal names, a flag whose name's words the goal all mentions.
"""
from __future__ import annotations

import re
from typing import Any

_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b|K\b|%|percent)?")


def numbers_in(text: str) -> set[float]:
    """Every number the text states, with percentages also as ratios."""
    nums: set[float] = set()
    for m in _NUM.finditer(text):
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        suffix = (m.group(2) or "").lower()
        nums.add(value * 1000 if suffix == "k" else value)
        if suffix in ("%", "percent"):
            nums.add(value / 100)
    try:
        from agent.planner.quantities import read_quantities

        for q in read_quantities(text):
            for v in q.values:
                if isinstance(v, (int, float)) and v:  # a zero must be written as a digit
                    nums.update({float(v), float(v) * 100} if q.percent else {float(v)})
    except Exception:  # noqa: BLE001 - the reader is a help; digits were read above
        pass
    return nums


_LANGS = {"en": ("english", "英文", "英语"), "zh": ("chinese", "中文", "汉语"), "fr": ("french", "法语"),
          "de": ("german", "德语"), "es": ("spanish", "西班牙"), "ja": ("japanese", "日语"),
          "ru": ("russian", "俄语"), "it": ("italian", "意大利"), "pt": ("portuguese", "葡萄牙"),
          "ko": ("korean", "韩语"), "ar": ("arabic", "阿拉伯")}


def _grounded(arg: str, value: Any, text: str, nums: set[float]) -> bool:
    if isinstance(value, bool):
        words = [w for w in arg.split("_") if len(w) > 3]
        return bool(words) and all(w in text for w in words)
    if isinstance(value, str) and arg in ("lang", "language", "langs"):
        return bool(re.search(rf"\b{re.escape(value)}\b", text)) or any(n in text for n in _LANGS.get(value, ()))
    if isinstance(value, (int, float)):
        return any(abs(float(value) - n) <= 1e-9 * max(1.0, abs(n)) for n in nums)
    if isinstance(value, str):
        return bool(value.strip()) and value.lower() in text
    if isinstance(value, list):
        return bool(value) and all(_grounded(arg, v, text, nums) for v in value)
    return False


def ground(process: list, needs: list | None, goal: str) -> list:
    """The steps the goal asks for, each with only the arguments the goal states."""
    text = goal.lower()
    nums = numbers_in(goal)
    steps: list = []
    seen: set[str] = set()
    for step in process:
        if not isinstance(step, dict) or len(step) != 1:
            steps.append(step)  # validation says what is wrong with it
            continue
        (op, args), = step.items()
        if op in seen:
            continue
        seen.add(op)
        args = args if isinstance(args, dict) else {}
        steps.append({op: {k: v for k, v in args.items() if _grounded(k, v, text, nums)}})
    if needs:
        steps = steps[:max(len(needs), 1)]
    return steps
