from django.utils.translation import gettext_lazy as _

from beacon.core.forms import CodeChoiceField, CodeListField, StyledModelForm, enterprise_field

from .choices import ClassificationLevel
from .models import (
    FIGURE_MEASURES,
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)


class ZoneForm(StyledModelForm):
    class Meta:
        model = Zone
        fields = ["code", "name", "name_en", "description"]


class ParkForm(StyledModelForm):
    class Meta:
        model = Park
        fields = [
            "zone",
            "code",
            "name",
            "name_en",
            "positioning",
            "industries",
            "area_mu",
            "address",
        ]


class IndustryClassForm(StyledModelForm):
    """Reference data: mostly English names; a class missing from the shipped list can be added."""

    parent = CodeChoiceField(IndustryClass.objects.all(), "code", required=False, label=_("parent"))

    class Meta:
        model = IndustryClass
        fields = ["code", "name", "name_en", "level", "parent", "section", "note"]


class ParcelForm(StyledModelForm):
    class Meta:
        model = Parcel
        fields = ["code", "park", "area_mu", "land_use", "status", "outline", "notes"]


class EnterpriseForm(StyledModelForm):
    parcels = CodeListField(
        Parcel.objects.all(),
        "code",
        required=False,
        label=_("parcels"),
        help_text=_("Parcel codes separated by semicolons."),
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "name_en",
            "industry",
            "park",
            "parcels",
            "business_scope",
            "founded",
            "high_tech",
            "high_tech_expiry",
            "srdi",
            "little_giant",
            "above_scale",
            "chain_master",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = IndustryClass.objects.filter(
            level=ClassificationLevel.CLASS
        )


class AnnualFigureForm(StyledModelForm):
    enterprise = enterprise_field()

    class Meta:
        model = AnnualFigure
        fields = [
            "enterprise",
            "year",
            *FIGURE_MEASURES,
        ]


class InnovationPlatformForm(StyledModelForm):
    enterprise = enterprise_field(required=False)

    class Meta:
        model = InnovationPlatform
        fields = [
            "name",
            "name_en",
            "kind",
            "level",
            "park",
            "enterprise",
            "established",
            "description",
        ]


class TalentForm(StyledModelForm):
    enterprise = enterprise_field(required=False)

    class Meta:
        model = Talent
        fields = [
            "name",
            "name_en",
            "kind",
            "field",
            "programme",
            "year",
            "park",
            "enterprise",
            "description",
        ]
