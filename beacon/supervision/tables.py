import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
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
from .templatetags.supervision_status import status_badge


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
OVERDUE = mark_safe(' class="text-danger"')  # nosec B308


class SupervisionListTable(BaseTable):
    """The supervision list's rows: projects with their status (``current_status``) and
    details (``exports.with_details``), worst status first; sorted in SQL by a header when
    the statuses are today's, kept. Cells are drawn here, in Python: a template per cell
    took a third of the page's time."""

    project = tables.Column(verbose_name=_("Project"), accessor="code", order_by=("code",))
    park = tables.Column(verbose_name=_("Park"), order_by=("park__code",))
    completion = tables.Column(
        verbose_name=_("Completed (%)"), attrs=NUMERIC, orderable=False, default="—"
    )
    lag_points = tables.Column(
        verbose_name=_("Lag (points)"),
        accessor="current_status__lag_points",
        attrs=NUMERIC,
        default="—",
    )
    status = tables.Column(
        verbose_name=_("Status"),
        accessor="current_status__status",
        order_by=("current_status__severity", "-current_status__lag_points", "code"),
    )
    reasons = tables.Column(
        verbose_name=_("Reasons"),
        accessor="current_status__reasons",
        orderable=False,
        attrs=SMALL,
    )
    issues = tables.Column(
        verbose_name=_("Open issues"), accessor="open_issues", orderable=False, attrs=SMALL
    )

    class Meta(BaseTable.Meta):
        attrs = {**BaseTable.Meta.attrs, "id": "supervision-list"}

    def render_project(self, record):
        return format_html(
            '<a href="{}">{}</a><div class="small text-secondary">{}</div>',
            record.get_absolute_url(),
            record.name,
            record.code,
        )

    def render_completion(self, value):
        return f"{round(value * 100)}%"

    def render_status(self, record):
        status = record.current_status
        if not status.escalate:
            return status_badge(status.status)
        return format_html(
            '{} <span class="badge bg-red-lt">{}</span>',
            status_badge(status.status),
            gettext("escalated"),
        )

    def render_reasons(self, value):
        return "; ".join(value)

    def render_issues(self, record):
        return format_html_join(
            "",
            "<div{}>{} ({}, {})</div>",
            (
                (
                    OVERDUE if issue["overdue"] else "",
                    issue["description"],
                    issue["owner"],
                    issue["due"].isoformat(),
                )
                for issue in record.open_issues
            ),
        )
