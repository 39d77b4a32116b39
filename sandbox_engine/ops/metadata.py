"""What an operator tells a metadata-driven planner about itself.

Each user-facing argument of an op's `Args` model carries `json_schema_extra`:
  - ``measure``: what it measures (a unit such as characters or perplexity, or a role such as
    language, field or flag; `MEASURES`),
  - ``bound``: ``"min"`` / ``"max"`` when it is the lower / upper bound of what is kept,
  - ``of``: ``"removed"`` on a mapper's min_X/max_X pair that bounds what the mapper removes (a table's
    columns), so that 'strip tables with three or more columns' is min_col = 3,
  - ``cues``: for flag and choice arguments, {value: [phrases in English and Chinese that select it]}.
Each operator class carries `requests`: example user requests, in English and Chinese, that this op
alone answers; and may carry `situations`: symptoms in the data or purposes that call for it without naming
it, which the planner reads only for a part of a goal that names no operation. `metadata_problems` lists what an op lacks; the test suite runs it on every op.
"""
from __future__ import annotations

import re
import types
import typing
from typing import Any, Literal

NUMERIC_MEASURES = ("characters", "words", "tokens", "lines", "ratio", "pixels", "bytes", "perplexity",
                    "score", "probability", "similarity", "count", "seconds", "frames", "fps", "hertz",
                    "decibels", "aspect_ratio", "percentile", "hamming_distance", "bits", "number")
ROLE_MEASURES = ("language", "field", "values", "text", "pattern", "chars", "choice", "flag", "path", "region")
MEASURES = NUMERIC_MEASURES + ROLE_MEASURES
BOUNDS = ("min", "max")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def case_cues() -> dict[str, list[str]]:
    """The cues of every `lowercase` flag (text compared case-insensitively), one list for all the ops that take it."""
    return {"true": ["ignore case", "case-insensitive", "忽略大小写", "不分大小写", "不区分大小写",
                     "upper and lower case as the same", "regardless of case", "ignoring capitalisation",
                     "ignoring capitalization", "apart from capitalisation", "apart from capitalization",
                     "differ only in case", "大小写不同", "大小写不一样", "只是大小写", "不管大小写", "无视大小写", "大小写无所谓",
                     "大小写都算"],
            "false": ["case-sensitive", "区分大小写", "大小写不同的不算", "大小写不一样的不算", "大小写不同就不算"]}


def base_fields(args_model: type) -> set[str]:
    """Names of the arguments every op (or every filter) takes, from base.py's models."""
    from sandbox_engine.ops.base import FilterArgs, OpArgs

    base = FilterArgs if issubclass(args_model, FilterArgs) else OpArgs
    return set(base.model_fields)


def arg_meta(field: Any) -> dict[str, Any]:
    """The planner metadata of one pydantic field: {"measure", "bound", "of", "cues"} (those present)."""
    extra = field.json_schema_extra
    if not isinstance(extra, dict):
        return {}
    return {k: extra[k] for k in ("measure", "bound", "of", "cues") if k in extra}


