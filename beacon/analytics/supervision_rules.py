"""The status rules of key-project supervision: a versioned YAML file in the condition
language of ``conditions``, evaluated over one row per project (see ``supervision``);
``DEFAULT_RULES_TEXT`` is the shipped default."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from .conditions import Condition, RuleError, parse_condition
from .yaml_lines import line_of, read_rule_file

ESCALATION_REASON = "red for three consecutive months: escalate"
# ``{field}`` in a rule's reason, where the project's value goes.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

DEFAULT_RULES_TEXT = """\
version: 1
rules:
  - status: red
    reason: "investment lag {lag_points} points (planned {planned_pct}%,
      completed {completed_pct}%) > 30"
    escalate: true
    when:
      - {field: lag_points, op: ">", value: 30}
  - status: amber
    reason: "investment lag {lag_points} points (planned {planned_pct}%,
      completed {completed_pct}%) > 10"
    when:
      - {field: lag_points, op: ">", value: 10}
      - {field: lag_points, op: "<=", value: 30}
  - status: red
    reason: "milestone '{most_overdue_milestone}' {max_overdue_days} days overdue"
    when:
      - {field: max_overdue_days, op: ">", value: 30}
  - status: amber
    reason: "milestone '{most_overdue_milestone}' {max_overdue_days} days overdue"
    when:
      - {field: max_overdue_days, op: ">", value: 0}
      - {field: max_overdue_days, op: "<=", value: 30}
  - status: amber
    reason: "no report for {last_month}"
    when:
      - {field: reported_last_month, op: "==", value: false}
"""


@dataclass(frozen=True)
class Rule:
    status: str
    reason: str
    when: tuple[Condition, ...]
    escalate: bool = False
    line: int = 0


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]
    escalation_reason: str = ESCALATION_REASON
    # how a reason names the status it gives ("…: red"); a zone's file may name them in
    # its language
    status_names: tuple[tuple[str, str], ...] = (("amber", "amber"), ("red", "red"))


def parse_rules(text: str) -> RuleSet:
    """A rule file: ``version: 1`` and ``rules``, each with ``status`` (amber or red),
    ``reason`` (``{field}`` fills in a project's value), ``when`` (conditions, all of which
    must hold) and optionally ``escalate: true`` (red rules only); optionally
    ``escalation_reason``, the reason an escalated project is given, and ``status_names``,
    the words for amber and red at the end of a reason. RuleError names the line."""
    raw = read_rule_file(text)
    unknown = set(raw) - {"version", "rules", "escalation_reason", "status_names"}
    if unknown:
        key = sorted(unknown)[0]
        raise RuleError(
            f"line {line_of(raw, key)}: unknown key '{key}'; "
            "keys are version, rules, escalation_reason, status_names"
        )
    if "version" not in raw:
        raise RuleError("line 1: the rule file needs 'version: 1'")
    if raw["version"] != 1 or isinstance(raw["version"], bool):
        raise RuleError(f"line {line_of(raw, 'version')}: version must be 1")
    items = raw.get("rules")
    if not isinstance(items, list) or not items:
        raise RuleError(f"line {line_of(raw, 'rules')}: 'rules' is a non-empty list")
    lines = getattr(items, "item_lines", [line_of(raw, "rules")] * len(items))
    escalation = raw.get("escalation_reason", ESCALATION_REASON)
    if not isinstance(escalation, str) or not escalation.strip():
        raise RuleError(f"line {line_of(raw, 'escalation_reason')}: escalation_reason is text")
    names = raw.get("status_names", {})
    if (
        not isinstance(names, dict)
        or set(names) - {"amber", "red"}
        or not all(isinstance(v, str) and v.strip() for v in names.values())
    ):
        raise RuleError(
            f"line {line_of(raw, 'status_names')}: status_names maps amber and red to words"
        )
    rules = tuple(_rule(item, at) for item, at in zip(items, lines, strict=True))
    named = tuple((status, str(names.get(status, status)).strip()) for status in ("amber", "red"))
    return RuleSet(1, rules, escalation.strip(), named)


def _rule(raw, line: int) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: a rule is a mapping with status, reason and when")
    unknown = set(raw) - {"status", "reason", "when", "escalate"}
    if unknown:
        raise RuleError(f"line {line}: unknown key in a rule: {', '.join(sorted(unknown))}")
    status = raw.get("status")
    if status not in ("amber", "red"):
        raise RuleError(f"line {line_of(raw, 'status')}: status must be amber or red")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise RuleError(f"line {line_of(raw, 'reason')}: a rule needs a reason")
    when = raw.get("when")
    if not isinstance(when, list) or not when:
        raise RuleError(f"line {line_of(raw, 'when')}: 'when' is a non-empty list of conditions")
    at = getattr(when, "item_lines", [line_of(raw, "when")] * len(when))
    conditions = tuple(parse_condition(c, n, "when") for c, n in zip(when, at, strict=True))
    escalate = raw.get("escalate", False)
    if not isinstance(escalate, bool):
        raise RuleError(f"line {line_of(raw, 'escalate')}: escalate is true or false")
    if escalate and status != "red":
        raise RuleError(f"line {line_of(raw, 'escalate')}: only a red rule can escalate")
    return Rule(status, reason.strip(), conditions, escalate, line)


DEFAULT_RULES = parse_rules(DEFAULT_RULES_TEXT)


def check_rules(rules: RuleSet, schema: pl.Schema) -> None:
    """RuleError naming the line of a condition or reason whose field a project does not
    have, or a condition comparing a field with a value of another kind."""
    known = ", ".join(schema.names())
    for rule in rules.rules:
        for name in PLACEHOLDER.findall(rule.reason):
            if name not in schema:
                raise RuleError(
                    f"line {rule.line}: unknown field '{name}' in the reason; fields are: {known}"
                )
        for c in rule.when:
            at = f"line {c.line or rule.line}"
            if c.field not in schema:
                raise RuleError(f"{at}: unknown field '{c.field}'; fields are: {known}")
            dtype = schema[c.field]
            values = c.value if isinstance(c.value, list) else [c.value]
            for value in values:
                if dtype == pl.Boolean:
                    ok = isinstance(value, bool)
                elif dtype.is_numeric():
                    ok = isinstance(value, int | float) and not isinstance(value, bool)
                else:
                    ok = isinstance(value, str)
                if not ok:
                    kind = (
                        "true or false"
                        if dtype == pl.Boolean
                        else "a number"
                        if dtype.is_numeric()
                        else "text"
                    )
                    raise RuleError(f"{at}, field {c.field}: the value must be {kind}")
