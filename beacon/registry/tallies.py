"""The dashboard's totals (``EnterpriseTally``, ``FigureTally``), kept as the registry is
written, in the same transaction as the write.

Every write reaches here: a single save or delete (a form, the API, the admin, a service, a
cascade) through the model signals, a bulk write (an import, the demo zone) through the
change log's ``bulk_written``. A save or delete moves the totals by what the row added
before and adds after, both read from the database; rows added in bulk are added; rows
changed in bulk recount the parks they were in and are in. The totals are written under the
change log's writer lock, which every recorded write takes, so two writes never count from
the same old total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from beacon.core import chain
from beacon.core.changelog import bulk_written
from beacon.core.models import ChangeLogEntry

from .choices import EnterpriseStatus
from .models import AnnualFigure, Enterprise, EnterpriseTally, FigureTally

ZERO = Decimal(0)
# what a figure row adds to its park's year, after its count
SUMMED = ("industrial_output", "tax", "revenue")

# (park, industry, high-tech) -> enterprises
Counts = Counter[tuple[int, int, bool]]
# (park, year) -> [figures, output, tax, revenue]
Sums = dict[tuple[int, int], list]


class Totals:
    """What some rows add to the dashboard's totals."""

    def __init__(self, counts: Counts | None = None, sums: Sums | None = None):
        self.counts: Counts = counts if counts is not None else Counter()
        self.sums: Sums = sums if sums is not None else {}

    def add_figures(self, rows: Iterable[tuple], sign: int = 1) -> None:
        """Add (or take away) rows of (park, year, output, tax, revenue)."""
        for park, year, *amounts in rows:
            total = self.sums.setdefault((park, year), [0, ZERO, ZERO, ZERO])
            total[0] += sign
            for i, amount in enumerate(amounts, start=1):
                total[i] += sign * (amount or ZERO)

    def minus(self, other: Totals) -> Totals:
        counts = Counter(self.counts)
        counts.subtract(other.counts)
        out = Totals(counts, {k: list(v) for k, v in self.sums.items()})
        for key, (n, *amounts) in other.sums.items():
            total = out.sums.setdefault(key, [0, ZERO, ZERO, ZERO])
            total[0] -= n
            for i, amount in enumerate(amounts, start=1):
                total[i] -= amount
        return out


def of_enterprises(ids: Iterable[int], with_figures: bool) -> Totals:
    """What the enterprises ``ids`` add as the database holds them now: themselves when
    active, and their figures in their park when ``with_figures``."""
    ids = list(ids)
    totals = Totals()
    rows = Enterprise._base_manager.filter(pk__in=ids, status=EnterpriseStatus.ACTIVE)
    totals.counts.update(rows.values_list("park_id", "industry_id", "high_tech"))
    if with_figures:
        figures = AnnualFigure._base_manager.filter(enterprise_id__in=ids)
        totals.add_figures(figures.values_list("enterprise__park", "year", *SUMMED))
    return totals


def of_figures(ids: Iterable[int]) -> Totals:
    totals = Totals()
    figures = AnnualFigure._base_manager.filter(pk__in=list(ids))
    totals.add_figures(figures.values_list("enterprise__park", "year", *SUMMED))
    return totals


def settle(change: Totals) -> None:
    """Move the kept totals by ``change``; a total that comes to nothing goes."""
    counts = {k: n for k, n in change.counts.items() if n}
    sums = {k: v for k, v in change.sums.items() if any(v)}
    if not counts and not sums:
        return
    with transaction.atomic():
        chain.hold(ChangeLogEntry)
        parks = {k[0] for k in counts} | {k[0] for k in sums}
        _settle(
            EnterpriseTally,
            ("park_id", "industry_id", "high_tech"),
            ("enterprises",),
            {k: [n] for k, n in counts.items()},
            parks,
        )
        _settle(FigureTally, ("park_id", "year"), ("figures", *SUMMED), sums, parks)


