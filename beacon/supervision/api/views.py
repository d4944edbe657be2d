from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from beacon.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import current, filtersets, services
from ..models import (
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRules,
)
from . import serializers

STATUS_DESCRIPTION = """The status of the key projects in your scope and their parks' league table
as of a day, by the status rules in force: what `beacon supervise --json` prints,
`{"as_of": "YYYY-MM-DD", "projects": [...], "parks": [...]}`. Today's statuses are read as
kept; another day's are judged for the request. A league table is published from the UI."""


class KeyProjectViewSet(ScopedModelViewSet):
    queryset = KeyProject.objects.select_related("park", "officer")
    serializer_class = serializers.KeyProjectSerializer
    filterset_class = filtersets.KeyProjectFilterSet

    @extend_schema(
        summary="Status of the key projects and the park league table",
        description=STATUS_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="The day the status is for (YYYY-MM-DD); today if left out.",
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def status(self, request):
        query = serializers.StatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        # both read the projects through the permission layer (restrict)
        if as_of == timezone.localdate():
            return Response(current.status_of_today(request.user))
        return Response(services.project_status(request.user, as_of))


class MilestoneViewSet(ScopedModelViewSet):
    queryset = Milestone.objects.select_related("project")
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filtersets.MilestoneFilterSet


class ProgressReportViewSet(ScopedModelViewSet):
    queryset = ProgressReport.objects.select_related("project")
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filtersets.ProgressReportFilterSet


class ProjectIssueViewSet(ScopedModelViewSet):
    queryset = ProjectIssue.objects.select_related("project")
    serializer_class = serializers.ProjectIssueSerializer
    filterset_class = filtersets.ProjectIssueFilterSet


class LeagueTableViewSet(ScopedReadOnlyViewSet):
    """League tables are frozen: published from the UI."""

    queryset = LeagueTable.objects.select_related("rule_version__rules", "published_by")
    serializer_class = serializers.LeagueTableSerializer
    filterset_class = filtersets.LeagueTableFilterSet


class StatusRulesViewSet(ScopedReadOnlyViewSet):
    """Status rule files with the YAML of their latest version; they are edited in the UI."""

    queryset = StatusRules.objects.all()
    serializer_class = serializers.StatusRulesSerializer
    filterset_class = filtersets.StatusRulesFilterSet
