"""End to end in headless Chromium: a park officer files a key project's monthly report from
the project's page, sees it in the reports table and the change log, cannot file the same
month twice, and cannot open a project outside the park."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from beacon.conftest import PASSWORD
from beacon.core.models import ChangeLogEntry
from beacon.supervision.models import ProgressReport

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def last_complete_month(today: dt.date) -> str:
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def fill_report(page, month: str) -> None:
    page.fill("#id_month", month)
    page.fill("#id_investment_completed", "30000000")
    page.fill("#id_physical_progress", "40")
    page.fill("#id_workforce", "120")
    page.fill("#id_text", "主体结构施工中")
    page.click("#object-form button[type=submit]")


def test_a_park_officer_files_a_monthly_report(page, live_server, users, projects):
    k1, k2 = projects["K1"], projects["K2"]
    # K1 runs through 2024 in the fixture; keep it open so last month is within the project
    k1.end_date = dt.date(2099, 12, 31)
    k1.save()
    month = last_complete_month(timezone.localdate())
    officer = users["park_officer"]

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "park_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    k1_url = f"{live_server.url}{k1.get_absolute_url()}"
    page.goto(k1_url)
    # the page fixture's context asks for English (locale en-US)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#status-badge").inner_text().strip() in ("red", "amber", "green")
    assert page.locator("#project-reports tbody tr").count() == 0

    page.click("#file-report")
    page.wait_for_selector("#object-form")
    assert page.input_value("#id_project") == "K1"
    fill_report(page, month)
    page.wait_for_url(k1_url)

    rows = page.locator("#project-reports tbody tr")
    assert rows.count() == 1
    cells = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert cells == [month, "30,000,000", "40%"]

    report = ProgressReport.objects.get(project=k1, month=month)
    assert (
        report.investment_completed,
        report.physical_progress,
        report.workforce,
        report.text,
    ) == (Decimal(30_000_000), 40, 120, "主体结构施工中")
    created = ChangeLogEntry.objects.get_for_object(report).get(action=ChangeLogEntry.Action.CREATE)
    assert created.actor == officer
    assert created.changes["month"][1] == month

    # the same month a second time is refused on the form, and nothing is written
    page.click("#file-report")
    page.wait_for_selector("#object-form")
    fill_report(page, month)
    page.wait_for_selector("#object-form .alert-danger, #object-form .invalid-feedback")
    assert page.url.split("?")[0] != k1_url
    errors = page.locator("#object-form .alert-danger, #object-form .invalid-feedback")
    assert "This project already has a report for this month." in errors.all_inner_texts()
    assert ProgressReport.objects.filter(project=k1, month=month).count() == 1
    assert ProgressReport.objects.count() == 1
    assert ChangeLogEntry.objects.get_for_object(report).count() == 1

    # K2 is in park P2, outside the officer's scope
    response = page.goto(f"{live_server.url}{k2.get_absolute_url()}")
    assert response.status == 404
