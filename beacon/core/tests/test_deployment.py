"""Production settings: HTTPS only, cookies only over TLS, and the API's schema and
documentation only for its users (docs/security-api.md)."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from beacon.core.models import ApiToken

CLEAN = "System check identified no issues (0 silenced).\n"
PAGES = ["/api/v1/openapi.json", "/api/v1/docs/", "/api/v1/redoc/"]


def beacon(*args, **env):
    """Run ``beacon *args`` in a fresh process with the production environment (no
    BEACON_DEBUG, no BEACON_HTTPS) and ``env`` on top."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"BEACON_DEBUG", "BEACON_HTTPS", "BEACON_PROXY_SSL_HEADER"}
    }
    return subprocess.run(
        [sys.executable, "-m", "beacon.cli", *args],
        env={**environment, "DJANGO_SETTINGS_MODULE": "beacon.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("https", [{}, {"BEACON_HTTPS": "yes"}])  # only "0" turns it off
def test_check_deploy_is_clean_with_production_settings(tmp_path, https):
    done = beacon("check", "--deploy", BEACON_HOME=str(tmp_path), **https)
    assert (done.returncode, done.stdout, done.stderr) == (0, CLEAN, "")


def test_plain_http_is_what_check_deploy_warns_about(tmp_path):
    done = beacon("check", "--deploy", BEACON_HOME=str(tmp_path), BEACON_HTTPS="0")
    warned = sorted(line.split(")")[0][4:] for line in done.stderr.splitlines() if "?: (" in line)
    assert warned == ["security.W004", "security.W008", "security.W012", "security.W016"]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "None"),
        ({"BEACON_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ],
)
def test_a_proxy_header_is_trusted_only_when_named(tmp_path, env, expected):
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    done = beacon("shell", "--no-imports", "-c", code, BEACON_HOME=str(tmp_path), **env)
    assert (done.returncode, done.stdout.strip()) == (0, expected)


@pytest.fixture
def https(settings):
    from beacon.settings import https_settings

    for name, value in https_settings(True).items():
        setattr(settings, name, value)


def test_production_redirects_to_https_and_keeps_cookies_to_tls(https, users):
    # A new client loads the middleware again, with the settings of this test.
    plain = Client().get("/login/?next=/")
    assert (plain.status_code, plain["Location"]) == (
        301,
        "https://testserver/login/?next=/",
    )
    secure = Client()
    secure.force_login(users["leader"])
    response = secure.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "same-origin"
    assert secure.cookies["sessionid"]["secure"] is True


def test_plain_http_sets_no_hsts_and_no_secure_cookie(users):
    client = Client()
    client.force_login(users["leader"])
    response = client.get("/")
    assert (response.status_code, response.has_header("Strict-Transport-Security")) == (
        200,
        False,
    )
    assert client.cookies["sessionid"]["secure"] == ""


@pytest.mark.parametrize("path", PAGES)
def test_schema_and_docs_are_not_for_anonymous_callers(db, path):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    if path.endswith(".json"):
        assert (response.status_code, response.json()) == (
            401,
            {"detail": "Authentication credentials were not provided."},
        )
    else:
        assert (response.status_code, response["Location"]) == (
            302,
            f"/login/?next={path}",
        )


@pytest.mark.parametrize("path", PAGES)
def test_schema_and_docs_are_served_to_a_session_or_a_token(users, path):
    browser = Client()
    browser.force_login(users["enterprise_user"])
    _token, key = ApiToken.issue(users["auditor"])
    script = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [browser.get(path).status_code, script.get(path).status_code] == [200, 200]


def test_a_bad_token_is_refused_on_the_docs_too(db):
    client = Client(HTTP_AUTHORIZATION="Bearer bcn_nobody-was-given-this")
    assert client.get("/api/v1/docs/").status_code == 401
