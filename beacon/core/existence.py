"""Existence is private: a row outside a user's scope looks like one that does not exist.

Reads already answer 404. A write is the other way existence could leak: filing a record
whose key another park's record holds would answer "already exists". Instead such a write
fails with one neutral message that says nothing about the other record, and the attempt
is recorded on that record's history for the zone administration to see.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import permissions
from .changelog import acting_as, log_attempts

NEUTRAL = _("This cannot be filed here; the zone administration has been told.")


def unique_lookups(model) -> list[tuple[str, ...]]:
    """The sets of fields whose values no two rows of ``model`` may share."""
    opts = model._meta
    sets: list[tuple[str, ...]] = [
        (f.name,) for f in opts.local_concrete_fields if f.unique and not f.primary_key
    ]
    sets += [tuple(names) for names in opts.unique_together]
    sets += [
        tuple(c.fields)
        for c in opts.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    return sets


def hidden_clashes(user, instance: models.Model) -> list[models.Model]:
    """The saved rows ``user`` may not see that ``instance`` would share a unique key with."""
    model = type(instance)
    clashes: dict[int, models.Model] = {}
    for names in unique_lookups(model):
        values = {}
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, models.Field)  # unique keys are concrete fields
            values[field.attname] = getattr(instance, field.attname)
        if any(v in (None, "") for v in values.values()):
            continue
        for row in model._default_manager.filter(**values).exclude(pk=instance.pk):
            clashes[row.pk] = row
    if not clashes:
        return []
    visible = set(
        permissions.restrict(
            model._default_manager.filter(pk__in=clashes), user, "view"
        ).values_list("pk", flat=True)
    )
    return [row for pk, row in clashes.items() if pk not in visible]


def report_attempt(user, rows: list[models.Model], where: str) -> None:
    """Record on each hidden row's history that ``user`` tried to file one like it (an
    access entry: nothing of the row changed), whatever becomes of the attempt."""
    with acting_as(user):
        log_attempts(rows, f"{user} filed one like it ({where})")
