"""The write gate: a write outside the user's scope leaves nothing behind, on every surface."""

import pytest
from django.test import Client

from beacon.core import gate
from beacon.core.changelog import acting_as
from beacon.core.models import ChangeLogEntry, Role, User
from beacon.registry.models import Enterprise, Parcel, Park
from beacon.registry.tests import factories


@pytest.fixture
def high_tech_keeper(zone):
    """May add and change only high-tech enterprises: a scope the gate can judge only once
    the row is written (a "where" rule), and a staff role, so the admin is open to it."""
    role = Role.objects.create(
        code="high_tech_keeper",
        name="高企专员",
        name_en="High-tech keeper",
        staff=True,
        rules=[
            {"models": ["registry.park"], "actions": ["view"], "scope": "zone"},
            {"models": ["registry.industryclass"], "actions": ["view"], "scope": "zone"},
            {
                "models": ["registry.enterprise"],
                "actions": ["view", "add", "change"],
                "scope": "zone",
                "where": {"high_tech": True},
            },
        ],
    )
    return User.objects.create_user("keeper", password="x", role=role, is_staff=True)


def new_enterprise(zone, high_tech: bool) -> Enterprise:
    e = factories.EnterpriseFactory.build(park=zone["p1"], high_tech=high_tech)
    e.industry.save()
    e.industry_id = e.industry.pk
    return e


@pytest.mark.django_db
class TestWrite:
    def test_a_write_inside_the_scope_is_kept_and_credited(self, zone, high_tech_keeper):
        enterprise = new_enterprise(zone, high_tech=True)
        assert gate.save(high_tech_keeper, enterprise) is enterprise
        saved = Enterprise.objects.get(uscc=enterprise.uscc)
        assert [e.actor for e in ChangeLogEntry.objects.get_for_object(saved)] == [high_tech_keeper]

    def test_a_write_outside_the_scope_is_rolled_back_whole(self, zone, high_tech_keeper):
        enterprises, logged = Enterprise.objects.count(), ChangeLogEntry.objects.count()
        inside, outside = new_enterprise(zone, True), new_enterprise(zone, False)

        def work():
            inside.save()
            outside.save()
            return [inside, outside]

        with pytest.raises(gate.OutsideScope) as refused:
            gate.write(high_tech_keeper, "add", work)
        assert refused.value.objects == [outside]
        assert (Enterprise.objects.count(), ChangeLogEntry.objects.count()) == (enterprises, logged)

    def test_each_object_of_a_batch_is_judged_by_its_own_action(self, zone, users):
        officer = users["park_officer"]
        # the officer may change park P1 but may add no park
        p1 = Park.objects.get(code="P1")
        p1.name_en = "Renamed"
        added = []

        def work():
            p1.save()
            added.append(factories.ParkFactory(zone=zone["zone"], code="P9"))
            return [p1, *added]

        def action(park):
            return "change" if park.pk == p1.pk else "add"

        with pytest.raises(gate.OutsideScope) as refused:
            gate.write(officer, action, work)
        assert refused.value.objects == added
        assert not Park.objects.filter(code="P9").exists()
        assert Park.objects.get(pk=p1.pk).name_en != "Renamed"
        assert gate.save(officer, p1) == p1
        assert Park.objects.get(pk=p1.pk).name_en == "Renamed"

    def test_a_dry_run_checks_and_keeps_nothing(self, zone, high_tech_keeper):
        enterprise = new_enterprise(zone, high_tech=True)
        gate.write(high_tech_keeper, "add", lambda: enterprise.save() or enterprise, dry_run=True)
        assert not Enterprise.objects.filter(uscc=enterprise.uscc).exists()
        outside = new_enterprise(zone, high_tech=False)
        with pytest.raises(gate.OutsideScope):
            gate.write(high_tech_keeper, "add", lambda: outside.save() or outside, dry_run=True)

    def test_the_command_line_keeps_the_actor_it_named(self, zone, users):
        # `beacon import --user` names the user once; the gate writes with user None.
        enterprise = new_enterprise(zone, high_tech=False)
        with acting_as(users["zone_admin"]):
            gate.save(None, enterprise)
        (entry,) = ChangeLogEntry.objects.get_for_object(enterprise)
        assert entry.actor == users["zone_admin"]

    def test_a_nested_actor_keeps_the_request_address(self, zone, users):
        enterprise = new_enterprise(zone, high_tech=False)
        with acting_as(None, "10.1.2.3"):
            gate.save(users["zone_admin"], enterprise)
        (entry,) = ChangeLogEntry.objects.get_for_object(enterprise)
        assert (entry.actor, entry.remote_addr) == (users["zone_admin"], "10.1.2.3")

    def test_delete_outside_the_scope_is_refused(self, zone, users):
        officer = users["park_officer"]
        with pytest.raises(gate.OutsideScope):
            gate.delete(officer, zone["p2_parcel"])
        assert Parcel.objects.filter(pk=zone["p2_parcel"].pk).exists()
        gate.delete(officer, zone["p1_parcel"])
        assert not Parcel.objects.filter(pk=zone["p1_parcel"].pk).exists()


