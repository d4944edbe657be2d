import django_tables2 as tables

from beacon.core.tables import NUMERIC, BaseTable

from .models import (
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRules,
)


class KeyProjectTable(BaseTable):
    code = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    total_investment = tables.Column(attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = KeyProject
        fields = ("code", "name", "park", "category", "total_investment", "start_date", "end_date")


class MilestoneTable(BaseTable):
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Milestone
        fields = ("project", "name", "baseline_date", "planned_date", "actual_date")


class ProgressReportTable(BaseTable):
    project = tables.Column(linkify=True)
    investment_completed = tables.Column(attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = ProgressReport
        fields = ("project", "month", "investment_completed", "physical_progress", "workforce")


class ProjectIssueTable(BaseTable):
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ProjectIssue
        fields = ("project", "kind", "owner_unit", "due_date", "resolved_on")


class LeagueTableTable(BaseTable):
    as_of = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = LeagueTable
        fields = ("as_of", "published_by", "created")


class StatusRulesTable(BaseTable):
    code = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = StatusRules
        fields = ("code", "name", "in_force", "updated")
