"""The demo zone: five parks on real industry classes, valid codes, plausible figures, a
whole change log, and accounts that log in.

Properties of the generated rows are checked on the pure plan (no database); what the
writer adds (classes, links, log, accounts, pages) on a small zone written per test.
"""

import statistics
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc

from beacon.core.models import ChangeLogEntry, User
from beacon.demo.accounts import DEMO_PASSWORD, demo_accounts
from beacon.demo.licence import REGIONS
from beacon.demo.parks import PARKS, is_manufacturing
from beacon.demo.plan import FIGURE_YEARS, DemoPlan
from beacon.demo.writer import build_demo_zone, zone_is_empty
from beacon.registry.classification import read_classification
from beacon.registry.models import (
    AnnualFigure,
    Enterprise,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
)

TEST_ENTERPRISES = 300


@pytest.fixture(scope="module")
def plan():
    return DemoPlan("small")


@pytest.fixture(scope="module")
def rows(plan):
    return plan.enterprise_rows(0, plan.count)


@pytest.fixture(scope="module")
def figures(plan):
    return plan.figure_rows(0, plan.count)


@pytest.fixture
def demo(db):
    return build_demo_zone(enterprises=TEST_ENTERPRISES)


def gbt4754_classes() -> set[str]:
    return {row["code"] for row in read_classification() if row["level"] == "class"}


class TestPlan:
    def test_same_seed_gives_the_same_rows(self, plan, rows):
        again = DemoPlan("small")
        assert again.enterprise_rows(0, again.count) == rows
        assert again.figure_rows(0, 500) == plan.figure_rows(0, 500)
        assert again.parcel_rows == plan.parcel_rows
        assert again.platform_rows() == plan.platform_rows()
        assert again.talent_rows() == plan.talent_rows()

    def test_another_seed_gives_other_rows(self, rows):
        other = DemoPlan("small", seed=1)
        assert {r["uscc"] for r in other.enterprise_rows(0, 100)}.isdisjoint(
            r["uscc"] for r in rows
        )

    def test_about_two_thousand_enterprises_in_five_parks(self, plan, rows):
        assert plan.count == len(rows) == 2000
        by_park = Counter(r["park"] for r in rows)
        assert sorted(by_park) == ["P1", "P2", "P3", "P4", "P5"]
        assert min(by_park.values()) > 200

    def test_every_line_is_a_gbt4754_class(self):
        assert {line.code for park in PARKS for line in park.lines} <= gbt4754_classes()

    def test_industry_is_one_of_the_parks_lines(self, rows):
        lines = {park.code: {line.code for line in park.lines} for park in PARKS}
        assert all(r["industry"] in lines[r["park"]] for r in rows)

    def test_usccs_are_valid_unique_and_from_zhaoqing(self, rows):
        codes = [r["uscc"] for r in rows]
        assert len(set(codes)) == len(codes)
        regions = {region.code for region in REGIONS} | {"441283"}
        for code in codes:
            assert uscc.is_valid(code), code
            assert code[:2] == "91" and code[2:8] in regions

    def test_names_are_unique_chinese_companies_with_english_names(self, rows):
        names = [r["name"] for r in rows]
        assert len(set(names)) == len(names)
        assert all(n.endswith("有限公司") for n in names)
        assert all(r["name_en"].endswith(("Co., Ltd.", "Corp., Ltd.")) for r in rows)
        assert all("  " not in r["name_en"] for r in rows)

    def test_scopes_name_the_industry(self, rows):
        new_energy = [r for r in rows if "新能源" in r["name"] + r["business_scope"]]
        assert {r["park"] for r in new_energy} >= {"P1", "P2"}
        assert all(r["business_scope"].startswith("一般项目：") for r in rows)

    def test_three_quarters_of_industrial_enterprises_are_high_tech(self, rows):
        industrial = [r for r in rows if is_manufacturing(r["industry"])]
        share = sum(r["high_tech"] for r in industrial) / len(industrial)
        assert 0.7 <= share <= 0.8
        for r in rows:
            assert (r["high_tech_expiry"] is not None) == r["high_tech"]
            if r["high_tech"]:
                assert r["high_tech_expiry"].year - r["founded"].year >= 4

    def test_flags_are_skewed_like_a_real_zone(self, plan, rows):
        masters = [i for i, r in enumerate(rows) if r["chain_master"]]
        assert len(masters) == 3 * len(PARKS)
        assert all(plan.revenue[i] >= 5e9 for i in masters)
        assert statistics.median(plan.revenue) < 1e7
        little_giants = [r for r in rows if r["little_giant"]]
        assert little_giants and all(r["srdi"] for r in little_giants)
        assert 0.04 < sum(r["srdi"] for r in rows) / len(rows) < 0.1
        statuses = Counter(r["status"] for r in rows)
        assert statuses["active"] > 0.9 * len(rows)
        assert statuses["moved_out"] and statuses["closed"]

    def test_figures_are_consistent(self, plan, rows, figures):
        def between(low, share, high):
            # Amounts are whole yuan, so a small firm's shares may miss a bound by rounding.
            return Decimal(low) - Decimal("0.002") <= share <= Decimal(high) + Decimal("0.002")

        for i, f in figures:
            assert f["year"] in FIGURE_YEARS
            revenue = f["revenue"]
            if revenue < 10_000:
                continue
            assert between("0.03", f["tax"] / revenue, "0.08")
            assert between("0.01", f["rd_expense"] / revenue, "0.06")
            if is_manufacturing(rows[i]["industry"]):
                assert between("0.2", f["value_added"] / f["industrial_output"], "0.35")
            else:
                assert f["industrial_output"] is None
            assert f["electricity_kwh"] > 0 and f["employees"] >= 3

    def test_established_active_enterprises_have_five_years(self, rows, figures):
        years = {}
        for i, f in figures:
            years.setdefault(i, []).append(f["year"])
        for i, r in enumerate(rows):
            if r["status"] == "active" and r["founded"].year <= FIGURE_YEARS[0]:
                assert years[i] == list(FIGURE_YEARS)
            for year in years.get(i, []):
                assert year >= r["founded"].year

    def test_revenue_grows_on_the_whole(self, figures):
        total = Counter()
        for _i, f in figures:
            total[f["year"]] += f["revenue"]
        assert [total[y] for y in FIGURE_YEARS] == sorted(total[y] for y in FIGURE_YEARS)

    def test_size_must_be_known(self):
        with pytest.raises(ValueError):
            DemoPlan("huge")


