"""What Beacon's commands share: the user a command acts for."""

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
