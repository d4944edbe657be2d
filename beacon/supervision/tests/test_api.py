"""The key-project API: projects made here get the default milestones, park officers work
their parks' projects only, the status action answers what ``beacon supervise --json``
prints, and clashes and bad plans are refused with the field named."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from beacon.core.models import ApiToken
from beacon.promotion.choices import Stage
from beacon.promotion.models import Team
from beacon.promotion.services import move
from beacon.promotion.tests.conftest import make_lead
from beacon.supervision import services
from beacon.supervision.models import KeyProject, ProgressReport

PROJECTS = "/api/v1/supervision/projects/"
REPORTS = "/api/v1/supervision/reports/"
NEW = {
    "code": "K9",
    "name": "园区主干道",
    "park": "P1",
    "category": "infrastructure",
    "total_investment": "70000000.00",
    "start_date": "2024-01-01",
    "end_date": "2024-07-01",
}


def api(users, role) -> Client:
    _token, key = ApiToken.issue(users[role])
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def projects(zone):
    """K1 in P1 and K2 in P2, each 2024-01-01 to 2024-12-31, 100,000,000 yuan."""
    made = {}
    for code, park in (("K1", zone["p1"]), ("K2", zone["p2"])):
        made[code] = KeyProject.objects.create(
            code=code,
            name=f"{code} 动力电池基地",
            park=park,
            total_investment=Decimal(100_000_000),
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
        )
    return made


def test_a_project_made_through_the_api_gets_the_default_milestones(zone, users):
    client = api(users, "zone_admin")
    plan = {"2024-01": 10_000_000, "2024-02": 2.5}
    response = client.post(PROJECTS, {**NEW, "monthly_plan": plan}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    project = KeyProject.objects.get(code="K9")
    assert {k: body[k] for k in ("id", "park", "lead", "officer", "monthly_plan")} == {
        "id": project.pk,
        "park": "P1",
        "lead": None,
        "officer": None,
        "monthly_plan": plan,
    }
    # 182 days in seven steps: every 26 days
    assert [m.planned_date.isoformat() for m in project.milestones.all()] == [
        "2024-01-27",
        "2024-02-22",
        "2024-03-19",
        "2024-04-14",
        "2024-05-10",
        "2024-06-05",
    ]
    assert project.milestones.count() == 6
    listed = client.get("/api/v1/supervision/milestones/", {"project": "K9"}).json()
    assert (listed["count"], {m["project"] for m in listed["results"]}) == (6, {"K9"})


def test_a_park_officer_works_the_park_projects_only(projects, users):
    client = api(users, "park_officer")
    listed = client.get(PROJECTS).json()
    assert [p["code"] for p in listed["results"]] == ["K1"]
    assert client.get(f"{PROJECTS}{projects['K1'].pk}/").status_code == 200
    assert client.get(f"{PROJECTS}{projects['K2'].pk}/").status_code == 404
    report = {"month": "2024-06", "investment_completed": "30000000.00", "physical_progress": 40}
    refused = client.post(REPORTS, {**report, "project": "K2"}, content_type="application/json")
    assert (refused.status_code, refused.json()) == (
        400,
        {"project": ["Object with code=K2 does not exist."]},
    )
    filed = client.post(REPORTS, {**report, "project": "K1"}, content_type="application/json")
    assert filed.status_code == 201, filed.json()
    assert {k: filed.json()[k] for k in ("project", "month", "investment_completed")} == {
        "project": "K1",
        "month": "2024-06",
        "investment_completed": "30000000.00",
    }
    assert list(ProgressReport.objects.values_list("project__code", "month")) == [("K1", "2024-06")]
    assert [r["project"] for r in client.get(REPORTS).json()["results"]] == ["K1"]
    # a park officer changes the park's projects but does not make them
    assert client.post(PROJECTS, NEW, content_type="application/json").status_code == 403


def test_the_status_action_answers_what_the_batch_command_prints(projects, users):
    ProgressReport.objects.create(
        project=projects["K2"], month="2024-06", investment_completed=10_000_000
    )
    for role in ("zone_admin", "park_officer"):
        response = api(users, role).get(f"{PROJECTS}status/", {"as_of": "2024-07-15"})
        assert response.status_code == 200
        expected = services.project_status(users[role], dt.date(2024, 7, 15))
        assert response.json() == expected
    # the park officer's answer holds P1's project only
    assert [p["project_id"] for p in response.json()["projects"]] == ["K1"]
    assert response.json()["as_of"] == "2024-07-15"
    client = api(users, "zone_admin")
    bad = client.get(f"{PROJECTS}status/", {"as_of": "2024-13-01"})
    assert (bad.status_code, list(bad.json())) == (400, ["as_of"])
    assert bad.json()["as_of"][0].startswith("Date has wrong format.")
    ancient = client.get(f"{PROJECTS}status/", {"as_of": "0001-01-01"})
    assert (ancient.status_code, ancient.json()) == (
        400,
        {"as_of": ["Give a date from 1900-01-01 on."]},
    )
    today = client.get(f"{PROJECTS}status/").json()
    assert today["as_of"] == dt.date.today().isoformat()
    assert api(users, "enterprise_user").get(f"{PROJECTS}status/").status_code == 403


def test_a_second_report_for_the_same_month_is_a_409(projects, users):
    client = api(users, "zone_admin")
    report = {"project": "K1", "month": "2024-06", "investment_completed": "1000.00"}
    first = client.post(REPORTS, report, content_type="application/json")
    assert first.status_code == 201
    again = client.post(REPORTS, report, content_type="application/json")
    assert (again.status_code, again.json()) == (
        409,
        {"non_field_errors": ["This project already has a report for this month."]},
    )


def test_a_bad_monthly_plan_is_refused_naming_the_month(zone, users):
    client = api(users, "zone_admin")
    plan = {"2024-01": 5, "2024-13": 5, "2024-02": -1, "2024-03": "many"}
    response = client.post(PROJECTS, {**NEW, "monthly_plan": plan}, content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "monthly_plan": [
                "2024-13: a month is written YYYY-MM.",
                "2024-02: the amount is a number from 0 to 9999999999999999.",
                "2024-03: the amount is a number from 0 to 9999999999999999.",
            ]
        },
    )
    assert not KeyProject.objects.exists()
    listed = client.post(PROJECTS, {**NEW, "monthly_plan": [1]}, content_type="application/json")
    assert listed.status_code == 400
    assert list(listed.json()) == ["monthly_plan"]


def test_only_a_signed_lead_without_a_project_is_carried_on(zone, users):
    team = Team.objects.create(code="t1", name="新能源汽车招商组")
    signed = make_lead(team, zone["p1"], "宁德华锐动力电池有限公司")
    unsigned = make_lead(team, zone["p1"], "苏州博远电子科技有限公司")
    move(signed, Stage.SIGNED, dt.date(2024, 3, 20), users["zone_admin"])
    client = api(users, "zone_admin")
    refused = client.post(PROJECTS, {**NEW, "lead": unsigned.pk}, content_type="application/json")
    assert (refused.status_code, refused.json()) == (
        400,
        {"lead": [f"Lead {unsigned.pk} is not signed: only a signed lead becomes a key project."]},
    )
    made = client.post(PROJECTS, {**NEW, "lead": signed.pk}, content_type="application/json")
    assert made.status_code == 201
    assert KeyProject.objects.get(code="K9").lead == signed
    # the project itself keeps its lead when it is saved again
    kept = client.patch(
        f"{PROJECTS}{made.json()['id']}/", {"lead": signed.pk}, content_type="application/json"
    )
    assert kept.status_code == 200
    again = client.post(
        PROJECTS, {**NEW, "code": "K10", "lead": signed.pk}, content_type="application/json"
    )
    assert (again.status_code, again.json()) == (
        409,
        {"lead": [f"Lead {signed.pk} is already a key project."]},
    )


def test_the_end_date_is_not_before_the_start(zone, users):
    response = api(users, "zone_admin").post(
        PROJECTS, {**NEW, "end_date": "2023-12-31"}, content_type="application/json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"end_date": ["The end date is before the start date."]},
    )


def test_league_tables_and_status_rules_are_read_only(projects, users):
    services.publish(users["zone_admin"], dt.date(2024, 7, 15))
    client = api(users, "park_officer")
    tables = client.get("/api/v1/supervision/league-tables/").json()["results"]
    assert [(t["as_of"], t["status_rules"], t["rule_version"]) for t in tables] == [
        ("2024-07-15", "default", 1)
    ]
    assert [row["park"] for row in tables[0]["parks"]] == ["P1", "P2"]
    rules = client.get("/api/v1/supervision/status-rules/").json()["results"]
    assert [(r["code"], r["in_force"], r["version"]) for r in rules] == [("default", True, 1)]
    assert rules[0]["text"] == tables[0]["rules"]
    admin = api(users, "zone_admin")
    assert admin.post("/api/v1/supervision/status-rules/", {}).status_code == 405
    assert admin.delete(f"/api/v1/supervision/league-tables/{tables[0]['id']}/").status_code == 405
