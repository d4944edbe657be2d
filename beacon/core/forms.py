from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import existence, gate
from .scopes import SCOPE_TARGETS


class StyledModelForm(forms.ModelForm):
    """A model form with Tabler's classes on every widget, knowing the user it is filled in
    for (what it saves is theirs: a rule file's version, a lead they open)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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


# The hidden field of an edit form holding the version of the object it was read at.
VERSION_FIELD = "_version"


def carry_version(form: forms.ModelForm) -> None:
    """Add the version ``form``'s saved object was read at, to be sent back with it."""
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=gate.version(form.instance)
    )


def read_at(form: forms.ModelForm) -> str:
    """The version a valid bound form says its object was read at ("" when it says none)."""
    return form.cleaned_data.get(VERSION_FIELD, "")


@dataclass(frozen=True)
class Difference:
    """A field whose value in a stale form differs from the one saved since."""

    name: str
    label: str
    yours: str
    saved: str


def differences(form: forms.ModelForm, current: models.Model) -> list[Difference]:
    """The fields of a valid ``form`` whose values differ from ``current``'s, as shown."""
    found = []
    for name, form_field in form.fields.items():
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # not a stored field (the version itself)
        if not isinstance(field, models.Field):
            continue
        if field.many_to_many:
            yours = list(form.cleaned_data.get(name) or [])
            saved = list(getattr(current, name).all())
            if {o.pk for o in yours} == {o.pk for o in saved}:
                continue
            shown = (", ".join(sorted(map(str, yours))), ", ".join(sorted(map(str, saved))))
        elif field.value_from_object(form.instance) == field.value_from_object(current):
            continue
        else:
            shown = (_shown(form.instance, field), _shown(current, field))
        found.append(Difference(name, str(form_field.label or name), *shown))
    return found


def _shown(obj: models.Model, field) -> str:
    value = getattr(obj, field.name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(formats.localize(value) if not isinstance(value, models.Model) else value)


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
