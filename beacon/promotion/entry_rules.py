"""Park entry thresholds (入园门槛), in the condition language of evaluation schemes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from beacon.analytics.conditions import Condition, RuleError, parse_condition
from beacon.analytics.yaml_lines import line_of, read_rule_file

ROUTING_FIELDS = (
    "planned_investment",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "land_need_mu",
    "floor_space_need_m2",
    "investment_per_mu",
    "output_per_mu",
    "tax_per_mu",
    "industry_code",
    "industry_section",
)


def parse_entry_rule(text: str) -> tuple[Condition, ...]:
    """A park's entry thresholds: ``conditions:``, a list of conditions on ``ROUTING_FIELDS``
    (``- {field: investment_per_mu, op: ">=", value: 3000000}``)."""
    raw = read_rule_file(text)
    unknown = sorted(set(raw) - {"conditions"})
    if unknown:
        raise RuleError(
            _("line %(line)s: unknown key '%(key)s'; an entry rule has only 'conditions'")
            % {"line": line_of(raw, unknown[0]), "key": unknown[0]}
        )
    items = raw.get("conditions")
    if not isinstance(items, list) or not items:
        raise RuleError(_("line 1: 'conditions' is a list of conditions"))
    conditions = tuple(
        parse_condition(item, line, "conditions")
        for item, line in zip(items, items.item_lines, strict=True)
    )
    for condition in conditions:
        if condition.field not in ROUTING_FIELDS:
            raise RuleError(
                _("line %(line)s: unknown field '%(field)s'; a lead has: %(known)s")
                % {
                    "line": condition.line,
                    "field": condition.field,
                    "known": ", ".join(ROUTING_FIELDS),
                }
            )
    return conditions