@pytest.mark.django_db
class TestFieldAccess:
    def test_a_role_with_named_fields_may_set_only_those(self, zone, users):
        access = gate.field_access(users["enterprise_user"], Enterprise, "change")
        assert access.may_set("business_scope")
        assert not access.may_set("park")
        assert not access.may_set("high_tech")
        assert gate.field_access(users["zone_admin"], Enterprise, "change").may_set("park")

    def test_choices_keep_to_the_parks_a_user_may_file_into(self, zone, users):
        parks = Park.objects.all()
        officer = gate.field_access(users["park_officer"], Enterprise, "add")
        assert list(officer.choices("park", parks)) == [zone["p1"]]
        assert officer.choice_ids("park") == {zone["p1"].pk}
        # a field that places the row in no scope offers what the user may see
        assert officer.choice_ids("industry") is None
        admin = gate.field_access(users["zone_admin"], Enterprise, "add")
        assert set(admin.choices("park", parks)) == {zone["p1"], zone["p2"]}
        # reading offers everything visible: no scope is being placed
        reader = gate.field_access(users["park_officer"], Enterprise, "view")
        assert set(reader.choices("park", parks)) == {zone["p1"], zone["p2"]}


@pytest.mark.django_db
class TestAdmin:
    """The Django admin goes through the gate like every other view: 404, never 403."""

    def admin_form(self, zone, enterprise: Enterprise) -> dict:
        return {
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "industry": enterprise.industry_id,
            "park": zone["p1"].pk,
            "status": "active",
        }

    def test_a_save_outside_the_scope_is_a_404_and_keeps_nothing(self, zone, high_tech_keeper):
        client = Client()
        client.force_login(high_tech_keeper)
        enterprise = new_enterprise(zone, high_tech=False)
        count, logged = Enterprise.objects.count(), ChangeLogEntry.objects.count()
        response = client.post("/admin/registry/enterprise/add/", self.admin_form(zone, enterprise))
        assert response.status_code == 404
        assert (Enterprise.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
        data = {**self.admin_form(zone, enterprise), "high_tech": "on"}
        response = client.post("/admin/registry/enterprise/add/", data)
        assert response.status_code == 302
        saved = Enterprise.objects.get(uscc=enterprise.uscc)
        assert [e.actor for e in ChangeLogEntry.objects.get_for_object(saved)] == [high_tech_keeper]

    def test_the_park_choices_keep_to_the_users_parks(self, zone, users):
        officer = users["park_officer"]
        officer.is_staff = True  # as if a deployment let park officers into the admin
        officer.save()
        client = Client()
        client.force_login(officer)
        page = client.get("/admin/registry/parcel/add/")
        assert page.status_code == 200
        choices = {
            str(value) for value, _label in page.context["adminform"].form.fields["park"].choices
        }
        assert choices == {"", str(zone["p1"].pk)}
