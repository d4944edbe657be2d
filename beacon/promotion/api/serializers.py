from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from beacon.analytics.conditions import RuleError
from beacon.core.api.serializers import ScopedModelSerializer, SlugRelatedField
from beacon.core.versions import save_version
from beacon.registry.models import IndustryClass, Park

from ..choices import Stage
from ..claims import check_rivals, flag_claims
from ..entry_rules import parse_entry_rule
from ..forms import ACTIVITY_FIELDS, LEAD_FIELDS
from ..models import Activity, Lead, ParkEntryRule, PromotionTarget, StageChange, Team
from ..services import open_lead

BASE = ("id", "url", "created", "updated")


def code_field(model, slug="code", **kwargs):
    return SlugRelatedField(slug_field=slug, queryset=model.objects.all(), **kwargs)


class TeamSerializer(ScopedModelSerializer):
    industries = code_field(IndustryClass, many=True, required=False)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = (
            *BASE,
            "code",
            "name",
            "name_en",
            "industries",
            "regions",
            "description",
            "members",
        )

    def get_members(self, obj) -> list[str]:
        """User names of the users granted the team."""
        return list(obj.members.values_list("username", flat=True))


class ActivitySerializer(ScopedModelSerializer):
    team = code_field(Team)
    leads = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Lead.objects.all(), required=False
    )

    class Meta:
        model = Activity
        fields = (*BASE, *ACTIVITY_FIELDS)


class LeadSerializer(ScopedModelSerializer):
    """A lead; its stage moves only through ``POST …/move/``. A new lead for a company
    another team or park is working is refused unless ``confirm_duplicate`` is true; it is
    then flagged for the zone administration."""

    team = code_field(Team)
    proposed_park = code_field(Park, required=False, allow_null=True)
    industry = SlugRelatedField(
        slug_field="code",
        queryset=IndustryClass.objects.filter(level="class"),
        required=False,
        allow_null=True,
    )
    lead_date = serializers.DateField(write_only=True, required=False)
    confirm_duplicate = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Lead
        fields = (
            *BASE,
            *LEAD_FIELDS,
            "stage",
            "stage_date",
            "dropped_reason",
            "enterprise",
            "claim",
            "possible_duplicate_of",
            "lead_date",
            "confirm_duplicate",
        )
        read_only_fields = (
            "stage",
            "stage_date",
            "dropped_reason",
            "enterprise",
            "claim",
            "possible_duplicate_of",
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("lead_date") and attrs["lead_date"] > timezone.localdate():
            raise serializers.ValidationError({"lead_date": [_("The date is in the future.")]})
        probe = Lead(**{**self._current(), **{k: v for k, v in attrs.items() if k in LEAD_KEYS}})
        self.check = check_rivals(probe)
        self.claims = self.check.claims
        if self.claims and not attrs.get("confirm_duplicate"):
            raise serializers.ValidationError(
                {
                    "confirm_duplicate": [
                        _("Lead %(lead)s of team %(team)s may be the same company: %(why)s")
                        % {"lead": c.lead.pk, "team": c.lead.team, "why": c.reason}
                        for c in self.claims
                    ]
                }
            )
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        return {k: getattr(self.instance, k) for k in LEAD_KEYS} | {"pk": self.instance.pk}

    def create(self, validated):
        validated.pop("confirm_duplicate", None)
        date = validated.pop("lead_date", None)
        user = self.context["request"].user
        return open_lead(Lead(**validated, stage_date=date), user, self.check)

    def update(self, instance, validated):
        validated.pop("confirm_duplicate", None)
        validated.pop("lead_date", None)
        lead = super().update(instance, validated)
        flag_claims([lead], [self.check])
        return lead


LEAD_KEYS = ("uscc", "company", "company_en", "team", "proposed_park")


class MoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StageChangeSerializer(ScopedModelSerializer):
    moved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StageChange
        fields = (*BASE, "lead", "stage", "date", "previous_stage", "reason", "moved_by")
        read_only_fields = fields


class ParkEntryRuleSerializer(ScopedModelSerializer):
    """A park's entry rule; ``conditions`` is the rule file in force, and writing a changed
    one saves its next version."""

    park = code_field(Park)
    conditions = serializers.CharField(
        label=gettext_lazy("conditions (YAML)"),
        help_text=gettext_lazy(
            'conditions: then a list, e.g.  - {field: investment_per_mu, op: ">=", value: 3000000}'
        ),
    )

    class Meta:
        model = ParkEntryRule
        fields = (*BASE, "park", "conditions", "note")

    def validate_conditions(self, text):
        try:
            parse_entry_rule(text)
        except RuleError as e:
            raise serializers.ValidationError(str(e)) from e
        return text

    def create(self, validated):
        text = validated.pop("conditions")
        rule = super().create(validated)
        save_version(rule, text, self.context["request"].user)
        return rule

    def update(self, instance, validated):
        text = validated.pop("conditions", None)
        rule = super().update(instance, validated)
        if text is not None:
            save_version(rule, text, self.context["request"].user)
        return rule


class PromotionTargetSerializer(ScopedModelSerializer):
    team = code_field(Team, required=False, allow_null=True)

    class Meta:
        model = PromotionTarget
        fields = (*BASE, "year", "team", "signed_investment")
