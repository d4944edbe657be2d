"""Key projects with their status and the rule that fired, milestones, monthly reports,
issues, and park league tables, live and frozen."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from beacon.core.downloads import attachment, table_attachment
from beacon.core.permissions import can, restrict
from beacon.core.views import generic
from beacon.core.views.generic import views_for
from beacon.promotion.models import Lead
from beacon.registry.models import Park

from . import current, exports, filtersets, forms, services, tables
from .gantt import gantt
from .jobs import queue_publish
from .models import KeyProject, LeagueTable, Milestone, ProgressReport, ProjectIssue, StatusRules
from .reminders import reminders_for


def as_of(request) -> dt.date:
    """The day asked for (``?as_of=``), or today when none or none that can be judged."""
    try:
        day = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
    return day if day >= services.FIRST_DAY else timezone.localdate()


def lead_panel(lead, user):
    """On a signed lead's page: its key project, or the button that makes it one."""
    if not Lead.objects.projects().filter(pk=lead.pk).exists():
        return None
    project = restrict(KeyProject.objects.filter(lead=lead), user).first()
    can_add = project is None and can(user, KeyProject, "add")
    if project is None and not can_add:
        return None
    return "supervision/lead_panel.html", {"project": project, "can_add": can_add}


class KeyProjectView(generic.ObjectView):
    model = KeyProject

    def get_extra_context(self, project):
        user = self.request.user
        day = as_of(self.request)
        # this project's status alone: kept for today, judged over its own inputs otherwise
        status = current.on_day(user, day, KeyProject.objects.filter(pk=project.pk))[0]
        milestones = list(restrict(project.milestones.all(), user))
        today = timezone.localdate()
        return {
            "status": status.current_status,
            "as_of": day,
            "milestones": milestones,
            "reports": restrict(project.reports.all(), user),
            "issues": restrict(project.issues.all(), user),
            "can_report": can(user, ProgressReport, "add"),
            "can_raise": can(user, ProjectIssue, "add"),
            "today": today,
            "gantt": gantt(project, milestones, today),
        }


def park_names() -> dict[str, str]:
    return {p.code: str(p) for p in Park.objects.all()}


def download(fmt, filename, title, subtitle, headers, cells, status_column=None):
    """The table as an XLSX or Word attachment (404 for another format)."""
    made = exports.export(fmt, filename, title, subtitle, headers, cells, status_column)
    if made is None:
        raise Http404
    return attachment(*made)


class SupervisionListView(generic.ObjectPermissionMixin, View):
    """The supervision list (督办清单) as of a date: the projects in scope with their status,
    lag, reasons and open issues, worst first, filtered, a page at a time;
    ``?format=xlsx|csv|docx`` downloads every row the filters keep."""

    model = KeyProject
    per_page = 50
    formats = (("xlsx", "XLSX"), ("csv", "CSV"), ("docx", "Word"))

    def get(self, request):
        self.require("view")
        day = as_of(request)
        filterset = filtersets.SupervisionListFilterSet(
            request.GET or None, queryset=self.restricted(), request=request
        )
        # today's statuses are kept, so the status filters apply in SQL; another day's
        # are judged first and filtered after
        filterset.kept = kept = day == timezone.localdate()
        if filterset.is_bound and not filterset.is_valid():
            projects = KeyProject.objects.none()
        else:
            projects = filterset.qs
        rows = current.on_day(request.user, day, projects)
        if not kept and filterset.is_bound:
            rows = [project for project in rows if filterset.keep(project)]
        fmt = request.GET.get("format")
        if fmt:
            return self.download(fmt, day, exports.with_details(request.user, day, list(rows)))
        table = tables.SupervisionListTable(rows, orderable=kept)
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        # the page's projects, as the table will draw them, get their details
        page = exports.with_details(request.user, day, list(table.page.object_list.data))
        context = {
            **self.base_context(),
            "as_of": day,
            "rows": page,
            "table": table,
            "filter_form": filterset.form,
            "querystring": request.GET.urlencode(),
            "formats": self.formats,
        }
        if request.headers.get("HX-Request"):
            return render(request, "core/inc/table.html", context)
        return render(request, "supervision/list.html", context)

    def download(self, fmt, day, projects):
        headers, cells = exports.list_table(projects)
        name = f"supervision-list-{day}"
        if fmt == "csv":
            return table_attachment(fmt, headers, cells, name)
        return download(
            fmt,
            name,
            _("Key-project supervision list"),
            _("As of %(date)s") % {"date": day},
            headers,
            cells,
            status_column=headers.index(_("Status")),
        )


