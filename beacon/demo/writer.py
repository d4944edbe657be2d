"""Writes the demo plan's rows, chunk by chunk and in one transaction, through the change
log, with a progress bar for the large zone."""

from __future__ import annotations

from django.db import transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from beacon.core.changelog import bulk_create_logged, bulk_link_logged
from beacon.registry.models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)

from .accounts import write_accounts
from .parks import PARKS, ZONE
from .plan import CHUNK, SEED, DemoPlan

BATCH = 2_000


def zone_is_empty() -> bool:
    return not Zone.objects.exists()


def build_demo_zone(
    size: str = "small",
    progress: bool = False,
    seed: int = SEED,
    enterprises: int | None = None,
) -> None:
    """Write the demo zone, its land, enterprises, figures, platforms, talents and accounts.

    ``enterprises`` overrides the size's count (tests build a few hundred). Everything is
    written in one transaction, through the change log.
    """
    plan = DemoPlan(size=size, seed=seed, enterprises=enterprises)
    classes = dict(
        IndustryClass.objects.filter(level="class", code__in=plan.class_codes()).values_list(
            "code", "pk"
        )
    )
    missing = plan.class_codes() - set(classes)
    if missing:
        raise LookupError(f"industry classes missing (is the registry migrated?): {missing}")
    columns = (
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=not progress) as bar, transaction.atomic():
        land = bar.add_task("Parks and land parcels", total=len(plan.parcel_rows) + len(PARKS))
        parks = _write_parks(plan, classes)
        bar.advance(land, len(PARKS))
        parcel_ids = _write_parcels(plan, parks)
        bar.advance(land, len(plan.parcel_rows))

        firms = bar.add_task("Enterprises and annual figures", total=plan.count)
        for start in range(0, plan.count, CHUNK):
            stop = min(start + CHUNK, plan.count)
            _write_enterprises(plan, start, stop, parks, classes, parcel_ids)
            bar.advance(firms, stop - start)

        rest = bar.add_task("Platforms, talents and accounts", total=3)
        platforms, talents = plan.platform_rows(), plan.talent_rows()
        hosts = {row["enterprise"] for row in (*platforms, *talents) if row["enterprise"]}
        hosts.add(plan.account_enterprise())
        uscc_ids = dict(Enterprise.objects.filter(uscc__in=hosts).values_list("uscc", "pk"))
        for model, rows in ((InnovationPlatform, platforms), (Talent, talents)):
            _write_hosted(model, rows, parks, uscc_ids)
            bar.advance(rest)
        write_accounts(parks[PARKS[0].code].pk, uscc_ids[plan.account_enterprise()])
        bar.advance(rest)


def _write_parks(plan: DemoPlan, classes: dict[str, int]) -> dict[str, Park]:
    """The zone and its parks with their industries; the parks by code."""
    (zone,) = bulk_create_logged(Zone, [Zone(**ZONE)])
    rows = plan.park_rows()
    industries = [row.pop("industries") for row in rows]
    parks = {}
    for park, codes in zip(
        bulk_create_logged(Park, [Park(zone=zone, **row) for row in rows]),
        industries,
        strict=True,
    ):
        park.industries.set([classes[code] for code in codes])  # logged by auditlog's signal
        parks[park.code] = park
    return parks


def _write_parcels(plan: DemoPlan, parks: dict[str, Park]) -> dict[str, int]:
    """The parcels of every park; their ids by code."""
    parcels = bulk_create_logged(
        Parcel,
        [Parcel(**{**row, "park": parks[row["park"]]}) for row in plan.parcel_rows],
        batch_size=BATCH,
    )
    return {parcel.code: parcel.pk for parcel in parcels}


def _write_enterprises(plan, start, stop, parks, classes, parcel_ids) -> None:
    enterprises, links = [], []
    for row in plan.enterprise_rows(start, stop):
        codes = row.pop("parcels")
        row["park"] = parks[row["park"]]
        row["industry_id"] = classes[row.pop("industry")]
        enterprises.append(Enterprise(**row))
        links.append(codes)
    bulk_create_logged(Enterprise, enterprises, batch_size=BATCH)
    bulk_link_logged(
        Enterprise,
        "parcels",
        [
            (enterprise, [(parcel_ids[code], code) for code in codes])
            for enterprise, codes in zip(enterprises, links, strict=True)
        ],
        batch_size=BATCH,
    )
    # The enterprise instance (not just its id) makes the log's object_repr free of queries.
    figures = [
        AnnualFigure(enterprise=enterprises[i - start], **values)
        for i, values in plan.figure_rows(start, stop)
    ]
    bulk_create_logged(AnnualFigure, figures, batch_size=BATCH)


def _write_hosted(model, rows: list[dict], parks: dict[str, Park], uscc_ids: dict[str, int]):
    """Platforms or talents, each in its park and at its host enterprise where it has one."""
    objs = [
        model(
            **{key: value for key, value in row.items() if key not in ("park", "enterprise")},
            park=parks.get(row["park"]),
            enterprise_id=uscc_ids.get(row["enterprise"]),
        )
        for row in rows
    ]
    bulk_create_logged(model, objs)
