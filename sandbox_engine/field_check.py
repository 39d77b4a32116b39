"""Before any work starts: every field a recipe's ops read must exist in the data.

A text key, image key or `field_key` that no sample has would otherwise give a silent empty (or
unchanged) result, e.g. Data-Juicer's `stack-code-refine.yaml` (`text_keys: content`) on data whose
text is under `text`. Fields an earlier op may create are not checked: after a mapper that rewrites
whole samples (not just the text) or a grouper, checking stops; engine fields (`__dj__...`) are made
by the ops themselves.
"""
from __future__ import annotations

from typing import Any, Callable

from sandbox_engine.errors import RecipeError, did_you_mean

MEDIA_KEYS = {"image": ("image_key",), "multimodal": ("text_key", "image_key"), "video": ("video_key",),
               "audio": ("audio_key",), "text": ("text_key",)}


def fields_read(op: Any) -> list[tuple[str, str]]:
    """(argument, field) pairs an op reads: its modality's key(s) and a `field_key`."""
    args = op.args
    out = [(a, getattr(args, a)) for a in MEDIA_KEYS.get(op.modality, ()) if getattr(args, a, None)]
    field_key = getattr(args, "field_key", None)
    if isinstance(field_key, str) and field_key:
        out.append(("field_key", field_key))
    return out


def _may_add_fields(op: Any) -> bool:
    from sandbox_engine.ops.base import Mapper

    if op.category == "grouper":
        return True
    return isinstance(op, Mapper) and type(op).process_batched is not Mapper.process_batched


def check_fields(ops: list, columns: list[str], locate: Callable[[int], str] | None = None,
                 source: str = "the data") -> None:
    """Raise RecipeError for the first op reading a field no sample has, listing the fields there are."""
    have = set(columns)
    if not have:
        return
    for i, op in enumerate(ops):
        for arg, key in fields_read(op):
            top = key.split(".", 1)[0]
            if top in have or top.startswith("__dj__"):
                continue
            where = locate(i) if locate else f"process[{i}]"
            near = did_you_mean(top, have).strip()
            hint = f" ({near[0].upper()}{near[1:]})" if near else ""
            setting = "the recipe's text_keys / image_key or the op's" if arg in ("text_key", "image_key") \
                else "the op's"
            raise RecipeError(
                f"{where}: operator {op.name!r} reads field {key!r} ({arg}), but no sample in {source} "
                f"has a field {top!r}.{hint} The data's fields are: {', '.join(sorted(have))}. Set "
                f"{setting} {arg} to one of them (nothing was run).")
        if _may_add_fields(op):
            return
