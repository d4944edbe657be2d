from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def measure(value):
    """An indicator's value or benchmark: amounts grouped with two decimals, ratios (R&D
    over revenue, 0.0454) with four."""
    if value is None:
        return "—"
    return floatformat(value, "2g") if abs(value) >= 100 else floatformat(value, 4)
