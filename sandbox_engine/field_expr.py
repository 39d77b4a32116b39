"""A small, safe boolean expression language over sample fields (general_field_filter).

The condition is parsed with Python's `ast` and compiled into closures by walking a whitelist of node
types, so a recipe can never run code: there is no `eval`. Allowed: `and`, `or`, `not` (our extension
to Data-Juicer), comparisons `< <= > >= == !=` including chains (`10 < num <= 30`), constants
(numbers, strings, True/False/None, with a unary sign on numbers), field names and dotted access
(`meta.a.b`, `__dj__stats__.text_len`). A comparison with a missing (None) side is False, and so is
one between values that do not compare (`'a' < 3`). Anything else (calls, arithmetic, subscripts,
`in`, lambdas ...) is rejected when the expression is parsed.
"""
from __future__ import annotations

import ast
import operator
from typing import Any, Callable

from sandbox_engine.errors import OpArgumentError

Row = Callable[[dict], Any]

_CMP: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}
_ALLOWED = ("and, or, not, comparisons (< <= > >= == !=, chains allowed), constants, field names and "
            "dotted fields such as meta.a.b or __dj__stats__.text_len")


class FieldExpression:
    """A parsed condition. `fields` are the dotted field names it reads; call `evaluate(values)` with
    a dict from those names to one row's values."""

    def __init__(self, source: str) -> None:
        self.source = source.strip()
        self.fields: list[str] = []
        if not self.source:
            self._fn: Row = lambda _row: True
            return
        try:
            tree = ast.parse(self.source, mode="eval")
        except SyntaxError as err:
            raise OpArgumentError(
                f"filter condition {self.source!r} is not a valid expression ({err.msg}); "
                f"allowed: {_ALLOWED}.") from None
        self._fn = self._compile(tree.body)

    def evaluate(self, values: dict[str, Any]) -> bool:
        return bool(self._fn(values))

    def evaluate_column(self, columns: dict[str, list], n: int) -> list[bool]:
        """Evaluate on `n` rows given one column (list) per field name."""
        cols = [(f, columns[f]) for f in self.fields]
        return [bool(self._fn({f: col[i] for f, col in cols})) for i in range(n)]

    # -- compilation ------------------------------------------------------------------------------
    def _reject(self, node: ast.AST, what: str | None = None) -> OpArgumentError:
        part = ast.get_source_segment(self.source, node) or type(node).__name__
        kind = what or type(node).__name__
        return OpArgumentError(f"filter condition {self.source!r}: {kind} ({part!r}) is not allowed; "
                               f"allowed: {_ALLOWED}.")

    def _field(self, name: str) -> Row:
        if name not in self.fields:
            self.fields.append(name)
        return lambda row: row.get(name)

    def _dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            head = self._dotted(node.value)
            return None if head is None else f"{head}.{node.attr}"
        return None

    def _compile(self, node: ast.AST) -> Row:
        if isinstance(node, ast.BoolOp):
            parts = [self._compile(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda row: all(p(row) for p in parts)
            return lambda row: any(p(row) for p in parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                inner = self._compile(node.operand)
                return lambda row: not inner(row)
            if isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(node.operand, ast.Constant) \
                    and isinstance(node.operand.value, (int, float)) \
                    and not isinstance(node.operand.value, bool):
                value = -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
                return lambda row: value
            raise self._reject(node, "arithmetic")
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if not isinstance(value, (int, float, str, bool, type(None))):
                raise self._reject(node, "constant type")
            return lambda row: value
        if isinstance(node, (ast.Name, ast.Attribute)):
            dotted = self._dotted(node)
            if dotted is None:
                raise self._reject(node, "attribute of a non-field")
            return self._field(dotted)
        kinds = {ast.Call: "function call", ast.BinOp: "arithmetic", ast.Subscript: "subscript"}
        raise self._reject(node, kinds.get(type(node)))

    def _compare(self, node: ast.Compare) -> Row:
        ops = []
        for op in node.ops:
            fn = _CMP.get(type(op))
            if fn is None:
                raise self._reject(node, f"comparison operator {type(op).__name__}")
            ops.append(fn)
        terms = [self._compile(node.left)] + [self._compile(c) for c in node.comparators]

        def run(row: dict) -> bool:
            left = terms[0](row)
            for fn, term in zip(ops, terms[1:]):
                right = term(row)
                if left is None or right is None:
                    return False
                try:
                    if not fn(left, right):
                        return False
                except TypeError:
                    return False
                left = right
            return True

        return run


def parse_condition(source: str) -> FieldExpression:
    """Parse a filter condition; a syntax error or a construct outside the grammar raises
    OpArgumentError (a ValueError)."""
    return FieldExpression(source)
