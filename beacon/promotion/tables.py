import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beacon.core.tables import NUMERIC, BaseTable, amount_column, version_column

from .models import Activity, Lead, ParkEntryRule, PromotionTarget, StageChange, Team


class TeamTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Team
        fields = ("code", "name", "name_en", "regions")


class ActivityTable(BaseTable):
    title = tables.Column(linkify=True)
    team = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Activity
        fields = ("date", "title", "kind", "team", "place", "follow_up_due", "follow_up_done")


class LeadTable(BaseTable):
    company = tables.Column(linkify=True)
    team = tables.Column(linkify=True)
    proposed_park = tables.Column(linkify=True)
    planned_investment = amount_column(_("planned investment (yuan)"))
    land_need_mu = amount_column(_("land needed (mu)"))

    class Meta(BaseTable.Meta):
        model = Lead
        fields = (
            "company",
            "project",
            "stage",
            "stage_date",
            "team",
            "proposed_park",
            "planned_investment",
            "land_need_mu",
            "claim",
        )


class ParkEntryRuleTable(BaseTable):
    park = tables.Column(linkify=lambda record: record.get_absolute_url())
    version = version_column()

    class Meta(BaseTable.Meta):
        model = ParkEntryRule
        fields = ("park", "note", "version", "updated")


class PromotionTargetTable(BaseTable):
    year = tables.Column(linkify=True)
    team = tables.Column(default=_("whole zone"))
    signed_investment = tables.Column(attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = PromotionTarget
        fields = ("year", "team", "signed_investment")


class StageChangeTable(BaseTable):
    lead = tables.Column(linkify=True)
    moved_by = tables.Column(default="—")

    class Meta(BaseTable.Meta):
        model = StageChange
        fields = ("date", "lead", "stage", "previous_stage", "reason", "moved_by", "created")
