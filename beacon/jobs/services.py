"""Work that runs in the background: the one API the stations use, and the task that runs it.

A station declares a kind of job with ``@job_kind("evaluation.run")`` on a function
``work(job, progress, **params)`` that does the work in the worker and returns its result: a
model instance (the job then links to it), a ``ResultFile`` (kept under ``BEACON_JOB_FILES``
for its owner to download), or None. ``progress(done, total, step)`` tells the job's page
how far it got; it is seen at once when called outside a transaction. ``JobFailed(messages)``
ends the job with the same row-level messages the page would have shown; any other error
ends it with a general message (the traceback stays in the task's row for the operator).

``enqueue(user, kind, label, **params)`` queues a job in the caller's transaction: the job
and its task's row in the queue (django-tasks' database backend, the same database) are
written together, so a request that rolls back queues nothing and one that commits never
loses its job.

A worker that dies (killed, or its machine stopped) cannot say so. Each worker keeps a row
(``WorkerProcess``) it refreshes every ``BEACON_WORKER_HEARTBEAT`` seconds; a worker on the
same host whose process is gone, or any whose row is older than ``BEACON_WORKER_TIMEOUT``,
is dead, and every worker checks at start and at each heartbeat: the job a dead worker was
running is shown failed, not retried, since the work it did was in a transaction that never
committed and the user decides whether to start it again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from .choices import UNFINISHED, JobState
from .models import Job, WorkerProcess

KINDS: dict[str, Callable] = {}


def job_kind(name: str) -> Callable[[Callable], Callable]:
    """Register ``work`` as the function that runs the jobs of kind ``name``."""

    def register(work: Callable) -> Callable:
        KINDS[name] = work
        return work

    return register


class JobFailed(Exception):
    """The job cannot be done; ``messages`` say why, as the page would (``row N, column X:
    reason``)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = [str(m) for m in messages]


class WorkerLost(Exception):
    """The worker running a task died before the task finished."""


@dataclass(frozen=True)
class ResultFile:
    name: str
    content: bytes


def enqueue(user, kind: str, label: str, **params) -> Job:
    """Queue a job of ``kind`` for ``user`` (in the caller's transaction, if any)."""
    if kind not in KINDS:
        raise ValueError(f"no such kind of job: {kind}")
    with transaction.atomic():
        job = Job.objects.create(
            owner=user,
            kind=kind,
            label=label,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.task_id = str(run_job.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
    return job


class Progress:
    """What a job's work calls to say how far it got."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, done: int, total: int, step: str = "") -> None:
        Job.objects.filter(pk=self.job.pk, state=JobState.RUNNING).update(
            done=done, total=total, step=str(step)[:200]
        )


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> None:
    """The one task every job is: mark it running, call its kind's work, keep the result."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    worker_ids = context.task_result.worker_ids
    started = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        started=timezone.now(),
        worker_id=worker_ids[-1] if worker_ids else "",
    )
    if not started:  # failed meanwhile (its worker was taken for dead): nothing to run
        return
    job.state = JobState.RUNNING
    with translation.override(job.language):
        try:
            result = KINDS[job.kind](job, Progress(job), **job.params)
        except JobFailed as e:
            fail(job, e.messages)
            raise
        except Exception:
            fail(job, [_("The job stopped on an unexpected error; nothing of it was kept.")])
            raise
    finish(job, result)


def finish(job: Job, result: models.Model | ResultFile | None) -> None:
    # the last step said stays: what the work made of it (how many rated)
    fields: dict = {"state": JobState.DONE, "finished": timezone.now()}
    if isinstance(result, models.Model):
        fields["result_type"] = ContentType.objects.get_for_model(result)
        fields["result_id"] = result.pk
    elif isinstance(result, ResultFile):
        path = job_files(job) / Path(result.name).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.content)
        fields["result_file"] = str(path.relative_to(settings.BEACON_JOB_FILES))
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(**fields)


def fail(job: Job, messages: list[str]) -> None:
    Job.objects.filter(pk=job.pk, state__in=UNFINISHED).update(
        state=JobState.FAILED, finished=timezone.now(), messages=messages
    )
    # a failed job keeps no files: neither what it was given (an upload) nor part of a result
    shutil.rmtree(job_files(job), ignore_errors=True)


def job_files(job: Job) -> Path:
    """The folder of a job's own files: what it was given to work on, and what it made."""
    return settings.BEACON_JOB_FILES / str(job.pk)


# -- workers ---------------------------------------------------------------------------------


def register_worker(worker_id: str) -> None:
    """Record this process as worker ``worker_id`` (again, if it was taken for dead)."""
    WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen": timezone.now()},
    )


def unregister_worker(worker_id: str) -> None:
    WorkerProcess.objects.filter(worker_id=worker_id).delete()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process
        return True
    return True


def dead_workers(own: str = "") -> list[WorkerProcess]:
    """The workers that stopped without saying so; ``own`` is the caller's worker id."""
    host = socket.gethostname()
    cutoff = timezone.now() - dt.timedelta(seconds=settings.BEACON_WORKER_TIMEOUT)
    dead = []
    for worker in WorkerProcess.objects.exclude(worker_id=own):
        # Here, a process id is unique: when it is this process's, or no process's, the
        # worker that had it is gone.
        here = worker.host == host and (
            worker.pid == os.getpid() or not _process_exists(worker.pid)
        )
        if here or worker.seen < cutoff:
            dead.append(worker)
    return dead


def fail_jobs_of_dead_workers(own: str = "") -> list[Job]:
    """Show as failed the jobs that workers which died were running; the jobs failed."""
    dead = {w.worker_id: w for w in dead_workers(own)}
    if not dead:
        return []
    tasks = [
        t
        for t in DBTaskResult.objects.running().only("id", "worker_ids")
        if t.worker_ids and t.worker_ids[-1] in dead
    ]
    failed = []
    with transaction.atomic():
        for t in tasks:
            worker = dead[t.worker_ids[-1]]
            t.set_failed(WorkerLost(f"worker {worker.worker_id} ({worker}) died"))
            for job in Job.objects.filter(task_id=str(t.id), state__in=UNFINISHED):
                with translation.override(job.language):
                    message = _(
                        "The worker running this job (%(worker)s) stopped before the job "
                        "finished. Nothing of the job was kept; start it again."
                    ) % {"worker": worker}
                fail(job, [message])
                failed.append(job)
        WorkerProcess.objects.filter(worker_id__in=dead).delete()
    return failed


def heartbeat(worker_id: str) -> None:
    """What a worker does every few seconds: say it is alive, and look for dead ones."""
    register_worker(worker_id)
    fail_jobs_of_dead_workers(own=worker_id)