def _leaf_types(annotation: Any) -> list[Any]:
    """The types inside an annotation: Optional/Union members and list/tuple items, unwrapped."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, set, typing.Annotated):
        out = []
        for a in typing.get_args(annotation):
            out.extend(_leaf_types(a) if a is not Ellipsis else [])
        return out
    return [annotation]


def is_numeric(annotation: Any) -> bool:
    """True when the argument can hold a number (int or float, also inside Optional/Union/list)."""
    return any(t in (int, float) for t in _leaf_types(annotation))


def is_literal(annotation: Any) -> tuple[Any, ...]:
    """The allowed values of a Literal annotation (also inside Optional), else ()."""
    for t in _leaf_types(annotation):
        if typing.get_origin(t) is Literal:
            return typing.get_args(t)
    return ()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def metadata_problems(cls: Any) -> list[str]:
    """What an operator class lacks for the planner, one line per problem (empty: complete).

    Checks: every numeric non-base argument has a numeric measure; every measure, bound and cue is
    well-formed; a filter's min_X/max_X argument pairs carry bound min/max; cue keys of bool arguments are
    "true"/"false" and those of Literal arguments are among its values (other choice arguments are
    checked by building the op, see tests/ops/test_op_metadata.py); the class has at least 3 English
    and 3 Chinese requests.
    """
    problems: list[str] = []
    name = getattr(cls, "name", cls.__name__)
    base = base_fields(cls.Args)
    for arg, field in cls.Args.model_fields.items():
        meta = arg_meta(field)
        where = f"{name}.{arg}"
        if arg in base:
            continue
        measure = meta.get("measure")
        if measure is not None and measure not in MEASURES:
            problems.append(f"{where}: measure {measure!r} is not one of {', '.join(MEASURES)}")
        if is_numeric(field.annotation) and measure not in NUMERIC_MEASURES:
            problems.append(f"{where}: a numeric argument needs a numeric measure, has {measure!r}")
        bound = meta.get("bound")
        if bound is not None and bound not in BOUNDS:
            problems.append(f"{where}: bound {bound!r} is not 'min' or 'max'")
        if meta.get("of") not in (None, "removed") or (meta.get("of") and (bound or not re.match(r"(?:min|max)_", arg))):
            problems.append(f"{where}: of {meta.get('of')!r} belongs only to an unbounded min_/max_ argument, as 'removed'")
        if getattr(cls, "category", "") == "filter" and is_numeric(field.annotation):
            for side, other in (("min", "max"), ("max", "min")):
                paired = arg.startswith(side + "_") and f"{other}_{arg[len(side) + 1:]}" in cls.Args.model_fields
                if paired and bound != side:
                    problems.append(f"{where}: a filter's {side}_* argument needs bound {side!r}, has {bound!r}")
        cues = meta.get("cues")
        if cues is not None:
            if measure not in ("flag", "choice"):
                problems.append(f"{where}: cues belong to flag or choice arguments, measure is {measure!r}")
            if not isinstance(cues, dict) or not all(
                    isinstance(k, str) and isinstance(v, list) and v and all(isinstance(p, str) and p for p in v)
                    for k, v in cues.items()):
                problems.append(f"{where}: cues must map value strings to non-empty lists of phrases")
            elif measure == "flag" and not set(cues) <= {"true", "false"}:
                problems.append(f"{where}: flag cues keys must be 'true'/'false', got {sorted(cues)}")
            elif is_literal(field.annotation) and not set(cues) <= {str(v) for v in is_literal(field.annotation)}:
                problems.append(f"{where}: cue keys {sorted(cues)} are not all among "
                                f"{list(is_literal(field.annotation))}")
    reversed_meta = arg_meta(cls.Args.model_fields["reversed_range"]) if "reversed_range" in cls.Args.model_fields else None
    if reversed_meta is not None and reversed_meta.get("measure") != "flag":
        problems.append(f"{name}.reversed_range: measure must be 'flag'")
    requests = list(getattr(cls, "requests", ()) or ())
    zh = [r for r in requests if has_cjk(r)]
    en = [r for r in requests if not has_cjk(r)]
    if len(zh) < 3 or len(en) < 3:
        problems.append(f"{name}: needs >= 3 English and >= 3 Chinese example requests, has "
                        f"{len(en)} English and {len(zh)} Chinese")
    if len(set(requests)) != len(requests):
        problems.append(f"{name}: duplicate example requests")
    situations = list(getattr(cls, "situations", ()) or ())
    if not all(isinstance(s, str) and s.strip() for s in situations):
        problems.append(f"{name}: situations must be non-empty strings")
    elif situations and (sum(map(has_cjk, situations)) < 1 or sum(not has_cjk(s) for s in situations) < 1):
        problems.append(f"{name}: situations need at least one English and one Chinese example")
    needs = getattr(cls, "needs", "") or ""
    try:
        if needs and not any(re.search(needs, r, re.I) for r in requests):
            problems.append(f"{name}: needs {needs!r} matches none of its example requests")
    except re.error as e:
        problems.append(f"{name}: needs is no regular expression ({e})")
    if set(situations) & set(requests):
        problems.append(f"{name}: a situation repeats an example request (requests ask, situations describe)")
    return problems


def cue_value(key: str, annotation: Any) -> Any:
    """A cue key as the argument value it stands for ("true" -> True for bool arguments)."""
    if bool in _leaf_types(annotation) and key in ("true", "false"):
        return key == "true"
    return key
