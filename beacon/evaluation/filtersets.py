import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beacon.core.filtersets import BaseFilterSet, code_filter, id_filter, park_filter

from .choices import EvaluationClass
from .models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme


def scheme_filter(field_name="scheme"):
    return code_filter(Scheme, _("Scheme"), field_name)


class SchemeFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "description")

    class Meta:
        model = Scheme
        fields = []


class EvaluationRunFilterSet(BaseFilterSet):
    search_fields = ("scheme__code", "scheme__name", "note")
    scheme = scheme_filter()

    class Meta:
        model = EvaluationRun
        fields = ["year", "official"]


class EvaluationResultFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__uscc")
    run = id_filter(_("Run"), "run")
    scheme = scheme_filter("run__scheme")
    year = django_filters.NumberFilter(label=_("Year"), field_name="run__year")
    official = django_filters.BooleanFilter(
        label=_("Official runs only"), field_name="run__official"
    )
    park = park_filter()
    final_class = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("evaluation", "Class"), choices=EvaluationClass.choices
    )
    changed = django_filters.BooleanFilter(
        label=_("Class changed by hand"), method="filter_changed"
    )

    class Meta:
        model = EvaluationResult
        fields = ["rated"]

    def filter_changed(self, queryset, name, value):
        if value is None:
            return queryset
        changed = queryset.exclude(final_class=F("evaluated_class"))
        return changed if value else queryset.filter(final_class=F("evaluated_class"))


class AnnualFlagFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__uscc", "source", "note")
    park = park_filter("enterprise__park")

    class Meta:
        model = AnnualFlag
        fields = ["year", "flag"]
