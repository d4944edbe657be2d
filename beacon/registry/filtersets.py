import django_filters
from django.utils.translation import gettext_lazy as _

from beacon.core.filtersets import BaseFilterSet, park_filter

from . import choices
from .models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)


class ZoneFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en")

    class Meta:
        model = Zone
        fields = []


class ParkFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en", "positioning")

    class Meta:
        model = Park
        fields = []


class IndustryClassFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en", "note")
    code = django_filters.CharFilter(label=_("Code starts with"), lookup_expr="startswith")

    class Meta:
        model = IndustryClass
        fields = ["level", "section"]


class ParcelFilterSet(BaseFilterSet):
    search_fields = ("code", "notes")
    park = park_filter()
    min_area_mu = django_filters.NumberFilter(
        label=_("Area at least (mu)"), field_name="area_mu", lookup_expr="gte"
    )

    class Meta:
        model = Parcel
        fields = ["status", "land_use"]


class EnterpriseFilterSet(BaseFilterSet):
    search_fields = ("name", "name_en", "uscc", "business_scope")
    park = park_filter()
    industry_code = django_filters.CharFilter(
        label=_("Industry code starts with"), field_name="industry__code", lookup_expr="startswith"
    )
    section = django_filters.ChoiceFilter(
        label=_("Industry section"),
        field_name="industry__section",
        choices=[(c, c) for c in "ABCDEFGHIJKLMNOPQRST"],
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=choices.EnterpriseStatus.choices
    )
    founded_after = django_filters.DateFilter(
        label=_("Founded on or after"), field_name="founded", lookup_expr="gte"
    )

    class Meta:
        model = Enterprise
        fields = ["high_tech", "srdi", "little_giant", "above_scale", "chain_master"]


class AnnualFigureFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__uscc")
    park = park_filter("enterprise__park")
    uscc = django_filters.CharFilter(label=_("USCC"), field_name="enterprise__uscc")
    year_from = django_filters.NumberFilter(
        label=_("From year"), field_name="year", lookup_expr="gte"
    )
    year_to = django_filters.NumberFilter(label=_("To year"), field_name="year", lookup_expr="lte")

    class Meta:
        model = AnnualFigure
        fields = ["year"]


class InnovationPlatformFilterSet(BaseFilterSet):
    search_fields = ("name", "name_en", "description")
    park = park_filter()

    class Meta:
        model = InnovationPlatform
        fields = ["kind", "level"]


class TalentFilterSet(BaseFilterSet):
    search_fields = ("name", "name_en", "field", "programme")
    park = park_filter()

    class Meta:
        model = Talent
        fields = ["kind"]
