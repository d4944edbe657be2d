"""Every promotion page and API endpoint, for every role (see beacon.core.testing): teams,
activities, leads, their stage history, park entry rules and targets hold the team and park
scopes in lists, search, filters, exports, details, histories, forms, imports and the API,
and every change is logged."""

from decimal import Decimal

from beacon.core.testing import (
    ALL,
    CHOICE_ERROR,
    P1,
    T1,
    EndpointCases,
    ModelViewCases,
)
from beacon.core.versions import save_version
from beacon.promotion.models import (
    Activity,
    Lead,
    ParkEntryRule,
    PromotionTarget,
    StageChange,
    Team,
)

from .conftest import DAY, make_lead, make_promo
from .expected import EXPECTED

# no newline at the end: the API trims text, as it does every text field
ENTRY_RULE = 'conditions:\n  - {field: investment_per_mu, op: ">=", value: 3000000}'


class Promotion:
    """The station's records on the conftest zone: the conftest's teams t1 and t2 (the
    promoter granted t1) and leads (l1: t1 for P1, l2: t2 for P1, l3: t2 for P2) with their
    first stage, an activity of each team, both parks' entry rules, and the year's targets
    for the zone and for each team."""

    @classmethod
    def populate(cls, zone, users):
        promo = make_promo(zone, users)
        t1, t2 = promo["t1"], promo["t2"]
        zone.update(t1=t1, t2=t2, leads=[promo["l1"], promo["l2"], promo["l3"]])
        zone["activities"] = [
            Activity.objects.create(team=t1, kind="visit", title="拜访宁德华锐", date=DAY),
            Activity.objects.create(team=t2, kind="expo", title="生物医药博览会", date=DAY),
        ]
        zone["entry_rules"] = [entry_rule(park) for park in (zone["p1"], zone["p2"])]
        zone["targets"] = [
            PromotionTarget.objects.create(year=2024, team=team, signed_investment=amount)
            for team, amount in ((None, 10**10), (t1, 4 * 10**9), (t2, 3 * 10**9))
        ]


def lead_at(zone, at) -> Lead:
    """The lead of ``at``'s team proposed for ``at``'s park."""
    return next(
        lead
        for lead in zone["leads"]
        if (lead.team_id, lead.proposed_park_id) == (at.team.pk, at.park.pk)
    )


# -- teams ---------------------------------------------------------------------------------


class Teams(Promotion):
    model = Team
    expected = EXPECTED["team"]

    def reach(self, zone, scope):
        return {ALL: [zone["t1"], zone["t2"]]}[scope]

    def spare(self, zone, at):
        return Team.objects.create(code="spare", name="备用招商组")


class TestTeamViews(Teams, ModelViewCases):
    key_columns = ("code",)
    template_headers = ["code", "name", "name_en", "industries", "regions", "description"]

    def queries(self, zone):
        return [({"search": "生物医药"}, [zone["t2"]]), ({"search": "海洋"}, [])]

    def row_key(self, obj):
        return (obj.code,)

    def form_data(self, zone, at):
        return {"code": "t9", "name": "海洋装备招商组", "industries": "3841", "regions": "广东省"}

    def import_row(self, zone, at):
        return {"code": "t9", "name": "海洋装备招商组", "industries": "3841"}


class TestTeamApi(Teams, EndpointCases):
    route = "promotion/teams"

    def payload(self, zone, at):
        return {"code": "t9", "name": "海洋装备招商组", "industries": ["3841"]}


# -- activities ----------------------------------------------------------------------------


class Activities(Promotion):
    model = Activity
    expected = EXPECTED["activity"]
    change = ("title", "拜访宁德华锐总部")

    def reach(self, zone, scope):
        activities = zone["activities"]
        return {ALL: activities, T1: activities[:1]}[scope]

    def spare(self, zone, at):
        return Activity.objects.create(team=at.team, kind="online", title="线上洽谈", date=DAY)


