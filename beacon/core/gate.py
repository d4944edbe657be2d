"""The one write gate: every write made for a user passes here.

A write runs in one transaction in the user's name, so the change log credits it to them,
and whatever it wrote must still be inside the user's scope afterwards; otherwise the whole
write is rolled back and ``OutsideScope`` is raised. The surfaces turn that into their own
answer: a form error, an API 400, an import's row errors, and a 404 for a page with no form
to show it on (``OutsideScope`` is an ``Http404``).

An edit carries the version of the object it was read at (``version``): the form as a
hidden field, the API as ``If-Match``. ``hold_unchanged`` locks the row and raises
``StaleEdit`` when someone saved it since, so a second save cannot silently overwrite the
first.

``field_access`` is the other half: which fields a user may set through an action and
among which related objects they may choose. Forms, serializers, imports and the admin
all ask it, so a field or a choice cannot be open in one of them and closed in another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import chain, permissions
from .changelog import acting_as
from .models import ChangeLogEntry

SCOPE_MESSAGE = _("The object would be outside your scope.")
STALE_MESSAGE = _(
    "Someone else saved this record after you opened it. Nothing of yours was saved yet: "
    "compare your values with the saved ones, then save again to keep yours."
)
CHECK_CHUNK = 5000

T = TypeVar("T")


class OutsideScope(Http404):
    """A write that would leave ``objects`` outside the user's scope; nothing was kept."""

    def __init__(self, objects: list[models.Model]):
        super().__init__(str(SCOPE_MESSAGE))
        self.objects = objects


_operator: ContextVar[bool] = ContextVar("beacon_gate_operator", default=False)


@contextmanager
def as_operator():
    """The server's operator writing in a user's name: a command whose ``--user`` only
    names who the records are credited to (``beacon chains target``). No scope limits the
    operator; the change log still names the user."""
    token = _operator.set(True)
    try:
        yield
    finally:
        _operator.reset(token)


class _DryRun(Exception):
    """Raised inside the transaction to undo a dry run that passed."""


def write(
    user,
    action: str | Callable[[models.Model], str],
    work: Callable[[], T],
    *,
    dry_run: bool = False,
) -> T:
    """Run ``work()`` in one transaction as ``user`` and return what it returns.

    What it returns (an object, or an iterable of objects) is what it wrote; each must be
    inside ``user``'s scope for ``action`` (a name, or a function of the object for a batch
    that both adds and changes) once written, or everything is rolled back and
    ``OutsideScope`` names the objects outside. ``dry_run`` rolls back a write that passed.
    A ``user`` of None is the command line's system user, which has no scope to keep, as
    has the operator (``as_operator``).
    """
    result: Any = None
    try:
        with transaction.atomic(), _as(user):
            # The change log's writer lock first, before any row lock the work takes: a
            # write that logged and then waited for a row another write held, while that
            # write waited to log, would deadlock.
            chain.hold(ChangeLogEntry)
            result = work()
            if user is not None and not _operator.get():
                outside = outside_scope(user, action, _objects(result))
                if outside:
                    raise OutsideScope(outside)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass  # rolled back, as asked
    return result


def save(user, obj: models.Model, action: str | None = None) -> models.Model:
    """Save one object through ``write``; a new object is an "add", a saved one a "change"."""

    def work():
        obj.save()
        return obj

    return write(user, action or ("add" if obj._state.adding else "change"), work)


def delete(user, obj: models.Model, *read_at: str) -> None:
    """Delete ``obj``, which must be inside ``user``'s scope for deleting, as ``user``; if
    ``read_at`` names versions, only while it is still at one of them (``hold_unchanged``)."""
    if outside_scope(user, "delete", [obj]):
        raise OutsideScope([obj])
    with transaction.atomic(), _as(user):
        if read_at:
            hold_unchanged(obj, *read_at)
        obj.delete()


class StaleEdit(Exception):
    """The object was saved by someone else since it was read; nothing was written.
    ``current`` is the object as saved now."""

    def __init__(self, current: models.Model):
        super().__init__(str(STALE_MESSAGE))
        self.current = current


def version(obj: models.Model) -> str:
    """The version of ``obj`` as read from the database: a digest of every stored field.

    A digest rather than the ``updated`` time, so that writes which do not stamp it (a
    queryset's update, a bulk import) still make a new version. Compare only versions of
    objects read from the database: a value typed into a form (``1.5``) and the same value
    read back (``1.50``) digest differently.
    """
    digest = hashlib.blake2b(digest_size=12)
    for field in obj._meta.concrete_fields:
        digest.update(repr(field.value_to_string(obj)).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def hold_unchanged(obj: models.Model, *read_at: str) -> None:
    """Lock ``obj``'s row until the transaction ends and raise ``StaleEdit`` unless it is
    still at one of the versions ``read_at``; an object deleted meanwhile is not found.
    Call it inside ``write``."""
    # unordered: a model's ordering by a related field would join a table FOR UPDATE
    rows = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).order_by()
    current = rows[0] if rows else None
    if current is None:
        raise Http404
    if version(current) not in read_at:
        raise StaleEdit(current)


def _as(user):
    # The command line's writes (user None) keep whoever the caller named with acting_as.
    return nullcontext() if user is None else acting_as(user)


def outside_scope(user, action, objects: Iterable[models.Model]) -> list[models.Model]:
    """The saved ``objects`` that ``user`` may not ``action``: one query per model and
    action for every 5,000 objects."""
    groups: dict[tuple[type[models.Model], str], list[models.Model]] = {}
    for obj in objects:
        name = action(obj) if callable(action) else action
        groups.setdefault((type(obj), name), []).append(obj)
    outside = []
    for (model, name), group in groups.items():
        for start in range(0, len(group), CHECK_CHUNK):
            chunk = group[start : start + CHECK_CHUNK]
            allowed = set(
                permissions.restrict(
                    model._default_manager.filter(pk__in=[o.pk for o in chunk]), user, name
                ).values_list("pk", flat=True)
            )
            outside += [o for o in chunk if o.pk not in allowed]
    return outside


def _objects(result) -> list[models.Model]:
    if isinstance(result, models.Model):
        return [result]
    if result is None:
        return []
    return [o for o in result if isinstance(o, models.Model)]


@dataclass(frozen=True)
class FieldAccess:
    """What ``user`` may set on ``model`` through ``action``.

    ``writable`` is None when every field is; a role's rule may name the fields (an
    enterprise user may correct its business scope but not certify itself high-tech).
    """

    user: Any
    model: type[models.Model]
    action: str
    writable: frozenset[str] | None

    def may_set(self, name: str) -> bool:
        return self.writable is None or name in self.writable

    def may_see(self, related_model) -> bool:
        return permissions.can(self.user, related_model, "view")

    def choice_ids(self, name: str) -> set[int] | None:
        """The ids ``name`` may point at when it places the row in a scope, else None."""
        if self.action == "view":
            return None
        return permissions.choice_scope(self.user, self.model, self.action, name)

    def choices(self, name: str, queryset: models.QuerySet) -> models.QuerySet:
        """The related objects ``name`` may point at: those the user may see, and where the
        field places the row in a scope (an enterprise's park), those of the user's scope."""
        visible = permissions.restrict(queryset, self.user, "view")
        ids = self.choice_ids(name)
        return visible if ids is None else visible.filter(pk__in=ids)


def field_access(user, model, action: str) -> FieldAccess:
    writable = permissions.writable_fields(user, model, action)
    return FieldAccess(user, model, action, None if writable is None else frozenset(writable))
