"""Which enterprise is in which link of each chain, and the links' totals per park, kept.

``LinkMember`` rows are the engine's ``membership`` (the function ``beacon chains gaps``
runs) over every enterprise of the registry, whatever its status, with what each brings to
its links: whether it is active, its park, chain-master flag, and the output and tax of its
latest year of figures. An enterprise's rows depend on that enterprise alone (its class,
business scope, status, park, flag and figures), the chain's current version and the
users' words on it, so one enterprise is recomputed by itself. ``LinkTotal`` and
``SegmentTotal`` add the active members up per park; each rewrite of an enterprise's rows
moves them by the difference between its old rows and its new ones, so a chain map reads a
few rows per park whatever the zone's size (``services.coverage``).

All of it is rewritten in the transaction of every write that changes an input:

- an enterprise saved or written in bulk by an import or the demo
  (``changelog.bulk_written``), or deleted;
- its annual figures saved, written in bulk or deleted;
- an industry class saved (its code may have changed);
- a user's word on a link (``LinkMapping``) saved or deleted;
- a chain version saved or deleted: the chain starts over from the whole registry.

``rebuild`` starts over, for ``beacon migrate`` and for a database edited outside Beacon
(``beacon chains rebuild``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from beacon.analytics import chains as engine
from beacon.registry.choices import EnterpriseStatus

# enterprises read, and rows written, per statement
CHUNK = 5000
# an enterprise's fields its rows depend on
INPUTS = frozenset({"industry", "business_scope", "status", "park", "chain_master"})
# what a member row brings to the totals, in this order
FACTS = ("chain_id", "link", "segment", "park_id", "enterprise_id", "active", "chain_master")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Tables:
    """The models the rows are made from and kept in: today's, or a migration's."""

    chain_version: type[models.Model]
    enterprise: type[models.Model]
    figure: type[models.Model]
    mapping: type[models.Model]
    member: type[models.Model]
    link_total: type[models.Model]
    segment_total: type[models.Model]


def tables() -> Tables:
    from beacon.registry.models import AnnualFigure, Enterprise

    from .models import ChainVersion, LinkMapping, LinkMember, LinkTotal, SegmentTotal

    return Tables(
        ChainVersion, Enterprise, AnnualFigure, LinkMapping, LinkMember, LinkTotal, SegmentTotal
    )


def current_texts(t: Tables, chain_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Each chain's current version text (the highest number), by chain id; a chain with no
    version has none."""
    latest = (
        t.chain_version.objects.filter(chain=OuterRef("chain"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = t.chain_version.objects.filter(number=Subquery(latest))
    if chain_ids is not None:
        versions = versions.filter(chain_id__in=list(chain_ids))
    return dict(versions.order_by().values_list("chain_id", "text"))


def keep(t: Tables, texts: dict[int, str], enterprise_ids: Sequence[int], gone=False) -> None:
    """Rewrite the rows of the chains ``texts`` holds for these enterprises (none for
    enterprises ``gone``), and move the totals by the difference."""
    if not texts:
        return
    for start in range(0, len(enterprise_ids), CHUNK):
        chunk = list(enterprise_ids[start : start + CHUNK])
        rows = t.member.objects.filter(chain_id__in=list(texts), enterprise_id__in=chunk)
        old = list(rows.values_list(*FACTS, "output", "tax"))
        rows.delete()
        new = [] if gone else _members(t, texts, chunk)
        t.member.objects.bulk_create(new, batch_size=CHUNK)
        _move_totals(t, old, [(*(getattr(m, f) for f in FACTS), m.output, m.tax) for m in new])


def rebuild(t: Tables, chain_ids: Iterable[int] | None = None) -> None:
    """Start the rows of these chains (all) over from the whole registry."""
    chain_ids = None if chain_ids is None else list(chain_ids)
    with transaction.atomic():
        for model in (t.member, t.link_total, t.segment_total):
            old = model.objects.all()
            if chain_ids is not None:
                old = old.filter(chain_id__in=chain_ids)
            old.delete()
        texts = current_texts(t, chain_ids)
        if texts:
            for ids in _enterprise_chunks(t):
                keep(t, texts, ids)


def _enterprise_chunks(t: Tables) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            t.enterprise.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        last = ids[-1]
        yield ids


def _members(t: Tables, texts: dict[int, str], ids: list[int]) -> list[models.Model]:
    """The member rows of these enterprises in the chains ``texts`` holds."""
    from .models import parsed_text

    rows = list(
        t.enterprise.objects.filter(pk__in=ids).values_list(
            "pk",
            "uscc",
            "name",
            "industry__code",
            "business_scope",
            "chain_master",
            "park_id",
            "status",
        )
    )
    if not rows:
        return []
    frame = pl.DataFrame(
        [row[:6] for row in rows],
        schema={
            "enterprise_id": pl.Int64,
            "uscc": pl.String,
            "name": pl.String,
            "industry_code": pl.String,
            "business_scope": pl.String,
            "chain_master": pl.Boolean,
        },
        orient="row",
    )
    local = engine.check_local(frame)
    facts = {row[1].strip(): row for row in rows}
    latest: dict[int, tuple] = {}
    # the last of each enterprise's years is its latest, as the engine takes it
    for enterprise, output, tax in (
        t.figure.objects.filter(enterprise_id__in=ids)
        .order_by("enterprise_id", "year")
        .values_list("enterprise_id", "industrial_output", "tax")
    ):
        latest[enterprise] = (output, tax)
    words: dict[int, list] = {}
    for chain_id, uscc, link, include in t.mapping.objects.filter(
        chain_id__in=list(texts), enterprise_id__in=ids
    ).values_list("chain_id", "enterprise__uscc", "link", "include"):
        words.setdefault(chain_id, []).append((uscc, link, include))
    made = []
    for chain_id, text in texts.items():
        parsed = parsed_text(text)
        segment = {link.key: link.segment for link in parsed.links}
        overrides = pl.DataFrame(
            words.get(chain_id, []),
            schema={"uscc": pl.String, "link": pl.String, "include": pl.Boolean},
            orient="row",
        )
        for row in engine.membership(parsed, local, overrides).iter_rows(named=True):
            pk, _uscc, _name, _code, _scope, master, park, status = facts[row["uscc"]]
            output, tax = latest.get(pk, (None, None))
            made.append(
                t.member(
                    chain_id=chain_id,
                    link=row["link"],
                    segment=segment[row["link"]],
                    enterprise_id=pk,
                    by_class=row["by_class"],
                    keywords=row["keywords"],
                    override=row["override"],
                    park_id=park,
                    active=status == EnterpriseStatus.ACTIVE,
                    chain_master=master,
                    output=output,
                    tax=tax,
                )
            )
    return made


def _totals(rows: Iterable[tuple]) -> tuple[dict, dict]:
    """What member rows (``FACTS``, output, tax) add to each link's and segment's totals
    per park: active members only, each enterprise once per segment."""
    links: dict[tuple, list] = defaultdict(lambda: [0, 0, ZERO, ZERO])
    segments: dict[tuple, list] = defaultdict(lambda: [0, ZERO])
    counted = set()
    for chain, link, segment, park, enterprise, active, master, output, tax in rows:
        if not active:
            continue
        total = links[chain, link, park]
        total[0] += 1
        total[1] += int(master)
        total[2] += output or ZERO
        total[3] += tax or ZERO
        if (chain, segment, enterprise) not in counted:
            counted.add((chain, segment, enterprise))
            segments[chain, segment, park][0] += 1
            segments[chain, segment, park][1] += output or ZERO
    return links, segments


def _move_totals(t: Tables, old: list[tuple], new: list[tuple]) -> None:
    old_links, old_segments = _totals(old)
    new_links, new_segments = _totals(new)
    _move(
        t.link_total,
        "link",
        ("enterprises", "chain_masters", "output", "tax"),
        old_links,
        new_links,
    )
    _move(t.segment_total, "segment", ("enterprises", "output"), old_segments, new_segments)


def _move(model, part: str, fields: tuple[str, ...], old: dict, new: dict) -> None:
    """Add ``new`` and take ``old`` away from the totals, keyed (chain, link or segment,
    park); a total left with no enterprise goes."""
    deltas = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        delta = [
            (after[i] if after else 0) - (before[i] if before else 0) for i in range(len(fields))
        ]
        if any(delta):
            deltas[key] = delta
    if not deltas:
        return
    kept = {
        (row.chain_id, getattr(row, part), row.park_id): row
        for row in model.objects.filter(
            chain_id__in={k[0] for k in deltas},
            park_id__in={k[2] for k in deltas},
            **{f"{part}__in": {k[1] for k in deltas}},
        )
    }
    made, changed, emptied = [], [], []
    for key, delta in deltas.items():
        row = kept.get(key) or model(chain_id=key[0], park_id=key[2], **{part: key[1]})
        for name, value in zip(fields, delta, strict=True):
            setattr(row, name, getattr(row, name) + value)
        if row.enterprises == 0:
            if row.pk is not None:
                emptied.append(row.pk)
        elif row.pk is None:
            made.append(row)
        else:
            changed.append(row)
    model.objects.filter(pk__in=emptied).delete()
    model.objects.bulk_update(changed, fields, batch_size=CHUNK)
    model.objects.bulk_create(made, batch_size=CHUNK)


# ---------------------------------------------------------------- the writes that change them


def keep_enterprises(
    enterprise_ids: Sequence[int], chain_ids: Iterable[int] | None = None, gone=False
):
    t = tables()
    with transaction.atomic():
        _hold()
        keep(t, current_texts(t, chain_ids), enterprise_ids, gone)


def rebuild_all() -> None:
    """Every chain's rows from scratch (``beacon chains rebuild``), no write interleaving."""
    with transaction.atomic():
        _hold()
        rebuild(tables())


def _hold() -> None:
    """The totals are read, moved and written back: two writes must not interleave. Every
    write Beacon logs holds the change log's writer lock to its end; so does this one."""
    from beacon.core import chain
    from beacon.core.models import ChangeLogEntry

    chain.hold(ChangeLogEntry)


def enterprise_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not INPUTS & set(update_fields)):
        return
    keep_enterprises([instance.pk])


def enterprise_deleting(sender, instance, **kwargs):
    """Take the enterprise out of the totals; its rows would go with it all the same."""
    keep_enterprises([instance.pk], gone=True)


def figure_written(sender, instance, raw=False, **kwargs):
    if not raw:
        keep_enterprises([instance.enterprise_id])


def figure_deleted(sender, instance, origin=None, **kwargs):
    if _deleted_itself(sender, origin):
        keep_enterprises([instance.enterprise_id])


def rows_written_in_bulk(sender, created=(), changed=(), fields=None, **kwargs):
    from beacon.registry.models import AnnualFigure, Enterprise

    from .models import LinkMapping

    # a changed row's before counts too: a figure or a word may have moved off an enterprise
    rows = [*created, *(row for pair in changed for row in pair)]
    if sender is Enterprise and (fields is None or INPUTS & set(fields)):
        keep_enterprises(sorted({o.pk for o in rows}))
    elif sender is AnnualFigure:
        keep_enterprises(sorted({o.enterprise_id for o in rows}))
    elif sender is LinkMapping:
        for chain_id in {o.chain_id for o in rows}:
            keep_enterprises(
                sorted({o.enterprise_id for o in rows if o.chain_id == chain_id}), [chain_id]
            )


def industry_class_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    keep_enterprises(list(instance.enterprises.values_list("pk", flat=True)))


def mapping_before_save(sender, instance, raw=False, **kwargs):
    """Note the enterprise and chain a changed word was on: it may be moved off them."""
    if raw or instance.pk is None:
        return
    instance._kept_before = (
        sender.objects.filter(pk=instance.pk).values_list("chain_id", "enterprise_id").first()
    )


def mapping_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_kept_before", None)
    if before is not None and before != (instance.chain_id, instance.enterprise_id):
        keep_enterprises([before[1]], [before[0]])
    keep_enterprises([instance.enterprise_id], [instance.chain_id])


def _deleted_itself(sender, origin) -> bool:
    """Whether the row was deleted for its own sake, not with an enterprise or a chain
    whose rows go with it (rows written for them now would outlive them)."""
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return model is sender


def mapping_deleted(sender, instance, origin=None, **kwargs):
    if _deleted_itself(sender, origin):
        keep_enterprises([instance.enterprise_id], [instance.chain_id])


def version_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        with transaction.atomic():
            _hold()
            rebuild(tables(), [instance.chain_id])


def version_deleted(sender, instance, origin=None, **kwargs):
    if _deleted_itself(sender, origin):
        with transaction.atomic():
            _hold()
            rebuild(tables(), [instance.chain_id])


def connect() -> None:
    from django.db.models import signals

    from beacon.core.changelog import bulk_written
    from beacon.registry.models import AnnualFigure, Enterprise, IndustryClass

    from .models import ChainVersion, LinkMapping

    uid = "beacon.chains.membership."
    signals.post_save.connect(enterprise_saved, Enterprise, dispatch_uid=uid + "enterprise")
    signals.pre_delete.connect(enterprise_deleting, Enterprise, dispatch_uid=uid + "ent-gone")
    signals.post_save.connect(figure_written, AnnualFigure, dispatch_uid=uid + "figure")
    signals.post_delete.connect(figure_deleted, AnnualFigure, dispatch_uid=uid + "figure-gone")
    signals.post_save.connect(industry_class_saved, IndustryClass, dispatch_uid=uid + "class")
    signals.pre_save.connect(mapping_before_save, LinkMapping, dispatch_uid=uid + "word-before")
    signals.post_save.connect(mapping_saved, LinkMapping, dispatch_uid=uid + "word")
    signals.post_delete.connect(mapping_deleted, LinkMapping, dispatch_uid=uid + "word-deleted")
    signals.post_save.connect(version_saved, ChainVersion, dispatch_uid=uid + "version")
    signals.post_delete.connect(version_deleted, ChainVersion, dispatch_uid=uid + "version-gone")
    bulk_written.connect(rows_written_in_bulk, dispatch_uid=uid + "bulk")
