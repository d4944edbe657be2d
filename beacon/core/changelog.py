"""The change log: every model recorded from one place, and bulk writes that keep it whole.

auditlog records single saves, deletes and many-to-many links through signals, into
``ChangeLogEntry``. ``register_models`` registers every model at start-up with what the
model declares as its ``change_log`` (``beacon.core.models.Recorded``); a model that is
deliberately not recorded is in ``NOT_RECORDED`` with the reason, and a test fails for any
model that is neither. ``bulk_create`` and ``update`` send no signals: every bulk write
goes through the helpers here, which write the rows and their entries in one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from contextvars import ContextVar

from auditlog.cid import get_cid, set_cid
from auditlog.context import set_extra_data
from auditlog.middleware import AuditlogMiddleware
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.encoding import smart_str

from .addresses import client_address
from .models import ChangeLogEntry, Recorded, parent_of

# label -> why the model is not recorded
NOT_RECORDED = {
    "core.changelogentry": "the change log itself",
    "admin.logentry": "the Django admin's own note of its actions, which the log records",
    "auth.permission": "made by migrate; roles are data in core.role, recorded",
    "auth.group": "not used: a user's one role is core.role",
    "contenttypes.contenttype": "made by migrate: the names of the models",
    "sessions.session": "a login's session key, a secret; logins are the login log's",
    "core.loginrecord": "the login log, append-only itself",
    "core.loginfailure": "the failed-login log, append-only itself",
    "axes.accesslog": "axes' login log, no longer written: core.loginrecord is the login log",
    "axes.accessfailurelog": "axes' failure log, no longer written: core.loginfailure is",
    "axes.accessattempt": "the lockout counter the failed-login log already records",
    "axes.accessattemptexpiration": "the lockout counter's expiry",
    "otp_static.statictoken": "a one-time recovery code, a secret; its device is recorded",
    "core.ratecounter": "the API rate limits' request counters, a tally of no record",
    "core.cacheentry": "the cache: values kept for speed, each made again from recorded rows",
    "promotion.rivalclaim": "kept from the leads' names, codes and teams, which are recorded",
    "promotion.rivalclaimwrites": "a tally of the writes of rival claims, of no record",
    # what a job writes is recorded by its own writes, in its owner's name
    "jobs.job": "a background job's state and progress, the user's view of its queued task",
    "jobs.workerprocess": "a running worker's heartbeat",
    "django_tasks_database.dbtaskresult": "the queue of background tasks, which jobs show",
    "chains.linkmember": "derived from enterprises, chain versions and users' words, recorded",
    "chains.linktotal": "the sum of chains.linkmember rows, derived",
    "chains.segmenttotal": "the sum of chains.linkmember rows, derived",
    "registry.enterprisetally": "the dashboard's totals, counted from recorded enterprises",
    "registry.figuretally": "the dashboard's totals, summed from recorded annual figures",
    "evaluation.runchart": "a run's charts, drawn from its results, which are recorded",
    "supervision.currentstatus": "judged from recorded inputs, again on each of their writes",
    "supervision.statusrefresh": "the day and rules the current statuses were judged by",
}
# Models of other packages that are recorded, and how.
RECORDED_ELSEWHERE = {
    # enrolling and removing a second factor are changes; the key and counters are not
    "otp_totp.totpdevice": Recorded(parent="user", include=("user", "name", "confirmed")),
    "otp_static.staticdevice": Recorded(parent="user", include=("user", "name", "confirmed")),
}
# Many-to-many fields Beacon does not use, so not recorded.
UNUSED_LINKS = {"core.user": ("groups", "user_permissions")}


def recorded(model) -> Recorded | None:
    """How ``model`` is recorded, or None when it is not."""
    label = model._meta.label_lower
    if label in NOT_RECORDED:
        return None
    return RECORDED_ELSEWHERE.get(label) or getattr(model, "change_log", None) or Recorded()


def register_models() -> None:
    """Register every installed model with auditlog as it declares (at start-up)."""
    for model in apps.get_models():
        how = recorded(model)
        if how is None or auditlog.contains(model):
            continue
        unused = UNUSED_LINKS.get(model._meta.label_lower, ())
        auditlog.register(
            model,
            include_fields=list(how.include),
            exclude_fields=list(how.exclude),
            m2m_fields={f.name for f in model._meta.many_to_many if f.name not in unused},
        )


def children(model) -> list[type[models.Model]]:
    """The models whose rows' history shows on a ``model`` object's history page."""
    out = []
    for child in apps.get_models():
        how = recorded(child)
        if how is not None and how.parent is not None:
            if child._meta.get_field(how.parent).related_model is model:
                out.append(child)
    return out


def field_values(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, str | None]:
    """The values auditlog would record, as strings, keyed by field name: the fields the
    model's ``change_log`` records (of ``fields``, where given)."""
    how = recorded(type(obj)) or Recorded()
    out = {}
    for field in obj._meta.concrete_fields:
        name = field.name
        if field.primary_key or (fields is not None and name not in fields):
            continue
        if (how.include and name not in how.include) or name in how.exclude:
            continue
        value = getattr(obj, field.attname)
        out[name] = None if value is None else smart_str(value)
    return out


NOBODY = {"actor": None, "remote_addr": None}
_acting: ContextVar[dict | None] = ContextVar("beacon_changelog_actor", default=None)
_SAME_ADDRESS = object()


