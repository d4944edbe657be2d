from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.core.forms import CodeChoiceField, StyledModelForm

from .models import KeyProject, Milestone, ProgressReport, ProjectIssue


def project_field():
    return CodeChoiceField(KeyProject.objects.all(), "code", label=_("key project (code)"))


class KeyProjectForm(StyledModelForm):
    class Meta:
        model = KeyProject
        fields = [
            "code",
            "name",
            "lead",
            "park",
            "category",
            "responsible_unit",
            "officer",
            "total_investment",
            "start_date",
            "end_date",
            "monthly_plan",
        ]


class MilestoneForm(StyledModelForm):
    project = project_field()

    class Meta:
        model = Milestone
        fields = ["project", "name", "planned_date", "actual_date"]


class ProgressReportForm(StyledModelForm):
    project = project_field()

    class Meta:
        model = ProgressReport
        fields = [
            "project",
            "month",
            "investment_completed",
            "physical_progress",
            "workforce",
            "text",
        ]
        widgets = {"month": forms.TextInput(attrs={"placeholder": "2024-05"})}


class ProjectIssueForm(StyledModelForm):
    project = project_field()

    class Meta:
        model = ProjectIssue
        fields = [
            "project",
            "kind",
            "description",
            "owner_unit",
            "due_date",
            "resolution",
            "resolved_on",
        ]
