"""What the LLM planner sees and may write. Two questions, one prompt (the server reuses its cache):
first the goal's needs alone (a few quoted phrases), then the recipe, whose JSON schema fixes those
needs and allows exactly one step per need, step i among the operators the catalog retrieved for need
i, with their own arguments only (not the whole catalog, so a 0.5B model's context holds it; lists and
strings bounded, so greedy decoding cannot repeat itself until cut off). A server with grammar-
constrained output can then only write valid names, argument names and types.
"""
from __future__ import annotations

from typing import Any

MAX_STEPS = 6
MAX_ARGS = 6
NEED_OPTIONS = 4  # operators a step may choose among, retrieved for its need
MAX_ITEMS = 12  # values in one list argument
MAX_STRING = 200  # characters in one string argument


def _op_classes() -> dict[str, type]:
    from sandbox_engine.ops.base import load_builtin_ops

    return load_builtin_ops()


def _base_fields() -> set[str]:
    from sandbox_engine.ops.base import FilterArgs

    return set(FilterArgs.model_fields)


def own_args(cls: type) -> dict[str, Any]:
    """The operator's own arguments (not the keys every operator takes, nor file paths, which a model
    would invent): name -> pydantic field."""
    base = _base_fields()
    return {n: f for n, f in cls.Args.model_fields.items() if n not in base and _measure(f) != "path"}


def _measure(field: Any) -> str | None:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return extra.get("measure")


def candidate_names(candidates: list | None, limit: int = 8) -> list[str]:
    """Registered operator names among the retrieved candidates, best first, without repeats."""
    ops = _op_classes()
    names: list[str] = []
    for c in candidates or []:
        name = c.get("name") if isinstance(c, dict) else getattr(c, "name", c)
        if isinstance(name, str) and name in ops and name not in names:
            names.append(name)
    return names[:limit]


def suits_data(names: list[str], dataset: dict | None) -> list[str]:
    """The candidates that can run on the data: an image, video or audio operator only when the data
    has the field its key argument names by default (a text-only file gets no video operator, which a
    small model would otherwise pick for "duration" or "frames"). Unknown fields: all candidates."""
    from sandbox_engine.field_check import MEDIA_KEYS  # the fields each modality's operators read

    fields = set((dataset or {}).get("fields") or ())
    if not fields:
        return names
    ops = _op_classes()
    keep = []
    for name in names:
        args = ops[name].Args.model_fields
        keys = [args[k].default for k in MEDIA_KEYS.get(ops[name].modality, ()) if k in args and k != "text_key"]
        if all(not isinstance(key, str) or key in fields for key in keys):
            keep.append(name)
    return keep


def retrieve(goal: str, k: int = 8) -> list[str]:
    """Candidate operators for a goal from the catalog search (keywords when the catalog is absent)."""
    from agent.nodes.adapters import search_candidates

    return candidate_names(search_candidates(goal, k=k), k)


def _arg_line(name: str, field: Any, schema: dict[str, Any]) -> str:
    """'min_len (integer, lowest characters kept, default 10)'; a short description when the Args
    metadata does not say what the number measures."""
    kind = schema.get("type") or "/".join(str(s.get("type", "?")) for s in schema.get("anyOf", [])) or "any"
    if "enum" in schema:
        kind = "one of " + "/".join(map(str, schema["enum"]))
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    measure = extra.get("measure") if extra.get("measure") not in (None, "flag", "choice") else None
    notes = [kind]
    if extra.get("bound") in ("min", "max"):
        notes.append(f"{'lowest' if extra['bound'] == 'min' else 'highest'} {measure or 'value'} kept")
    elif measure:
        notes.append(str(measure))
    text = f"{name} ({', '.join(notes)})"
    if not extra.get("bound"):
        text += ": " + _clip(field.description or "", 60).rstrip(". ")
    return text


def describe(names: list[str]) -> str:
    """One short block per candidate: what it does (first sentence) and its own arguments."""
    ops = _op_classes()
    blocks = []
    for name in names:
        cls = ops[name]
        props = cls.Args.model_json_schema().get("properties", {})
        args = list(own_args(cls).items())[:MAX_ARGS]
        first = str(cls.description).split(". ")[0].rstrip(".")
        lines = [f"- {name} ({cls.category}): {_clip(first, 110)}"]
        if args:
            lines.append("  args: " + "; ".join(_arg_line(a, f, props.get(a, {})) for a, f in args))
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _clip(text: str, n: int) -> str:
    """The first n characters, cut at a word."""
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " ..."


