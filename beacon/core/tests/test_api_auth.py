"""Who the API lets in: Bearer tokens (kept only as hashes) and the browser's session."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from beacon.core.models import ApiToken

ENTERPRISES = "/api/v1/registry/enterprises/"
INVALID = {"detail": "Invalid token."}
BAD_HEADER = {"detail": "Invalid token header."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}


def bearer(key: str, **extra) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en", **extra)


def refused(response, body):
    return (response.status_code, response["WWW-Authenticate"], response.json()) == (
        401,
        "Bearer",
        body,
    )


@pytest.mark.parametrize("role, visible", [("park_officer", 2), ("leader", 4)])
def test_bearer_token_acts_as_its_user(zone, users, role, visible):
    _token, key = ApiToken.issue(users[role])
    response = bearer(key).get(ENTERPRISES)
    assert (response.status_code, response.json()["count"]) == (200, visible)


def test_token_is_stored_only_as_its_hash(users):
    token, key = ApiToken.issue(users["leader"], "reporting script")
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    # the prefix that lets a user tell tokens apart is not enough to use one
    assert (stored["prefix"], len(key)) == (key[:8], 47)
    assert not any(key in str(value) for value in stored.values())


def test_token_command_prints_a_working_key_once(zone, users):
    out = io.StringIO()
    call_command("token", "create", "leader", stdout=out)
    key = out.getvalue().strip()
    assert (
        ApiToken.objects.get(user=users["leader"]).key_hash
        == hashlib.sha256(key.encode()).hexdigest()
    )
    assert bearer(key).get(ENTERPRISES).status_code == 200


def test_use_is_recorded(users):
    token, key = ApiToken.issue(users["leader"])
    assert token.last_used is None
    bearer(key).get(ENTERPRISES)
    token.refresh_from_db()
    assert timezone.now() - token.last_used < dt.timedelta(seconds=10)


def test_wrong_token_is_401(users):
    ApiToken.issue(users["leader"])
    assert refused(bearer("bcn_not-a-token-anyone-was-given").get(ENTERPRISES), INVALID)


def test_expired_token_is_401_and_says_so(users, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    token, key = ApiToken.issue(users["leader"])
    token.expires = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    token.save()
    expired = {"detail": "This token expired on 2026-03-01 09:30; ask for a new one."}
    assert refused(bearer(key).get(ENTERPRISES), expired)
    token.expires = timezone.now() + dt.timedelta(days=1)
    token.save()
    assert bearer(key).get(ENTERPRISES).status_code == 200


def test_a_token_expires_after_the_days_set(users, settings):
    settings.BEACON_TOKEN_DAYS = 30
    default, _key = ApiToken.issue(users["leader"])
    longer, _key = ApiToken.issue(users["leader"], days=365)
    assert default.expires - default.created == dt.timedelta(days=30)
    assert longer.expires - longer.created == dt.timedelta(days=365)
    assert not default.is_expired and default.state == "active"


def test_revoked_token_is_401_and_says_so(users, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    token, key = ApiToken.issue(users["leader"])
    assert bearer(key).get(ENTERPRISES).status_code == 200
    token.revoked = dt.datetime(2026, 12, 7, 3, 5, tzinfo=dt.UTC)
    token.save()
    assert refused(
        bearer(key).get(ENTERPRISES), {"detail": "This token was revoked on 2026-12-07 11:05."}
    )


def test_token_of_an_inactive_user_is_401(users):
    _token, key = ApiToken.issue(users["leader"])
    users["leader"].is_active = False
    users["leader"].save()
    assert refused(bearer(key).get(ENTERPRISES), INVALID)


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words"])
def test_malformed_bearer_header_is_401(db, header):
    client = Client(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")
    assert refused(client.get(ENTERPRISES), BAD_HEADER)


@pytest.mark.parametrize("header", [None, "Basic bGVhZGVyOkJlYWNvbi10ZXN0LTIwMjQ="])
def test_no_credentials_is_401(db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert refused(client.get(ENTERPRISES), NO_CREDENTIALS)


def test_session_works_for_reading(zone, client_for):
    response = client_for("park_officer").get(ENTERPRISES)
    assert (response.status_code, response.json()["count"]) == (200, 2)


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(zone, users):
    data = {"code": "north", "name": "北区"}
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(users["zone_admin"])
    response = browser.post("/api/v1/registry/zones/", data, "application/json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "CSRF Failed: CSRF cookie not set."},
    )
    _token, key = ApiToken.issue(users["zone_admin"])
    response = bearer(key, enforce_csrf_checks=True).post(
        "/api/v1/registry/zones/", data, "application/json"
    )
    assert (response.status_code, response.json()["code"]) == (201, "north")
