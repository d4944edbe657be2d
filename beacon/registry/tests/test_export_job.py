"""A registry export of more rows than ``BEACON_EXPORT_INLINE_ROWS`` is a background job, run
by a real ``beacon worker`` process: its file is the one the page would have sent, with the
same filters and scope, for its owner to download."""

import pytest
from django.urls import reverse

from beacon.jobs.choices import JobState
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def download(client, job) -> bytes:
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_export_over_the_limit_is_a_job_whose_file_is_the_pages(zone, client_for, settings):
    settings.BEACON_EXPORT_INLINE_ROWS = 1
    officer, admin = client_for("park_officer"), client_for("zone_admin")
    url = reverse("registry:enterprise_list")
    # the officer's own parks; the administration's, filtered to park P2
    asked = {officer: {"export": "csv"}, admin: {"export": "csv", "park": "P2"}}
    jobs = {}
    for client, query in asked.items():
        response = client.get(url, query)
        jobs[client] = Job.objects.latest("pk")
        assert response.status_code == 302 and response.url == jobs[client].get_absolute_url()
        assert jobs[client].state == JobState.QUEUED

    run_worker()

    settings.BEACON_EXPORT_INLINE_ROWS = 1000
    for client, query in asked.items():
        job = jobs[client]
        job.refresh_from_db()
        assert (job.state, job.result_name, job.done, job.total) == (
            JobState.DONE,
            "enterprises.csv",
            2,
            2,
        )
        inline = client.get(url, query)
        assert inline["Content-Type"].startswith("text/csv")
        assert download(client, job) == inline.content
    officers = download(officer, jobs[officer]).decode()
    assert zone["p1_enterprise"].uscc in officers and zone["p2_enterprise"].uscc not in officers
    p2 = download(admin, jobs[admin]).decode()
    assert zone["p2_enterprise"].uscc in p2 and zone["p1_enterprise"].uscc not in p2
    # the administration's export is its own
    assert officer.get(reverse("jobs:job_download", args=[jobs[admin].pk])).status_code == 404


def test_an_export_with_a_filter_that_cannot_apply_is_refused_at_once(zone, client_for, settings):
    settings.BEACON_EXPORT_INLINE_ROWS = 1
    response = client_for("zone_admin").get(
        reverse("registry:enterprise_list"), {"export": "csv", "park": "nowhere"}
    )
    assert response.status_code == 400
    assert not Job.objects.exists()
