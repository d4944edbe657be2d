"""Each key project's current status kept in the database (``CurrentStatus``), so that a
page reads it instead of judging every project in scope.

A status is judged as of a day, and it changes when its inputs change or the day does:

- **Inputs.** A save or delete of a project, a milestone or a monthly report judges that
  project again (both projects, when a milestone or report moves to another), a change to
  the status rules judges every project, and a park's save judges its projects (the rules
  may name the park); all in the transaction of the write, so what is kept is never older
  than what was written. Issues are no input: the list reads a project's open issues
  as it shows it. Writes in bulk (``bulk_create``, ``update``) send no signals: a writer
  that uses them wraps its writes in ``judged_once`` (the demo zone does) or calls ``keep``.
- **The day.** Deadlines pass without any write. ``StatusRefresh`` says as of which day and
  by which rules every project was last judged at once; ``refresh``, called by the pages
  that read kept statuses, judges them all again in one pass when that day is not today,
  the rules in force are others, or a project has no kept status. The first page of the
  day pays for it, once: it takes the ``StatusRefresh`` row's lock first, so a second
  process waits and then finds the work done, and a write's judging cannot cross it.
  A daily background job calling ``refresh`` just after midnight would spare that page
  the wait; nothing depends on one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

import polars as pl
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from beacon.analytics import supervision as engine
from beacon.core.permissions import restrict
from beacon.registry.models import Park

from .choices import ProjectStatus
from .models import (
    CurrentStatus,
    KeyProject,
    Milestone,
    ProgressReport,
    StatusRefresh,
    StatusRules,
    StatusRuleVersion,
)
from .services import FIRST_DAY, frames, project_status, rules_in_force

SEVERITY = {status: i for i, status in enumerate(ProjectStatus.values)}
KEPT_FIELDS = (
    "as_of",
    "status",
    "severity",
    "lag_points",
    "reasons",
    "escalate",
    "milestones_due",
    "milestones_on_time",
    "completed_investment",
    "planned_investment",
)

# Inside ``judged_once``: the projects written so far, judged when the block ends.
_pending: ContextVar[set | None] = ContextVar("beacon_supervision_pending", default=None)


def rules_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def judged(projects, day: dt.date, rules: str) -> list[dict]:
    """The kept fields of ``projects`` (a queryset, of a migration's models too) judged as
    of ``day`` by ``rules`` (a rule file's text), with ``project_id`` the project's key."""
    project_frame, milestones, reports, plan = frames(projects)
    fields, items = engine.judged(
        project_frame, milestones, reports, day, rules, plan if plan.height else None
    )
    keys = dict(projects.values_list("code", "pk"))
    return [
        {
            "project_id": keys[item["project_id"]],
            "as_of": day,
            "status": item["status"],
            "severity": SEVERITY[item["status"]],
            "lag_points": item["lag_points"],
            "reasons": item["reasons"],
            "escalate": bool(item.get("escalate")),
            "milestones_due": row["milestones_due"],
            "milestones_on_time": row["milestones_on_time"],
            "completed_investment": row["completed_investment"],
            "planned_investment": row["planned_investment"],
        }
        for item, row in zip(
            items,
            fields.select(
                "milestones_due",
                "milestones_on_time",
                "completed_investment",
                "planned_investment",
            ).iter_rows(named=True),
            strict=True,
        )
    ]


def store(model, rows: list[dict]) -> None:
    """Write judged rows over the kept ones (``model`` is CurrentStatus, or a migration's)."""
    model.objects.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=KEPT_FIELDS,
        batch_size=1000,
    )


def _hold() -> StatusRefresh:
    """The ``StatusRefresh`` row, locked until the transaction ends."""
    StatusRefresh.objects.get_or_create(pk=1, defaults={"as_of": FIRST_DAY, "rules_digest": ""})
    return StatusRefresh.objects.select_for_update().get(pk=1)


def keep(project_ids: Iterable[int]) -> None:
    """Judge these projects again as of today, in the caller's transaction."""
    ids = set(project_ids)
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return
    with transaction.atomic():
        _hold()
        projects = KeyProject.objects.filter(pk__in=ids)
        store(CurrentStatus, judged(projects, timezone.localdate(), rules_in_force()[1]))


@contextmanager
def judged_once():
    """Projects written inside the block are judged once, when it ends (still inside the
    caller's transaction): making a project with its six milestones judges it once."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        written = _pending.get() or set()
    finally:
        _pending.reset(token)
    keep(written)


def _fresh(marker: StatusRefresh | None, day: dt.date, rules: str) -> bool:
    return (
        marker is not None
        and marker.as_of == day
        and marker.rules_digest == rules_digest(rules)
        and not KeyProject.objects.filter(current_status__isnull=True).exists()
    )


def refresh() -> bool:
    """Judge every project again, in one pass, unless the kept statuses are all as of
    today by the rules in force; whether it did."""
    day = timezone.localdate()
    if _fresh(StatusRefresh.objects.filter(pk=1).first(), day, rules_in_force()[1]):
        return False
    with transaction.atomic():
        marker = _hold()
        rules = rules_in_force()[1]
        if _fresh(marker, day, rules):
            return False  # another process judged them while this one waited
        store(CurrentStatus, judged(KeyProject.objects.all(), day, rules))
        marker.as_of, marker.rules_digest = day, rules_digest(rules)
        marker.save()
    return True


def _project_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        keep([instance.pk])


def _child_saving(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        # a milestone or report moved to another project leaves the first one to judge too
        before = sender.objects.filter(pk=instance.pk).values_list("project_id", flat=True)
        instance._project_before = before.first()


def _child_written(sender, instance, raw=False, **kwargs):
    if not raw:
        keep({instance.project_id, getattr(instance, "_project_before", None)} - {None})


def _child_deleted(sender, instance, origin=None, **kwargs):
    # deleted with its project (``origin``, one or a queryset of them): nothing to judge
    if not isinstance(origin, KeyProject) and getattr(origin, "model", None) is not KeyProject:
        keep([instance.project_id])


def _rules_changed(sender, raw=False, **kwargs):
    if not raw:
        refresh()


def _park_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        keep(KeyProject.objects.filter(park=instance).values_list("pk", flat=True))


def connect() -> None:
    """Judge again on every write to a status's inputs (at start-up)."""
    uid = "beacon.supervision.current"
    post_save.connect(_project_saved, KeyProject, dispatch_uid=f"{uid}.project")
    for model in (Milestone, ProgressReport):
        name = model._meta.model_name
        pre_save.connect(_child_saving, model, dispatch_uid=f"{uid}.{name}.before")
        post_save.connect(_child_written, model, dispatch_uid=f"{uid}.{name}.saved")
        post_delete.connect(_child_deleted, model, dispatch_uid=f"{uid}.{name}.deleted")
    for model in (StatusRules, StatusRuleVersion):
        name = model._meta.model_name
        post_save.connect(_rules_changed, model, dispatch_uid=f"{uid}.{name}.saved")
        post_delete.connect(_rules_changed, model, dispatch_uid=f"{uid}.{name}.deleted")
    post_save.connect(_park_saved, Park, dispatch_uid=f"{uid}.park")


# The supervision list's order: worst status first, the larger lag first, then by code
# (the order the rules judge projects in).
WORST_FIRST = (
    "current_status__severity",
    Coalesce("current_status__lag_points", Value(0.0)).desc(),
    "code",
)


def on_day(user, day: dt.date, projects):
    """``projects`` (in ``user``'s scope) with their status as of ``day`` in
    ``current_status``, worst first: today's as kept, read in SQL once brought up to date
    (``refresh``); another day's judged now over these projects (nothing is kept for it)."""
    if day == timezone.localdate():
        refresh()
        return projects.select_related("park", "officer", "current_status").order_by(*WORST_FIRST)
    result = project_status(user, day, projects=projects)
    found = {p.code: p for p in projects.select_related("park", "officer")}
    judged_projects = []
    for item in result["projects"]:
        project = found[item["project_id"]]
        project.current_status = CurrentStatus(
            as_of=day,
            status=item["status"],
            severity=SEVERITY[item["status"]],
            lag_points=item["lag_points"],
            reasons=item["reasons"],
            escalate=bool(item.get("escalate")),
        )
        judged_projects.append(project)
    status = attrgetter("current_status")
    # a stable sort: projects come in code order, as WORST_FIRST ends
    judged_projects.sort(key=lambda p: (status(p).severity, -(status(p).lag_points or 0)))
    return judged_projects


def league_of_today(user) -> list[dict]:
    """The league table of the parks in ``user``'s scope as of today from the kept
    statuses: the same rows ``project_status`` gives today."""
    refresh()
    rows = (
        restrict(KeyProject.objects.all(), user)
        .order_by("code")
        .values_list(
            "park__code",
            "current_status__milestones_due",
            "current_status__milestones_on_time",
            "current_status__completed_investment",
            "current_status__planned_investment",
            "current_status__status",
        )
    )
    frame = pl.DataFrame(
        list(rows),
        schema={
            "park": pl.String,
            "milestones_due": pl.Int64,
            "milestones_on_time": pl.Int64,
            "completed_investment": pl.Float64,
            "planned_investment": pl.Float64,
            "__status": pl.String,
        },
        orient="row",
    )
    return engine.league_table(frame)


def status_of_today(user) -> dict:
    """What ``project_status`` answers for today, from the kept statuses."""
    refresh()
    rows = (
        restrict(KeyProject.objects.all(), user)
        .order_by("code")
        .values_list(
            "code",
            "current_status__status",
            "current_status__lag_points",
            "current_status__reasons",
            "current_status__escalate",
        )
    )
    return {
        "as_of": timezone.localdate().isoformat(),
        "projects": [
            {
                "project_id": code,
                "status": status,
                "lag_points": lag,
                "reasons": reasons,
                **({"escalate": True} if escalate else {}),
            }
            for code, status, lag, reasons, escalate in rows
        ],
        "parks": league_of_today(user),
    }
