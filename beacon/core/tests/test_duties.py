"""The three-role split (三员分立, MLPS level 3): the system administrator keeps the
configuration, the security administrator the accounts, the audit administrator reads the
logs; none does another's work, each needs a second factor, and no user holds two roles."""

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.test import Client

from beacon.conftest import PASSWORD, make_user
from beacon.core.models import ApiToken, Role, User
from beacon.core.permissions import ACTIONS, can

pytestmark = pytest.mark.django_db

ALL = set(ACTIONS)
REFERENCE = {"registry.zone", "registry.park", "registry.industryclass"}
ACCOUNTS = {"core.user", "core.scopegrant", "core.role", "core.apitoken"}
LOGS = {
    "core.changelogentry",
    "core.loginrecord",
    "core.loginfailure",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattempt",
}

# each, like every user, follows the background jobs they started, and no one else's
OWN_JOBS = {("jobs.job", "view")}
# written by hand from docs/permissions.md, not computed from beacon/core/roles.py
DUTIES = {
    "system_admin": {(m, a) for m in REFERENCE for a in ALL} | OWN_JOBS,
    "security_admin": {(m, a) for m in ACCOUNTS for a in ALL}
    | {("axes.accessattempt", "view"), ("axes.accessattempt", "delete")}
    | {(m, "view") for m in REFERENCE}
    | OWN_JOBS,
    "auditor": {(m, "view") for m in LOGS} | OWN_JOBS,
}


def grants(user) -> set[tuple[str, str]]:
    return {
        (model._meta.label_lower, action)
        for model in apps.get_models()
        for action in ACTIONS
        if can(user, model, action)
    }


@pytest.mark.parametrize("role", DUTIES)
def test_each_administrator_may_do_exactly_their_duty(users, role):
    assert grants(users[role]) == DUTIES[role]


def test_no_two_duties_overlap_in_a_change():
    changes = {role: {(m, a) for m, a in duty if a != "view"} for role, duty in DUTIES.items()}
    assert not changes["auditor"]
    assert not changes["system_admin"] & changes["security_admin"]


def test_a_user_has_one_role_and_the_three_need_a_second_factor(db):
    assert User._meta.get_field("role").many_to_one
    assert set(Role.objects.filter(privileged=True).values_list("code", flat=True)) >= set(DUTIES)


@pytest.mark.parametrize("role", DUTIES)
def test_each_is_sent_to_set_up_a_second_factor(settings, role):
    settings.BEACON_MFA_REQUIRED = True
    make_user(role)
    client = Client()
    assert client.post("/login/", {"username": role, "password": PASSWORD}).status_code == 302
    assert client.get("/")["Location"] == "/account/two-factor/"


def admin_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


