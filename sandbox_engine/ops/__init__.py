"""Operators: one registry (`OPERATORS`), one decorator (`register_op`)."""
from sandbox_engine.ops.base import (OPERATORS, Deduplicator, Filter, Grouper, Mapper, Operator,
                                     Selector, build_op, get_op_class, load_builtin_ops, register_op)

__all__ = ["OPERATORS", "Operator", "Mapper", "Filter", "Deduplicator", "Selector", "Grouper",
           "register_op", "get_op_class", "build_op", "load_builtin_ops"]
