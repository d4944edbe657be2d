import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beacon.core.tables import NUMERIC, BaseTable, amount_column

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


class ZoneTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Zone
        fields = ("code", "name", "name_en")


class ParkTable(BaseTable):
    name = tables.Column(linkify=True)
    area_mu = amount_column(_("planned area (mu)"))

    class Meta(BaseTable.Meta):
        model = Park
        fields = ("code", "name", "name_en", "positioning", "area_mu")


class IndustryClassTable(BaseTable):
    code = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = IndustryClass
        fields = ("code", "name", "name_en", "level", "section")


class ParcelTable(BaseTable):
    code = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    area_mu = amount_column(_("area (mu)"))
    area_m2 = tables.Column(verbose_name=_("area (m²)"), orderable=False, attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = Parcel
        fields = ("code", "park", "area_mu", "area_m2", "land_use", "status")


class EnterpriseTable(BaseTable):
    name = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    industry = tables.Column(verbose_name=_("industry class"))
    high_tech = tables.BooleanColumn()
    chain_master = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = (
            "name",
            "uscc",
            "park",
            "industry",
            "status",
            "high_tech",
            "above_scale",
            "chain_master",
        )


class AnnualFigureTable(BaseTable):
    year = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)
    revenue = amount_column(_("revenue (yuan)"))
    industrial_output = amount_column(_("industrial output (yuan)"))
    value_added = amount_column(_("value added (yuan)"))
    tax = amount_column(_("taxes paid (yuan)"))
    employees = amount_column(_("average employees"))
    land_mu = amount_column(_("land used (mu)"))

    class Meta(BaseTable.Meta):
        model = AnnualFigure
        fields = (
            "year",
            "enterprise",
            "revenue",
            "industrial_output",
            "value_added",
            "tax",
            "employees",
            "land_mu",
        )


class InnovationPlatformTable(BaseTable):
    name = tables.Column(linkify=True)
    park = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = InnovationPlatform
        fields = ("name", "kind", "level", "park", "enterprise", "established")


class TalentTable(BaseTable):
    name = tables.Column(linkify=True)
    park = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Talent
        fields = ("name", "kind", "field", "programme", "year", "park", "enterprise")
