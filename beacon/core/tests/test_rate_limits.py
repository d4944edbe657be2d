"""Rate limits on the API: per token when a token is used, per user for a session; one
request over the limit gets 429 with Retry-After, and nobody else is slowed down."""

import pytest
from django.test import Client

from beacon.core.api.throttling import ApiRateThrottle
from beacon.core.models import ApiToken, RateCounter

ZONES = "/api/v1/registry/zones/"
WINDOW_START = 60 * 29_000_000  # a minute's start; the clock stands 20.5 s into it


@pytest.fixture
def clock(monkeypatch, settings):
    settings.BEACON_API_RATE_TOKEN = "3/minute"
    settings.BEACON_API_RATE_USER = "2/minute"
    now = {"t": WINDOW_START + 20.5}
    monkeypatch.setattr(ApiRateThrottle, "timer", staticmethod(lambda: now["t"]))
    return now


def bearer(user) -> Client:
    _token, key = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def session(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def throttled(response, seconds: int) -> bool:
    return (response.status_code, response["Retry-After"], response.json()) == (
        429,
        str(seconds),
        {"detail": f"Request was throttled. Expected available in {seconds} seconds."},
    )


def test_a_token_gets_429_after_its_limit_and_other_callers_do_not(clock, users):
    script = bearer(users["leader"])
    assert [script.get(ZONES).status_code for _ in range(3)] == [200, 200, 200]
    assert throttled(script.get(ZONES), 40)
    # another user's token, the same user's other token and their session are counted apart
    assert bearer(users["auditor"]).get("/api/v1/openapi.json").status_code == 200
    assert bearer(users["leader"]).get(ZONES).status_code == 200
    assert session(users["leader"]).get(ZONES).status_code == 200
    clock["t"] += 39
    late = script.get(ZONES)
    assert (late.status_code, late["Retry-After"]) == (429, "1")
    clock["t"] += 1  # the next window
    assert script.get(ZONES).status_code == 200


def test_a_session_gets_429_after_the_users_limit(clock, users):
    browser = session(users["park_officer"])
    assert [browser.get(ZONES).status_code for _ in range(2)] == [200, 200]
    assert throttled(browser.get(ZONES), 40)
    # the limit is the user's: a second browser of the same user shares it
    assert throttled(session(users["park_officer"]).get(ZONES), 40)
    assert session(users["promoter"]).get(ZONES).status_code == 200


def test_the_count_is_kept_in_the_database_every_process_shares(clock, users):
    script = bearer(users["leader"])
    token = ApiToken.objects.get(user=users["leader"])
    for _ in range(4):
        script.get(ZONES)
    counted = RateCounter.objects.get(key=f"token:{token.pk}")
    assert (counted.window, counted.hits) == (WINDOW_START // 60, 4)
    clock["t"] += 60
    script.get(ZONES)
    counted.refresh_from_db()
    assert (counted.window, counted.hits) == (WINDOW_START // 60 + 1, 1)


def test_a_rate_that_cannot_be_read_is_a_system_check_error(settings):
    from beacon.core.checks import check_api_rates

    settings.BEACON_API_RATE_USER = "5/fortnight"
    assert [error.msg for error in check_api_rates()] == [
        "BEACON_API_RATE_USER: '5/fortnight' is not a rate such as 120/minute"
    ]
    settings.BEACON_API_RATE_USER = "2/second"
    assert check_api_rates() == []
