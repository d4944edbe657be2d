"""The demo's key projects: carried on from the signed leads (and a few entered directly),
the default milestones with baselines, early and late actual dates, cumulative monthly
reports through last month, issues with owners, all three statuses, and a whole change log.

The demo zone (a few hundred enterprises), its promotion and its key projects are written
once for the module; every test runs in a savepoint inside that transaction.
"""

import datetime as dt
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from beacon.core.models import ChangeLogEntry, User
from beacon.demo.promotion import build_demo_promotion
from beacon.demo.supervision import SIZES, build_demo_supervision
from beacon.demo.writer import build_demo_zone
from beacon.promotion.models import Lead
from beacon.supervision import services
from beacon.supervision.choices import DEFAULT_MILESTONES, IssueKind
from beacon.supervision.models import KeyProject, Milestone, ProgressReport, ProjectIssue

LEADS, DIRECT = SIZES["small"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    today = timezone.localdate()
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_zone(enterprises=300)
        build_demo_promotion()
        build_demo_supervision()
        yield SimpleNamespace(today=today, admin=User.objects.get(username="admin"))
        transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def test_signed_leads_become_key_projects_with_a_few_entered_directly(demo):
    signed = Lead.objects.projects().filter(proposed_park__isnull=False)
    from_leads = KeyProject.objects.filter(lead__isnull=False).select_related("lead")
    assert from_leads.count() == min(LEADS, signed.count()) > 10
    for project in from_leads:
        lead = project.lead
        assert signed.filter(pk=lead.pk).exists()
        assert project.code == f"KP-{project.start_date.year}-{lead.pk}"
        assert (project.name, project.park_id) == (lead.project, lead.proposed_park_id)
        assert project.total_investment == lead.planned_investment
        assert project.start_date == services.signed_on(lead)
        assert project.end_date == project.start_date + services.DEFAULT_SPAN
    direct = KeyProject.objects.filter(lead__isnull=True)
    assert direct.count() == DIRECT
    assert set(direct.values_list("category", flat=True)) == {
        "infrastructure",
        "innovation",
        "public",
    }
    assert direct.values("park").distinct().count() >= 4
    assert all(project.responsible_unit for project in direct)
    assert all(project.start_date < project.end_date for project in direct)


def test_the_park_officer_is_responsible_for_the_projects_of_the_park(demo):
    officer = User.objects.get(username="park1")
    (park,) = officer.scope_ids("park")
    mine = KeyProject.objects.filter(park_id=park)
    assert mine.exists()
    assert set(mine.values_list("officer", flat=True)) == {officer.pk}
    assert not KeyProject.objects.exclude(park_id=park).filter(officer__isnull=False).exists()


def test_each_project_has_the_six_default_milestones(demo):
    with translation.override(settings.LANGUAGE_CODE):
        names = [str(name) for name in DEFAULT_MILESTONES]
    by_project = defaultdict(list)
    for milestone in Milestone.objects.order_by("baseline_date", "pk"):
        by_project[milestone.project_id].append(milestone)
    assert set(by_project) == set(KeyProject.objects.values_list("pk", flat=True))
    for milestones in by_project.values():
        assert [m.name for m in milestones] == names
        planned = [m.planned_date for m in milestones]
        assert planned == sorted(planned)
        assert all(m.actual_date is None or m.actual_date < demo.today for m in milestones)


def test_milestones_are_met_early_and_late_and_some_are_replanned(demo):
    met = Milestone.objects.filter(actual_date__isnull=False)
    late = met.filter(actual_date__gt=F("planned_date"))
    early = met.filter(actual_date__lt=F("planned_date"))
    assert late.count() > 20 and early.count() > 10
    delays = [(m.actual_date - m.planned_date).days for m in late]
    assert max(delays) <= 60 and min(delays) < 10
    replanned = Milestone.objects.exclude(baseline_date=F("planned_date"))
    assert replanned.values("project").distinct().count() >= 3
    assert all(m.planned_date > m.baseline_date for m in replanned)


def test_reports_are_cumulative_every_month_through_last_month(demo):
    last_month = month_of(demo.today.replace(day=1) - dt.timedelta(days=1))
    reports = defaultdict(list)
    for report in ProgressReport.objects.order_by("month"):
        reports[report.project_id].append(report)
    projects = KeyProject.objects.in_bulk()
    assert len(reports) > 0.8 * len(projects)
    missing_last = 0
    for pk, mine in reports.items():
        project = projects[pk]
        months = [r.month for r in mine]
        assert months[0] == month_of(project.start_date)
        assert months[-1] <= last_month
        missing_last += months[-1] != last_month
        assert len(months) == len(set(months))
        amounts = [r.investment_completed for r in mine]
        assert amounts == sorted(amounts)
        assert amounts[-1] <= project.total_investment
        progress = [r.physical_progress for r in mine]
        assert progress == sorted(progress) and progress[-1] <= 100
        assert all(r.workforce and r.text for r in mine)
    assert missing_last >= 3
    assert ProgressReport.objects.filter(
        investment_completed=F("project__total_investment"), physical_progress=100
    ).exists()


def test_the_demo_has_green_amber_and_red_projects(demo):
    result = services.project_status(demo.admin, demo.today)
    statuses = Counter(project["status"] for project in result["projects"])
    assert set(statuses) == {"green", "amber", "red"}
    total = sum(statuses.values())
    assert statuses["green"] > total / 2
    assert 0.05 * total <= statuses["red"] <= 0.25 * total
    reasons = " ".join(r for p in result["projects"] for r in p["reasons"])
    # the zone's rules in force give their reasons in Chinese
    assert "投资滞后" in reasons and "月报未报送" in reasons
    assert len(result["parks"]) == 5


def test_issues_have_owners_and_some_are_overdue(demo):
    issues = ProjectIssue.objects.all()
    assert set(issues.values_list("kind", flat=True)) <= set(IssueKind.values)
    assert all(issue.description and issue.owner_unit for issue in issues)
    resolved = issues.filter(resolved_on__isnull=False)
    assert resolved.exists()
    assert all(i.resolution and i.resolved_on <= demo.today for i in resolved)
    still_open = issues.filter(resolved_on__isnull=True)
    assert not still_open.exclude(resolution="").exists()
    assert still_open.filter(due_date__lt=demo.today).count() >= 3
    assert still_open.filter(due_date__gte=demo.today).exists()


def test_the_change_log_records_every_row_as_written_by_the_admin(demo):
    for model in (KeyProject, Milestone, ProgressReport, ProjectIssue):
        logged = ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            action=ChangeLogEntry.Action.CREATE,
        )
        assert logged.count() == model.objects.count() > 0, model
        assert set(logged.values_list("actor", flat=True)) == {demo.admin.pk}, model
    replanned = Milestone.objects.exclude(baseline_date=F("planned_date")).first()
    update = ChangeLogEntry.objects.get_for_object(replanned).get(
        action=ChangeLogEntry.Action.UPDATE
    )
    assert update.changes["planned_date"][0] == str(replanned.baseline_date)


def test_the_kept_statuses_are_those_of_the_demo_as_built(demo):
    """The demo writes its milestones, reports and issues in bulk, which sends no signals:
    each project is judged once its course is written."""
    from beacon.supervision.models import CurrentStatus

    result = services.project_status(demo.admin, demo.today)
    judged = {
        p["project_id"]: (p["status"], p["lag_points"], p["reasons"], bool(p.get("escalate")))
        for p in result["projects"]
    }
    kept = {
        s.project.code: (s.status, s.lag_points, s.reasons, s.escalate)
        for s in CurrentStatus.objects.select_related("project").filter(as_of=demo.today)
    }
    assert kept == judged
