from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from beacon.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from beacon.core.permissions import can, restrict

from .. import filtersets
from ..models import Activity, Lead, ParkEntryRule, PromotionTarget, StageChange, Team
from ..services import StageError, move
from . import serializers


class TeamViewSet(ScopedModelViewSet):
    queryset = Team.objects.prefetch_related("industries")
    serializer_class = serializers.TeamSerializer
    filterset_class = filtersets.TeamFilterSet


class ActivityViewSet(ScopedModelViewSet):
    queryset = Activity.objects.select_related("team").prefetch_related("leads")
    serializer_class = serializers.ActivitySerializer
    filterset_class = filtersets.ActivityFilterSet


class LeadViewSet(ScopedModelViewSet):
    queryset = Lead.objects.select_related("team", "proposed_park", "industry")
    serializer_class = serializers.LeadSerializer
    filterset_class = filtersets.LeadFilterSet

    @extend_schema(request=serializers.MoveSerializer, responses=serializers.LeadSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the lead to a stage as of the date it happened (a reason to drop it or to
        move it back)."""
        # a move changes the lead: the scope to hold is "change", not the POST's "add"
        lead = get_object_or_404(restrict(Lead.objects.all(), request.user, "change"), pk=pk)
        if not can(request.user, StageChange, "add"):
            raise Http404
        data = serializers.MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            move(lead, user=request.user, **data.validated_data)
        except StageError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        return Response(self.get_serializer(lead).data)


class StageChangeViewSet(ScopedReadOnlyViewSet):
    """Stage history; a change is made by moving the lead."""

    queryset = StageChange.objects.select_related("moved_by")
    serializer_class = serializers.StageChangeSerializer
    filterset_class = filtersets.StageChangeFilterSet


class ParkEntryRuleViewSet(ScopedModelViewSet):
    queryset = ParkEntryRule.objects.select_related("park")
    serializer_class = serializers.ParkEntryRuleSerializer
    filterset_class = filtersets.ParkEntryRuleFilterSet


class PromotionTargetViewSet(ScopedModelViewSet):
    queryset = PromotionTarget.objects.select_related("team")
    serializer_class = serializers.PromotionTargetSerializer
    filterset_class = filtersets.PromotionTargetFilterSet
