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
    """The supervision list's filters: the projects' own (park, category, search) narrow the
    projects whose status is computed; the day and the status are of the computed rows."""

    # a day that cannot be read is today, as on every supervision page (views.as_of)
    as_of = django_filters.CharFilter(
        label=_("As of"), method="computed", widget=forms.DateInput(attrs={"type": "date"})
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, method="computed"
    )
    escalated = django_filters.BooleanFilter(label=_("Escalated"), method="computed")

    def computed(self, queryset, name, value):
        return queryset  # applied to the rows once their status is computed

    def keep(self, row: dict) -> bool:
        data = self.form.cleaned_data
        if data.get("status") and row["status"] != data["status"]:
            return False
        return data.get("escalated") is None or row["escalate"] == data["escalated"]


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
