from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beacon.core import permissions
from beacon.core.api.serializers import (
    JSONField,
    RuleFileSerializer,
    ScopedModelSerializer,
    SlugRelatedField,
)
from beacon.core.models import User
from beacon.promotion.models import Lead
from beacon.registry.models import Park

from ..forms import ISSUE_FIELDS, KEY_PROJECT_FIELDS
from ..models import (
    MAX_AMOUNT,
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRules,
    validate_monthly_plan,
)
from ..services import FIRST_DAY, check_lead, open_key_project

BASE = ("id", "url", "created", "updated")


def code_field(model, slug="code", **kwargs):
    return SlugRelatedField(slug_field=slug, queryset=model.objects.all(), **kwargs)


@extend_schema_field(
    {
        "type": "object",
        "description": "Planned investment by month (YYYY-MM) in yuan; empty: spread evenly.",
        "additionalProperties": {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT},
        "example": {"2024-01": 5000000, "2024-02": 7500000},
    }
)
class MonthlyPlanField(JSONField):
    """``{"YYYY-MM": amount}``, amounts from 0; each message names the month it is about."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            validate_monthly_plan(value)
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.messages) from e
        return value


class KeyProjectSerializer(ScopedModelSerializer):
    """A key project; one made here gets the default milestones, planned evenly between its
    start and end dates. ``lead`` is a signed lead that is no other project's."""

    park = code_field(Park)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Lead.objects.all(), required=False, allow_null=True
    )
    officer = code_field(
        User,
        slug="username",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("User name of the responsible officer."),
    )
    monthly_plan = MonthlyPlanField(required=False)

    class Meta:
        model = KeyProject
        fields = (*BASE, *KEY_PROJECT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        field = self.fields["officer"]
        if user is not None and user.is_authenticated and not field.read_only:
            if not permissions.can(user, User, "view"):
                # as in the form: a role that may not see the users keeps the officer as is
                field.read_only = True
                self.fixed_fields.add("officer")

    def validate_lead(self, lead):
        if lead is not None:
            try:
                check_lead(lead, self.instance)
            except DjangoValidationError as e:
                # a clash with the project that carries it on is a 409, as other clashes
                raise serializers.ValidationError(e.messages, code=e.code) from e
        return lead

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        try:
            KeyProject(start_date=start, end_date=end).clean()
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.message_dict) from e
        return attrs

    def create(self, validated):
        return open_key_project(KeyProject(**validated), self.context["request"].user)


class MilestoneSerializer(ScopedModelSerializer):
    """A milestone; ``baseline_date`` is the first planned date, kept when it is re-planned."""

    project = code_field(KeyProject)

    class Meta:
        model = Milestone
        fields = (*BASE, "project", "name", "baseline_date", "planned_date", "actual_date")
        read_only_fields = ("baseline_date",)


class ProgressReportSerializer(ScopedModelSerializer):
    project = code_field(KeyProject)

    class Meta:
        model = ProgressReport
        fields = (
            *BASE,
            "project",
            "month",
            "investment_completed",
            "physical_progress",
            "workforce",
            "text",
        )


class ProjectIssueSerializer(ScopedModelSerializer):
    project = code_field(KeyProject)

    class Meta:
        model = ProjectIssue
        fields = (*BASE, *ISSUE_FIELDS)


class LeagueTableSerializer(ScopedModelSerializer):
    # a plain integer: the related field's own range would differ by database in the schema
    rule_version = serializers.IntegerField(
        source="rule_version.number", read_only=True, allow_null=True
    )
    status_rules = serializers.SlugRelatedField(
        source="rule_version.rules", slug_field="code", read_only=True, allow_null=True
    )
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = LeagueTable
        fields = (
            *BASE,
            "as_of",
            "parks",
            "projects",
            "rules",
            "status_rules",
            "rule_version",
            "published_by",
        )
        read_only_fields = fields


class StatusRulesSerializer(RuleFileSerializer, ScopedModelSerializer):
    class Meta:
        model = StatusRules
        fields = (*BASE, "code", "name", "description", "in_force", "version", "text")
        read_only_fields = fields


class StatusQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)

    def validate_as_of(self, value):
        if value < FIRST_DAY:
            raise serializers.ValidationError(
                _("Give a date from %(date)s on.") % {"date": FIRST_DAY.isoformat()}
            )
        return value
