"""Jobs as their users see them, through the permission layer, and workers that die."""

import datetime as dt
import signal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beacon.conftest import ROLES
from beacon.jobs.choices import JobState
from beacon.jobs.models import Job, WorkerProcess
from beacon.jobs.services import ResultFile, dead_workers, finish, job_files, run_job

from .workers import run_worker, start_worker


def make_job(owner, label="企业名录导出") -> Job:
    job = Job.objects.create(owner=owner, kind="export", label=label, language="en")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    return job


@pytest.fixture
def exports(users):
    """A finished export with its file for the park officer, the promoter and the auditor."""
    jobs = {}
    for role in ("park_officer", "promoter", "auditor"):
        job = make_job(users[role], f"{role} export")
        finish(job, ResultFile(f"{role}.csv", f"uscc,name\n{role}\n".encode()))
        job.refresh_from_db()
        jobs[role] = job
    return jobs


def test_a_finished_job_keeps_its_file_for_its_owner(client_for, exports):
    job = exports["park_officer"]
    assert (job.state, job.percent, job.result_name) == (JobState.DONE, 100, "park_officer.csv")
    assert job.result_path == settings.BEACON_JOB_FILES / str(job.pk) / "park_officer.csv"
    officer = client_for("park_officer")
    response = officer.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"uscc,name\npark_officer\n"
    assert 'filename="park_officer.csv"' in response["Content-Disposition"]


def test_a_park_officer_sees_and_downloads_only_their_own_jobs(client_for, exports):
    officer = client_for("park_officer")
    page = officer.get(reverse("jobs:job_list"))
    assert [j.label for j in page.context["page"].object_list] == ["park_officer export"]
    assert not page.context["show_owner"]
    for other in ("promoter", "auditor"):
        pk = exports[other].pk
        assert officer.get(reverse("jobs:job", args=[pk])).status_code == 404
        assert officer.get(reverse("jobs:job_download", args=[pk])).status_code == 404


def test_the_zone_administration_follows_its_users_jobs_not_the_administrators(client_for, exports):
    admin = client_for("zone_admin")
    page = admin.get(reverse("jobs:job_list"))
    assert {j.label for j in page.context["page"].object_list} == {
        "park_officer export",
        "promoter export",
    }
    assert page.context["show_owner"]
    assert admin.get(reverse("jobs:job_download", args=[exports["promoter"].pk])).status_code == 200
    assert admin.get(reverse("jobs:job", args=[exports["auditor"].pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_role_finds_its_jobs_in_the_menu(client_for, role):
    page = client_for(role).get(reverse("home"))
    assert reverse("jobs:job_list") in page.content.decode()


def test_a_failed_jobs_messages_show_on_its_page(users, client_for):
    job = make_job(users["park_officer"])
    messages = ["row 2, column uscc: unknown: 91110000", "row 5, column tax: not a number"]
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, messages=messages)
    page = client_for("park_officer").get(job.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert all(m in body for m in messages) and "hx-trigger" not in body


def test_a_worker_whose_heartbeat_stopped_elsewhere_is_dead(db, settings):
    now = timezone.now()
    late = now - dt.timedelta(seconds=settings.BEACON_WORKER_TIMEOUT + 1)
    WorkerProcess.objects.create(worker_id="a", host="other-host", pid=1, seen=now)
    WorkerProcess.objects.create(worker_id="b", host="other-host", pid=1, seen=late)
    assert [w.worker_id for w in dead_workers()] == ["b"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_job_of_a_killed_worker_shows_failed_when_the_next_worker_starts(users):
    job = make_job(users["park_officer"])
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    task = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(task.id))
    given = job_files(job) / "upload"  # what the job was given to work on
    given.parent.mkdir(parents=True, exist_ok=True)
    given.write_bytes(b"uscc,name\n")
    # a worker that waits for work, and is killed
    worker = start_worker("--queue-name", "nothing")
    line = worker.stdout.readline().decode()
    assert "Starting worker" in line, line
    (registered,) = WorkerProcess.objects.all()
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    # … after it took the job, as its own claim would have said
    DBTaskResult.objects.get(id=task.id).claim(registered.worker_id)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker_id=registered.worker_id)

    run_worker("--queue-name", "nothing")

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished is not None
    assert job.messages == [
        f"The worker running this job ({registered}) stopped before the job finished. "
        "Nothing of the job was kept; start it again."
    ]
    assert DBTaskResult.objects.get(id=task.id).status == "FAILED"
    assert not WorkerProcess.objects.exists()
    assert not job_files(job).exists()  # a failed job keeps no files