class TestActivityViews(Activities, ModelViewCases):
    # the team field offers only the teams the user may file into
    refusal = {"team": [CHOICE_ERROR]}
    key_columns = ("team", "date", "title")
    template_headers = [
        "team",
        "date",
        "title",
        "kind",
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

    def queries(self, zone):
        activities = zone["activities"]
        return [
            ({"team": "t2"}, activities[1:]),
            ({"search": "宁德"}, activities[:1]),
            ({"kind": "conference"}, []),
            ({"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}, activities),
        ]

    def row_key(self, obj):
        return (obj.team.code, obj.date.isoformat(), obj.title)

    def form_data(self, zone, at):
        return {"team": at.team.pk, "kind": "visit", "title": "拜访星源储能", "date": "2024-03-05"}

    def import_row(self, zone, at):
        return {
            "team": at.team.code,
            "date": "2024-03-05",
            "title": "拜访星源储能",
            "kind": "visit",
        }

    def import_refusal(self, zone, at):
        return "row 2, column team: outside your scope"


class TestActivityApi(Activities, EndpointCases):
    route = "promotion/activities"

    def payload(self, zone, at):
        return {
            "team": at.team.code,
            "kind": "visit",
            "title": "拜访星源储能",
            "date": "2024-03-05",
        }

    def away_error(self, zone, at):
        # Teams the user may not file into are not choices.
        return {"team": [f"Object with code={at.team.code} does not exist."]}


# -- leads ---------------------------------------------------------------------------------


class Leads(Promotion):
    model = Lead
    expected = EXPECTED["lead"]
    change = ("project", "动力电池二期项目")

    def reach(self, zone, scope):
        leads = zone["leads"]
        return {ALL: leads, P1: leads[:2], T1: leads[:1]}[scope]

    def spare(self, zone, at):
        return make_lead(at.team, at.park, "合肥恒达新材料有限公司")


class TestLeadViews(Leads, ModelViewCases):
    # the team field offers only the teams the user may file into
    refusal = {"team": [CHOICE_ERROR]}
    key_columns = ("company", "project")
    template_headers = [
        "company",
        "project",
        "team",
        "lead_date",
        "company_en",
        "uscc",
        "hq_province",
        "hq_city",
        "industry",
        "chain_link",
        "description",
        "planned_investment",
        "expected_output",
        "expected_tax",
        "expected_jobs",
        "land_need_mu",
        "floor_space_need_m2",
        "source",
        "source_note",
        "proposed_park",
        "contacts",
    ]

    def queries(self, zone):
        leads = zone["leads"]
        return [
            ({"team": "t2"}, leads[1:]),
            ({"park": "P1"}, leads[:2]),
            ({"search": "康泰"}, leads[2:]),
            ({"industry_code": "38", "min_investment": "100000000"}, leads),
            ({"stage": "signed"}, []),
        ]

    def row_key(self, obj):
        return (obj.company, obj.project)

    def form_data(self, zone, at):
        return {
            "company": "深圳市星源储能科技有限公司",
            "project": "储能电池扩产项目",
            "team": at.team.pk,
            "proposed_park": at.park.pk,
            "source": "referral",
            "lead_date": "2024-03-02",
        }

    def import_row(self, zone, at):
        return {
            "company": "深圳市星源储能科技有限公司",
            "project": "储能电池扩产项目",
            "team": at.team.code,
            "lead_date": "2024-03-02",
            "proposed_park": at.park.code,
        }

    def import_refusal(self, zone, at):
        return "row 2, column team: outside your scope"


class TestLeadApi(Leads, EndpointCases):
    route = "promotion/leads"

    def payload(self, zone, at):
        return {
            "company": "深圳市星源储能科技有限公司",
            "project": "储能电池扩产项目",
            "team": at.team.code,
            "proposed_park": at.park.code,
        }

    def away_error(self, zone, at):
        # Teams the user may not file into are not choices.
        return {"team": [f"Object with code={at.team.code} does not exist."]}


# -- stage history -------------------------------------------------------------------------


class StageHistory(Promotion):
    model = StageChange
    expected = EXPECTED["stagechange"]

    def reach(self, zone, scope):
        leads = Leads().reach(zone, scope)
        return list(StageChange.objects.filter(lead__in=leads).order_by("lead"))


class TestStageChangeViews(StageHistory, ModelViewCases):
    # a stage change is made by moving its lead (the lead's walk and test_views.py); the
    # history is listed, exported and imported, never edited
    pages = ("list", "import", "template")
    # a row links to its lead, the page the change is shown on
    rows_link_here = False
    key_columns = ("lead", "stage", "date")
    template_headers = ["lead", "stage", "date", "reason"]

    def queries(self, zone):
        l1, l2, l3 = zone["leads"]
        return [
            ({"team": "t2"}, self.changes(l2, l3)),
            ({"lead": l1.pk}, self.changes(l1)),
            ({"search": "康泰"}, self.changes(l3)),
            ({"stage": "signed"}, []),
        ]

    def changes(self, *leads):
        return list(StageChange.objects.filter(lead__in=leads))

    def row_key(self, obj):
        return (str(obj.lead_id), obj.stage, obj.date.isoformat())

    def import_row(self, zone, at):
        return {"lead": lead_at(zone, at).pk, "stage": "contacted", "date": "2024-03-04"}

    def import_refusal(self, zone, at):
        # Leads outside the scope are looked up as if they did not exist.
        return f"row 2, column lead: unknown: {lead_at(zone, at).pk}"


class TestStageChangeApi(StageHistory, EndpointCases):
    route, read_only = "promotion/stage-history", True


# -- park entry rules ----------------------------------------------------------------------


class EntryRules(Promotion):
    model = ParkEntryRule
    expected = EXPECTED["parkentryrule"]
    change = ("note", "亩均投资强度不低于 300 万元")

    def reach(self, zone, scope):
        rules = zone["entry_rules"]
        return {ALL: rules, P1: rules[:1]}[scope]

    def vacate(self, zone, at):
        # a park has one entry rule
        ParkEntryRule.objects.filter(park=at.park).delete()

    def spare(self, zone, at):
        self.vacate(zone, at)
        return entry_rule(at.park)


def entry_rule(park) -> ParkEntryRule:
    """A park's entry rule with its first version."""
    rule = ParkEntryRule.objects.create(park=park, note="入园门槛")
    save_version(rule, ENTRY_RULE, None)
    return rule


class TestParkEntryRuleViews(EntryRules, ModelViewCases):
    # the park field offers only the parks the user may file into
    refusal = {"park": [CHOICE_ERROR]}
    # a rule file, written in the application: no import; each version downloads
    pages = ("list", "add", "detail", "edit", "delete", "history", "download")

    def queries(self, zone):
        rules = zone["entry_rules"]
        return [
            ({"search": "P2"}, rules[1:]),
            ({"search": "investment_per_mu"}, rules),
            ({"search": "入园门槛"}, rules),
        ]

    def form_data(self, zone, at):
        return {"park": at.park.pk, "text": ENTRY_RULE, "note": "先进制造业项目"}


class TestParkEntryRuleApi(EntryRules, EndpointCases):
    route = "promotion/entry-rules"

    def payload(self, zone, at):
        return {"park": at.park.code, "conditions": ENTRY_RULE, "note": "先进制造业项目"}


# -- targets -------------------------------------------------------------------------------


class Targets(Promotion):
    model = PromotionTarget
    expected = EXPECTED["promotiontarget"]
    change = ("year", 2023)

    def reach(self, zone, scope):
        targets = zone["targets"]
        return {ALL: targets, T1: targets[1:2]}[scope]

    def spare(self, zone, at):
        return PromotionTarget.objects.create(
            year=2020, team=at.team, signed_investment=Decimal(10**9)
        )


class TestPromotionTargetViews(Targets, ModelViewCases):
    # targets are set in the application, a few a year: no import
    pages = ("list", "add", "detail", "edit", "delete", "history")

    def queries(self, zone):
        targets = zone["targets"]
        return [
            ({"team": "t2"}, targets[2:]),
            ({"year": "2024"}, targets),
            ({"year": "2020"}, []),
        ]

    def form_data(self, zone, at):
        return {"year": "2025", "team": at.team.pk, "signed_investment": "5000000000"}


class TestPromotionTargetApi(Targets, EndpointCases):
    route = "promotion/targets"

    def payload(self, zone, at):
        return {"year": 2025, "team": at.team.code, "signed_investment": "5000000000.00"}
