"""Password rules on every path that sets a password, in both profiles (issue 14, finding 5):
length, classes, history and expiry; time is moved by dating the history back."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from beacon.conftest import PASSWORD, make_user
from beacon.core.models import PasswordHistory, User
from beacon.core.passwords import (
    PasswordProfile,
    character_classes,
    password_expired,
)

pytestmark = pytest.mark.django_db

TOO_SHORT = {
    "mlps3": "This password is too short. It must contain at least 8 characters.",
    "asvs": "This password is too short. It must contain at least 12 characters.",
}


def use_profile(settings, name: str) -> PasswordProfile:
    profile = PasswordProfile.named(name)
    settings.AUTH_PASSWORD_VALIDATORS = profile.validators()
    settings.BEACON_PASSWORD_MAX_AGE_DAYS = profile.max_age_days
    return profile


@pytest.fixture(params=["mlps3", "asvs"])
def profile(request, settings) -> PasswordProfile:
    return use_profile(settings, request.param)


def refusal(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return refused.value.messages


def member(role: str = "leader") -> User:
    """A user whose password was set as every path sets it (``create_user`` writes the hash
    without the validators' notice, so its age counts from the account's creation)."""
    user = make_user(role)
    user.set_password(PASSWORD)
    user.save()
    return user


def age(user: User, days: int) -> None:
    """Date the user's current password ``days`` back: the clock moved forward."""
    latest = user.password_history.first()
    assert latest is not None
    PasswordHistory.objects.filter(pk=latest.pk).update(
        created=timezone.now() - timedelta(days=days)
    )


class TestCreateUserKeepsTheRules:
    """Finding 5: `beacon createuser --password 123` created an account that could log in."""

    def test_password_123_is_refused_and_no_user_is_created(self, db, profile):
        with pytest.raises(CommandError) as refused:
            call_command("createuser", "weak", "--role", "leader", "--password", "123")
        assert str(refused.value).startswith("password refused: ")
        assert TOO_SHORT[profile.name] in str(refused.value)
        assert not User.objects.filter(username="weak").exists()
        login = Client().post("/login/", {"username": "weak", "password": "123"})
        assert login.status_code == 200  # the form again: nobody to log in as

    def test_the_environment_and_the_prompt_are_checked_too(self, db, profile, monkeypatch):
        monkeypatch.setenv("BEACON_PASSWORD", "123")
        with pytest.raises(CommandError, match=TOO_SHORT[profile.name]):
            call_command("createuser", "weak", "--role", "leader")
        monkeypatch.delenv("BEACON_PASSWORD")
        monkeypatch.setattr("getpass.getpass", lambda prompt: "123")
        with pytest.raises(CommandError, match=TOO_SHORT[profile.name]):
            call_command("createuser", "weak", "--role", "leader")
        assert not User.objects.filter(username="weak").exists()

    def test_a_password_like_the_username_is_refused(self, db, settings):
        use_profile(settings, "asvs")
        with pytest.raises(CommandError, match="too similar to the username"):
            call_command(
                "createuser", "lixiaoming", "--role", "leader", "--password", "lixiaoming2024"
            )

    def test_a_good_password_creates_the_user_and_starts_its_history(self, db, profile):
        call_command("createuser", "good", "--role", "leader", "--password", PASSWORD)
        user = User.objects.get(username="good")
        (entry,) = user.password_history.all()
        assert entry.password == user.password and PASSWORD not in entry.password
        login = Client().post("/login/", {"username": "good", "password": PASSWORD})
        assert login.status_code == 302


class TestProfiles:
    def test_mlps3_needs_three_classes_of_eight_characters(self, db, settings):
        use_profile(settings, "mlps3")
        assert refusal("beaconzone1") == [
            "A password must use at least 3 of these: upper-case letters, lower-case letters, "
            "digits, symbols."
        ]
        for good in ("Beacon-zone", "Beaconzo1", "beacon#z0ne"):
            validate_password(good, None)

    def test_asvs_needs_twelve_characters_without_composition_rules(self, db, settings):
        use_profile(settings, "asvs")
        validate_password("grey harbour lanterns", None)
        assert refusal("Beaconzo1-x") == [TOO_SHORT["asvs"]]
        assert "This password is too common." in refusal("password1234")

    def test_up_to_128_characters_are_allowed(self, db, profile):
        validate_password("Ab1-" * 32, None)
        assert refusal("Ab1-" * 32 + "x") == [
            "This password is too long: it may have at most 128 characters."
        ]

    def test_symbols_and_other_scripts_count_as_a_class(self):
        assert character_classes("abc") == 1
        assert character_classes("aB3") == 3
        assert character_classes("aB3 ") == 4
        assert character_classes("密码aB") == 3

    def test_an_unknown_profile_is_refused_and_numbers_can_be_set(self):
        with pytest.raises(ImproperlyConfigured, match="'mlps2'.*mlps3, asvs"):
            PasswordProfile.named("mlps2")
        profile = PasswordProfile.named(
            "mlps3", {"BEACON_PASSWORD_MIN_LENGTH": "10", "BEACON_PASSWORD_MAX_AGE_DAYS": "30"}
        )
        assert (profile.min_length, profile.max_age_days, profile.history) == (10, 30, 5)


class TestHistory:
    def test_none_of_the_last_five_passwords_again(self, db, profile):
        user = make_user("leader")
        passwords = [f"Grey-harbour-{n}" for n in range(1, 6)]
        for password in passwords:
            validate_password(password, user)
            user.set_password(password)
            user.save()
        # PASSWORD, then the five: the last five are refused, the sixth-last is free again
        for password in passwords:
            assert refusal(password, user) == [
                "This password is one of your last 5; choose another."
            ]
        validate_password(PASSWORD, user)
        stored = list(user.password_history.values_list("password", flat=True))
        assert len(stored) == 5
        assert all(check_password(p, h) for p, h in zip(reversed(passwords), stored, strict=True))
        assert not any(p in h for p in passwords for h in stored)

    def test_an_account_without_history_compares_with_its_current_password(self, db, profile):
        user = make_user("leader")
        user.password_history.all().delete()
        assert refusal(PASSWORD, user) == ["This password is one of your last 5; choose another."]


class TestExpiry:
    def test_mlps3_passwords_expire_after_90_days(self, db, settings):
        use_profile(settings, "mlps3")
        user = member()
        assert not password_expired(user)
        age(user, 89)
        assert not password_expired(user)
        age(user, 90)
        assert password_expired(user)
        user.set_password("Grey-harbour-1")
        user.save()
        assert not password_expired(user)

    def test_asvs_passwords_do_not_expire(self, db, settings):
        use_profile(settings, "asvs")
        user = member()
        age(user, 5000)
        assert not password_expired(user)

    def test_the_age_of_an_account_without_history_counts_from_its_creation(self, db, settings):
        use_profile(settings, "mlps3")
        user = make_user("leader")
        user.password_history.all().delete()
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=91))
        user.refresh_from_db()
        assert password_expired(user)


def test_the_rules_speak_chinese(db, settings):
    from django.utils import translation

    use_profile(settings, "mlps3")
    with translation.override("zh-hans"):
        messages = refusal("abcdefgh")
    assert "密码须至少包含大写字母、小写字母、数字、符号中的 3 类。" in messages
