"""Every supervision page and API endpoint, for every role (see beacon.core.testing): key
projects and what is filed under them (milestones, reports, issues) hold the park scope
through the project's park; league tables and status rules are the zone's, read by the
parks and kept by the zone administration; every change is logged."""

import datetime as dt
from decimal import Decimal

from beacon.analytics.supervision import DEFAULT_RULES_TEXT
from beacon.core.testing import ALL, CHOICE_ERROR, P1, EndpointCases, ModelViewCases
from beacon.core.versions import save_version
from beacon.supervision import services
from beacon.supervision.models import (
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRules,
)

from .conftest import make_projects
from .expected import EXPECTED


class Supervision:
    """The station's records on the conftest zone: key projects K1 in P1 and K2 in P2, each
    with a milestone, a June report and an open issue; the shipped status rules in force and
    a draft set beside them; and the league tables published as of the ends of June and of
    July."""

    @classmethod
    def populate(cls, zone, users):
        projects = list(make_projects(zone).values())
        zone["projects"] = projects
        zone["milestones"] = [
            Milestone.objects.create(project=p, name="开工建设", planned_date=dt.date(2024, 3, 1))
            for p in projects
        ]
        zone["reports"] = [
            ProgressReport.objects.create(
                project=p, month="2024-06", investment_completed=Decimal(amount)
            )
            for p, amount in zip(projects, (50_000_000, 10_000_000), strict=True)
        ]
        zone["issues"] = [
            ProjectIssue.objects.create(
                project=p,
                kind=kind,
                description="用地指标未落实",
                owner_unit=unit,
                due_date=dt.date(2024, 8, 1),
            )
            for p, kind, unit in zip(
                projects, ("land", "permits"), ("自然资源局", "行政审批局"), strict=True
            )
        ]
        draft = StatusRules.objects.create(code="strict", name="从严规则")
        save_version(draft, DEFAULT_RULES_TEXT, users["zone_admin"])
        zone["status_rules"] = list(StatusRules.objects.order_by("pk"))
        zone["league_tables"] = [
            services.publish(users["zone_admin"], day)
            for day in (dt.date(2024, 6, 30), dt.date(2024, 7, 31))
        ]


def project_at(zone, at) -> KeyProject:
    """The key project in ``at``'s park."""
    return next(p for p in zone["projects"] if p.park_id == at.park.pk)


# -- key projects --------------------------------------------------------------------------


class Projects(Supervision):
    model = KeyProject
    expected = EXPECTED["keyproject"]
    change = ("name", "动力电池基地二期")

    def reach(self, zone, scope):
        projects = zone["projects"]
        return {ALL: projects, P1: projects[:1]}[scope]

    def spare(self, zone, at):
        return KeyProject.objects.create(
            code="K-SPARE",
            name="备用项目",
            park=at.park,
            total_investment=Decimal(1_000_000),
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 6, 30),
        )


class TestKeyProjectViews(Projects, ModelViewCases):
    # a key project is filed in the application, one by one: no import
    pages = ("list", "add", "detail", "edit", "delete", "history")

    def queries(self, zone):
        projects = zone["projects"]
        return [
            ({"park": "P2"}, projects[1:]),
            ({"search": "K1"}, projects[:1]),
            ({"category": "industrial"}, projects),
            ({"category": "infrastructure"}, []),
        ]

    def form_data(self, zone, at):
        return {
            "code": "K9",
            "name": "园区主干道",
            "park": at.park.pk,
            "category": "infrastructure",
            "total_investment": "70000000",
            "start_date": "2024-01-01",
            "end_date": "2024-07-01",
            "monthly_plan": "{}",
        }


class TestKeyProjectApi(Projects, EndpointCases):
    route = "supervision/projects"

    def payload(self, zone, at):
        return {
            "code": "K9",
            "name": "园区主干道",
            "park": at.park.code,
            "category": "infrastructure",
            "total_investment": "70000000.00",
            "start_date": "2024-01-01",
            "end_date": "2024-07-01",
        }


# -- what is filed under a project ---------------------------------------------------------


class FiledUnderAProject(Supervision):
    """Milestones, reports and issues: the park's through their project's."""

    # their key: zone["milestones"], zone["reports"], zone["issues"]
    kind = ""

    def reach(self, zone, scope):
        filed = zone[self.kind]
        return {ALL: filed, P1: filed[:1]}[scope]


class FiledPages(ModelViewCases):
    # filed in the application on the project's page: no import
    pages = ("list", "add", "detail", "edit", "delete", "history")
    # the project field offers only the projects the user may file under
    refusal = {"project": [CHOICE_ERROR]}
    # a row links to its project, whose page shows what is filed under it
    rows_link_here = False

    def queries(self, zone):
        filed = zone[self.kind]
        return [
            ({"park": "P2"}, filed[1:]),
            ({"project": "K1"}, filed[:1]),
            ({"search": "K2"}, filed[1:]),
        ]


