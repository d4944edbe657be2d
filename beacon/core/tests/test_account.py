"""A user's own account: the change-password page, the forced change of an expired password,
and the previous login shown at login (MLPS level 3)."""

import re

import pytest
from django.test import Client
from django.utils import translation

from beacon.conftest import PASSWORD
from beacon.core.models import User
from beacon.core.tests.test_passwords import age, member, use_profile

pytestmark = pytest.mark.django_db

NEW = "Grey-harbour-7"


def log_in(username: str = "leader", password: str = PASSWORD) -> tuple[Client, object]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        "/account/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def errors(response) -> list[str]:
    return re.findall(
        r'<div class="invalid-feedback d-block">(.*?)</div>', response.content.decode()
    )


class TestChangePassword:
    def test_every_user_reaches_it_from_the_user_menu(self, settings):
        use_profile(settings, "mlps3")
        member()
        client, _ = log_in()
        home = client.get("/").content.decode()
        assert 'href="/account/password/">Change password</a>' in home
        assert client.get("/account/password/").status_code == 200

    def test_the_rules_hold_and_a_good_password_keeps_the_session(self, settings):
        use_profile(settings, "mlps3")
        user = member()
        client, _ = log_in()
        assert errors(change(client, PASSWORD, "123")) == [
            "This password is too short. It must contain at least 8 characters.",
            "A password must use at least 3 of these: upper-case letters, lower-case letters, "
            "digits, symbols.",
            "This password is too common.",
        ]
        assert errors(change(client, PASSWORD, PASSWORD)) == [
            "This password is one of your last 5; choose another."
        ]
        assert errors(change(client, "wrong", NEW)) == [
            "Your old password was entered incorrectly. Please enter it again."
        ]
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

        done = change(client, PASSWORD, NEW)
        assert (done.status_code, done["Location"]) == (302, "/")
        user.refresh_from_db()
        assert user.check_password(NEW) and user.password_history.count() == 2
        assert "Your password has been changed." in client.get("/").content.decode()

    def test_anonymous_callers_are_sent_to_login(self):
        response = Client().get("/account/password/")
        assert response["Location"].startswith("/login/?next=")


class TestExpiredPassword:
    def test_an_expired_password_allows_only_changing_it_and_logging_out(self, settings):
        use_profile(settings, "mlps3")
        user = member()
        age(user, 91)
        client, login = log_in()
        assert login.status_code == 302
        for path in ("/", "/registry/enterprises/", "/audit/changelog/"):
            assert client.get(path)["Location"] == "/account/password/"
        api = client.get("/api/v1/registry/parks/")
        assert (api.status_code, api.json()["detail"]) == (
            403,
            "Your password has expired: change it in the web interface.",
        )
        page = client.get("/account/password/").content.decode()
        assert 'id="password-expired"' in page

        assert change(client, PASSWORD, NEW)["Location"] == "/"
        assert client.get("/registry/enterprises/").status_code == 200

        # the next login finds the new password young
        again, _ = log_in(password=NEW)
        assert again.get("/registry/enterprises/").status_code == 200

    def test_logging_out_is_allowed(self, settings):
        use_profile(settings, "mlps3")
        age(member(), 91)
        client, _ = log_in()
        assert client.post("/logout/")["Location"] == "/login/"
        assert client.get("/")["Location"].startswith("/login/")

    def test_asvs_passwords_never_expire(self, settings):
        use_profile(settings, "asvs")
        age(member(), 5000)
        client, _ = log_in()
        assert client.get("/registry/enterprises/").status_code == 200


class TestLastLogin:
    def test_a_login_from_no_known_address_says_so(self, settings):
        member()
        Client(REMOTE_ADDR="").post("/login/", {"username": "leader", "password": PASSWORD})
        client, _ = log_in()
        page = client.get("/").content.decode()
        menu = re.search(r'id="last-login">(.*?)</div>', page, re.S)
        assert menu is not None
        assert "from an unknown address" in menu.group(1)
        assert "None" not in menu.group(1)

    def test_the_previous_login_and_the_failures_since_are_shown(self, settings):
        member()
        first, _ = log_in()
        page = first.get("/").content.decode()
        assert "This is the first login to your account. Failed logins since: 0." in page

        for _ in range(2):
            assert log_in(password="wrong")[1].status_code == 200
        second, _ = log_in()
        page = second.get("/").content.decode()
        message = re.search(
            r"Your last login: (.*?) from 127\.0\.0\.1\. Failed logins since: 2\.", page
        )
        assert message is not None, page
        menu = re.search(r'id="last-login">(.*?)</div>', page, re.S)
        assert menu is not None
        assert f"Last login: {message.group(1)} from 127.0.0.1" in menu.group(1)
        assert "Failed logins since: 2" in menu.group(1)

        # the message is said once; the menu keeps it for the session
        page = second.get("/").content.decode()
        assert "Your last login:" not in page and 'id="last-login"' in page

        third, _ = log_in()
        assert "Failed logins since: 0." in third.get("/").content.decode()

    def test_in_chinese(self):
        member()
        log_in()
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.post("/login/", {"username": "leader", "password": PASSWORD})
        with translation.override("zh-hans"):
            page = client.get("/").content.decode()
        assert "上次登录：" in page and "此后登录失败次数：0。" in page
        assert User.objects.get(username="leader").last_login is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_user_menu_shows_the_last_login_and_changes_the_password(page, live_server):
    member()
    for password in ("wrong", PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "leader")
        page.fill("#id_password", password)
        page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click("#user-menu .dropdown-toggle")
    menu = page.inner_text("#last-login")
    assert "First login" in menu and "Failed logins since: 1" in menu
    page.click("#user-menu >> text=Change password")
    page.wait_for_url(f"{live_server.url}/account/password/")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("#password-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Your password has been changed." in page.inner_text(".page-body")
    assert User.objects.get(username="leader").check_password(NEW)
