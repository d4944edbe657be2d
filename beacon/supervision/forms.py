from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.core.forms import CodeChoiceField, StyledModelForm
from beacon.core.versions import RuleFileFormMixin
from beacon.promotion.models import Lead

from .models import KeyProject, Milestone, ProgressReport, ProjectIssue, StatusRules
from .services import check_rules_text, free_signed_leads, lead_defaults, open_key_project


def project_field():
    return CodeChoiceField(KeyProject.objects.all(), "code", label=_("key project (code)"))


# What a user fills in for a key project, in the form and through the API alike.
KEY_PROJECT_FIELDS = [
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


class KeyProjectForm(StyledModelForm):
    """A new project starts with the default milestones, planned evenly between its start
    and end dates, to be re-planned. Started from a signed lead (``?lead=ID``), it takes the
    lead's project, park and investment."""

    class Meta:
        model = KeyProject
        fields = KEY_PROJECT_FIELDS

    def __init__(self, *args, initial=None, **kwargs):
        initial = dict(initial or {})
        lead_id = initial.get("lead")
        if lead_id and str(lead_id).isdigit():
            lead = Lead.objects.filter(pk=lead_id).first()
            if lead is not None:
                initial = {**lead_defaults(lead), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        if "lead" in self.fields:
            # a project carries on a signed lead, and each lead becomes one project at most
            self.fields["lead"].queryset = free_signed_leads(self.instance)

    def save(self, commit=True):
        if commit and self.instance.pk is None:
            return open_key_project(super().save(commit=False), self.user)
        return super().save(commit)


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


# What a user fills in for a project's issue, in the form and through the API alike.
ISSUE_FIELDS = [
    "project",
    "kind",
    "description",
    "owner_unit",
    "due_date",
    "resolution",
    "resolved_on",
]


class ProjectIssueForm(StyledModelForm):
    project = project_field()

    class Meta:
        model = ProjectIssue
        fields = ISSUE_FIELDS


class StatusRulesForm(RuleFileFormMixin, StyledModelForm):
    """A status rule file; saving a changed file saves the next version. Putting a set in
    force takes the one before out of force."""

    class Meta:
        model = StatusRules
        fields = ["code", "name", "description", "in_force"]

    def check_text(self, text):
        check_rules_text(text)

    def _get_validation_exclusions(self):
        # the set in force is switched on save (StatusRules.save), not refused
        return {*super()._get_validation_exclusions(), "in_force"}
