"""The `process` list of a recipe: parse it and build operators, with errors that name the position."""
from __future__ import annotations

from typing import Any

from sandbox_engine.errors import JuiceboxError, RecipeError
from sandbox_engine.ops.base import Operator, get_op_class
from sandbox_engine.recipe_numbers import coerce_numbers


def parse_process(process: Any, where: str = "process") -> list[tuple[str, dict]]:
    """Data-Juicer's process list: single-key mappings ``{op_name: {args} | None}``."""
    if process is None:
        return []
    if not isinstance(process, list):
        raise RecipeError(f"{where}: must be a list of single-key mappings like "
                          f"'- text_length_filter: {{min_len: 10}}', got {type(process).__name__}")
    out = []
    for i, item in enumerate(process):
        if isinstance(item, str):
            out.append((item, {}))
            continue
        if not isinstance(item, dict) or len(item) != 1:
            raise RecipeError(f"{where}[{i}]: each step must be a mapping with exactly one op name, "
                              f"got {item!r}")
        (name, args), = item.items()
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise RecipeError(f"{where}[{i}] ({name}): arguments must be a mapping, got {args!r}")
        out.append((str(name), dict(args)))
    return out


def build_ops(process: Any, text_key: str | None = None, image_key: str | None = None,
              where: str = "process", locate=None) -> list[Operator]:
    """Build the operators of a process list. `text_key`/`image_key` (a recipe's `text_keys` and
    `image_key`) are passed to every op that does not set its own. `locate(i)` may give a
    'file:line' for step i."""
    ops = []
    for i, (name, args) in enumerate(parse_process(process, where)):
        place = locate(i) if locate else f"{where}[{i}]"
        try:
            cls = get_op_class(name)
            fields = cls.Args.model_fields
            if text_key and "text_key" not in args and "text_key" in fields:
                args["text_key"] = text_key
            if image_key and "image_key" not in args and "image_key" in fields:
                args["image_key"] = image_key
            ops.append(cls(**coerce_numbers(fields, args)))
        except JuiceboxError as err:
            raise type(err)(f"{place}: {err}") from None
    return ops
