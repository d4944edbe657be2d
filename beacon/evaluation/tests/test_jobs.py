"""A run started from the pages is a background job, run by a real ``beacon worker`` process
on the test database: queued at once, then run, with its progress, its result or the same
messages the form would have shown; a worker killed half-way through the run's write leaves
no part of it, and the job shows failed."""

import signal
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from beacon.core.models import ChangeLogEntry
from beacon.evaluation.models import EvaluationResult, EvaluationRun
from beacon.jobs.choices import JobState
from beacon.jobs.models import Job, WorkerProcess
from beacon.jobs.tests.workers import run_worker, start_worker

from .conftest import EXPECTED_2023, hand_zone
from .test_services import outcome

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def start_run(client, scheme, year="2023"):
    response = client.post(
        reverse("evaluation:evaluationrun_add"), {"scheme": scheme.pk, "year": year, "note": "复核"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    return job


def test_a_run_started_from_the_page_is_queued_then_run_by_a_worker(
    zone, users, client_for, scheme
):
    enterprises = hand_zone(zone)
    client = client_for("zone_admin")
    job = start_run(client, scheme)
    assert (job.state, job.owner, job.kind) == (
        JobState.QUEUED,
        users["zone_admin"],
        "evaluation.run",
    )
    assert not EvaluationRun.objects.exists()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()  # it refreshes while it waits

    run_worker()

    job.refresh_from_db()
    run = EvaluationRun.objects.get()
    assert (job.state, job.done, job.total, job.messages) == (JobState.DONE, 3, 3, [])
    assert job.result == run and job.started <= job.finished
    assert job.step == f"Run {run.pk}: 4 of 4 enterprises rated."
    assert run.note == "复核" and run.started_by == users["zone_admin"]
    assert outcome(run, enterprises) == list(EXPECTED_2023)
    # the change log credits the user who started it, as when the run was made in the request
    entry = ChangeLogEntry.objects.get(content_type__model="evaluationrun", object_id=run.pk)
    assert entry.actor == users["zone_admin"]
    page = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    body = page.content.decode()
    assert "hx-trigger" not in body  # done: no more polling
    assert f'href="{run.get_absolute_url()}"' in body


def test_a_run_that_cannot_be_made_fails_with_the_forms_messages(zone, client_for, scheme):
    hand_zone(zone)
    client = client_for("zone_admin")
    # what the request can check, it still refuses at once, queuing nothing
    response = client.post(
        reverse("evaluation:evaluationrun_add"), {"scheme": scheme.pk, "year": "2019"}
    )
    assert response.status_code == 400
    assert "No enterprise has figures for 2019." in response.context["form"].non_field_errors()
    assert not Job.objects.exists()
    job = start_run(client, scheme)
    # the figures are gone by the time the worker gets to the run
    zone["p1_enterprise"].figures.model.objects.filter(year=2023).delete()

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.messages == ["No enterprise has figures for 2023."]
    assert not EvaluationRun.objects.exists()
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "No enterprise has figures for 2023." in page


def locks_waited_on(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
            "WHERE c.relname = %s AND NOT l.granted",
            [table],
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_while_it_writes_the_run_leaves_no_part_of_it(
    zone, users, client_for, scheme
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has one writer: the run's transaction holds it from its first write, so "
            "nothing outside can stop the worker inside it to kill it there"
        )
    hand_zone(zone)
    job = start_run(client_for("zone_admin"), scheme)
    results = EvaluationResult._meta.db_table
    with transaction.atomic():
        # The worker stores the run, then waits to write its results while this lock is held.
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{results}" IN EXCLUSIVE MODE')
        worker = start_worker()
        for _ in range(600):
            if locks_waited_on(results) or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert locks_waited_on(results) == 1, worker.poll()
        running = Job.objects.get()
        assert (running.state, running.done, running.step) == (
            JobState.RUNNING,
            2,
            "Storing the run",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
    assert not ChangeLogEntry.objects.filter(content_type__model="evaluationrun").exists()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # a killed worker says nothing …

    run_worker()  # … the next worker to start sees it is gone

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert len(job.messages) == 1 and "stopped before the job finished" in job.messages[0]
    assert not EvaluationRun.objects.exists()
    assert list(WorkerProcess.objects.all()) == []
