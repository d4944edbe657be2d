from django.db.models import Prefetch

from beacon.core.api.views import ScopedModelViewSet

from .. import filtersets
from ..models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)
from . import serializers


class ZoneViewSet(ScopedModelViewSet):
    queryset = Zone.objects.all()
    serializer_class = serializers.ZoneSerializer
    filterset_class = filtersets.ZoneFilterSet


class IndustryClassViewSet(ScopedModelViewSet):
    queryset = IndustryClass.objects.select_related("parent")
    serializer_class = serializers.IndustryClassSerializer
    filterset_class = filtersets.IndustryClassFilterSet


class ParkViewSet(ScopedModelViewSet):
    queryset = Park.objects.select_related("zone").prefetch_related("industries")
    serializer_class = serializers.ParkSerializer
    filterset_class = filtersets.ParkFilterSet


class ParcelViewSet(ScopedModelViewSet):
    queryset = Parcel.objects.select_related("park")
    serializer_class = serializers.ParcelSerializer
    filterset_class = filtersets.ParcelFilterSet


class EnterpriseViewSet(ScopedModelViewSet):
    # a parcel is shown by its code: all that is read of it
    queryset = Enterprise.objects.select_related("park", "industry").prefetch_related(
        Prefetch("parcels", queryset=Parcel.objects.only("code"))
    )
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet


class AnnualFigureViewSet(ScopedModelViewSet):
    queryset = AnnualFigure.objects.select_related("enterprise")
    serializer_class = serializers.AnnualFigureSerializer
    filterset_class = filtersets.AnnualFigureFilterSet


class InnovationPlatformViewSet(ScopedModelViewSet):
    queryset = InnovationPlatform.objects.select_related("park", "enterprise")
    serializer_class = serializers.InnovationPlatformSerializer
    filterset_class = filtersets.InnovationPlatformFilterSet


class TalentViewSet(ScopedModelViewSet):
    queryset = Talent.objects.select_related("park", "enterprise")
    serializer_class = serializers.TalentSerializer
    filterset_class = filtersets.TalentFilterSet
