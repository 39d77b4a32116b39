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
    if isinstance(value, dict):  # an ffmpeg filter's options: {"tempo": 1.25} when the goal says tempo=1.25
        return bool(value) and all(str(k).lower() in text and _grounded(str(k), v, text, nums) for k, v in value.items())
    return False


_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


def _units(text: str) -> set[str]:
    """Words of three letters or more and digits; for Chinese, character pairs."""
    toks = _WORD.findall(text.lower())
    units = {t for t in toks if len(t) >= 3 or t.isdigit()}
    cjk = [t for t in toks if len(t) == 1 and not t.isascii()]
    units.update(a + b for a, b in zip(cjk, cjk[1:]))
    return units


def goal_needs(needs: Any, goal: str, most: int) -> list[str]:
    """The needs a model listed that the goal does say (at least half of a need's words are the goal's),
    without repeats: a 0.5B model pads the list with the prompt's own words or with copies."""
    have = _units(goal)
    out: list[str] = []
    for need in needs if isinstance(needs, list) else []:
        if not isinstance(need, str) or not need.strip():
            continue
        units = _units(need)
        if units and len(units & have) * 2 >= len(units) and need.strip().lower() not in map(str.lower, out):
            out.append(need.strip())
    return out[:most] or [goal.strip()[:90]]


def _sides(goal: str) -> list[tuple[float, str]]:
    """(number, 'min'/'max') for each single bound the goal states, placed by the built-in planner's
    polarity table from the comparator and the verb governing it ('drop texts under 20' -> 20 is a min)."""
    try:
        from agent.planner.binding import place_bound
        from agent.planner.clauses import verb_at
        from agent.planner.quantities import normalize, read_quantities
    except ImportError:  # pragma: no cover - the planner ships with the agent
        return []
    text = normalize(goal)
    out = []
    for q in read_quantities(text):
        if q.cmp in ("ge", "le") and isinstance(q.value, (int, float)) and not q.negated:
            side = place_bound(verb_at(text, q.start, None), q.cmp)
            if side in ("min", "max"):
                out.extend((float(v), side) for v in {q.value, q.value * 100 if q.percent else q.value})
    return out


def sided(args: dict[str, Any], goal: str, sides: list[tuple[float, str]] | None = None) -> dict[str, Any]:
    """A stated number on the side of the range the goal means: 'remove texts under 20 characters'
    written as max_len=20, or as min_len=20 and max_len=20, becomes min_len=20. Numbers the goal states
    as a range, or whose side it does not make clear, stay where the model put them."""
    sides = _sides(goal) if sides is None else sides
    out = dict(args)
    stems = {k[4:] for k in args if k.startswith(("min_", "max_"))}
    for stem in stems:
        lo, hi = f"min_{stem}", f"max_{stem}"
        placed: dict[str, Any] = {}
        for key in (lo, hi):
            value = args.get(key)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            side = {sd for n, sd in sides if abs(n - float(value)) <= 1e-9 * max(1.0, abs(n))}
            target = f"{side.pop()}_{stem}" if len(side) == 1 else key
            if target not in placed:
                placed[target] = value
        if placed and (set(placed) - {lo, hi}) == set():
            for key in (lo, hi):
                out.pop(key, None)
            out.update(placed)
    return out


def ground(process: list, needs: list | None, goal: str) -> list:
    """The steps the goal asks for, each with only the arguments the goal states, its bounds on the
    side the goal means."""
    text = goal.lower()
    nums = numbers_in(goal)
    sides = _sides(goal)
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
        steps.append({op: sided({k: v for k, v in args.items() if _grounded(k, v, text, nums)}, goal, sides)})
    if needs:
        steps = steps[:max(len(needs), 1)]
    return steps
