"""Session timeouts: idle expiry renewed on every request, absolute expiry after login."""

import time

import pytest
from django.test import Client

from beacon.conftest import PASSWORD, make_user


def logged_in_client() -> Client:
    client = Client()
    response = client.post("/login/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_idle_timeout_is_renewed_on_each_request(settings):
    make_user("leader")
    client = logged_in_client()
    assert client.get("/").status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


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
