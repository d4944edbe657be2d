"""The audit logs export like every other list, to the auditor only."""

import pytest
from django.core.management import call_command
from django.test import Client

from beacon.core.models import ChangeLogEntry
from beacon.core.tabular import read_sheet
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker


@pytest.mark.django_db
def test_auditor_exports_the_change_log_with_before_and_after(zone, client_for):
    admin = client_for("zone_admin")
    enterprise = zone["p1_enterprise"]
    response = admin.post(
        f"/registry/enterprises/{enterprise.pk}/edit/",
        {
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "name_en": enterprise.name_en,
            "founded": "2016-03-01",
            "industry": enterprise.industry_id,
            "park": enterprise.park_id,
            "business_scope": "储能系统集成",
            "status": "active",
            "high_tech": "on",
        },
    )
    assert response.status_code == 302
    export = client_for("auditor").get(
        "/audit/changelog/", {"export": "csv", "actor": "zone_admin"}
    )
    sheet = read_sheet(export.content)
    assert sheet.headers == [
        "id",
        "timestamp",
        "user",
        "action",
        "object_type",
        "object_id",
        "object",
        "changes",
        "address",
    ]
    rows = [dict(zip(sheet.headers, r, strict=True)) for r in sheet.rows]
    assert [(r["user"], r["action"], r["object_type"], r["object_id"]) for r in rows] == [
        ("zone_admin", "update", "enterprise", str(enterprise.pk))
    ]
    assert (
        rows[0]["changes"]
        == "business_scope: 锂离子电池、动力电池系统的研发、生产和销售 -> 储能系统集成"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["zone_admin", "leader", "system_admin"])
def test_other_roles_cannot_export_the_logs(users, client_for, role):
    for url in ("/audit/changelog/", "/audit/logins/", "/audit/logins/failed/"):
        assert client_for(role).get(url, {"export": "csv"}).status_code == 404


@pytest.mark.django_db
def test_export_command_exports_the_login_log_for_the_auditor(users, client_for, tmp_path):
    Client().post("/login/", {"username": "leader", "password": "wrong"})
    out = tmp_path / "failed.csv"
    call_command(
        "export", "failed-logins", "--format", "csv", "--out", str(out), "--user", "auditor"
    )
    sheet = read_sheet(out.read_bytes())
    assert [r[sheet.headers.index("username")] for r in sheet.rows] == ["leader"]
    nothing = tmp_path / "nothing.csv"
    call_command(
        "export", "failed-logins", "--format", "csv", "--out", str(nothing), "--user", "leader"
    )
    assert read_sheet(nothing.read_bytes()).rows == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_log_export_over_the_limit_is_the_auditors_job_with_the_pages_file(
    zone, client_for, settings
):
    settings.BEACON_EXPORT_INLINE_ROWS = 1
    auditor = client_for("auditor")
    query = {"export": "csv", "action": ChangeLogEntry.Action.CREATE}
    response = auditor.get("/audit/changelog/", query)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.result_name) == ("done", "changelog.csv")
    settings.BEACON_EXPORT_INLINE_ROWS = 1_000_000
    inline = auditor.get("/audit/changelog/", query)
    download = auditor.get(f"/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content) == inline.content
    assert len(read_sheet(inline.content).rows) == job.total > 1
