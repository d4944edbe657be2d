from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beacon.core.forms import CodeChoiceField, CodeListField, StyledModelForm
from beacon.core.versions import RuleFileFormMixin
from beacon.registry.models import IndustryClass

from .choices import Stage
from .claims import check_rivals, flag_claims
from .entry_rules import parse_entry_rule
from .models import Activity, Lead, ParkEntryRule, PromotionTarget, Team
from .services import open_lead


class TeamForm(StyledModelForm):
    industries = CodeListField(
        IndustryClass.objects.filter(level="class"),
        "code",
        required=False,
        label=_("industries covered (class codes, separated by ';')"),
    )

    class Meta:
        model = Team
        fields = ["code", "name", "name_en", "industries", "regions", "description"]


# What a user fills in for an activity, in the form and through the API alike.
ACTIVITY_FIELDS = [
    "team",
    "kind",
    "title",
    "date",
    "end_date",
    "place",
    "participants",
    "companies_met",
    "leads",
    "notes",
    "follow_up",
    "follow_up_due",
    "follow_up_done",
]


class ActivityForm(StyledModelForm):
    leads = CodeListField(
        Lead.objects.all(),
        "pk",
        required=False,
        label=_("leads met (lead numbers, separated by ';')"),
    )

    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS


# What a user fills in for a lead, in the form and through the API alike.
LEAD_FIELDS = [
    "company",
    "company_en",
    "uscc",
    "hq_province",
    "hq_city",
    "industry",
    "chain_link",
    "project",
    "description",
    "planned_investment",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "land_need_mu",
    "floor_space_need_m2",
    "source",
    "source_activity",
    "source_note",
    "team",
    "proposed_park",
    "contacts",
]


class LeadForm(StyledModelForm):
    """A lead; a new one starts in stage ``lead`` on the date given.

    A company another team or park is already working (same USCC, or a name close enough)
    is refused until the user confirms; the lead is then flagged for the zone administration
    to decide who keeps it.
    """

    industry = CodeChoiceField(
        IndustryClass.objects.filter(level="class"),
        "code",
        required=False,
        label=_("industry class (4-digit code)"),
    )
    lead_date = forms.DateField(
        label=_("lead since"), required=False, help_text=_("When the lead came in.")
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Save anyway, for the zone administration to decide who keeps the company"),
        required=False,
    )

    class Meta:
        model = Lead
        fields = LEAD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = []
        self.check = None
        self.rivals_change = False
        if self.instance.pk:
            del self.fields["lead_date"]
        else:
            self.fields["lead_date"].initial = timezone.localdate()

    def clean_lead_date(self):
        date = self.cleaned_data.get("lead_date") or timezone.localdate()
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return date

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        watched = ("uscc", "company", "company_en", "team", "proposed_park")
        self.rivals_change = any(f in self.changed_data for f in watched)
        if self.instance.pk is None or self.rivals_change:
            probe = self.instance
            for name in watched:
                if name in cleaned:
                    setattr(probe, name, cleaned[name])
            self.check = check_rivals(probe)
            self.claims = self.check.claims
        if self.claims and not cleaned.get("confirm_duplicate"):
            for claim in self.claims:
                self.add_error(
                    None,
                    _("Lead %(lead)s of team %(team)s (%(stage)s) may be the same company: %(why)s")
                    % {
                        "lead": claim.lead.pk,
                        "team": claim.lead.team,
                        "stage": claim.lead.get_stage_display(),
                        "why": claim.reason,
                    },
                )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is not None:
            lead = super().save(commit)
            if commit and self.rivals_change:
                flag_claims([lead], [self.check])
            return lead
        lead = super().save(commit=False)
        lead.stage_date = self.cleaned_data["lead_date"]
        return open_lead(lead, self.user, self.check) if commit else lead


class MoveForm(forms.Form):
    """Move a lead: to which stage, the date it happened, and why (for dropping or going
    back)."""

    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    date = forms.DateField(
        label=_("date it happened"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ParkEntryRuleForm(RuleFileFormMixin, StyledModelForm):
    """A park's entry thresholds; saving a changed file saves the next version."""

    class Meta:
        model = ParkEntryRule
        fields = ["park", "note"]

    def check_text(self, text):
        parse_entry_rule(text)


class PromotionTargetForm(StyledModelForm):
    class Meta:
        model = PromotionTarget
        fields = ["year", "team", "signed_investment"]
