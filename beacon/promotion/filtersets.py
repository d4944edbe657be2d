import django_filters
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from beacon.core.filtersets import BaseFilterSet, code_filter, id_filter, park_filter

from .choices import Stage
from .models import (
    Activity,
    Lead,
    ParkEntryRule,
    ParkEntryRuleVersion,
    PromotionTarget,
    StageChange,
    Team,
)


def team_filter(field_name="team"):
    return code_filter(Team, _("Team"), field_name)


class TeamFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en", "regions", "description")

    class Meta:
        model = Team
        fields = []


class ActivityFilterSet(BaseFilterSet):
    search_fields = ("title", "place", "participants", "companies_met", "notes")
    team = team_filter()
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")
    follow_up_open = django_filters.BooleanFilter(
        label=_("Follow-up open"), method="filter_follow_up_open"
    )

    class Meta:
        model = Activity
        fields = ["kind"]

    def filter_follow_up_open(self, queryset, name, value):
        if value is None:
            return queryset
        pending = queryset.filter(follow_up_due__isnull=False, follow_up_done=False)
        return pending if value else queryset.exclude(pk__in=pending.values("pk"))


class LeadFilterSet(BaseFilterSet):
    search_fields = ("company", "company_en", "uscc", "project", "hq_city")
    team = team_filter()
    park = park_filter("proposed_park")
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=Stage.choices)
    industry_code = django_filters.CharFilter(
        label=_("Industry code starts with"), field_name="industry__code", lookup_expr="startswith"
    )
    min_investment = django_filters.NumberFilter(
        label=_("Planned investment at least (yuan)"),
        field_name="planned_investment",
        lookup_expr="gte",
    )

    class Meta:
        model = Lead
        fields = ["source", "claim"]


class StageChangeFilterSet(BaseFilterSet):
    search_fields = ("lead__company", "reason")
    lead = id_filter(_("Lead"), "lead")
    team = team_filter("lead__team")

    class Meta:
        model = StageChange
        fields = ["stage"]


class ParkEntryRuleFilterSet(BaseFilterSet):
    search_fields = ("park__name", "park__code", "latest_text", "note")

    def filter_search(self, queryset, name, value):
        # the rule file in force is the latest version's text
        latest = ParkEntryRuleVersion.objects.filter(rule=OuterRef("pk")).order_by("-number")
        queryset = queryset.annotate(latest_text=Subquery(latest.values("text")[:1]))
        return super().filter_search(queryset, name, value)

    class Meta:
        model = ParkEntryRule
        fields = []


class PromotionTargetFilterSet(BaseFilterSet):
    search_fields = ("team__name", "team__code")
    team = team_filter()

    class Meta:
        model = PromotionTarget
        fields = ["year"]