class RemindersView(generic.ObjectPermissionMixin, View):
    """The user's reminders: reports due and issues overdue, or, for the zone
    administration, the escalations."""

    model = KeyProject

    def get(self, request):
        self.require("view")
        day = timezone.localdate()
        context = {
            **self.base_context(),
            "today": day,
            "reminders": reminders_for(request.user, day),
        }
        return render(request, "supervision/reminders.html", context)


class LeagueView(generic.ObjectPermissionMixin, View):
    """The park league table as of a date, from the projects as they stand; publishing
    freezes it, in the background (``jobs.py``)."""

    model = LeagueTable

    def get(self, request):
        self.require("view")
        day = as_of(request)
        if day == timezone.localdate():
            league = current.league_of_today(request.user)
        else:
            league = services.project_status(request.user, day)["parks"]
        parks = park_names()
        if request.GET.get("format"):
            headers, cells = exports.league_table(league, parks)
            subtitle = _("As of %(date)s, from the projects as they stand") % {"date": day}
            return download(
                request.GET["format"],
                f"league-table-{day}",
                _("Park league table"),
                subtitle,
                headers,
                cells,
            )
        context = {
            **self.base_context(),
            "as_of": day,
            "parks": [{**row, "name": parks.get(row["park"], row["park"])} for row in league],
            "can_publish": can(request.user, LeagueTable, "add"),
            "rule_version": services.rule_version_in_force(),
            "published": restrict(LeagueTable.objects.all(), request.user)[:10],
        }
        return render(request, "supervision/league.html", context)

    def post(self, request):
        self.require("add")
        job = queue_publish(request.user, as_of(request))
        messages.success(request, _("The table is queued; this page shows how it goes."))
        return redirect(job.get_absolute_url())


class LeagueTableView(generic.ObjectView):
    model = LeagueTable

    def get_extra_context(self, table):
        parks = park_names()
        return {
            "parks": [{**row, "name": parks.get(row["park"], row["park"])} for row in table.parks]
        }


class LeagueTableExportView(generic.ObjectPermissionMixin, View):
    """A published league table as XLSX or Word, as it was frozen."""

    model = LeagueTable

    def get(self, request, pk):
        table = get_object_or_404(self.restricted("view"), pk=pk)
        headers, cells = exports.league_table(table.parks, park_names())
        subtitle = _("As of %(date)s, published by %(user)s on %(day)s") % {
            "date": table.as_of,
            "user": table.published_by or "—",
            "day": timezone.localtime(table.created).date(),
        }
        return download(
            request.GET.get("format", "xlsx"),
            f"league-table-{table.as_of}-{table.pk}",
            _("Park league table"),
            subtitle,
            headers,
            cells,
        )


# Key projects and their reports are filed in the application, one by one: no imports.
WITHOUT_IMPORT = ("list", "add", "detail", "edit", "delete", "history")

KEY_PROJECT = views_for(
    KeyProject,
    filtersets.KeyProjectFilterSet,
    tables.KeyProjectTable,
    forms.KeyProjectForm,
    related=("park",),
    pages=WITHOUT_IMPORT,
    detail=KeyProjectView,
)
MILESTONE = views_for(
    Milestone,
    filtersets.MilestoneFilterSet,
    tables.MilestoneTable,
    forms.MilestoneForm,
    related=("project",),
    pages=WITHOUT_IMPORT,
)
PROGRESS_REPORT = views_for(
    ProgressReport,
    filtersets.ProgressReportFilterSet,
    tables.ProgressReportTable,
    forms.ProgressReportForm,
    related=("project",),
    pages=WITHOUT_IMPORT,
)
PROJECT_ISSUE = views_for(
    ProjectIssue,
    filtersets.ProjectIssueFilterSet,
    tables.ProjectIssueTable,
    forms.ProjectIssueForm,
    related=("project",),
    pages=WITHOUT_IMPORT,
)
LEAGUE_TABLE = views_for(
    LeagueTable,
    filtersets.LeagueTableFilterSet,
    tables.LeagueTableTable,
    pages=("list", "detail", "history"),
    detail=LeagueTableView,
)
STATUS_RULES = views_for(
    StatusRules,
    filtersets.StatusRulesFilterSet,
    tables.StatusRulesTable,
    forms.StatusRulesForm,
    pages=(*WITHOUT_IMPORT, "download"),
)
