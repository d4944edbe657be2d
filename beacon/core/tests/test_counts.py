"""A list's count, kept for one state of the change log: equal to counting afresh after
every kind of write, read from the cache while nothing is written, and never kept for a
query over a table the log does not record in full."""

import copy

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from beacon.core import counts
from beacon.core.changelog import bulk_create_logged, bulk_update_logged
from beacon.core.permissions import restrict
from beacon.jobs.models import Job
from beacon.registry.choices import EnterpriseStatus
from beacon.registry.models import AnnualFigure, Enterprise, Parcel
from beacon.registry.tests.factories import (
    AnnualFigureFactory,
    EnterpriseFactory,
    ParcelFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def counted(queryset) -> tuple[int, int]:
    """The kept count and how many rows' COUNT queries reading it took (the cache's own
    count of its entries, when it stores one, is not one)."""
    with CaptureQueriesContext(connection) as queries:
        found = counts.count(queryset)
    sql = [q["sql"] for q in queries.captured_queries]
    return found, sum("COUNT(" in s and "beacon_cache" not in s for s in sql)


def lists(zone, users):
    """Lists as users ask for them: scoped, filtered, searched, through a link table."""
    officer = users["park_officer"]
    return {
        "zone": Enterprise.objects.all(),
        "park officer's": restrict(Enterprise.objects.all(), officer),
        "active": Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE),
        "search": Enterprise.objects.filter(name__icontains="新能源"),
        "search, counted up to a bound": Enterprise.objects.filter(name__icontains="新能源")[:3],
        "with a parcel": Enterprise.objects.filter(parcels__isnull=False).distinct(),
    }


def assert_as_counted_afresh(zone, users):
    for name, queryset in lists(zone, users).items():
        assert counted(queryset)[0] == queryset.count(), name


def test_kept_counts_follow_every_kind_of_write(zone, users):
    assert_as_counted_afresh(zone, users)
    # each count is kept: asked again, no COUNT query
    for queryset in lists(zone, users).values():
        assert counted(queryset)[1] == 0
    park = zone["p1"]
    writes = [
        lambda: EnterpriseFactory(park=park),  # create
        lambda: Enterprise.objects.filter(park=park).first().save(),  # save, nothing changed
        lambda: _change(park, status=EnterpriseStatus.CLOSED),  # edit a filtered field
        lambda: _change(park, park=zone["p2"]),  # move to another park
        lambda: Enterprise.objects.filter(park=park).first().delete(),  # delete
        lambda: bulk_create_logged(  # an import's new rows
            Enterprise,
            [EnterpriseFactory.build(park=park, uscc=make_uscc(7000 + i)) for i in range(3)],
        ),
        lambda: _bulk_change(park, status=EnterpriseStatus.ACTIVE),  # an import's changes
        lambda: (
            Enterprise.objects.filter(park=park)
            .first()
            .parcels.add(  # a link
                ParcelFactory(park=park)
            )
        ),
        lambda: Parcel.objects.filter(enterprises__park=park).first().delete(),  # cascade
    ]
    for write in writes:
        write()
        assert_as_counted_afresh(zone, users)


def _change(in_park, **fields):
    enterprise = Enterprise.objects.filter(park=in_park).order_by("pk").last()
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.save()


def _bulk_change(in_park, **fields):
    pairs = []
    for before in Enterprise.objects.filter(park=in_park):
        after = copy.copy(before)
        for name, value in fields.items():
            setattr(after, name, value)
        pairs.append((before, after))
    bulk_update_logged(Enterprise, pairs, list(fields))


def test_a_rolled_back_write_takes_the_counts_kept_after_it_along(zone, users):
    everything = Enterprise.objects.all()
    before = counted(everything)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseFactory(park=zone["p1"])
        assert counted(everything)[0] == before + 1
        raise RuntimeError
    assert counted(everything) == (before, 0)


def test_a_query_over_a_table_not_recorded_in_full_is_counted_each_time(zone, users):
    Job.objects.create(kind="export", owner=users["zone_admin"], params={})
    jobs = Job.objects.all()
    assert counted(jobs) == (1, 1)
    assert counted(jobs) == (1, 1)
    # enterprises joined to a table the log does not record
    with_jobs = Enterprise.objects.filter(pk__in=Job.objects.values("owner_id"))
    assert counted(with_jobs)[1] == 1
    assert counted(with_jobs)[1] == 1


def test_migrate_forgets_the_kept_counts(zone, users):
    everything = Enterprise.objects.all()
    counted(everything)
    assert counted(everything)[1] == 0
    call_command("migrate", verbosity=0)
    assert counted(everything)[1] == 1


def test_the_list_and_the_api_count_a_new_enterprise(zone, users, client_for):
    admin = client_for("zone_admin")
    api = admin.get("/api/v1/registry/enterprises/").json()["count"]
    page = admin.get("/registry/enterprises/").context["table"].paginator.count
    assert api == page == Enterprise.objects.count()
    EnterpriseFactory(park=zone["p1"])
    assert admin.get("/api/v1/registry/enterprises/").json()["count"] == api + 1
    assert admin.get("/registry/enterprises/").context["table"].paginator.count == page + 1


def test_kept_sums_follow_writes_as_counts_do(zone, users):
    from django.db.models import Count, Sum

    def per_park():
        return (
            AnnualFigure.objects.order_by("enterprise__park")
            .values_list("enterprise__park")
            .annotate(n=Count("*"), tax=Sum("tax"))
        )

    assert counts.rows(per_park()) == list(per_park())
    with CaptureQueriesContext(connection) as queries:
        kept = counts.rows(per_park())
    assert kept == list(per_park())
    assert not any("SUM(" in q["sql"] for q in queries.captured_queries)
    AnnualFigureFactory(enterprise=EnterpriseFactory(park=zone["p1"]), tax=1_000_000)
    assert counts.rows(per_park()) == list(per_park())
