"""Key projects in the application: status from the same rules as ``beacon supervise``,
re-planned milestones keep their baseline, park officers report on their parks' projects
only, and a published league table stays as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from beacon.analytics import supervision as engine
from beacon.core.testing import CHOICE_ERROR
from beacon.jobs.choices import JobState
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker
from beacon.promotion.choices import Stage
from beacon.promotion.models import Team
from beacon.promotion.services import move
from beacon.promotion.tests.conftest import make_lead
from beacon.supervision import services
from beacon.supervision.models import (
    KeyProject,
    LeagueTable,
    Milestone,
    ProgressReport,
    StatusRules,
)
from beacon.supervision.shipped_rules import shipped_rules_text
from beacon.supervision.tests.conftest import AS_OF


def status(client, project) -> dict:
    page = client.get(project.get_absolute_url(), {"as_of": AS_OF})
    assert page.status_code == 200
    shown = page.context["status"]
    return {"status": shown.status, "reasons": shown.reasons, "escalate": shown.escalate}


def test_status_and_the_rules_that_fired(projects, client_for):
    k1, k2 = projects["K1"], projects["K2"]
    # planned share on 2024-07-15: 196 of 365 days elapsed = 53.7 %
    ProgressReport.objects.create(project=k1, month="2024-06", investment_completed=50_000_000)
    ProgressReport.objects.create(project=k2, month="2024-06", investment_completed=10_000_000)
    Milestone.objects.create(project=k2, name="开工", planned_date=dt.date(2024, 6, 1))
    client = client_for("zone_admin")
    first = status(client, k1)
    assert (first["status"], first["reasons"]) == ("green", [])
    second = status(client, k2)
    assert second["status"] == "red"
    # red at the ends of May and June too (nothing reported by May): escalated; the
    # zone's rules in force are the shipped ones in Chinese
    assert second["reasons"] == [
        "投资滞后 43.7 个百分点（计划 53.7%，完成 10.0%）> 30: 红灯",
        "节点“开工”逾期 44 天: 红灯",
        "连续三个月红灯：升级督办",
    ]
    assert second["escalate"] is True


def test_a_replanned_milestone_keeps_its_baseline(projects):
    milestone = Milestone.objects.create(
        project=projects["K1"], name="封顶", planned_date=dt.date(2024, 5, 1)
    )
    milestone.planned_date = dt.date(2024, 8, 1)
    milestone.save()
    milestone.refresh_from_db()
    assert (milestone.baseline_date, milestone.planned_date) == (
        dt.date(2024, 5, 1),
        dt.date(2024, 8, 1),
    )


def test_a_park_officer_reports_on_the_park_projects_only(projects, client_for):
    client = client_for("park_officer")
    listed = client.get(reverse("supervision:keyproject_list"))
    assert [row.record.code for row in listed.context["table"].page.object_list] == ["K1"]
    assert client.get(projects["K2"].get_absolute_url()).status_code == 404
    url = reverse("supervision:progressreport_add")
    report = {"month": "2024-06", "investment_completed": "30000000", "physical_progress": "40"}
    refused = client.post(url, {**report, "project": "K2"})
    assert refused.context["form"].errors == {"project": [CHOICE_ERROR]}
    filed = client.post(url, {**report, "project": "K1"})
    assert filed.status_code == 302 and filed.url == projects["K1"].get_absolute_url()
    assert ProgressReport.objects.get().project == projects["K1"]
    bad_month = client.post(url, {**report, "project": "K1", "month": "2024-13"})
    assert bad_month.context["form"].errors == {"month": ["A month is written YYYY-MM."]}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_league_table_is_published_by_a_worker_and_does_not_change(projects, users, client_for):
    client = client_for("zone_admin")
    ProgressReport.objects.create(
        project=projects["K1"], month="2024-06", investment_completed=50_000_000
    )
    response = client.post(f"{reverse('supervision:league')}?as_of={AS_OF}")
    # queued at once, published by a worker as the user
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.owner, job.state) == (users["zone_admin"], JobState.QUEUED)
    assert not LeagueTable.objects.exists()

    run_worker()

    job.refresh_from_db()
    table = LeagueTable.objects.get()
    assert (job.state, job.result, job.step) == (JobState.DONE, table, "2 parks")
    assert table.get_absolute_url() in client.get(job.get_absolute_url()).content.decode()
    # what publishing in the request froze: the same table, rules and publisher
    frozen = services.publish(users["zone_admin"], dt.date.fromisoformat(AS_OF))
    frozen.refresh_from_db()
    fields = ("as_of", "parks", "projects", "rules", "rule_version", "published_by")
    assert [getattr(table, f) for f in fields] == [getattr(frozen, f) for f in fields]
    frozen.delete()
    before = (table.parks, table.projects)
    assert [row["park"] for row in table.parks] == ["P1", "P2"]
    ProgressReport.objects.filter(project=projects["K1"]).update(investment_completed=0)
    table.refresh_from_db()
    assert (table.parks, table.projects) == before
    page = client.get(table.get_absolute_url())
    assert [row["park"] for row in page.context["parks"]] == ["P1", "P2"]
    assert client_for("park_officer").post(reverse("supervision:league")).status_code == 404
    assert Job.objects.count() == 1


def test_a_new_project_starts_with_the_default_milestones(zone, client_for):
    response = client_for("zone_admin").post(
        reverse("supervision:keyproject_add"),
        {
            "code": "K9",
            "name": "园区主干道",
            "park": zone["p1"].pk,
            "category": "infrastructure",
            "total_investment": "70000000",
            "start_date": "2024-01-01",
            "end_date": "2024-07-01",
            "monthly_plan": "{}",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    project = KeyProject.objects.get(code="K9")
    # 182 days in seven steps: every 26 days; named in the zone's language (the client's
    # is English)
    assert [(m.name, m.planned_date.isoformat()) for m in project.milestones.all()] == [
        ("土地供应", "2024-01-27"),
        ("手续办理", "2024-02-22"),
        ("开工建设", "2024-03-19"),
        ("主体封顶", "2024-04-14"),
        ("竣工验收", "2024-05-10"),
        ("投产运营", "2024-06-05"),
    ]


def test_a_signed_lead_is_handed_on_as_a_key_project(zone, users, client_for):
    team = Team.objects.create(code="t1", name="新能源汽车招商组")
    lead = make_lead(team, zone["p1"], "宁德华锐动力电池有限公司")
    unsigned = make_lead(team, zone["p1"], "苏州博远电子科技有限公司")
    move(lead, Stage.SIGNED, dt.date(2024, 3, 20), users["zone_admin"])
    client = client_for("zone_admin")
    offered = client.get(lead.get_absolute_url())
    add = reverse("supervision:keyproject_add")
    assert f'href="{add}?lead={lead.pk}"'.encode() in offered.content
    assert b"make-key-project" not in client.get(unsigned.get_absolute_url()).content
    form = client.get(add, {"lead": lead.pk}).context["form"]
    initial = {name: form[name].value() for name in ("code", "name", "park", "start_date")}
    assert initial == {
        "code": f"KP-2024-{lead.pk}",
        "name": "动力电池生产基地",
        "park": zone["p1"].pk,
        "start_date": dt.date(2024, 3, 20),
    }
    assert form["end_date"].value() == dt.date(2026, 3, 20)
    assert form["total_investment"].value() == Decimal(500_000_000)
    assert [c.pk for c in form.fields["lead"].queryset] == [lead.pk]
    posted = {
        name: form[name].value()
        for name in ("code", "name", "park", "category", "total_investment")
    } | {"lead": lead.pk, "start_date": "2024-03-20", "end_date": "2026-03-20"}
    assert client.post(add, {**posted, "monthly_plan": "{}"}).status_code == 302
    project = KeyProject.objects.get(lead=lead)
    assert project.milestones.count() == 6
    handed = client.get(lead.get_absolute_url())
    assert project.get_absolute_url().encode() in handed.content
    again = client.post(add, {**posted, "code": "K-AGAIN", "monthly_plan": "{}"})
    assert list(again.context["form"].errors) == ["lead"]


RULES_FIVE_POINTS = engine.DEFAULT_RULES_TEXT.replace(
    '{field: lag_points, op: ">", value: 10}', '{field: lag_points, op: ">", value: 5}'
).replace(") > 10", ") > 5")


def test_status_follows_the_rules_in_force_and_keeps_their_versions(projects, users, client_for):
    # K1: 46 % completed against 53.7 % planned on 2024-07-15: a lag of 7.7 points
    ProgressReport.objects.create(
        project=projects["K1"], month="2024-06", investment_completed=46_000_000
    )
    client = client_for("zone_admin")
    assert status(client, projects["K1"])["status"] == "green"
    rules = StatusRules.objects.get(in_force=True)
    assert (rules.code, rules.current.number) == ("default", 1)
    edit = reverse("supervision:statusrules_edit", args=[rules.pk])
    fields = {"code": "default", "name": rules.name, "in_force": "on"}
    bad = client.post(edit, {**fields, "text": RULES_FIVE_POINTS.replace("lag_points", "lag")})
    assert (
        bad.context["form"]
        .errors["text"][0]
        .startswith(
            "line 3: unknown field 'lag' in the reason; fields are: project_id, name, park,"
        )
    )
    assert rules.versions.count() == 1
    saved = client.post(edit, {**fields, "text": RULES_FIVE_POINTS, "comment": "5 points"})
    assert saved.status_code == 302
    assert [v.number for v in rules.versions.order_by("number")] == [1, 2]
    assert status(client, projects["K1"])["reasons"] == [
        "investment lag 7.7 points (planned 53.7%, completed 46.0%) > 5: amber"
    ]
    table = services.publish(users["zone_admin"], dt.date.fromisoformat(AS_OF))
    assert table.rule_version == rules.current
    # a new set in force takes the default out, and its first version is what counts
    new = client.post(
        reverse("supervision:statusrules_add"),
        {"code": "strict", "name": "从严", "in_force": "on", "text": engine.DEFAULT_RULES_TEXT},
    )
    assert new.status_code == 302
    assert list(StatusRules.objects.filter(in_force=True).values_list("code", flat=True)) == [
        "strict"
    ]
    assert status(client, projects["K1"])["status"] == "green"
    officer = client_for("park_officer")
    assert officer.get(rules.get_absolute_url()).status_code == 200
    assert officer.get(edit).status_code == 404
    download = officer.get(
        reverse("supervision:statusrules_download", args=[rules.pk]), {"version": 2}
    )
    assert download.content.decode() == RULES_FIVE_POINTS


def test_the_zone_starts_with_the_default_rules_in_its_language(db):
    chinese = engine.parse_rules(shipped_rules_text("zh-hans"))
    assert shipped_rules_text("en") == engine.DEFAULT_RULES_TEXT

    def judged(rules):
        return [
            (r.status, [(c.field, c.op, c.value) for c in r.when], r.escalate) for r in rules.rules
        ]

    assert judged(chinese) == judged(engine.DEFAULT_RULES)  # the same rules, other words
    assert StatusRules.objects.get(in_force=True).current.text == shipped_rules_text("zh-hans")


def test_the_zone_admin_names_the_officer_among_the_park_officers(projects, users, client_for):
    form = client_for("zone_admin").get(
        reverse("supervision:keyproject_edit", args=[projects["K1"].pk])
    )
    choices = form.context["form"].fields["officer"].queryset
    assert [u.username for u in choices] == ["park_officer"]
    # the park officer edits the project, but the officer is the administration's to name
    officer_form = client_for("park_officer").get(
        reverse("supervision:keyproject_edit", args=[projects["K1"].pk])
    )
    assert "officer" not in officer_form.context["form"].fields


def test_a_monthly_plan_is_checked_month_by_month(projects, client_for):
    edit = reverse("supervision:keyproject_edit", args=[projects["K1"].pk])
    form = client_for("zone_admin").get(edit).context["form"]
    fields = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    plan = '{"2024-13": 100, "2024-02": -1, "2024-03": 5000000}'
    refused = client_for("zone_admin").post(edit, {**fields, "monthly_plan": plan})
    assert refused.context["form"].errors == {
        "monthly_plan": [
            "2024-13: a month is written YYYY-MM.",
            "2024-02: the amount is a number from 0 to 9999999999999999.",
        ]
    }
    projects["K1"].refresh_from_db()
    assert projects["K1"].monthly_plan == {}
    # an out-of-range day shows today's status instead of failing
    page = client_for("zone_admin").get(projects["K1"].get_absolute_url(), {"as_of": "0001-01-01"})
    assert page.context["as_of"] > dt.date(2026, 1, 1)
