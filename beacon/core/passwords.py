"""Password rules, on every path that sets a password: the command line (``createuser``),
the change-password page and the Django admin's account forms all check a new password with
Django's one ``password_validation.validate_password``, which runs the validators of
``AUTH_PASSWORD_VALIDATORS`` (Django's own password forms call it too).

The validators come from a profile, chosen by ``BEACON_PASSWORD_PROFILE``:

- ``mlps3`` (the default), MLPS 2.0 level 3: at least 8 characters of at least 3 of the 4
  classes (upper case, lower case, digits, symbols), none of the last 5 passwords, and a
  password expires after 90 days (the user must change it at the next login);
- ``asvs``, OWASP ASVS 4.0 level 2 (V2.1): at least 12 characters, up to 128 allowed, no
  composition rules, no common password, no periodic expiry; the history is still kept.

Every number can be set on its own (``BEACON_PASSWORD_MIN_LENGTH``, ``…_MIN_CLASSES``,
``…_HISTORY``, ``…_MAX_AGE_DAYS``). This module is read by the settings, so it imports
Django's models only inside functions.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

VALIDATION = "django.contrib.auth.password_validation"
CHARACTER_CLASSES = (
    string.ascii_uppercase,
    string.ascii_lowercase,
    string.digits,
)


@dataclass(frozen=True)
class PasswordProfile:
    name: str
    min_length: int
    min_classes: int
    history: int
    max_age_days: int
    # ASVS 2.1.2: at least 64 characters allowed, more than 128 refused (hashing stays cheap)
    max_length: int = 128

    @classmethod
    def named(cls, name: str, environ: Mapping[str, str] | None = None) -> PasswordProfile:
        """The profile ``name``, with the numbers the environment sets instead."""
        if name not in PROFILES:
            raise ImproperlyConfigured(
                f"BEACON_PASSWORD_PROFILE is {name!r}; it is one of: {', '.join(PROFILES)}"
            )
        profile = PROFILES[name]
        environ = environ or {}
        numbers: dict[str, int] = {
            field: int(environ[f"BEACON_PASSWORD_{field.upper()}"])
            for field in ("min_length", "min_classes", "history", "max_age_days")
            if environ.get(f"BEACON_PASSWORD_{field.upper()}")
        }
        return replace(profile, **numbers)  # type: ignore[arg-type]  # int fields only

    def validators(self) -> list[dict]:
        """The profile as ``AUTH_PASSWORD_VALIDATORS``."""
        rules: list[dict] = [
            {"NAME": f"{VALIDATION}.UserAttributeSimilarityValidator"},
            {
                "NAME": f"{VALIDATION}.MinimumLengthValidator",
                "OPTIONS": {"min_length": self.min_length},
            },
            {
                "NAME": f"{__name__}.MaximumLengthValidator",
                "OPTIONS": {"max_length": self.max_length},
            },
        ]
        if self.min_classes:
            rules.append(
                {
                    "NAME": f"{__name__}.CharacterClassesValidator",
                    "OPTIONS": {"min_classes": self.min_classes},
                }
            )
        rules.append({"NAME": f"{VALIDATION}.CommonPasswordValidator"})
        # kept in every profile: it records each new password, whose age the expiry reads
        rules.append(
            {"NAME": f"{__name__}.PasswordHistoryValidator", "OPTIONS": {"history": self.history}}
        )
        return rules


PROFILES = {
    "mlps3": PasswordProfile("mlps3", min_length=8, min_classes=3, history=5, max_age_days=90),
    "asvs": PasswordProfile("asvs", min_length=12, min_classes=0, history=5, max_age_days=0),
}


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols (anything else) it uses."""
    found = {i for c in password for i, chars in enumerate(CHARACTER_CLASSES) if c in chars}
    symbols = any(not any(c in chars for chars in CHARACTER_CLASSES) for c in password)
    return len(found) + symbols


class CharacterClassesValidator:
    """At least ``min_classes`` of upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return _(
            "A password must use at least %(count)d of these: upper-case letters, "
            "lower-case letters, digits, symbols."
        ) % {"count": self.min_classes}


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long: it may have at most %(max_length)d characters.")
                % {"max_length": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("A password may have up to %(max_length)d characters.") % {
            "max_length": self.max_length
        }


class PasswordHistoryValidator:
    """Not one of the user's last ``history`` passwords (the current one included); records
    each new password's hash, and when it was set, once it is saved."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        recent = list(user.password_history.values_list("password", flat=True)[: self.history]) or [
            user.password
        ]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                _("This password is one of your last %(count)d; choose another.")
                % {"count": self.history},
                code="password_reused",
            )

    def password_changed(self, password, user):
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        # only the hashes the rule compares with are kept
        for old in user.password_history.all()[self.history :]:
            old.delete()

    def get_help_text(self):
        return _("A password may not be one of your last %(count)d.") % {"count": self.history}


def password_changed_at(user):
    """When the user's password was set: its history's newest entry, or else the account's
    creation (an account from before the history was kept)."""
    latest = user.password_history.values_list("created", flat=True).first()
    return latest or user.date_joined


def password_expired(user) -> bool:
    """Is the password older than ``BEACON_PASSWORD_MAX_AGE_DAYS`` (0: passwords never
    expire)?"""
    from django.conf import settings
    from django.utils import timezone

    days = settings.BEACON_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    return password_changed_at(user) <= timezone.now() - timedelta(days=days)
