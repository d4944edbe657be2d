"""Each project's kept status is what the rules give over its inputs, judged from scratch:
after every kind of write, after the day passes a deadline, within each role's scope, and
its pages cost the same queries whatever the number of projects."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beacon.analytics import supervision as engine
from beacon.core.versions import save_version
from beacon.supervision import current, services
from beacon.supervision.models import (
    CurrentStatus,
    KeyProject,
    Milestone,
    ProgressReport,
    ProjectIssue,
    StatusRefresh,
    StatusRules,
)
from beacon.supervision.tests.conftest import make_projects

DAY = dt.date(2024, 7, 15)


@pytest.fixture
def today(monkeypatch):
    """The server's day, moved by the test: ``today.set(day)``."""

    class Day:
        def set(self, day):
            monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    day = Day()
    day.set(DAY)
    return day


def from_scratch(day) -> dict:
    """Every project's status as of ``day``, the rules in force judging all of them anew."""
    project_frame, milestones, reports, plan = services.frames(KeyProject.objects.all())
    result = engine.status(
        project_frame,
        milestones,
        reports,
        day,
        services.rules_in_force()[1],
        plan if plan.height else None,
    )
    return {
        p["project_id"]: (p["status"], p["lag_points"], p["reasons"], bool(p.get("escalate")))
        for p in result["projects"]
    }


def kept() -> dict:
    return {
        s.project.code: (s.status, s.lag_points, s.reasons, s.escalate)
        for s in CurrentStatus.objects.select_related("project")
    }


def assert_kept(day=DAY):
    # no kept status outlives its project: the check a commit would make
    connection.check_constraints()
    assert kept() == from_scratch(day)
    assert set(CurrentStatus.objects.values_list("as_of", flat=True)) <= {day}


def test_the_kept_status_is_judged_anew_on_every_write(zone, today):
    made = make_projects(zone)
    k1, k2 = made["K1"], made["K2"]
    assert_kept()
    start = Milestone.objects.create(project=k1, name="开工", planned_date=dt.date(2024, 6, 1))
    assert kept()["K1"][0] == "red"  # 44 days overdue
    assert_kept()
    start.actual_date = dt.date(2024, 5, 30)
    start.save()
    assert_kept()
    report = ProgressReport.objects.create(
        project=k1, month="2024-06", investment_completed=50_000_000
    )
    assert kept()["K1"][0] == "green"
    assert_kept()
    report.investment_completed = Decimal(5_000_000)
    report.save()
    assert kept()["K1"][0] == "red"
    assert_kept()
    report.project = k2  # filed under the wrong project, moved: both are judged again
    report.save()
    assert_kept()
    report.delete()
    assert_kept()
    start.delete()
    assert_kept()
    k2.total_investment = Decimal(1_000_000)
    k2.end_date = dt.date(2025, 12, 31)
    k2.save()
    assert_kept()
    k2.park = zone["p1"]  # moved to another park
    k2.save()
    assert_kept()
    issue = ProjectIssue.objects.create(
        project=k2, kind="land", description="征地", owner_unit="自然资源局", due_date=DAY
    )
    issue.resolved_on = DAY
    issue.save()
    assert_kept()
    Milestone.objects.create(project=k1, name="封顶", planned_date=dt.date(2024, 9, 1))
    ProgressReport.objects.create(project=k1, month="2024-05", investment_completed=1)
    k1.delete()  # with its milestone and report
    assert_kept()
    assert list(kept()) == ["K2"]
    Milestone.objects.create(project=k2, name="封顶", planned_date=dt.date(2024, 9, 1))
    KeyProject.objects.filter(code="K2").delete()
    assert_kept()
    assert kept() == {}


