from beacon.core.api.views import ScopedReadOnlyViewSet

from .. import filtersets
from ..models import Chain, Target, TargetList
from . import serializers


class ChainViewSet(ScopedReadOnlyViewSet):
    """Chains with the YAML of their latest version; chains are edited in the UI."""

    queryset = Chain.objects.all()
    serializer_class = serializers.ChainSerializer
    filterset_class = filtersets.ChainFilterSet


class TargetListViewSet(ScopedReadOnlyViewSet):
    queryset = TargetList.objects.select_related("chain", "version")
    serializer_class = serializers.TargetListSerializer
    filterset_class = filtersets.TargetListFilterSet


class TargetViewSet(ScopedReadOnlyViewSet):
    """Ranked candidates for a chain's gaps, with the reasons and the lead each became."""

    queryset = Target.objects.all()
    serializer_class = serializers.TargetSerializer
    filterset_class = filtersets.TargetFilterSet
