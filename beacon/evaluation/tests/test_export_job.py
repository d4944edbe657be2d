"""A run's export of more rows than ``BEACON_EXPORT_INLINE_ROWS``, like any list's, goes
through the one export path (``core.downloads.export``): a job run by a real ``beacon
worker``, whose file is the one the page would have sent, in the user's scope."""

import pytest
from django.urls import reverse

from beacon.evaluation.services import mark_official, run_evaluation
from beacon.jobs.choices import JobState
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker

from .conftest import hand_zone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def download(client, job) -> bytes:
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_run_and_result_list_exports_over_the_limit_are_jobs_with_the_pages_files(
    zone, users, client_for, scheme, settings
):
    hand_zone(zone)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    mark_official(run)
    settings.BEACON_EXPORT_INLINE_ROWS = 1
    officer, admin = client_for("park_officer"), client_for("zone_admin")
    results = reverse("evaluation:evaluationrun_export", args=[run.pk, "results"])
    parks = reverse("evaluation:evaluationrun_export", args=[run.pk, "parks"])
    result_list = reverse("evaluation:evaluationresult_list")
    asked = [
        (officer, results, {"format": "csv"}, f"{scheme.code.lower()}-2023-run{run.pk}-results"),
        (admin, results, {"format": "csv"}, f"{scheme.code.lower()}-2023-run{run.pk}-results"),
        (admin, parks, {"format": "csv"}, f"{scheme.code.lower()}-2023-run{run.pk}-parks"),
        (admin, result_list, {"export": "csv", "park": "P2"}, None),
    ]
    jobs = []
    for client, url, query, _name in asked:
        response = client.get(url, query)
        jobs.append(Job.objects.latest("pk"))
        assert response.status_code == 302 and response.url == jobs[-1].get_absolute_url()
    assert [job.state for job in jobs] == [JobState.QUEUED] * 4

    run_worker()

    settings.BEACON_EXPORT_INLINE_ROWS = 1000
    for (client, url, query, name), job in zip(asked, jobs, strict=True):
        job.refresh_from_db()
        assert job.state == JobState.DONE
        if name is not None:
            assert job.result_name == f"{name}.csv"
        inline = client.get(url, query)
        assert inline.status_code == 200 and inline["Content-Type"].startswith("text/csv")
        assert download(client, job) == inline.content
    officers = download(officer, jobs[0]).decode()
    p1, p2 = zone["p1_enterprise"].uscc, zone["p2_enterprise"].uscc
    assert p1 in officers and p2 not in officers
    assert p2 in download(admin, jobs[1]).decode()
    filtered = download(admin, jobs[3]).decode()
    assert p2 in filtered and p1 not in filtered
    # each export is its owner's
    assert officer.get(reverse("jobs:job_download", args=[jobs[1].pk])).status_code == 404
