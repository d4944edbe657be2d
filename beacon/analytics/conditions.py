"""One small, safe rule language: ``{field, op, value}`` conditions, never ``eval``.

Evaluation schemes use it for scope, adjustments and vetoes; policy eligibility and park
entry thresholds will use the same one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import polars as pl

from .io import InputError

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")


class RuleError(InputError):
    """A rule file that cannot be used; the message names the line and the field."""


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object
    line: int | None = None

    def describe(self) -> str:
        return f"{self.field} {self.op} {self.value!r}"

    def expr(self) -> pl.Expr:
        """True where the condition holds; a missing value never satisfies it."""
        col = pl.col(self.field)
        if self.op in ("in", "not in"):
            # parse_condition gives "in" and "not in" a list
            held = col.is_in(list(cast(list, self.value)))
            held = held if self.op == "in" else ~held
        else:
            value = pl.lit(self.value)
            held = {
                "==": col == value,
                "!=": col != value,
                "<": col < value,
                "<=": col <= value,
                ">": col > value,
                ">=": col >= value,
            }[self.op]
        return held.fill_null(False)


def parse_condition(raw, line: int | None, where: str) -> Condition:
    at = f"line {line}" if line else where
    if not isinstance(raw, dict):
        raise RuleError(f"{at}: a condition is {{field, op, value}}")
    unknown = set(raw) - {"field", "op", "value"}
    if unknown:
        raise RuleError(f"{at}: unknown key in a condition: {', '.join(sorted(unknown))}")
    field, op = raw.get("field"), raw.get("op")
    if not isinstance(field, str) or not field:
        raise RuleError(f"{at}: a condition needs a field")
    if op not in OPERATORS:
        raise RuleError(f"{at}, field {field}: op must be one of {', '.join(OPERATORS)}")
    if "value" not in raw:
        raise RuleError(f"{at}, field {field}: a condition needs a value")
    value = raw["value"]
    if op in ("in", "not in") and not isinstance(value, list):
        raise RuleError(f"{at}, field {field}: '{op}' needs a list of values")
    if op not in ("in", "not in") and isinstance(value, list | dict):
        raise RuleError(f"{at}, field {field}: '{op}' needs a single value")
    return Condition(field, op, value, line)


def all_hold(conditions: Sequence[Condition]) -> pl.Expr:
    expr = pl.lit(True)
    for condition in conditions:
        expr = expr & condition.expr()
    return expr
