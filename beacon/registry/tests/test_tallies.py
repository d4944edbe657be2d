"""The dashboard's kept totals equal counting the registry from scratch after every kind of
write, and the dashboard shows each role what it showed when it counted the registry itself."""

import csv
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from beacon.conftest import ROLES
from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.core.permissions import can, restrict
from beacon.core.resources import get_resource
from beacon.core.tabular import read_sheet
from beacon.registry.models import (
    AnnualFigure,
    Enterprise,
    EnterpriseTally,
    FigureTally,
    IndustryClass,
)

from .factories import AnnualFigureFactory, EnterpriseFactory, make_uscc

ZERO = Decimal(0)


def counted_afresh():
    """The totals, counted from the registry as it stands."""
    counts = Counter(
        Enterprise.objects.filter(status="active").values_list(
            "park_id", "industry_id", "high_tech"
        )
    )
    sums: dict = {}
    for park, year, output, tax, revenue in AnnualFigure.objects.values_list(
        "enterprise__park", "year", "industrial_output", "tax", "revenue"
    ):
        total = sums.setdefault((park, year), [0, ZERO, ZERO, ZERO])
        for i, value in enumerate((1, output, tax, revenue)):
            total[i] += value or ZERO
    return dict(counts), {k: tuple(v) for k, v in sums.items()}


def kept():
    counts = {
        (t.park_id, t.industry_id, t.high_tech): t.enterprises
        for t in EnterpriseTally.objects.all()
    }
    sums = {
        (t.park_id, t.year): (t.figures, t.industrial_output, t.tax, t.revenue)
        for t in FigureTally.objects.all()
    }
    return counts, sums


def assert_kept():
    assert kept() == counted_afresh()


