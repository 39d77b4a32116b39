"""Proxy-model components selected by `type` (trainers and evaluators), with metadata for the agent.

Plug your own: subclass `Trainer` / `Evaluator`, give it a pydantic `Args`, and decorate it with
`@register_component("my_type")`; configs then select it with `extra_configs: {type: my_type, ...}`.
"""
from __future__ import annotations

from sandbox_engine.sandbox.trainers.base import (COMPONENTS, Component, Evaluator, Trainer,
                                                  component_metadata, get_component, register_component)

_BUILTIN = ("sandbox_engine.sandbox.trainers.lm", "sandbox_engine.sandbox.trainers.clip",
            "sandbox_engine.sandbox.pools", "sandbox_engine.sandbox.components", "sandbox_engine.sandbox.compare",
            "sandbox_engine.sandbox.hpo", "sandbox_engine.sandbox.rater", "sandbox_engine.sandbox.trainers.video_clip")


def load_builtin() -> None:
    import importlib

    for mod in _BUILTIN:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as err:  # an optional module not written yet
            if err.name != mod:
                raise


__all__ = ["COMPONENTS", "Component", "Trainer", "Evaluator", "register_component", "get_component",
           "component_metadata", "load_builtin"]
