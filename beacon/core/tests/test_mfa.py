"""A second factor for privileged roles: set it up, then give a code at every login."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.BEACON_MFA_REQUIRED = True
    # django-otp makes a user wait after a wrong code; the tests try the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def log_in(username: str, code: str = "") -> tuple[Client, object]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": username, "password": PASSWORD, "code": code})
    return client, response


def set_up(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    wrong = client.post(
        "/account/two-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    done = client.post("/account/two-factor/", {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.search(r'<pre id="recovery-codes">(.*?)</pre>', done.content.decode(), re.S)
    assert codes is not None
    return TOTPDevice.objects.get(pk=device.pk), codes.group(1).split()


def test_a_privileged_user_must_set_up_an_app_before_anything_else():
    make_user("zone_admin")
    client, response = log_in("zone_admin")
    assert response.status_code == 302
    assert client.get("/registry/enterprises/")["Location"] == "/account/two-factor/"
    api = client.get("/api/v1/registry/enterprises/")
    assert (api.status_code, api.json()["detail"]) == (
        403,
        "Your role needs a second factor: set it up in the web interface.",
    )
    device, recovery = set_up(client, "zone_admin")
    assert device.confirmed and len(recovery) == 10
    # the session that set it up is verified
    assert client.get("/registry/enterprises/").status_code == 200


def test_after_set_up_every_login_asks_for_the_code():
    make_user("system_admin")
    client, _ = log_in("system_admin")
    device, recovery = set_up(client, "system_admin")

    _, without = log_in("system_admin")
    assert without.status_code == 200
    assert "Enter the verification code" in without.content.decode()
    _, wrong = log_in("system_admin", "123456" if code_for(device) != "123456" else "654321")
    assert "wrong or has expired" in wrong.content.decode()

    # the next step's code: the current one was used by the set-up, and is not taken twice
    client, ok = log_in("system_admin", code_for(device, 1))
    assert ok.status_code == 302
    assert client.get("/audit/changelog/").status_code == 404  # in, and still only its role

    client, by_recovery = log_in("system_admin", recovery[0])
    assert by_recovery.status_code == 302
    _, reused = log_in("system_admin", recovery[0])
    assert reused.status_code == 200  # each recovery code works once


def test_roles_that_are_not_privileged_log_in_with_a_password():
    make_user("leader")
    client, response = log_in("leader")
    assert response.status_code == 302
    assert client.get("/registry/enterprises/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_api_tokens_are_not_asked_for_a_code(db):
    from beacon.core.models import ApiToken

    admin = make_user("zone_admin")
    _token, key = ApiToken.issue(admin)
    response = Client().get("/api/v1/registry/parks/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
