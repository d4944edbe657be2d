from beacon.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import filtersets
from ..models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme
from . import serializers


class SchemeViewSet(ScopedReadOnlyViewSet):
    """Schemes with the YAML of their latest version; schemes are edited in the UI."""

    queryset = Scheme.objects.all()
    serializer_class = serializers.SchemeSerializer
    filterset_class = filtersets.SchemeFilterSet


class EvaluationRunViewSet(ScopedReadOnlyViewSet):
    """Runs are frozen: started from the UI or ``beacon evaluate --year --scheme``."""

    queryset = EvaluationRun.objects.select_related("scheme", "version")
    serializer_class = serializers.EvaluationRunSerializer
    filterset_class = filtersets.EvaluationRunFilterSet


class EvaluationResultViewSet(ScopedReadOnlyViewSet):
    queryset = EvaluationResult.objects.select_related("enterprise", "park")
    serializer_class = serializers.EvaluationResultSerializer
    filterset_class = filtersets.EvaluationResultFilterSet


class AnnualFlagViewSet(ScopedModelViewSet):
    queryset = AnnualFlag.objects.select_related("enterprise")
    serializer_class = serializers.AnnualFlagSerializer
    filterset_class = filtersets.AnnualFlagFilterSet
