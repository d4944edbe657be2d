from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import existence
from .scopes import SCOPE_TARGETS


class StyledModelForm(forms.ModelForm):
    """A model form with Tabler's classes on every widget, knowing the user it is filled in
    for (what it saves is theirs: a rule file's version, a lead they open)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_unique(self):
        """A record that would clash with one the user may not see fails with the neutral
        message, not "already exists" (``beacon.core.existence``)."""
        if self.user is not None:
            hidden = existence.hidden_clashes(self.user, self.instance)
            if hidden:
                existence.report_attempt(self.user, hidden, "form")
                self.add_error(None, existence.NEUTRAL)
                return
        super().validate_unique()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


class CodeChoiceField(forms.ModelChoiceField):
    """A related object typed by its code (USCC, parcel code): no list of 100,000 options."""

    def __init__(self, queryset, to_field_name, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return getattr(value, self.to_field_name)
        if isinstance(value, int):
            obj = self.queryset.model.objects.filter(pk=value).first()
            return getattr(obj, self.to_field_name) if obj else value
        return value


class CodeListField(forms.ModelMultipleChoiceField):
    """Several related objects typed as codes separated by ``;``."""

    def __init__(self, queryset, to_field_name, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)

    def to_python_list(self, value):
        if isinstance(value, str):
            return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
        return list(value or [])

    def clean(self, value):
        return super().clean(self.to_python_list(value))

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        items = list(value or [])
        if items and all(isinstance(item, str) for item in items):
            # ModelMultipleChoiceField.clean() passes the typed codes through here on their
            # way to the queryset check, which needs them as a list, not as display text.
            return items
        codes = []
        for item in items:
            if hasattr(item, "_meta"):
                codes.append(getattr(item, self.to_field_name))
            else:
                obj = self.queryset.model.objects.filter(pk=item).first()
                codes.append(getattr(obj, self.to_field_name) if obj else str(item))
        return "; ".join(codes)


def enterprise_field(required: bool = True) -> CodeChoiceField:
    """The enterprise a row is filed under, typed by its Unified Social Credit Code."""
    model_label, uscc = SCOPE_TARGETS["enterprise"]
    return CodeChoiceField(
        apps.get_model(model_label).objects.all(),
        uscc,
        required=required,
        label=_("enterprise (USCC)"),
    )
