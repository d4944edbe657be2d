"""Session timeouts: idle expiry renewed from the last request (with at most one write a
minute), absolute expiry after login."""

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beacon.conftest import PASSWORD, make_user


def logged_in_client() -> Client:
    client = Client()
    response = client.post("/login/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_writes(client: Client, path: str) -> list[str]:
    """The statements that wrote the session table while ``client`` got ``path``."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    table = Session._meta.db_table
    return [
        query["sql"]
        for query in queries.captured_queries
        if table in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")
    ]


def stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_a_request_that_changes_nothing_writes_no_session(settings):
    make_user("leader")
    client = logged_in_client()
    assert session_writes(client, "/") != []  # the first request notes the login's time
    expiry = stored(client).expire_date
    assert session_writes(client, "/") == []
    assert session_writes(client, "/registry/enterprises/") == []
    assert stored(client).expire_date == expiry


@pytest.mark.django_db
def test_idle_expiry_is_renewed_once_the_renewal_is_due(settings):
    make_user("leader")
    client = logged_in_client()
    client.get("/")
    session = client.session
    session["beacon_renewed_at"] = time.time() - settings.SESSION_RENEWAL_SECONDS
    session.save()
    # a stored expiry from before the last renewal: renewing moves it to a full idle time
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=stored(client).expire_date - dt.timedelta(minutes=10)
    )
    before = stored(client).expire_date
    response = client.get("/")
    renewed = stored(client).expire_date
    assert renewed - before >= dt.timedelta(minutes=10)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_IDLE_TIMEOUT
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT
    assert (settings.SESSION_RENEWAL_SECONDS, settings.SESSION_SAVE_EVERY_REQUEST) == (60, False)


@pytest.mark.django_db
def test_a_session_idle_past_its_expiry_is_logged_out():
    make_user("leader")
    client = logged_in_client()
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


@pytest.mark.django_db
def test_absolute_timeout_logs_out_however_active(settings):
    make_user("leader")
    client = logged_in_client()
    assert client.get("/").status_code == 200
    session = client.session
    session["beacon_login_at"] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302  # logged out, not just redirected once


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login():
    response = Client().get("/registry/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings as django_settings

    # the tests swap in a fast hasher; the shipped settings put Argon2 first
    from beacon import settings as shipped

    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.AUTH_USER_MODEL == "core.User"
