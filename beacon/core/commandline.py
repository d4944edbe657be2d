"""What Beacon's commands share: the user a command acts for, a backup's passphrase."""

import getpass
import os
import sys

from django.core.management.base import CommandError

from .models import User


def acting_user(username: str | None) -> User | None:
    """The active user named by a command's ``--user`` (None when none is named): the
    command then reads and writes as that user, scope and change log alike."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).select_related("role").first()
    if user is None:
        raise CommandError(f"unknown user {username!r}")
    return user


# the variable's name, not a passphrase (bandit B105)
PASSPHRASE_VARIABLE = "BEACON_BACKUP_PASSPHRASE"  # nosec B105
PASSPHRASE_MIN_LENGTH = 12


def backup_passphrase(new: bool) -> str:
    """The passphrase of a backup: ``BEACON_BACKUP_PASSPHRASE``, or asked for at the
    terminal (twice, for a new backup). A new one is at least 12 characters long."""
    passphrase = os.environ.get(PASSPHRASE_VARIABLE)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise CommandError(
                f"the backup is encrypted: set {PASSPHRASE_VARIABLE} or run at a terminal"
            )
        passphrase = getpass.getpass("Backup passphrase: ")
        if new and getpass.getpass("The passphrase again: ") != passphrase:
            raise CommandError("the two passphrases differ; nothing was written")
    if new and len(passphrase) < PASSPHRASE_MIN_LENGTH:
        raise CommandError(
            f"the passphrase is shorter than {PASSPHRASE_MIN_LENGTH} characters; "
            "nothing was written"
        )
    return passphrase
