"""The main menu: each role sees the pages it may open, and a change to a role's rules
shows in the menu at once, though menus are drawn once per role."""

import pytest

from beacon.core.navigation import menu_for

pytestmark = pytest.mark.django_db


def urls(user) -> set[str]:
    return {item["url"] for group in menu_for(user) for item in group["items"]}


def test_a_role_sees_only_the_pages_it_may_open(users):
    admin, enterprise = urls(users["zone_admin"]), urls(users["enterprise_user"])
    assert "/registry/parcels/" in admin
    assert "/registry/enterprises/" in enterprise
    assert "/registry/parcels/" not in enterprise
    assert enterprise < admin


def test_a_changed_role_changes_its_menu(users):
    user = users["enterprise_user"]
    assert "/registry/parcels/" not in urls(user)
    role = user.role
    parcels = {"models": ["registry.parcel"], "actions": ["view"], "scope": "zone"}
    role.rules = [*role.rules, parcels]
    role.save()
    user.refresh_from_db()
    assert "/registry/parcels/" in urls(user)


def test_an_inactive_account_has_no_menu(users):
    user = users["zone_admin"]
    assert urls(user)
    user.is_active = False
    assert menu_for(user) == []