def run_import(kind, rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    result = get_resource(kind).run(read_sheet(out.getvalue().encode()))
    assert result.ok, result.errors
    return result


@pytest.mark.django_db
class TestKeptTotals:
    def test_a_zone_filed_one_by_one(self, zone):
        counts, sums = kept()
        assert sum(counts.values()) == 4 and sum(s[0] for s in sums.values()) == 8
        assert_kept()

    def test_an_edit_of_what_is_counted(self, zone):
        enterprise = zone["p1_enterprise"]
        enterprise.high_tech = False
        enterprise.industry = IndustryClass.objects.get(code="2720")
        enterprise.save()
        assert_kept()
        enterprise.status = "closed"
        enterprise.save()
        assert_kept()
        enterprise.status = "active"
        enterprise.save(update_fields=["status"])
        assert_kept()

    def test_a_move_to_another_park_moves_the_figures(self, zone, users):
        enterprise = zone["p1_enterprise"]
        enterprise.park = zone["p2"]
        gate.save(users["zone_admin"], enterprise)
        assert_kept()
        assert FigureTally.objects.get(park=zone["p2"], year=2023).figures == 3

    def test_delete_takes_the_enterprise_and_its_figures_away_once(self, zone, users):
        gate.delete(users["zone_admin"], zone["p1_enterprise"])
        assert_kept()
        for enterprise in zone["p1_enterprises"][1:]:
            enterprise.delete()
        assert_kept()
        assert not FigureTally.objects.filter(park=zone["p1"]).exists()

    def test_figures_added_changed_and_deleted(self, zone):
        figure = zone["p1_figure"]
        figure.tax = None
        figure.industrial_output = Decimal("123.45")
        figure.save()
        assert_kept()
        figure.year = 2021
        figure.save()
        assert_kept()
        AnnualFigureFactory(enterprise=zone["p2_enterprise"], year=2024, revenue=None)
        assert_kept()
        figure.delete()
        assert_kept()

    def test_imports_create_and_change_in_bulk(self, zone):
        header = ["uscc", "name", "industry_code", "park", "high_tech"]
        moved = zone["p1_enterprise"]
        rows = [
            header,
            [make_uscc(9001), "肇庆新能源电池有限公司", "3841", "P1", "是"],
            [make_uscc(9002), "肇庆生物医药有限公司", "2720", "P2", "否"],
            [moved.uscc, moved.name, "2720", "P2", "否"],
        ]
        run_import("enterprises", rows)
        assert_kept()
        figures = ["uscc", "year", "revenue", "tax"]
        run_import(
            "figures",
            [
                figures,
                [make_uscc(9001), 2023, 1000, 10],
                [moved.uscc, 2023, 2000, 20],
                [zone["p2_enterprise"].uscc, 2022, "", 30],
            ],
        )
        assert_kept()

    def test_bulk_writes_of_the_demo_builder(self, zone):
        park, industry = zone["p1"], IndustryClass.objects.get(code="3841")
        firms = bulk_create_logged(
            Enterprise,
            [
                Enterprise(uscc=make_uscc(9100 + i), name=f"企业{i}", park=park, industry=industry)
                for i in range(5)
            ],
        )
        bulk_create_logged(
            AnnualFigure,
            [AnnualFigure(enterprise=e, year=2023, tax=Decimal("1.10")) for e in firms],
        )
        assert_kept()


def dashboard_as_counted(user) -> dict:
    """The dashboard's numbers as the page counted them from the registry."""
    enterprises = restrict(Enterprise.objects.filter(status="active"), user)
    by_park = list(
        enterprises.values("park__code")
        .annotate(n=Count("pk"), high_tech=Count("pk", filter=Q(high_tech=True)))
        .order_by("park__code")
    )
    sections = Counter(dict(enterprises.values_list("industry__section").annotate(n=Count("pk"))))
    trend = (
        list(
            restrict(AnnualFigure.objects.all(), user)
            .values("year")
            .annotate(output=Sum("industrial_output"), tax=Sum("tax"))
            .order_by("year")
        )
        if can(user, AnnualFigure, "view")
        else []
    )
    return {
        "park_counts": [p["n"] for p in by_park],
        "park_high_tech": [p["high_tech"] for p in by_park],
        "sections": sorted(sections.items(), key=lambda s: (-s[1], s[0]))[:12],
        "years": [t["year"] for t in trend],
        "output": [round(float(t["output"] or 0) / 1e8, 2) for t in trend],
        "tax": [round(float(t["tax"] or 0) / 1e8, 2) for t in trend],
    }


def dashboard_shown(client) -> dict:
    chart = client.get("/").context["chart"]
    shown = {k: chart[k] for k in ("park_counts", "park_high_tech", "years", "output", "tax")}
    shown["sections"] = [(s["name"].split()[0], s["value"]) for s in chart["sections"]]
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_what_counting_its_scope_shows(role, zone, users, client_for):
    closed = zone["p2_enterprises"][1]
    closed.status = "closed"
    closed.save()
    client = client_for(role)
    assert dashboard_shown(client) == dashboard_as_counted(users[role])


@pytest.mark.django_db
def test_a_park_officer_counts_only_their_parks(zone, client_for):
    shown = client_for("park_officer").get("/").context
    assert shown["total"] == 2 and shown["chart"]["park_counts"] == [2]


def dashboard_queries(client) -> int:
    """The dashboard's queries once the session's and the cache's first reads are made."""
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["zone_admin", "park_officer", "enterprise_user"])
def test_the_dashboard_reads_as_much_for_200_enterprises_as_for_20(role, zone, client_for):
    client = client_for(role)
    industries = list(IndustryClass.objects.filter(code__in=["3841", "2720"]))

    def add(n, start):
        firms = bulk_create_logged(
            Enterprise,
            [
                EnterpriseFactory.build(
                    uscc=make_uscc(start + i),
                    park=(zone["p1"], zone["p2"])[i % 2],
                    industry=industries[i % 2],
                    high_tech=bool(i % 3),
                )
                for i in range(n)
            ],
        )
        bulk_create_logged(
            AnnualFigure,
            [
                AnnualFigureFactory.build(enterprise=e, year=2020 + i % 4)
                for i, e in enumerate(firms)
            ],
        )

    add(16, 1000)
    small = dashboard_queries(client)
    add(180, 2000)
    assert dashboard_queries(client) == small
