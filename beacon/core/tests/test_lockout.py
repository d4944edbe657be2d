"""Failed logins lock a username at an address, and an address that fails across many
usernames (password spraying) for every username, at its own, higher limit."""

import pytest
from django.test import Client

from beacon.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.BEACON_LOGIN_ADDRESS_FAILURE_LIMIT = 6


def attempt(username: str, password: str = "wrong", address: str = SPRAYER) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/login/", {"username": username, "password": password}).status_code


def test_an_address_failing_across_usernames_is_locked_for_every_username():
    make_user("leader")
    # two tries at each of three names: no name reaches its own limit of 3
    statuses = [attempt(name) for name in ("wang", "li", "zhang") for _ in range(2)]
    assert statuses == [200] * 5 + [429]
    assert attempt("leader", PASSWORD) == 429
    assert attempt("zhao") == 429
    # the lock is the address's: the same user elsewhere gets in
    assert attempt("leader", PASSWORD, address="198.51.100.2") == 302


def test_below_the_address_limit_only_the_username_is_locked():
    make_user("leader")
    make_user("promoter")
    assert [attempt("leader") for _ in range(3)] == [200, 200, 429]
    assert attempt("leader", PASSWORD) == 429
    assert attempt("promoter", PASSWORD) == 302


def test_a_good_login_does_not_clear_the_address_failures_of_other_usernames():
    make_user("leader")
    assert [attempt(name) for name in ("wang", "wang", "li", "li", "zhang")] == [200] * 5
    assert attempt("leader", PASSWORD) == 302
    assert attempt("zhao") == 429
