import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beacon.core.tables import NUMERIC, BaseTable, version_column

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
    version = version_column()

    class Meta(BaseTable.Meta):
        model = StatusRules
        fields = ("code", "name", "in_force", "version", "updated")


SMALL = {"td": {"class": "small"}}


class SupervisionListTable(BaseTable):
    """The supervision list's rows (computed, worst status first, so not re-sorted)."""

    project = tables.TemplateColumn(
        verbose_name=_("Project"),
        template_code='<a href="{{ value.get_absolute_url }}">{{ value.name }}</a>'
        '<div class="small text-secondary">{{ value.code }}</div>',
    )
    park = tables.Column(verbose_name=_("Park"), accessor="project__park")
    completion = tables.TemplateColumn(
        verbose_name=_("Completed (%)"),
        attrs=NUMERIC,
        template_code="{% if value is not None %}{% widthratio value 1 100 %}%{% else %}—"
        "{% endif %}",
    )
    lag_points = tables.Column(verbose_name=_("Lag (points)"), attrs=NUMERIC, default="—")
    status = tables.TemplateColumn(
        verbose_name=_("Status"), template_name="supervision/status_cell.html"
    )
    reasons = tables.TemplateColumn(
        verbose_name=_("Reasons"), template_code='{{ value|join:"; " }}', attrs=SMALL
    )
    issues = tables.TemplateColumn(
        verbose_name=_("Open issues"), template_name="supervision/issues_cell.html", attrs=SMALL
    )

    class Meta(BaseTable.Meta):
        orderable = False
        attrs = {**BaseTable.Meta.attrs, "id": "supervision-list"}