def test_a_project_made_with_its_milestones_through_the_api(zone, today, users):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["zone_admin"])
    made = client.post(
        "/api/v1/supervision/projects/",
        {
            "code": "K9",
            "name": "新项目",
            "park": "P1",
            "total_investment": "50000000",
            "start_date": "2023-01-01",
            "end_date": "2024-12-31",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert Milestone.objects.filter(project__code="K9").count() == 6
    filed = client.post(
        "/api/v1/supervision/reports/",
        {"project": "K9", "month": "2024-06", "investment_completed": "1000"},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    assert kept()["K9"][0] == "red"
    assert_kept()


def test_a_change_of_rules_judges_every_project(zone, today, users):
    made = make_projects(zone)
    ProgressReport.objects.create(
        project=made["K1"], month="2024-06", investment_completed=40_000_000
    )
    assert kept()["K1"][0] == "amber"  # 13.7 points behind
    rules = StatusRules.objects.get(in_force=True)
    lenient = services.rules_in_force()[1].replace("value: 10}", "value: 20}")
    save_version(rules, lenient, users["zone_admin"])
    assert kept()["K1"][0] == "green"
    assert_kept()
    assert StatusRefresh.objects.get().rules_digest == current.rules_digest(lenient)


def test_a_deadline_passing_turns_the_status_on_the_first_page_of_the_day(zone, today, client_for):
    made = make_projects(zone)
    for project in made.values():
        ProgressReport.objects.create(
            project=project, month="2024-06", investment_completed=60_000_000
        )
    Milestone.objects.create(project=made["K1"], name="封顶", planned_date=dt.date(2024, 7, 10))
    client = client_for("zone_admin")
    client.get(reverse("supervision:list"))
    assert kept()["K1"][0] == "amber"  # 5 days overdue
    assert_kept()
    later = dt.date(2024, 8, 20)  # 41 days overdue, and July is unreported
    today.set(later)
    page = client.get(reverse("supervision:list"))
    assert [(r.code, r.current_status.status) for r in page.context["rows"]] == [
        ("K1", "red"),
        ("K2", "amber"),
    ]
    assert_kept(later)
    assert StatusRefresh.objects.get().as_of == later
    assert current.refresh() is False  # once a day


def test_a_park_officer_reads_their_parks_projects_only(zone, today, client_for):
    make_projects(zone)
    officer = client_for("park_officer")  # P1
    page = officer.get(reverse("supervision:list"))
    assert [r.code for r in page.context["rows"]] == ["K1"]
    assert [
        r.code for r in officer.get(reverse("supervision:list"), {"status": "red"}).context["rows"]
    ] == ["K1"]
    league = officer.get(reverse("supervision:league"))
    assert [row["park"] for row in league.context["parks"]] == ["P1"]
    k2 = KeyProject.objects.get(code="K2")
    assert officer.get(k2.get_absolute_url()).status_code == 404


def test_today_reads_as_judging_anew_would_show(zone, today, client_for):
    """The list's CSV and the league table as of today, read from the kept statuses, are
    what judging every project gives for the same day."""
    made = make_projects(zone)
    ProgressReport.objects.create(
        project=made["K1"], month="2024-06", investment_completed=45_000_000
    )
    Milestone.objects.create(project=made["K2"], name="开工", planned_date=dt.date(2024, 6, 1))
    ProjectIssue.objects.create(
        project=made["K2"], kind="land", description="征地", owner_unit="自然资源局", due_date=DAY
    )
    client = client_for("zone_admin")
    args = {"as_of": DAY.isoformat()}

    def shown():
        listed = client.get(reverse("supervision:list"), {**args, "format": "csv"})
        rows = list(csv.reader(io.StringIO(listed.content.decode("utf-8-sig"))))
        league = client.get(reverse("supervision:league"), args).context["parks"]
        return rows, league

    kept_rows, kept_league = shown()
    today.set(DAY + dt.timedelta(days=1))  # the same day asked for is now judged anew
    assert shown() == (kept_rows, kept_league)
    assert [r[1] for r in kept_rows[1:]] == ["K2", "K1"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more_projects(zone, n: int, start: int):
    with current.judged_once():
        for i in range(start, start + n):
            project = KeyProject.objects.create(
                code=f"M{i:03}",
                name=f"项目{i:03}",
                park=zone["p1"] if i % 2 else zone["p2"],
                total_investment=Decimal(100_000_000),
                start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2024, 12, 31),
            )
            ProgressReport.objects.create(
                project=project, month="2024-06", investment_completed=10_000_000 * (i % 9)
            )


def test_the_list_and_a_project_page_cost_the_same_at_20_and_200_projects(zone, today, client_for):
    client = client_for("zone_admin")
    more_projects(zone, 20, 0)
    first = KeyProject.objects.get(code="M000").get_absolute_url()
    pages = (reverse("supervision:list"), first, reverse("supervision:league"))
    client.get(pages[0])  # the day's first page judges every project
    small = [count_queries(client, url) for url in pages]
    more_projects(zone, 180, 20)
    client.get(pages[0])
    assert [count_queries(client, url) for url in pages] == small
    assert_kept()


def test_the_api_answers_today_from_the_kept_statuses_as_judging_anew_would(zone, today, users):
    from rest_framework.test import APIClient

    made = make_projects(zone)
    ProgressReport.objects.create(
        project=made["K2"], month="2024-06", investment_completed=10_000_000
    )
    for role in ("zone_admin", "park_officer"):
        client = APIClient()
        client.force_authenticate(users[role])
        answer = client.get("/api/v1/supervision/projects/status/").json()
        assert answer == services.project_status(users[role], DAY)
    assert [p["project_id"] for p in answer["projects"]] == ["K1"]


def test_the_upgrade_judges_every_existing_project(zone, today):
    """Migration 0007 on a database whose projects have no kept status yet."""
    import importlib

    from django.apps import apps

    fill = importlib.import_module("beacon.supervision.migrations.0007_fill_current_statuses")
    made = make_projects(zone)
    ProgressReport.objects.create(
        project=made["K1"], month="2024-06", investment_completed=40_000_000
    )
    CurrentStatus.objects.all().delete()
    StatusRefresh.objects.all().delete()
    fill.judge_every_project(apps, None)
    assert_kept()
    assert kept()["K1"][0] == "amber"
    marker = StatusRefresh.objects.get()
    assert (marker.as_of, marker.rules_digest) == (
        DAY,
        current.rules_digest(services.rules_in_force()[1]),
    )
    assert current.refresh() is False
