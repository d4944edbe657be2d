import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