class FiledEndpoint(EndpointCases):
    def away_error(self, zone, at):
        # Projects the user may not file under are not choices.
        return {"project": [f"Object with code={project_at(zone, at).code} does not exist."]}


class Milestones(FiledUnderAProject):
    model, kind = Milestone, "milestones"
    expected = EXPECTED["milestone"]
    change = ("name", "主体封顶")

    def spare(self, zone, at):
        project = project_at(zone, at)
        return Milestone.objects.create(
            project=project, name="备用", planned_date=dt.date(2024, 9, 1)
        )


class TestMilestoneViews(Milestones, FiledPages):
    def form_data(self, zone, at):
        return {
            "project": project_at(zone, at).code,
            "name": "竣工验收",
            "planned_date": "2024-11-01",
        }


class TestMilestoneApi(Milestones, FiledEndpoint):
    route = "supervision/milestones"

    def payload(self, zone, at):
        return {
            "project": project_at(zone, at).code,
            "name": "竣工验收",
            "planned_date": "2024-11-01",
        }


class Reports(FiledUnderAProject):
    model, kind = ProgressReport, "reports"
    expected = EXPECTED["progressreport"]
    change = ("text", "主体结构施工中")

    def spare(self, zone, at):
        return ProgressReport.objects.create(project=project_at(zone, at), month="2024-01")


class TestProgressReportViews(Reports, FiledPages):
    def form_data(self, zone, at):
        project = project_at(zone, at).code
        return {"project": project, "month": "2024-07", "investment_completed": "60000000"}


class TestProgressReportApi(Reports, FiledEndpoint):
    route = "supervision/reports"

    def payload(self, zone, at):
        project = project_at(zone, at).code
        return {"project": project, "month": "2024-07", "investment_completed": "60000000.00"}


class Issues(FiledUnderAProject):
    model, kind = ProjectIssue, "issues"
    expected = EXPECTED["projectissue"]
    change = ("owner_unit", "住房和城乡建设局")

    def spare(self, zone, at):
        return ProjectIssue.objects.create(
            project=project_at(zone, at),
            kind="other",
            description="备用",
            owner_unit="管委会",
            due_date=dt.date(2024, 9, 1),
        )


class TestProjectIssueViews(Issues, FiledPages):
    def form_data(self, zone, at):
        return {
            "project": project_at(zone, at).code,
            "kind": "utilities",
            "description": "双回路供电未接入",
            "owner_unit": "供电局",
            "due_date": "2024-09-30",
        }


class TestProjectIssueApi(Issues, FiledEndpoint):
    route = "supervision/issues"

    def payload(self, zone, at):
        return {
            "project": project_at(zone, at).code,
            "kind": "utilities",
            "description": "双回路供电未接入",
            "owner_unit": "供电局",
            "due_date": "2024-09-30",
        }


# -- league tables and status rules --------------------------------------------------------


class LeagueTables(Supervision):
    model = LeagueTable
    expected = EXPECTED["leaguetable"]

    def reach(self, zone, scope):
        return {ALL: zone["league_tables"]}[scope]


class TestLeagueTableViews(LeagueTables, ModelViewCases):
    # a table is published from the live league page (test_app.py) and frozen: no add, edit,
    # delete or import
    pages = ("list", "detail", "history")

    def queries(self, zone):
        tables = zone["league_tables"]
        return [({"as_of": "2024-07-31"}, tables[1:]), ({"as_of": "2024-05-31"}, [])]


class TestLeagueTableApi(LeagueTables, EndpointCases):
    route, read_only = "supervision/league-tables", True


class Rules(Supervision):
    model = StatusRules
    expected = EXPECTED["statusrules"]
    change = ("name", "默认规则（修订）")

    def reach(self, zone, scope):
        return {ALL: zone["status_rules"]}[scope]

    def spare(self, zone, at):
        return StatusRules.objects.create(code="spare", name="备用规则")


class TestStatusRulesViews(Rules, ModelViewCases):
    # rule files are written in the application: no import; each version downloads
    pages = ("list", "add", "detail", "edit", "delete", "history", "download")

    def queries(self, zone):
        default, strict = zone["status_rules"]
        return [({"in_force": "true"}, [default]), ({"search": "strict"}, [strict])]

    def form_data(self, zone, at):
        return {"code": "lenient", "name": "宽松规则", "text": DEFAULT_RULES_TEXT}


class TestStatusRulesApi(Rules, EndpointCases):
    route, read_only = "supervision/status-rules", True
