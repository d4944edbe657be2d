"""What a user sees of the work that runs in the background, and the workers that run it.

The queue itself is django-tasks' table (``django_tasks_db.DBTaskResult``); a ``Job`` is the
user's side of one queued task: who started it, what it is, how far it got, and what came
of it — an object to open, a file to download, or the same row-level messages the page
would have shown.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.core.choices import OWN
from beacon.core.links import object_url
from beacon.core.querysets import RestrictedQuerySet

from .choices import UNFINISHED, JobState


class Job(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        related_name="jobs",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("job"), max_length=300)
    # what the kind's function is called with (JSON), and the language its messages are in
    params = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    result_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    result = GenericForeignKey("result_type", "result_id")
    # a file the job wrote, relative to BEACON_JOB_FILES
    result_file = models.CharField(_("result file"), max_length=500, blank=True)
    messages = models.JSONField(_("messages"), default=list)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # the django-tasks result id of its queued task, and the worker that took it
    task_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)

    objects = RestrictedQuerySet.as_manager()

    scope_paths = {OWN: "owner"}

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["owner", "-created"], name="jobs_owner_created")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return object_url("jobs:job", self.pk)

    @property
    def finished_state(self) -> bool:
        return self.state not in UNFINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def result_path(self) -> Path | None:
        return settings.BEACON_JOB_FILES / self.result_file if self.result_file else None

    @property
    def result_name(self) -> str:
        return Path(self.result_file).name


class WorkerProcess(models.Model):
    """A running ``beacon worker``: where it runs and when it last said it was alive."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started = models.DateTimeField(_("started"), auto_now_add=True)
    seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return f"{self.host}:{self.pid}"
