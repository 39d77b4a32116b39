"""Numbers in recipes, read the way Data-Juicer reads them.

YAML 1.1 (PyYAML) reads `2e5` as a string and so does any quoted number; Data-Juicer's jsonargparse
turns them into the argument's type. `RecipeLoader` reads unquoted `2e5` / `1e-3` as floats, and
`coerce_numbers` turns number strings ('2e5', '1_000', '0.5') into numbers for arguments typed int or
float (an int argument given a whole float such as 2e5 gets the int, and an integer bound given a
fraction gets the integer bound keeping the same samples).
"""
from __future__ import annotations

import re
import types
import typing
from typing import Any

import yaml

_FLOAT_NO_DOT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
_NUMBER = re.compile(r"^\s*[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?\s*$")


class RecipeLoader(yaml.SafeLoader):
    """SafeLoader that also reads exponent numbers without a dot (`2e5`) as floats (YAML 1.2)."""


RecipeLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_NO_DOT, list("-+0123456789."))


def _number_kinds(annotation: Any) -> set[type]:
    """The number types (int, float) an annotation accepts, and str if it accepts strings."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _number_kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: set[type] = set()
        for a in typing.get_args(annotation):
            out |= _number_kinds(a)
        return out
    if annotation is bool:
        return {bool}
    if annotation in (int, float, str):
        return {annotation}
    return set()


def parse_number(text: str, want_int: bool) -> int | float | None:
    """'2e5' -> 200000 (int when `want_int` and whole), '1_000' -> 1000, '0.5' -> 0.5; else None."""
    if not isinstance(text, str) or not _NUMBER.match(text):
        return None
    clean = text.strip().replace("_", "")
    try:
        value: int | float = int(clean)
    except ValueError:
        value = float(clean)
    if want_int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def coerce_numbers(fields: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """A copy of `args` with number strings and whole floats turned into the field's number type.
    `fields` is a pydantic model's `model_fields`. Strings stay strings where the field takes strings."""
    out = dict(args)
    for key, value in args.items():
        field = fields.get(key)
        if field is None or isinstance(value, bool):
            continue
        kinds = _number_kinds(field.annotation)
        if not kinds & {int, float}:
            continue
        if isinstance(value, str) and str not in kinds:
            number = parse_number(value, want_int=int in kinds and float not in kinds)
            if number is not None:
                out[key] = number
        elif isinstance(value, float) and int in kinds and float not in kinds:
            out[key] = int(value) if value.is_integer() else _int_bound(key, value, args)
    return out


def _int_bound(name: str, value: float, args: dict[str, Any]) -> int | float:
    """A fractional bound for an integer stat (Data-Juicer's published llava recipe has
    `max_width: 748.4115`; upstream compares the int stat with the float): the integer bound that
    keeps exactly the same integers, given the closedness flags (flipped by reversed_range). Other
    fractional values are left for validation to refuse."""
    import math

    side = "min" if name.startswith("min_") else "max" if name.startswith("max_") else None
    if side is None:
        return value
    closed = bool(args.get(f"{side}_closed_interval", True)) != bool(args.get("reversed_range", False))
    if side == "min":  # v >= 2.5 <=> v >= 3;  v > 2.5 <=> v > 2
        return math.ceil(value) if closed else math.floor(value)
    return math.floor(value) if closed else math.ceil(value)  # v <= 2.5 <=> v <= 2; v < 2.5 <=> v < 3
