import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.core.forms import CodeChoiceField, StyledModelForm

from .choices import DEFAULT_MILESTONES
from .models import KeyProject, Milestone, ProgressReport, ProjectIssue


def project_field():
    return CodeChoiceField(KeyProject.objects.all(), "code", label=_("key project (code)"))


class KeyProjectForm(StyledModelForm):
    """A new project starts with the default milestones, planned evenly between its start
    and end dates, to be re-planned."""

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

    def save(self, commit=True):
        self.created = self.instance.pk is None
        return super().save(commit)

    def _save_m2m(self):
        super()._save_m2m()
        project = self.instance
        if getattr(self, "created", False) and not project.milestones.exists():
            span = (project.end_date - project.start_date).days
            steps = len(DEFAULT_MILESTONES) + 1
            for i, name in enumerate(DEFAULT_MILESTONES, start=1):
                Milestone.objects.create(
                    project=project,
                    name=str(name),
                    planned_date=project.start_date + dt.timedelta(days=span * i // steps),
                )


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
