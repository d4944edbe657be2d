"""A project's status badge, drawn alike on its page and in every row of the supervision
list (in Python: a template per row was a third of the list's time)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def status_badge(status: str):
    label = {"red": _("red"), "amber": _("amber")}.get(status, _("green"))
    colour = status if status in ("red", "amber") else "green"
    return format_html('<span class="badge text-white status-{}">{}</span>', colour, label)
