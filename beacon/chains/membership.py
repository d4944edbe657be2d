"""Which enterprise is in which link of each chain, kept in ``LinkMember``.

The rows are the engine's ``membership`` (the function ``beacon chains gaps`` runs) over
every enterprise of the registry, whatever its status or park: an enterprise's links
depend only on its own industry class and business scope, the chain's current version and
the users' words on that enterprise, so one enterprise is recomputed by itself, and a
chain map applies status and scope when it reads the rows (``services.coverage``).

The rows are rewritten in the transaction of every write that changes those inputs:

- an enterprise saved (its class or scope may have changed) or written in bulk by an
  import or the demo (``changelog.bulk_written``); a deleted one takes its rows with it;
- an industry class saved (its code may have changed);
- a user's word on a link (``LinkMapping``) saved or deleted;
- a chain version saved or deleted: the chain's rows are rebuilt from the whole registry.

Status, park, chain-master flag and figures are read live by the chain map, so writes of
those need nothing here. ``rebuild`` starts over, for ``beacon migrate`` and for a database
edited outside Beacon (``beacon chains rebuild``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import polars as pl
from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from beacon.analytics import chains as engine

# enterprises read, and rows written, per statement
CHUNK = 5000
# an enterprise's fields the rows depend on
INPUTS = frozenset({"industry", "business_scope"})


@dataclass(frozen=True)
class Tables:
    """The models the rows are made from and kept in: today's, or a migration's."""

    chain_version: type[models.Model]
    enterprise: type[models.Model]
    mapping: type[models.Model]
    member: type[models.Model]


def tables() -> Tables:
    from beacon.registry.models import Enterprise

    from .models import ChainVersion, LinkMapping, LinkMember

    return Tables(ChainVersion, Enterprise, LinkMapping, LinkMember)


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


def keep(t: Tables, texts: dict[int, str], enterprise_ids: Sequence[int]) -> None:
    """Rewrite the rows of the chains ``texts`` holds for these enterprises."""
    if not texts:
        return
    for start in range(0, len(enterprise_ids), CHUNK):
        chunk = list(enterprise_ids[start : start + CHUNK])
        t.member.objects.filter(chain_id__in=list(texts), enterprise_id__in=chunk).delete()
        _write(t, texts, t.enterprise.objects.filter(pk__in=chunk))


def rebuild(t: Tables, chain_ids: Iterable[int] | None = None) -> None:
    """Start the rows of these chains (all) over from the whole registry."""
    chain_ids = None if chain_ids is None else list(chain_ids)
    with transaction.atomic():
        old = t.member.objects.all()
        if chain_ids is not None:
            old = old.filter(chain_id__in=chain_ids)
        old.delete()
        texts = current_texts(t, chain_ids)
        if texts:
            for chunk in _enterprise_chunks(t):
                _write(t, texts, chunk)


def _enterprise_chunks(t: Tables) -> Iterator[models.QuerySet]:
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
        yield t.enterprise.objects.filter(pk__in=ids)


def _write(t: Tables, texts: dict[int, str], enterprises: models.QuerySet) -> None:
    from .models import parsed_text

    rows = list(
        enterprises.values_list(
            "pk", "uscc", "name", "industry__code", "business_scope", "chain_master"
        )
    )
    if not rows:
        return
    frame = pl.DataFrame(
        rows,
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
    ids = dict(zip(frame["uscc"].str.strip_chars(), frame["enterprise_id"], strict=True))
    words: dict[int, list] = {}
    for chain_id, uscc, link, include in t.mapping.objects.filter(
        chain_id__in=list(texts), enterprise__in=enterprises
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
        made += [
            t.member(
                chain_id=chain_id,
                link=row["link"],
                segment=segment[row["link"]],
                enterprise_id=ids[row["uscc"]],
                by_class=row["by_class"],
                keywords=row["keywords"],
                override=row["override"],
            )
            for row in engine.membership(parsed, local, overrides).iter_rows(named=True)
        ]
    t.member.objects.bulk_create(made, batch_size=CHUNK)


# ---------------------------------------------------------------- the writes that change them


def keep_enterprises(enterprise_ids: Sequence[int], chain_ids: Iterable[int] | None = None):
    t = tables()
    with transaction.atomic():
        keep(t, current_texts(t, chain_ids), enterprise_ids)


def enterprise_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not INPUTS & set(update_fields)):
        return
    keep_enterprises([instance.pk])


def rows_written_in_bulk(sender, objs, fields=None, **kwargs):
    from beacon.registry.models import Enterprise

    from .models import LinkMapping

    if sender is Enterprise and (fields is None or INPUTS & set(fields)):
        keep_enterprises([o.pk for o in objs])
    elif sender is LinkMapping:
        for chain_id in {o.chain_id for o in objs}:
            keep_enterprises([o.enterprise_id for o in objs if o.chain_id == chain_id], [chain_id])


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
        rebuild(tables(), [instance.chain_id])


def version_deleted(sender, instance, origin=None, **kwargs):
    if _deleted_itself(sender, origin):
        rebuild(tables(), [instance.chain_id])


def connect() -> None:
    from django.db.models import signals

    from beacon.core.changelog import bulk_written
    from beacon.registry.models import Enterprise, IndustryClass

    from .models import ChainVersion, LinkMapping

    uid = "beacon.chains.membership."
    signals.post_save.connect(enterprise_saved, Enterprise, dispatch_uid=uid + "enterprise")
    signals.post_save.connect(industry_class_saved, IndustryClass, dispatch_uid=uid + "class")
    signals.pre_save.connect(mapping_before_save, LinkMapping, dispatch_uid=uid + "word-before")
    signals.post_save.connect(mapping_saved, LinkMapping, dispatch_uid=uid + "word")
    signals.post_delete.connect(mapping_deleted, LinkMapping, dispatch_uid=uid + "word-deleted")
    signals.post_save.connect(version_saved, ChainVersion, dispatch_uid=uid + "version")
    signals.post_delete.connect(version_deleted, ChainVersion, dispatch_uid=uid + "version-gone")
    bulk_written.connect(rows_written_in_bulk, dispatch_uid=uid + "bulk")
