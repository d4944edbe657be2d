from rest_framework import serializers

from beacon.core.api.serializers import ScopedModelSerializer, SlugRelatedField

from ..models import (
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

BASE = ("id", "url", "created", "updated")


def code_field(model, slug="code", **kwargs):
    return SlugRelatedField(slug_field=slug, queryset=model.objects.all(), **kwargs)


class ZoneSerializer(ScopedModelSerializer):
    class Meta:
        model = Zone
        fields = (*BASE, "code", "name", "name_en", "description")


class IndustryClassSerializer(ScopedModelSerializer):
    parent = code_field(IndustryClass, required=False, allow_null=True)

    class Meta:
        model = IndustryClass
        fields = (*BASE, "code", "name", "name_en", "level", "parent", "section", "note")


class ParkSerializer(ScopedModelSerializer):
    zone = code_field(Zone)
    industries = code_field(IndustryClass, many=True, required=False)

    class Meta:
        model = Park
        fields = (
            *BASE,
            "zone",
            "code",
            "name",
            "name_en",
            "positioning",
            "industries",
            "area_mu",
            "address",
        )


class ParcelSerializer(ScopedModelSerializer):
    park = code_field(Park)
    area_m2 = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Parcel
        fields = (
            *BASE,
            "code",
            "park",
            "area_mu",
            "area_m2",
            "land_use",
            "status",
            "outline",
            "notes",
        )


class EnterpriseSerializer(ScopedModelSerializer):
    park = code_field(Park)
    industry_code = SlugRelatedField(
        source="industry", slug_field="code", queryset=IndustryClass.objects.filter(level="class")
    )
    parcels = code_field(Parcel, many=True, required=False)

    class Meta:
        model = Enterprise
        fields = (
            *BASE,
            "uscc",
            "name",
            "name_en",
            "industry_code",
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
        )


class AnnualFigureSerializer(ScopedModelSerializer):
    uscc = SlugRelatedField(
        source="enterprise", slug_field="uscc", queryset=Enterprise.objects.all()
    )

    class Meta:
        model = AnnualFigure
        fields = (
            *BASE,
            "uscc",
            "year",
            *FIGURE_MEASURES,
        )


class ParkOrEnterpriseSerializer(ScopedModelSerializer):
    """Platforms and talents: filed under a park, an enterprise, or both."""

    park = code_field(Park, required=False, allow_null=True)
    uscc = SlugRelatedField(
        source="enterprise",
        slug_field="uscc",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
    )


class InnovationPlatformSerializer(ParkOrEnterpriseSerializer):
    class Meta:
        model = InnovationPlatform
        fields = (
            *BASE,
            "name",
            "name_en",
            "kind",
            "level",
            "park",
            "uscc",
            "established",
            "description",
        )


class TalentSerializer(ParkOrEnterpriseSerializer):
    class Meta:
        model = Talent
        fields = (
            *BASE,
            "name",
            "name_en",
            "kind",
            "field",
            "programme",
            "year",
            "park",
            "uscc",
            "description",
        )
