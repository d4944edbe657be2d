"""Widgets drawn in Python are drawn as Django's own widget templates draw them: every kind
of input and select, awkward values, and every filter form of every list."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from beacon.core.filtersets import BaseFilterSet
from beacon.core.renderers import FormRenderer

DJANGO, OURS = DjangoTemplates(), FormRenderer()

AWKWARD = ['a "quoted" <b>&amp;</b>', mark_safe("<i>safe</i>"), 0, 1_234_567, 12.5, None, ""]
WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"type": "search", "placeholder": '<"x">', "autofocus": True}),
    forms.NumberInput(attrs={"step": "0.01", "disabled": False, "min": 0}),
    forms.DateInput(),
    forms.EmailInput(),
    forms.HiddenInput(),
    forms.PasswordInput(render_value=True),
    forms.CheckboxInput(),
    forms.Select(choices=[("", "---"), ("a", "A <&>"), (1, gettext_lazy("Status")), (2, 2024)]),
    forms.Select(
        choices=[("G1", [("x", "X"), ("y", 'Y "q"')]), (gettext_lazy("Kind"), [(3, "three")])]
    ),
    forms.SelectMultiple(choices=[(1, "one"), (2, "two"), ("<", "less")]),
    forms.NullBooleanSelect(),
    forms.Textarea(),
    forms.RadioSelect(choices=[(1, "one")]),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_kind_of_widget_is_drawn_as_by_its_template(widget, language):
    values = [*AWKWARD, dt.date(2024, 2, 29), ["a", 2], "x", 1, True, False]
    with override(language):
        for value in values:
            attrs = {"id": "id_f", "class": "form-control", "required": True}
            try:
                theirs = widget.render("f<", value, attrs=attrs, renderer=DJANGO)
            except Exception as error:  # a value the widget itself refuses, before drawing
                with pytest.raises(type(error)):
                    widget.render("f<", value, attrs=attrs, renderer=OURS)
                continue
            ours = widget.render("f<", value, attrs=attrs, renderer=OURS)
            assert ours == theirs, (value, ours, theirs)


def filtersets():
    import beacon.urls  # noqa: F401  (routing the pages imports every station's filters)

    found, todo = [], [BaseFilterSet]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls is not BaseFilterSet:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


@pytest.mark.django_db
def test_every_filter_form_is_drawn_as_by_django(zone, users):
    drawn = 0
    for role in ("zone_admin", "park_officer"):
        request = RequestFactory().get("/")
        request.user = users[role]
        for cls in filtersets():
            model = cls._meta.model
            for data in (None, {"search": "<x>", "park": [str(zone["p1"].pk)], "status": "x"}):
                form = cls(data, queryset=model.objects.all(), request=request).form
                for field in form:
                    widget = field.field.widget
                    ours = field.as_widget(widget)
                    form.renderer = DJANGO
                    theirs = field.as_widget(widget)
                    form.renderer = None
                    assert ours == theirs, (cls.__qualname__, field.name)
                    drawn += 1
    assert drawn > 100
