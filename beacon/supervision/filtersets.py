import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.core.filtersets import BaseFilterSet, code_filter, park_filter

from .choices import ProjectStatus
from .models import (
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRules,
)


def project_filter():
    return code_filter(KeyProject, _("Key project"), "project")


class KeyProjectFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "responsible_unit")
    park = park_filter()

    class Meta:
        model = KeyProject
        fields = ["category"]


class SupervisionListFilterSet(KeyProjectFilterSet):
    """The supervision list's filters: the projects' own (park, category, search), and
    their status. Today's statuses are kept, so ``status`` and ``escalated`` filter in
    SQL; another day's are judged after the projects are chosen, and ``keep`` filters
    them (the view says which, in ``kept``)."""

    # a day that cannot be read is today, as on every supervision page (views.as_of)
    as_of = django_filters.CharFilter(
        label=_("As of"), method="chosen_day", widget=forms.DateInput(attrs={"type": "date"})
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, method="by_status"
    )
    escalated = django_filters.BooleanFilter(label=_("Escalated"), method="by_status")

    kept = True
    KEPT = {"status": "current_status__status", "escalated": "current_status__escalate"}

    def chosen_day(self, queryset, name, value):
        return queryset  # the view reads the day

    def by_status(self, queryset, name, value):
        if not self.kept:
            return queryset
        return queryset.filter(**{self.KEPT[name]: value})

    def keep(self, project) -> bool:
        data = self.form.cleaned_data
        status = project.current_status
        if data.get("status") and status.status != data["status"]:
            return False
        return data.get("escalated") is None or status.escalate == data["escalated"]


class MilestoneFilterSet(BaseFilterSet):
    search_fields = ("name", "project__name", "project__code")
    project = project_filter()
    park = park_filter("project__park")

    class Meta:
        model = Milestone
        fields = []


class ProgressReportFilterSet(BaseFilterSet):
    search_fields = ("project__name", "project__code", "text")
    project = project_filter()
    park = park_filter("project__park")

    class Meta:
        model = ProgressReport
        fields = ["month"]


class ProjectIssueFilterSet(BaseFilterSet):
    search_fields = ("description", "owner_unit", "project__name")
    project = project_filter()
    park = park_filter("project__park")
    open = django_filters.BooleanFilter(
        label=_("Open"), field_name="resolved_on", lookup_expr="isnull"
    )

    class Meta:
        model = ProjectIssue
        fields = ["kind"]


class LeagueTableFilterSet(BaseFilterSet):
    search_fields = ()

    class Meta:
        model = LeagueTable
        fields = ["as_of"]


class StatusRulesFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = StatusRules
        fields = ["in_force"]