class TestAccountsInTheAdmin:
    def test_only_the_security_administrator_manages_accounts(self, users):
        security = admin_client(users["security_admin"])
        assert security.get("/admin/core/user/add/").status_code == 200
        assert admin_client(users["system_admin"]).get("/admin/core/user/").status_code == 403
        # the zone administration reads the park officers, to name a project's officer
        zone_admin = admin_client(users["zone_admin"])
        assert zone_admin.get("/admin/core/user/add/").status_code == 403
        officer = f"/admin/core/user/{users['park_officer'].pk}/change/"
        page = zone_admin.get(officer)
        assert page.status_code == 200 and 'name="role"' not in page.content.decode()

    def test_a_new_account_keeps_the_password_rules(self, users):
        client = admin_client(users["security_admin"])
        leader = Role.objects.get(code="leader")
        form = {"username": "wei", "role": leader.pk, "usable_password": "true"}
        weak = client.post(
            "/admin/core/user/add/", {**form, "password1": "123", "password2": "123"}
        )
        assert weak.status_code == 200
        assert "This password is too short." in weak.content.decode()
        assert not User.objects.filter(username="wei").exists()

        good = "Grey-harbour-7"
        made = client.post("/admin/core/user/add/", {**form, "password1": good, "password2": good})
        assert made.status_code == 302
        wei = User.objects.get(username="wei")
        assert (wei.role, wei.is_staff, wei.is_superuser) == (leader, False, False)
        assert wei.check_password(good) and wei.password_history.count() == 1

    def test_a_password_set_in_the_admin_keeps_the_rules(self, users):
        client = admin_client(users["security_admin"])
        leader = users["leader"]
        url = f"/admin/core/user/{leader.pk}/password/"
        weak = client.post(url, {"password1": "abcdefgh", "password2": "abcdefgh"})
        assert "A password must use at least 3 of these" in weak.content.decode()
        leader.refresh_from_db()
        assert leader.check_password(PASSWORD)

    def test_an_administrator_does_not_change_their_own_role(self, users):
        me = users["security_admin"]
        page = admin_client(me).get(f"/admin/core/user/{me.pk}/change/")
        assert page.status_code == 200 and 'name="role"' not in page.content.decode()
        other = admin_client(me).get(f"/admin/core/user/{users['leader'].pk}/change/")
        assert 'name="role"' in other.content.decode()
        assert 'name="is_superuser"' not in other.content.decode()

    def test_the_security_administrator_unlocks_a_locked_username(self, users, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post("/login/", {"username": "leader", "password": "wrong"})
        assert (
            Client().post("/login/", {"username": "leader", "password": PASSWORD}).status_code
            == 429
        )
        attempt = AccessAttempt.objects.get(username="leader")
        for role in ("system_admin", "auditor"):
            denied = admin_client(users[role]).post(
                f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
            )
            assert denied.status_code in (302, 403) and AccessAttempt.objects.exists()
        unlocked = admin_client(users["security_admin"]).post(
            f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
        )
        assert unlocked.status_code == 302
        assert (
            Client().post("/login/", {"username": "leader", "password": PASSWORD}).status_code
            == 302
        )


def test_serve_refuses_an_administrator_role_without_a_second_factor(users):
    from beacon.core.management.commands.serve import production_problems

    assert production_problems() == []
    auditor = Role.objects.get(code="auditor")
    auditor.privileged = False
    auditor.save()
    assert production_problems() == [
        "administrator roles without a second factor: auditor "
        "(mark them privileged in the Django admin)"
    ]


def test_an_older_installation_gets_the_split(db):
    from beacon.core.roles import separate_duties

    Role.objects.filter(code="security_admin").delete()
    system = Role.objects.get(code="system_admin")
    system.rules = [
        {"models": ["core.user", "core.scopegrant"], "actions": list(ACTIONS), "scope": "zone"},
        {"models": ["core.role"], "actions": ["view"], "scope": "zone"},
        {"models": ["registry.zone"], "actions": ["view"], "scope": "zone"},
    ]
    system.save()
    Role.objects.filter(code="auditor").update(privileged=False)
    separate_duties(Role)
    system = make_user("system_admin")
    security = make_user("security_admin")
    auditor = make_user("auditor")
    assert grants(system) == DUTIES["system_admin"]
    assert grants(security) == DUTIES["security_admin"]
    assert all(u.role.privileged for u in (system, security, auditor))


@pytest.mark.parametrize("role", DUTIES)
def test_each_has_a_home_and_the_staff_a_way_to_the_admin(users, role):
    page = admin_client(users[role]).get("/")
    assert page.status_code == 200
    has_link = 'id="admin-link"' in page.content.decode()
    assert has_link == (role != "auditor")


class TestScopeGrantsInTheAdmin:
    def form(self, user, grants: list[dict], existing: int = 0) -> dict:
        data = {
            "username": user.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": user.role_id,
            "is_active": "on",
            "scope_grants-TOTAL_FORMS": str(len(grants)),
            "scope_grants-INITIAL_FORMS": str(existing),
            "scope_grants-MIN_NUM_FORMS": "0",
            "scope_grants-MAX_NUM_FORMS": "1000",
            "api_tokens-TOTAL_FORMS": "0",
            "api_tokens-INITIAL_FORMS": "0",
        }
        for i, grant in enumerate(grants):
            data.update({f"scope_grants-{i}-{k}": v for k, v in grant.items()})
            data[f"scope_grants-{i}-user"] = user.pk
        return data

    def test_the_security_administrator_grants_a_park_by_its_code(self, zone, users):
        officer = users["park_officer"]
        client = admin_client(users["security_admin"])
        url = f"/admin/core/user/{officer.pk}/change/"
        (p1_grant,) = officer.scope_grants.all()
        assert 'value="P1"' in client.get(url).content.decode()

        unknown = client.post(
            url,
            self.form(
                officer,
                [{"id": p1_grant.pk, "kind": "park", "key": "P1"}, {"kind": "park", "key": "P9"}],
                existing=1,
            ),
        )
        assert "Nothing of this kind has this code." in unknown.content.decode()
        assert officer.scope_ids("park") == {zone["p1"].pk}

        done = client.post(
            url,
            self.form(
                officer,
                [{"id": p1_grant.pk, "kind": "park", "key": "P1"}, {"kind": "park", "key": "P2"}],
                existing=1,
            ),
        )
        assert done.status_code == 302
        officer = User.objects.get(pk=officer.pk)
        assert officer.scope_ids("park") == {zone["p1"].pk, zone["p2"].pk}

    def test_no_administrator_grants_themselves_anything(self, users):
        me = users["security_admin"]
        data = self.form(me, [{"kind": "park", "key": "P1"}])
        saved = admin_client(me).post(f"/admin/core/user/{me.pk}/change/", data)
        # the account is saved; the grant, which the form does not offer, is ignored
        assert saved.status_code == 302
        assert not me.scope_grants.exists()


def test_the_security_administrator_revokes_anyones_token(users):
    token, _key = ApiToken.issue(users["leader"], "reports")
    client = admin_client(users["security_admin"])
    url = f"/admin/core/user/{users['leader'].pk}/change/"
    assert f"{token.prefix}" in client.get(url).content.decode()
    data = {
        "username": "leader",
        "role": users["leader"].role_id,
        "is_active": "on",
        "scope_grants-TOTAL_FORMS": "0",
        "scope_grants-INITIAL_FORMS": "0",
        "api_tokens-TOTAL_FORMS": "1",
        "api_tokens-INITIAL_FORMS": "1",
        "api_tokens-0-id": token.pk,
        "api_tokens-0-user": users["leader"].pk,
        "api_tokens-0-DELETE": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert not ApiToken.objects.filter(pk=token.pk).exists()
