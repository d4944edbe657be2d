"""An upload of more data rows than ``BEACON_IMPORT_INLINE_ROWS`` is imported by a background
job, run by a real ``beacon worker`` process: as the user who uploaded it, with the page's
checks, every problem listed and nothing written on any, the upload removed afterwards."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beacon.core.models import ChangeLogEntry
from beacon.jobs.choices import JobState
from beacon.jobs.imports import upload_of
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker
from beacon.registry.models import Enterprise

from .factories import make_uscc
from .test_import_export import ENTERPRISE_HEADER, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GOOD = [
    ENTERPRISE_HEADER,
    [make_uscc(9101), "肇庆新能源电池有限公司", "3841", "P1", "是", "动力电池研发"],
    [make_uscc(9102), "肇庆生物医药有限公司", "2720", "P1", "否", ""],
]


def upload(client, rows, **data):
    file = SimpleUploadedFile("enterprises.csv", csv_bytes(rows), content_type="text/csv")
    return client.post(reverse("registry:enterprise_import"), {"file": file, **data})


def kept(job) -> bool:
    """Whether the job's upload is still kept."""
    return upload_of(job).exists()


def test_a_large_upload_is_a_job_that_imports_as_the_page_does(zone, users, client_for, settings):
    settings.BEACON_IMPORT_INLINE_ROWS = 1
    officer = client_for("park_officer")
    response = upload(officer, GOOD)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.owner, job.state) == (users["park_officer"], JobState.QUEUED)
    assert kept(job)
    assert not Enterprise.objects.filter(uscc=GOOD[1][0]).exists()
    # the job is its owner's: another user's page of it is 404
    assert client_for("promoter").get(job.get_absolute_url()).status_code == 404

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.step, job.done, job.total) == (
        JobState.DONE,
        "2 created, 0 updated, 0 unchanged",
        2,
        2,
    )
    assert not kept(job)
    made = Enterprise.objects.get(uscc=GOOD[1][0])
    assert (made.name, made.industry.code, made.park.code, made.high_tech) == (
        "肇庆新能源电池有限公司",
        "3841",
        "P1",
        True,
    )
    assert ChangeLogEntry.objects.get_for_object(made).get().actor == users["park_officer"]
    # the page, inline, reads the same file as already imported
    settings.BEACON_IMPORT_INLINE_ROWS = 1000
    again = upload(officer, GOOD)
    assert again.status_code == 200
    assert again.context["result"].summary() == "0 created, 0 updated, 2 unchanged"
    assert Job.objects.count() == 1


def test_a_bad_file_fails_with_every_row_problem_and_writes_nothing(
    zone, users, client_for, settings
):
    settings.BEACON_IMPORT_INLINE_ROWS = 1
    officer = client_for("park_officer")  # scoped to park P1
    bad = [
        ENTERPRISE_HEADER,
        [make_uscc(9103), "本园企业", "3841", "P1", "是", ""],
        [make_uscc(9104), "未知行业公司", "9999", "P1", "是", ""],
        [make_uscc(9105), "他园企业", "3841", "P2", "是", ""],
        [make_uscc(9106), "", "3841", "P1", "maybe", ""],
    ]
    enterprises, entries = Enterprise.objects.count(), ChangeLogEntry.objects.count()
    upload(officer, bad)
    upload(officer, GOOD, dry_run="1")
    failed, checked = Job.objects.order_by("pk")
    assert str(checked) == "Import check: enterprises"
    assert kept(failed) and kept(checked)

    run_worker()

    failed.refresh_from_db()
    assert failed.state == JobState.FAILED
    assert failed.messages == [
        "row 3, column industry_code: unknown: 9999",
        "row 4, column park: outside your scope",
        "row 5, column name: required",
        "row 5, column high_tech: not yes or no: maybe",
    ]
    checked.refresh_from_db()
    assert (checked.state, checked.step) == (
        JobState.DONE,
        "Dry run, nothing written: 2 created, 0 updated, 0 unchanged",
    )
    assert (Enterprise.objects.count(), ChangeLogEntry.objects.count()) == (enterprises, entries)
    assert not kept(failed) and not kept(checked)
    # the failure is shown on the job's page, to its owner
    page = officer.get(failed.get_absolute_url())
    assert "row 4, column park: outside your scope" in page.content.decode()