@contextlib.contextmanager
def acting_as(actor, remote_addr=_SAME_ADDRESS):
    """Name ``actor`` in every change recorded inside the block, single saves and bulk alike.

    auditlog's own context leaves its value behind after the block; this one is reset,
    so a later bulk write can never be credited to an earlier user. Without an address,
    the enclosing block's (the request's) is kept.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if remote_addr is _SAME_ADDRESS:
        remote_addr = (_acting.get() or NOBODY)["remote_addr"]
    token = _acting.set({"actor": actor, "remote_addr": remote_addr})
    try:
        with set_extra_data({"actor": actor, "remote_addr": remote_addr, "remote_port": None}):
            yield
    finally:
        _acting.reset(token)


class ChangeLogMiddleware(AuditlogMiddleware):
    """Every change made while serving a request names the request's user and address."""

    def __call__(self, request):
        set_cid(request)
        with acting_as(self._get_actor(request), client_address(request)):
            return self.get_response(request)


def _entries(model, action: int, rows: Sequence[tuple[models.Model, dict]]) -> list[ChangeLogEntry]:
    ct = ContentType.objects.get_for_model(model)
    ctx = _acting.get() or NOBODY
    now = timezone.now()
    cid = get_cid()
    return [
        ChangeLogEntry(
            content_type=ct,
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=smart_str(obj),
            action=action,
            changes=changes,
            actor=ctx["actor"],
            actor_email=getattr(ctx["actor"], "email", None),
            remote_addr=ctx["remote_addr"],
            cid=cid,
            timestamp=now,
            **parent_of(obj),
        )
        for obj, changes in rows
        if changes
    ]


# Sent inside the transaction of every bulk write, which sends no save signal per row, so
# what is kept of the rows (the dashboard's totals, the chains' link members) follows them
# as it follows post_save: ``created`` the rows added, ``changed`` the (before, after)
# pairs of the rows changed, ``fields`` the fields the update wrote (None for new rows).
bulk_written = Signal()


def bulk_create_logged(model, objs: Sequence[models.Model], batch_size: int = 2000):
    """``bulk_create`` with one 'create' log entry per row (none for a frozen output, which
    its parent's entry records)."""
    how = recorded(model)
    with transaction.atomic():
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        if how is not None and not how.frozen:
            rows = [
                (o, {k: [None, v] for k, v in field_values(o).items() if v is not None})
                for o in created
            ]
            ChangeLogEntry.objects.bulk_create(
                _entries(model, ChangeLogEntry.Action.CREATE, rows), batch_size=batch_size
            )
        bulk_written.send(sender=model, created=created, changed=(), fields=None)
    return created


def bulk_update_logged(
    model,
    pairs: Sequence[tuple[models.Model, models.Model]],
    fields: Sequence[str],
    batch_size: int = 2000,
) -> int:
    """``bulk_update`` of the ``(before, after)`` pairs that differ in ``fields``, logging
    the changes of the fields the model records; the number of rows written."""
    attnames = [model._meta.get_field(name).attname for name in fields]
    written, logged, changed = [], [], []
    for before, after in pairs:
        if all(getattr(before, a) == getattr(after, a) for a in attnames):
            continue
        written.append(after)
        changed.append((before, after))
        old, new = field_values(before, fields), field_values(after, fields)
        changes = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
        if changes:
            logged.append((after, changes))
    stamped = [
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in fields
    ]
    now = timezone.now()
    for obj in written:
        # bulk_update skips auto_now; a row an import changed was updated all the same
        for name in stamped:
            setattr(obj, name, now)
    with transaction.atomic():
        model._default_manager.bulk_update(written, [*fields, *stamped], batch_size=batch_size)
        ChangeLogEntry.objects.bulk_create(
            _entries(model, ChangeLogEntry.Action.UPDATE, logged), batch_size=batch_size
        )
        if changed:
            bulk_written.send(sender=model, created=(), changed=changed, fields=list(fields))
    return len(written)


def bulk_link_logged(model, field_name: str, links, batch_size: int = 2000) -> None:
    """Add many-to-many links in bulk, with one change-log entry per object linked.

    ``links`` holds ``(obj, [(related_pk, related_repr), …])``; the entries have the shape
    auditlog gives the links it records itself (type m2m, operation add).
    """
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = [
        through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
        for obj, related in links
        for pk, _label in related
    ]
    changes = [
        (
            obj,
            {
                field_name: {
                    "type": "m2m",
                    "operation": "add",
                    "objects": [label for _pk, label in related],
                }
            },
        )
        for obj, related in links
        if related
    ]
    with transaction.atomic():
        through.objects.bulk_create(rows, batch_size=batch_size)
        ChangeLogEntry.objects.bulk_create(
            _entries(model, ChangeLogEntry.Action.UPDATE, changes), batch_size=batch_size
        )


def log_attempts(rows: Sequence[models.Model], note: str) -> None:
    """Record on each row's history an attempt that changed nothing (an access entry), in
    the name of whoever the enclosing ``acting_as`` names."""
    by_model: dict[type, list] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append((row, {"refused": [None, note]}))
    for model, entries in by_model.items():
        ChangeLogEntry.objects.bulk_create(_entries(model, ChangeLogEntry.Action.ACCESS, entries))
