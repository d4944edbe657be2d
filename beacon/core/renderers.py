"""Form widgets drawn in Python: the same markup as Django's widget templates.

Django draws each widget through its templates, and each option of a select through a
template of its own, with an include for its attributes: the filter form beside a list
(five yes/no selects, a section select of 21 options, parks) took 12 ms of the
enterprise list's 60. Inputs and selects, the widgets of every filter form and of most
edit forms, are drawn here; every other template (labels, radio and checkbox lists, file
inputs) is still rendered by Django's own renderer.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# the widget templates that are only `{% include "django/forms/widgets/input.html" %}`
INPUTS = frozenset(
    WIDGETS + name
    for name in (
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with inputs and selects drawn in Python."""

    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return _input(context["widget"])
        if template_name == SELECT and _plain_options(context["widget"]):
            return _select(context["widget"])
        return super().render(template_name, context, request)


# `{{ value }}` as a widget template writes it: localized, escaped unless marked safe
_CONTEXT = Context(autoescape=True)


def _text(value) -> str:
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it was safe."""
    text = str(value)  # what "%s" makes of any value
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_text(name)}")
            if value is not True:
                out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            # the option's template file ends in a newline, and the include keeps it
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)
