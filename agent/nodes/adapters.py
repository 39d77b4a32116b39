"""Doors into parts other engineers own (the built-in planner, the catalog, the tool registry), with
small local stand-ins so the graph works whichever of them exist yet."""
from __future__ import annotations

import dataclasses
import importlib
import re
from typing import Any, Callable


def _try(module: str, *names: str) -> Any:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    for name in names:
        if hasattr(mod, name):
            return getattr(mod, name)
    return None


_PLANNER: list[Any] = []


def _builtin_planner() -> Any:
    """G1's built-in planner (wired to the catalog when it can be), made once per process."""
    if not _PLANNER:
        factory = _try("agent.planner", "builtin_planner")
        planner = None
        if factory is not None:
            try:
                planner = factory()
            except ImportError:  # the catalog is not there: rules only
                planner = factory(use_catalog=False)
        _PLANNER.append(planner)
    return _PLANNER[0]


def builtin_name(default: str) -> str:
    return _try("agent.planner", "PLANNER_NAME") or default


def builtin_draft(goal: str, data_path: str | None) -> dict[str, Any]:
    """The built-in (no-LLM) planner's recipe: {recipe: {process: [...]}, justifications: [...], notes: [...]}.
    With a data set, the planner inspects it (drops reference steps for what is not there, calibrates
    thresholds nobody stated)."""
    planner = _builtin_planner()
    if planner is None:
        raise ImportError("the built-in planner (agent.planner) could not be loaded")
    return normalize_plan(planner.plan(goal, data=data_path) if data_path else planner.plan(goal))


def normalize_plan(plan: Any) -> dict[str, Any]:
    """A recipe dict with `process` and one justification line per step, whatever shape came in."""
    if hasattr(plan, "model_dump"):
        plan = plan.model_dump(mode="json")
    elif dataclasses.is_dataclass(plan):
        plan = dataclasses.asdict(plan)
    if not isinstance(plan, dict):
        raise TypeError(f"planner returned {type(plan).__name__}, expected a recipe dict")
    recipe = dict(plan.get("recipe") or {k: v for k, v in plan.items() if k not in ("planner", "notes")})
    process = list(recipe.get("process") or [])
    why = recipe.pop("justifications", None) or plan.get("justifications") or plan.get("steps") or []
    if isinstance(why, dict):
        why = [str(why.get(next(iter(s)) if isinstance(s, dict) else s, "")) for s in process]
    lines = []
    for i, step in enumerate(process):
        item = why[i] if i < len(why) else ""
        if isinstance(item, dict):
            item = item.get("why") or item.get("justification") or item.get("reason") or ""
        lines.append(str(item) or "requested by the goal")
    recipe.pop("steps", None)
    recipe["process"] = process
    out: dict[str, Any] = {"recipe": recipe, "justifications": lines}
    if plan.get("notes"):  # 'I did not understand: ...', calibrations from the data: said to the user
        out["notes"] = [str(n) for n in plan["notes"]]
    return out




def search_candidates(query: str, k: int = 8) -> list[dict[str, Any]]:
    """Operators relevant to the query: the catalog's hybrid search when present, else keywords."""
    get_catalog = _try("tools.catalog", "get_catalog")
    if get_catalog is not None:
        try:
            hits = get_catalog().search(query, k=k, kinds=("operator",))
            return [{"name": h.name, "why": str(getattr(h, "description", "") or "")[:160],
                     "score": round(float(getattr(h, "score", 0.0)), 3)} for h in hits]
        except Exception:  # noqa: BLE001 - retrieval is a hint; keywords still work
            pass
    return keyword_search(query, k)


def keyword_search(query: str, k: int = 8) -> list[dict[str, Any]]:
    from sandbox_engine.ops.base import load_builtin_ops

    words = {w for w in re.findall(r"[a-z]{3,}", query.lower())}
    scored = []
    for name, cls in load_builtin_ops().items():
        text = f"{name} {getattr(cls, 'description', '')}".lower()
        score = sum(1 for w in words if w in text)
        if score:
            scored.append((score, name, str(getattr(cls, "description", ""))[:160]))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [{"name": n, "why": d} for _, n, d in scored[:k]]


def operator_info(name: str) -> dict[str, Any]:
    from sandbox_engine.ops.base import get_op_class

    cls = get_op_class(name)
    args = {n: {"default": repr(f.default), "description": f.description or ""}
            for n, f in cls.Args.model_fields.items()}
    return {"name": name, "category": getattr(cls, "category", ""), "description": getattr(cls, "description", ""),
            "arguments": args, "stats_keys": list(getattr(cls, "stats_keys", ()) or ())}


def llm_tools() -> dict[str, tuple[dict, Callable[[dict], Any]]]:
    """Tools the LLM may call while planning: G1's registry when present, else two local lookups."""
    reg = _try("tools.registry", "llm_tools", "tool_specs")
    if callable(reg):
        try:
            got = reg()
            if isinstance(got, dict) and got:
                return got
        except Exception:  # noqa: BLE001 - an unfinished registry must not break planning
            pass
    return {
        "search_operators": ({"description": "Find operators for a need, e.g. 'remove duplicates'.",
                              "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                                             "required": ["query"]}},
                             lambda a: search_candidates(str(a.get("query", "")))),
        "get_operator_info": ({"description": "Arguments, defaults and stats keys of one operator.",
                               "parameters": {"type": "object", "properties": {"name": {"type": "string"}},
                                              "required": ["name"]}},
                              lambda a: operator_info(str(a.get("name", "")))),
    }