@pytest.mark.django_db
class TestBuild:
    def test_zone_is_empty_until_built(self, db):
        assert zone_is_empty()
        build_demo_zone(enterprises=TEST_ENTERPRISES)
        assert not zone_is_empty()

    def test_five_parks_on_real_classes(self, demo):
        parks = Park.objects.prefetch_related("industries").order_by("code")
        assert [p.code for p in parks] == ["P1", "P2", "P3", "P4", "P5"]
        for park in parks:
            assert park.name and park.name_en and park.positioning and park.area_mu > 0
            classes = list(park.industries.all())
            assert len(classes) >= 7
            assert all(c.level == "class" and len(c.code) == 4 for c in classes)

    def test_every_enterprise_is_in_a_class_of_its_park(self, demo):
        classes = {p.pk: set(p.industries.values_list("pk", flat=True)) for p in Park.objects.all()}
        pairs = Enterprise.objects.values_list("park_id", "industry_id")
        assert len(pairs) == TEST_ENTERPRISES
        assert all(industry in classes[park] for park, industry in pairs)

    def test_usccs_pass_the_model_validator(self, demo):
        for enterprise in Enterprise.objects.all()[:50]:
            enterprise.full_clean()
        codes = list(Enterprise.objects.values_list("uscc", flat=True))
        assert len(set(codes)) == len(codes) and all(uscc.is_valid(c) for c in codes)

    def test_parcels_belong_to_the_enterprises_park(self, demo):
        statuses = set(Parcel.objects.values_list("status", flat=True))
        assert statuses >= {"available", "reserved", "built", "planned"}
        links = Enterprise.parcels.through.objects.values_list(
            "enterprise__park_id", "parcel__park_id"
        )
        assert links and all(a == b for a, b in links)

    def test_figures_cover_five_years(self, demo):
        assert sorted(set(AnnualFigure.objects.values_list("year", flat=True))) == list(
            FIGURE_YEARS
        )
        established = Enterprise.objects.filter(status="active", founded__year__lte=2021)
        assert established.exists()
        for enterprise in established.prefetch_related("figures"):
            assert sorted(f.year for f in enterprise.figures.all()) == list(FIGURE_YEARS)

    def test_platforms_and_talents_sit_in_their_parks(self, demo):
        assert InnovationPlatform.objects.filter(kind="university").exists()
        assert set(InnovationPlatform.objects.values_list("kind", flat=True)) == {
            "lab",
            "institute",
            "incubator",
            "university",
        }
        assert Talent.objects.count() == 20
        assert Talent.objects.filter(kind="startup_team").count() >= 12
        for model in (InnovationPlatform, Talent):
            hosted = model.objects.filter(enterprise__isnull=False).select_related("enterprise")
            assert hosted.exists()
            assert all(obj.enterprise.park_id == obj.park_id for obj in hosted)

    def test_change_log_records_every_created_row(self, demo):
        for model in (Enterprise, AnnualFigure, Parcel, Park, InnovationPlatform, Talent):
            logged = ChangeLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                action=ChangeLogEntry.Action.CREATE,
            )
            assert logged.count() == model.objects.count(), model
        enterprise = Enterprise.objects.order_by("pk").first()
        entry = ChangeLogEntry.objects.get_for_object(enterprise).get()
        assert entry.changes["uscc"] == [None, enterprise.uscc]

    def test_accounts_log_in_with_their_roles(self, demo):
        accounts = demo_accounts()
        assert [code for _, code, _ in accounts] == [
            "zone_admin",
            "park_officer",
            "promoter",
            "leader",
            "enterprise_user",
            "auditor",
            "system_admin",
            "security_admin",
        ]
        for username, _code, _reach in accounts:
            user = User.objects.select_related("role").get(username=username)
            # the rules a new account's password keeps (the history would refuse it again)
            validate_password(DEMO_PASSWORD, User(username=username))
            assert user.is_staff == user.role.staff
            client = Client()
            response = client.post(
                reverse("login"), {"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, username
            assert client.session.get("_auth_user_id") == str(user.pk)
        officer = User.objects.get(username="park1")
        assert officer.scope_ids("park") == {Park.objects.get(code="P1").pk}
        (own,) = User.objects.get(username="enterprise").scope_ids("enterprise")
        assert Enterprise.objects.get(pk=own).park.code == "P1"

    def test_search_finds_new_energy_enterprises(self, demo):
        expected = Enterprise.objects.filter(
            Q(name__contains="新能源") | Q(business_scope__contains="新能源")
        )
        assert expected.exists()
        for username, parks in (("admin", None), ("park1", ["P1"])):
            client = Client()
            client.force_login(User.objects.get(username=username))
            response = client.get("/registry/enterprises/", {"search": "新能源"})
            assert response.status_code == 200
            in_scope = expected.filter(park__code__in=parks) if parks else expected
            assert response.context["table"].paginator.count == in_scope.count()

    def test_demo_command_lists_the_accounts_without_rebuilding(self, demo):
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out)
        text = out.getvalue()
        assert DEMO_PASSWORD in text
        for username, _code, _reach in demo_accounts():
            assert f"  {username} " in text
        assert "Building" not in text
        assert Enterprise.objects.count() == TEST_ENTERPRISES


@pytest.mark.django_db
def test_bulk_links_are_in_the_change_log(zone, client_for):
    from beacon.core.changelog import bulk_link_logged
    from beacon.core.models import ChangeLogEntry
    from beacon.registry.models import Enterprise

    enterprise, parcel = zone["p1_enterprise"], zone["p1_parcel"]
    bulk_link_logged(Enterprise, "parcels", [(enterprise, [(parcel.pk, parcel.code)])])
    assert list(enterprise.parcels.all()) == [parcel]
    entry = ChangeLogEntry.objects.get_for_object(enterprise).latest("pk")
    assert entry.changes == {
        "parcels": {"type": "m2m", "operation": "add", "objects": [parcel.code]}
    }
    history = client_for("zone_admin").get(f"/registry/enterprises/{enterprise.pk}/history/")
    assert f"<code>parcels</code>: add {parcel.code}" in history.content.decode()
