"""Custom operators: a user's own ops, registered like the built-ins and indexed in the catalog.

Two ways in: module paths in `$JUICEBOX_HOME/config.yaml` (`custom_ops: [my_pkg.my_ops]`), and the
Python entry point group `juicebox.ops` (each entry point names a module or an operator class). The
modules register their operators with `sandbox_engine.ops.base.register_op` on import.
"""
from __future__ import annotations

import importlib
import sys
from importlib.metadata import entry_points
from pathlib import Path

from sandbox_engine.errors import RecipeError

ENTRY_POINT_GROUP = "juicebox.ops"


def config_path() -> Path:
    from tools.catalog import juicebox_home

    return juicebox_home() / "config.yaml"


def configured_modules() -> list[str]:
    p = config_path()
    if not p.is_file():
        return []
    import yaml

    try:
        cfg = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise RecipeError(f"{p}: not valid YAML ({err})") from None
    mods = cfg.get("custom_ops") or []
    if isinstance(mods, str):
        mods = [mods]
    if not isinstance(mods, list) or not all(isinstance(m, str) for m in mods):
        raise RecipeError(f"{p}: custom_ops must be a list of module paths like 'my_pkg.my_ops', got {mods!r}")
    return mods


def load_custom_ops() -> dict[str, str]:
    """Import every configured module and entry point; return {op name: source} for ops they added."""
    from sandbox_engine.ops.base import OPERATORS, load_builtin_ops

    load_builtin_ops()
    found: dict[str, str] = {}
    for mod in configured_modules():
        before = set(OPERATORS)
        try:
            m = importlib.import_module(mod)
        except ImportError as err:
            raise RecipeError(f"{config_path()}: custom_ops module {mod!r} cannot be imported ({err})") from None
        for name in set(OPERATORS) - before:
            found[name] = f"custom:{mod}"
        for name, cls in OPERATORS.items():
            if cls.__module__ == m.__name__:
                found.setdefault(name, f"custom:{mod}")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        before = set(OPERATORS)
        obj = ep.load()
        mod_name = getattr(obj, "__module__", None) or getattr(obj, "__name__", ep.value)
        for name in set(OPERATORS) - before:
            found[name] = f"entry_point:{ep.name}"
        for name, cls in OPERATORS.items():
            if cls is obj or cls.__module__ == getattr(sys.modules.get(mod_name), "__name__", None):
                found.setdefault(name, f"entry_point:{ep.name}")
    return found
