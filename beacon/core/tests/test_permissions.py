"""The permission layer itself: restrict() and instance_in_scope() per role and scope."""

import pytest

from beacon.core.permissions import (
    can,
    instance_in_scope,
    parks_in_scope,
    restrict,
    restrict_kept,
    restrict_through,
)
from beacon.registry.models import AnnualFigure, Enterprise, EnterpriseTally, Parcel, Park


@pytest.mark.django_db
class TestRestrict:
    def test_zone_admin_sees_every_enterprise(self, zone, users):
        assert set(restrict(Enterprise.objects.all(), users["zone_admin"])) == set(
            zone["p1_enterprises"] + zone["p2_enterprises"]
        )

    def test_park_officer_sees_own_park_only(self, zone, users):
        officer = users["park_officer"]
        assert set(restrict(Enterprise.objects.all(), officer)) == set(zone["p1_enterprises"])
        assert list(restrict(Parcel.objects.all(), officer)) == [zone["p1_parcel"]]
        figures = restrict(AnnualFigure.objects.all(), officer)
        assert {f.enterprise.park.code for f in figures} == {"P1"}
        assert figures.count() == 4

    def test_park_officer_sees_all_parks_but_changes_own(self, zone, users):
        officer = users["park_officer"]
        assert restrict(Park.objects.all(), officer).count() == 2
        assert list(restrict(Park.objects.all(), officer, "change")) == [zone["p1"]]
        assert not restrict(Park.objects.all(), officer, "delete").exists()

    def test_enterprise_user_sees_own_enterprise_and_its_figures(self, zone, users):
        user = users["enterprise_user"]
        own = zone["p1_enterprise"]
        assert list(restrict(Enterprise.objects.all(), user)) == [own]
        assert set(restrict(AnnualFigure.objects.all(), user)) == set(own.figures.all())
        assert not restrict(Enterprise.objects.all(), user, "delete").exists()

    def test_promoter_reads_registry_but_no_figures(self, zone, users):
        promoter = users["promoter"]
        assert restrict(Enterprise.objects.all(), promoter).count() == 4
        assert not restrict(Enterprise.objects.all(), promoter, "change").exists()
        assert not restrict(AnnualFigure.objects.all(), promoter).exists()

    def test_leader_reads_everything_and_changes_nothing(self, zone, users):
        leader = users["leader"]
        assert restrict(AnnualFigure.objects.all(), leader).count() == 8
        for action in ("add", "change", "delete"):
            assert not can(leader, Enterprise, action)

    @pytest.mark.parametrize("role", ["auditor", "system_admin", "security_admin"])
    def test_the_three_administrators_see_no_enterprises(self, zone, users, role):
        assert not restrict(Enterprise.objects.all(), users[role]).exists()

    def test_anonymous_and_inactive_users_see_nothing(self, zone, users):
        from django.contrib.auth.models import AnonymousUser

        assert not restrict(Enterprise.objects.all(), AnonymousUser()).exists()
        admin = users["zone_admin"]
        admin.is_active = False
        assert not restrict(Enterprise.objects.all(), admin).exists()


@pytest.mark.django_db
def test_instance_in_scope_follows_the_path_in_memory(zone, users):
    officer = users["park_officer"]
    enterprise = Enterprise(park=zone["p1"])
    assert instance_in_scope(officer, enterprise, "add")
    enterprise.park = zone["p2"]
    assert not instance_in_scope(officer, enterprise, "add")
    figure = AnnualFigure(enterprise=zone["p2_enterprise"], year=2024)
    assert not instance_in_scope(officer, figure, "add")
    figure.enterprise = zone["p1_enterprise"]
    assert instance_in_scope(officer, figure, "add")


@pytest.mark.django_db
def test_a_where_rule_narrows_its_scope_and_grants_no_write(zone, users):
    from beacon.core.models import Role

    role = Role.objects.create(
        code="high_tech_reader",
        name="高企查看",
        name_en="High-tech reader",
        rules=[
            {
                "models": ["registry.enterprise"],
                "actions": ["view", "change"],
                "scope": "zone",
                "where": {"high_tech": True},
            },
            {
                "models": ["registry.enterprise"],
                "actions": ["view"],
                "scope": "park",
                "where": {"above_scale": True},
            },
        ],
    )
    user = users["park_officer"]  # granted park P1
    user.role = role
    others = zone["p1_enterprises"][1:] + zone["p2_enterprises"]
    Enterprise.objects.filter(pk__in=[e.pk for e in others]).update(high_tech=False)
    Enterprise.objects.filter(pk=zone["p1_enterprises"][1].pk).update(above_scale=True)
    Enterprise.objects.filter(pk=zone["p2_enterprise"].pk).update(above_scale=True)
    # high-tech anywhere, or above designated size in P1; not P2's above-size firm
    assert set(restrict(Enterprise.objects.all(), user)) == set(zone["p1_enterprises"])
    assert list(restrict(Enterprise.objects.all(), user, "change")) == [zone["p1_enterprise"]]
    assert not instance_in_scope(user, zone["p1_enterprise"], "change")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "parks", "figure_parks"),
    [
        ("zone_admin", None, None),
        ("park_officer", {"p1"}, {"p1"}),
        ("promoter", None, set()),  # enterprises zone-wide, no figures
        ("enterprise_user", False, False),  # single enterprises
    ],
)
def test_parks_in_scope_names_the_parks_seen_whole(zone, users, role, parks, figure_parks):
    def ids(names):
        return names if not isinstance(names, set) else {zone[n].pk for n in names}

    assert parks_in_scope(users[role], Enterprise) == ids(parks)
    assert parks_in_scope(users[role], AnnualFigure) == ids(figure_parks)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["zone_admin", "park_officer", "enterprise_user", "auditor"])
def test_restrict_through_applies_the_related_scope_along_the_join(zone, users, role):
    figures = AnnualFigure.objects.all()
    through = restrict_through(figures, "enterprise", users[role])
    seen = restrict(Enterprise.objects.all(), users[role])
    assert set(through) == set(figures.filter(enterprise__in=seen))
    if seen.exists():  # no subquery of the whole enterprise table
        assert " IN (SELECT" not in str(through.query)


@pytest.mark.django_db
def test_kept_totals_answer_a_zone_or_park_scope_and_decline_a_finer_one(zone, users):
    tallies = EnterpriseTally.objects.all()
    assert {t.park_id for t in tallies} == {zone["p1"].pk, zone["p2"].pk}
    assert restrict_kept(tallies, users["zone_admin"], Enterprise).count() == tallies.count()
    officer = restrict_kept(tallies, users["park_officer"], Enterprise)
    assert {t.park_id for t in officer} == {zone["p1"].pk}
    # the enterprise user's one enterprise is not a park's total
    assert restrict_kept(tallies, users["enterprise_user"], Enterprise) is None
    assert not restrict_kept(tallies, users["auditor"], Enterprise).exists()
