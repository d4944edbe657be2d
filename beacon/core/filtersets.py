import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .permissions import restrict
from .scopes import SCOPE_TARGETS

YES_NO_ALL = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class BaseFilterSet(django_filters.FilterSet):
    """One FilterSet serves a list page's filter form and its API endpoint.

    ``search`` matches ``search_fields`` by substring, so Chinese text such as
    ``新能源`` finds names and business scopes that contain it.
    """

    search = django_filters.CharFilter(
        label=_("Search"), method="filter_search", widget=forms.TextInput(attrs={"type": "search"})
    )
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The search box comes first on every list page.
        self.filters.move_to_end("search", last=False)
        for f in self.filters.values():
            if isinstance(f, django_filters.BooleanFilter):
                f.extra["widget"] = forms.Select(choices=YES_NO_ALL)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
        return form


def id_filter(label, field_name: str) -> django_filters.NumberFilter:
    """Rows filed under one object, by its id; an id no database column can hold is a 400,
    not a server error."""
    return django_filters.NumberFilter(
        label=label, field_name=field_name, min_value=1, max_value=2**63 - 1
    )


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(django_filters.ModelMultipleChoiceFilter):
    """Related objects chosen by code (``park=P1&park=P2``).

    drf-spectacular cannot follow ``park__code`` plus ``to_field_name`` to a model field and
    would warn, so the schema type is given here.
    """


def code_filter(model, label, field_name: str, code: str = "code") -> CodeFilter:
    """Rows filed under objects of ``model`` (a model or its label) given by code, among
    those the user may see."""

    def choices(request):
        target = apps.get_model(model) if isinstance(model, str) else model
        user = getattr(request, "user", None)
        return restrict(target.objects.all(), user) if user is not None else target.objects.none()

    # django-filter filters on ``field_name=<to_field_name value>``, so the lookup must reach
    # the code itself: ``park=P1`` would compare the code with the park's id.
    return CodeFilter(
        label=label,
        field_name=f"{field_name}__{code}",
        to_field_name=code,
        queryset=choices,
        # A row has one park (team, scheme), so nothing to de-duplicate; DISTINCT would make
        # the database compare whole rows on every filtered list and export.
        distinct=False,
    )


def park_filter(field_name: str = "park") -> CodeFilter:
    """Rows filed under parks, by park code (``park=P1&park=P2``): the scope every station's
    rows are filed in."""
    model_label, code = SCOPE_TARGETS["park"]
    return code_filter(model_label, _("Park"), field_name, code)
