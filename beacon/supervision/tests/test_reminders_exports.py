"""Reminders go to the officers who owe a report or an issue, escalations to the zone
administration; the supervision list and league tables open in Excel and Word with what
the page shows, and nothing outside the user's scope."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from docx import Document

from beacon.jobs.choices import JobState
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker
from beacon.supervision import services
from beacon.supervision.models import ProgressReport, ProjectIssue
from beacon.supervision.reminders import reminders_for
from beacon.supervision.tests.conftest import AS_OF

TODAY = dt.date.fromisoformat(AS_OF)


def listed(user) -> list[tuple[str, str, str]]:
    return [(r.kind, r.project.code, r.due.isoformat()) for r in reminders_for(user, TODAY)]


def test_officers_are_reminded_and_overdue_issues_escalate(projects, users):
    k1, k2 = projects["K1"], projects["K2"]
    officer, admin = users["park_officer"], users["zone_admin"]
    assert listed(officer) == [("report_due", "K1", "2024-06-30")]
    assert reminders_for(officer, TODAY)[0].text == (
        "Monthly report for 2024-06 due: K1 K1 动力电池基地"
    )
    ProgressReport.objects.create(project=k1, month="2024-06", investment_completed=50_000_000)
    ProjectIssue.objects.create(
        project=k1,
        kind="utilities",
        description="施工用电增容审批未完成",
        owner_unit="供电公司",
        due_date=dt.date(2024, 7, 1),
    )
    ProjectIssue.objects.create(
        project=k1,
        kind="land",
        description="已解决",
        owner_unit="自然资源局",
        due_date=dt.date(2024, 6, 1),
        resolved_on=dt.date(2024, 6, 20),
    )
    assert listed(officer) == [("issue_overdue", "K1", "2024-07-01")]
    assert reminders_for(officer, TODAY)[0].text == (
        "Issue overdue by 14 days (供电公司): 施工用电增容审批未完成 — K1 K1 动力电池基地"
    )
    # the zone administration gets the overdue issue and K2, red since May: no reports
    assert listed(admin) == [("escalated", "K1", "2024-07-01"), ("escalated", "K2", AS_OF)]
    # a project with its own responsible officer reminds that officer only
    k1.officer = admin
    k1.save()
    assert listed(officer) == []
    assert listed(users["leader"]) == []  # reads everything, owes nothing
    assert k2.officer is None


def test_the_reminders_page_lists_the_users_own(projects, client_for):
    # running until 2099: a report is due for last month, whatever today is
    projects["K1"].end_date = dt.date(2099, 12, 31)
    projects["K1"].save()
    page = client_for("park_officer").get(reverse("supervision:reminders"))
    assert [(r.kind, r.project.code) for r in page.context["reminders"]] == [("report_due", "K1")]
    assert b"Monthly report for" in page.content


def test_remind_emails_only_with_a_mail_server(projects, users, settings, capsys):
    users["park_officer"].email = "park1@example.cn"
    users["park_officer"].save()
    users["zone_admin"].email = "admin@example.cn"
    users["zone_admin"].save()
    settings.EMAIL_HOST = ""
    call_command("remind", "--as-of", AS_OF)
    assert mail.outbox == []
    assert capsys.readouterr().out.splitlines() == [
        "No mail server (BEACON_EMAIL_HOST): nothing sent.",
        "park_officer <park1@example.cn>: 1 reminders",
        "zone_admin <admin@example.cn>: 2 reminders",
    ]
    settings.EMAIL_HOST = "smtp.example.cn"
    settings.LANGUAGE_CODE = "en"
    call_command("remind", "--as-of", AS_OF)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["park1@example.cn"], "Beacon: 1 reminders"),
        (["admin@example.cn"], "Beacon: 2 reminders"),
    ]
    # nothing reported: both projects red at the ends of May, June and on the day
    assert mail.outbox[1].body.splitlines() == [
        f"- Red for three months running: K1 K1 动力电池基地 ({AS_OF})",
        f"- Red for three months running: K2 K2 动力电池基地 ({AS_OF})",
    ]
    with pytest.raises(CommandError, match="a date is written YYYY-MM-DD"):
        call_command("remind", "--as-of", "2024-13-01")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_remind_queued_is_done_by_a_worker_as_the_zone_administrator(
    projects, users, settings, capsys
):
    users["park_officer"].email = "park1@example.cn"
    users["park_officer"].save()
    settings.EMAIL_HOST = ""  # as the worker's own settings: no mail server
    call_command("remind", "--as-of", AS_OF)
    printed = capsys.readouterr().out
    call_command("remind", "--as-of", AS_OF, "--queue")
    job = Job.objects.get()
    assert capsys.readouterr().out == f"{job.pk}\n"
    assert (job.owner, job.state) == (users["zone_admin"], JobState.QUEUED)
    with pytest.raises(CommandError, match="no such active user"):
        call_command("remind", "--queue", "--user", "nobody")

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.result_path.read_text() == printed
    assert printed.splitlines() == [
        "No mail server (BEACON_EMAIL_HOST): nothing sent.",
        "park_officer <park1@example.cn>: 1 reminders",
    ]
    call_command("remind", "--as-of", AS_OF, "--queue", "--user", "leader")
    assert Job.objects.latest("pk").owner == users["leader"]


def english(park) -> str:
    with translation.override("en"):
        return str(park)


def word_rows(content: bytes) -> list[list[str]]:
    table = Document(io.BytesIO(content)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_supervision_list_in_word_and_excel(projects, client_for):
    projects["K1"].name = "=HYPERLINK(1)"
    projects["K1"].save()
    ProgressReport.objects.create(
        project=projects["K1"], month="2024-06", investment_completed=50_000_000
    )
    ProjectIssue.objects.create(
        project=projects["K2"],
        kind="land",
        description="土地征收补偿未到位",
        owner_unit="自然资源局",
        due_date=dt.date(2024, 7, 1),
    )
    url = reverse("supervision:list")
    client = client_for("zone_admin")
    page = client.get(url, {"as_of": AS_OF})
    assert [(r.code, r.current_status.status) for r in page.context["rows"]] == [
        ("K2", "red"),
        ("K1", "green"),
    ]
    word = client.get(url, {"as_of": AS_OF, "format": "docx"})
    assert word["Content-Disposition"] == 'attachment; filename="supervision-list-2024-07-15.docx"'
    rows = word_rows(word.content)
    assert rows[0][:3] == ["No.", "Code", "Project"]
    assert rows[1][1:4] + rows[1][6:11] == [
        "K2",
        "K2 动力电池基地",
        english(projects["K2"].park),
        "100,000,000",
        "",
        "",
        "53.7",
        "red",
    ]
    assert rows[1][12] == "土地征收补偿未到位 (自然资源局, 2024-07-01, overdue)"
    assert rows[2][1:3] + rows[2][7:11] == [
        "K1",
        "=HYPERLINK(1)",
        "50,000,000",
        "50",
        "3.7",
        "green",
    ]
    shading = Document(io.BytesIO(word.content)).tables[0].rows[1].cells[10]._tc.xml
    assert 'w:fill="D63939"' in shading
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"as_of": AS_OF, "format": "xlsx"}).content)
    ).active
    values = list(sheet.values)
    assert values[2][1:3] == ("K1", "'=HYPERLINK(1)")  # a formula is not run
    assert values[1][9:11] == (53.7, "red")
    # a park officer's list holds the park's projects only, and only red when asked
    officer = client_for("park_officer")
    officer_rows = word_rows(officer.get(url, {"as_of": AS_OF, "format": "docx"}).content)
    assert [row[1] for row in officer_rows[1:]] == ["K1"]
    only_red = officer.get(url, {"as_of": AS_OF, "status": "red", "format": "docx"})
    assert len(word_rows(only_red.content)) == 1
    assert officer.get(url, {"format": "pdf"}).status_code == 404


def test_league_tables_in_word_live_and_frozen(projects, users, client_for):
    client = client_for("zone_admin")
    league = reverse("supervision:league")
    live = word_rows(client.get(league, {"as_of": AS_OF, "format": "docx"}).content)
    assert [row[:3] for row in live] == [
        ["Rank", "Park", "Projects"],
        ["1", english(projects["K1"].park), "1"],
        ["2", english(projects["K2"].park), "1"],
    ]
    table = services.publish(users["zone_admin"], TODAY)  # as its job does
    ProgressReport.objects.create(
        project=projects["K2"], month="2024-06", investment_completed=100_000_000
    )
    export = reverse("supervision:leaguetable_export", args=[table.pk])
    frozen = client.get(export, {"format": "docx"})
    assert word_rows(frozen.content) == live  # later reports do not change it
    paragraphs = [p.text for p in Document(io.BytesIO(frozen.content)).paragraphs]
    assert paragraphs[0] == "Park league table"
    assert paragraphs[1].startswith("As of 2024-07-15, published by zone_admin on ")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export, {"format": "xlsx"}).content))
    assert [row[1] for row in sheet.active.values] == [
        "Park",
        english(projects["K1"].park),
        english(projects["K2"].park),
    ]


def test_the_supervision_list_filters_pages_and_exports_what_it_shows(projects, client_for, zone):
    """Filters narrow the rows (the projects' park and search, the computed status); a page
    holds 50; CSV, XLSX and Word hold every row the filters keep, within the user's scope."""
    import csv

    from beacon.supervision.models import KeyProject

    ProgressReport.objects.create(
        project=projects["K1"], month="2024-06", investment_completed=50_000_000
    )
    for n in range(60):  # more of P2's projects, red like K2: nothing reported
        KeyProject.objects.create(
            code=f"P2-{n:02}",
            name=f"项目{n:02}",
            park=zone["p2"],
            total_investment=100_000_000,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
        )
    url = reverse("supervision:list")
    admin = client_for("zone_admin")

    def codes(response):
        return [r.code for r in response.context["rows"]]

    first = admin.get(url, {"as_of": AS_OF})
    assert (first.context["table"].paginator.count, len(codes(first))) == (62, 50)
    second = admin.get(url, {"as_of": AS_OF, "page": 2})
    assert len(codes(second)) == 12 and codes(second)[-1] == "K1"  # green, last
    assert codes(admin.get(url, {"as_of": AS_OF, "status": "green"})) == ["K1"]
    assert codes(admin.get(url, {"as_of": AS_OF, "park": "P1"})) == ["K1"]
    assert codes(admin.get(url, {"as_of": AS_OF, "search": "项目07"})) == ["P2-07"]
    # a filter that cannot be applied shows no rows, and downloads none
    assert codes(admin.get(url, {"as_of": AS_OF, "status": "purple"})) == []
    partial = admin.get(url, {"as_of": AS_OF, "status": "green"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"K1" in partial.content

    red = admin.get(url, {"as_of": AS_OF, "status": "red", "format": "csv"})
    assert red["Content-Disposition"] == 'attachment; filename="supervision-list-2024-07-15.csv"'
    rows = list(csv.reader(io.StringIO(red.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 61 and {r[1] for r in rows[1:]} == {"K2"} | {
        f"P2-{n:02}" for n in range(60)
    }
    sheet = admin.get(url, {"as_of": AS_OF, "park": "P1", "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True)
    assert [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["K1"]
    # a park officer's list and download keep to park P1
    officer = client_for("park_officer")
    assert codes(officer.get(url, {"as_of": AS_OF})) == ["K1"]
    mine = officer.get(url, {"as_of": AS_OF, "format": "csv"})
    assert [r[1] for r in csv.reader(io.StringIO(mine.content.decode("utf-8-sig")))][1:] == ["K1"]