def _settle(model, keys: tuple[str, ...], values: tuple[str, ...], change: dict, parks) -> None:
    kept = {
        tuple(getattr(row, k) for k in keys): row
        for row in model.objects.select_for_update().filter(park_id__in=parks)
    }
    touched = []
    for key, delta in change.items():
        row = kept.get(key) or model(
            **dict(zip(keys, key, strict=True)), **dict.fromkeys(values, 0)
        )
        for name, amount in zip(values, delta, strict=True):
            setattr(row, name, getattr(row, name) + amount)
        if getattr(row, values[0]) < 0:
            raise ValueError(f"a kept total went below zero: {row}")
        touched.append(row)
    counted = [row for row in touched if getattr(row, values[0])]
    model.objects.filter(pk__in=[r.pk for r in touched if r.pk and r not in counted]).delete()
    model.objects.bulk_update([r for r in counted if r.pk], values)
    model.objects.bulk_create([r for r in counted if not r.pk])


def recount(parks: Iterable[int] | None = None) -> None:
    """Count the totals of ``parks`` (every park: None) again from the registry."""
    tallies = [EnterpriseTally.objects.all(), FigureTally.objects.all()]
    enterprises = Enterprise._base_manager.all()
    figures = AnnualFigure._base_manager.all()
    if parks is not None:
        parks = list(parks)
        tallies = [t.filter(park_id__in=parks) for t in tallies]
        enterprises = enterprises.filter(park_id__in=parks)
        figures = figures.filter(enterprise__park_id__in=parks)
    with transaction.atomic():
        chain.hold(ChangeLogEntry)
        for kept in tallies:
            kept.delete()
        totals = Totals()
        totals.counts.update(
            enterprises.filter(status=EnterpriseStatus.ACTIVE).values_list(
                "park_id", "industry_id", "high_tech"
            )
        )
        totals.add_figures(figures.values_list("enterprise__park", "year", *SUMMED))
        settle(totals)


# -- the write paths -------------------------------------------------------------------------


def _before(sender, instance, raw=False, **kwargs):
    # A fixture or restore loads the totals with the rows (raw): nothing to move.
    if raw or instance._state.adding:
        instance._tally_before = Totals()
    elif sender is Enterprise:
        # A deleted enterprise's figures are deleted one by one, and each takes itself away.
        with_figures = kwargs.get("signal") is pre_save
        instance._tally_before = of_enterprises([instance.pk], with_figures)
    else:
        instance._tally_before = of_figures([instance.pk])


def _after(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_tally_before", Totals())
    instance._tally_before = Totals()
    if kwargs.get("signal") is post_delete:
        after = Totals()
    elif sender is Enterprise:
        after = of_enterprises([instance.pk], with_figures=True)
    else:
        after = of_figures([instance.pk])
    settle(after.minus(before))


def _bulk(sender, created=(), changed=(), **kwargs):
    if created:
        ids = [obj.pk for obj in created]
        settle(of_enterprises(ids, True) if sender is Enterprise else of_figures(ids))
    if changed:
        if sender is Enterprise:
            parks = {o.park_id for pair in changed for o in pair}
        else:
            enterprises = {o.enterprise_id for pair in changed for o in pair}
            parks = set(
                Enterprise._base_manager.filter(pk__in=enterprises).values_list(
                    "park_id", flat=True
                )
            )
        recount(parks)


def connect() -> None:
    for model in (Enterprise, AnnualFigure):
        uid = f"registry-tallies-{model._meta.model_name}"
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}-pre-save")
        pre_delete.connect(_before, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_save.connect(_after, sender=model, dispatch_uid=f"{uid}-post-save")
        post_delete.connect(_after, sender=model, dispatch_uid=f"{uid}-post-delete")
        bulk_written.connect(_bulk, sender=model, dispatch_uid=f"{uid}-bulk")
