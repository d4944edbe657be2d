from beacon.core.api.views import ScopedModelViewSet

from .. import filtersets
from ..models import Chain, Target, TargetList
from . import serializers

READ_ONLY = ["get", "head", "options"]


class ChainViewSet(ScopedModelViewSet):
    """Chains with the YAML of their latest version; chains are edited in the UI."""

    http_method_names = READ_ONLY
    queryset = Chain.objects.all()
    serializer_class = serializers.ChainSerializer
    filterset_class = filtersets.ChainFilterSet


class TargetListViewSet(ScopedModelViewSet):
    http_method_names = READ_ONLY
    queryset = TargetList.objects.select_related("chain", "version")
    serializer_class = serializers.TargetListSerializer
    filterset_class = filtersets.TargetListFilterSet


class TargetViewSet(ScopedModelViewSet):
    """Ranked candidates for a chain's gaps, with the reasons and the lead each became."""

    http_method_names = READ_ONLY
    queryset = Target.objects.all()
    serializer_class = serializers.TargetSerializer
    filterset_class = filtersets.TargetFilterSet
