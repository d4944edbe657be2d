"""Bulk writes that keep the change log whole.

auditlog records single saves and deletes through signals; ``bulk_create`` and
``update`` send none. Every bulk write on a recorded model goes through these helpers,
which write the rows and their log entries in the same transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from contextvars import ContextVar

from auditlog.cid import get_cid, set_cid
from auditlog.context import set_extra_data
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.encoding import smart_str


def field_values(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, str | None]:
    """The values auditlog would record, as strings, keyed by field name."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        value = getattr(obj, field.attname)
        out[field.name] = None if value is None else smart_str(value)
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
        with acting_as(self._get_actor(request), self._get_remote_addr(request)):
            return self.get_response(request)


def _entries(model, action: int, rows: Sequence[tuple[models.Model, dict]]) -> list[LogEntry]:
    ct = ContentType.objects.get_for_model(model)
    ctx = _acting.get() or NOBODY
    now = timezone.now()
    cid = get_cid()
    return [
        LogEntry(
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
            additional_data=_additional_data(obj),
        )
        for obj, changes in rows
        if changes
    ]


def _additional_data(obj) -> dict | None:
    # What auditlog stores for a single save, so a bulk change shows in the same histories.
    get_additional_data = getattr(obj, "get_additional_data", None)
    return get_additional_data() if callable(get_additional_data) else None


def bulk_create_logged(model, objs: Sequence[models.Model], batch_size: int = 2000):
    """``bulk_create`` with one 'create' log entry per row."""
    with transaction.atomic():
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        rows = [
            (o, {k: [None, v] for k, v in field_values(o).items() if v is not None})
            for o in created
        ]
        LogEntry.objects.bulk_create(
            _entries(model, LogEntry.Action.CREATE, rows), batch_size=batch_size
        )
    return created


def bulk_update_logged(
    model,
    pairs: Sequence[tuple[models.Model, models.Model]],
    fields: Sequence[str],
    batch_size: int = 2000,
) -> int:
    """``bulk_update`` of ``(before, after)`` pairs, logging the fields that changed."""
    rows = []
    for before, after in pairs:
        old, new = field_values(before, fields), field_values(after, fields)
        rows.append((after, {k: [old[k], new[k]] for k in fields if old[k] != new[k]}))
    changed = [(o, c) for o, c in rows if c]
    with transaction.atomic():
        model.objects.bulk_update([o for o, _ in changed], fields, batch_size=batch_size)
        LogEntry.objects.bulk_create(
            _entries(model, LogEntry.Action.UPDATE, changed), batch_size=batch_size
        )
    return len(changed)


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
        LogEntry.objects.bulk_create(
            _entries(model, LogEntry.Action.UPDATE, changes), batch_size=batch_size
        )