def _simple(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A JSON-schema fragment reduced to what grammar engines take: types, enums, items, anyOf."""
    if "$ref" in schema:
        target = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return _simple(target, defs) if "enum" in target or "type" in target else {}
    out: dict[str, Any] = {}
    if "anyOf" in schema:
        parts = [_simple(s, defs) for s in schema["anyOf"] if s.get("type") != "null"]
        parts = [p for p in parts if p]
        if len(parts) == 1:
            return parts[0]
        return {"anyOf": parts} if parts else {}
    for key in ("type", "enum", "const"):
        if key in schema:
            out[key] = schema[key]
    if out.get("type") == "array":
        items = _simple(schema["items"], defs) if isinstance(schema.get("items"), dict) else {}
        if items:
            out["items"] = items
        out["maxItems"] = MAX_ITEMS  # a small model's greedy decoding can repeat list items until cut off
    if out.get("type") == "string" and "enum" not in out:
        out["maxLength"] = MAX_STRING
    if out.get("type") == "object":
        out = {"type": "object"}
    return out


def op_schema(name: str, banned: frozenset[str] = frozenset()) -> dict[str, Any]:
    """{name: {own arguments}}: a single-key mapping, no other keys; `banned` arguments left out."""
    cls = _op_classes()[name]
    full = cls.Args.model_json_schema()
    defs = full.get("$defs", {})
    props = {a: _simple(full.get("properties", {}).get(a, {}), defs) for a in own_args(cls) if a not in banned}
    args = {"type": "object", "properties": props, "additionalProperties": False}
    return {"type": "object", "properties": {name: args}, "required": [name], "additionalProperties": False}


def needs_schema(max_steps: int = MAX_STEPS) -> dict[str, Any]:
    """The first question: only the goal's needs (a few short strings, so it costs a second or two)."""
    needs = {"type": "array", "items": {"type": "string", "maxLength": 90}, "minItems": 1, "maxItems": max_steps}
    return {"type": "object", "properties": {"needs": needs}, "required": ["needs"], "additionalProperties": False}


def per_need_schema(needs: list[str], options: list[list[str]],
                    banned: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The recipe's schema with its needs fixed to `needs` and exactly one step per need, step i among
    the operators retrieved for need i: the model writes no step the goal did not ask for (each costs
    seconds on a small CPU model) and cannot give a need an operator retrieved for another."""
    banned = banned or {}
    steps = [{"anyOf": [op_schema(n, frozenset(banned.get(n, ()))) for n in names]} for names in options]
    return {"type": "object",
            "properties": {"needs": {"const": list(needs)},
                           "process": {"type": "array", "prefixItems": steps,
                                       "minItems": len(needs), "maxItems": len(needs)}},
            "required": ["needs", "process"], "additionalProperties": False}


def need_options(needs: list[str], names: list[str], dataset: dict | None, k: int = NEED_OPTIONS) -> list[list[str]]:
    """For each need, the operators the catalog finds for its own words (those that suit the data),
    then the goal's candidates (a need's words alone can mislead the search)."""
    return [list(dict.fromkeys(suits_data(retrieve(need, k=k), dataset) + list(names))) for need in needs]


def ban_for(error: str, recipe: dict[str, Any], names: list[str], banned: dict[str, set[str]]) -> list[str]:
    """After a validation error, take from the next round's grammar what caused it, so a constrained
    model cannot repeat it: the step's arguments the error names, else the step's operator (while
    another candidate is left). Returns the candidates for the next round."""
    import re

    m = re.match(r"process\[(\d+)\]", error)
    process = recipe.get("process") or []
    if not m or int(m.group(1)) >= len(process) or not isinstance(process[int(m.group(1))], dict):
        return names
    op = next(iter(process[int(m.group(1))]), None)
    if op not in names:
        return names
    args = [a for a in own_args(_op_classes()[op]) if re.search(rf"\b{re.escape(a)}\b", error)]
    if args and not re.search(r"\bmin_\w+=.* is above max_", error):
        banned.setdefault(op, set()).update(args)
        return names
    return [n for n in names if n != op] if len(names) > 1 else names
