"""The login log: every login, logout and failed login as a row of its own, fed by
Django's authentication signals (``LoginRecord``, ``LoginFailure``).

django-axes still counts failures and locks accounts, but its own logs are off: its access
log writes the logout time into the login's row, and its failure log deletes a user's
oldest rows beyond a limit, and the login log is append-only. Axes' receivers run first
(its app is installed before core), so the request already carries the address, the
user agent and whether this attempt locked the account.
"""

from axes.helpers import get_client_session_hash, get_client_username
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginFailure, LoginKind, LoginRecord


def _client(request) -> dict:
    return {
        "time": getattr(request, "axes_attempt_time", None) or timezone.now(),
        "ip_address": getattr(request, "axes_ip_address", None),
        "user_agent": (getattr(request, "axes_user_agent", "") or "")[:255],
        "path": (getattr(request, "axes_path_info", "") or "")[:255],
    }


def _record(kind: str, request, user) -> None:
    if user is None:
        return
    LoginRecord.objects.create(
        kind=kind,
        username=user.get_username(),
        session_hash=get_client_session_hash(request) if request is not None else "",
        **_client(request),
    )


@receiver(user_logged_in, dispatch_uid="beacon.loginlog.login")
def record_login(sender, request, user, **kwargs):
    _record(LoginKind.LOGIN, request, user)


@receiver(user_logged_out, dispatch_uid="beacon.loginlog.logout")
def record_logout(sender, request, user, **kwargs):
    _record(LoginKind.LOGOUT, request, user)


@receiver(user_login_failed, dispatch_uid="beacon.loginlog.failure")
def record_failure(sender, credentials, request=None, **kwargs):
    LoginFailure.objects.create(
        username=(get_client_username(request, credentials) or "")[:255],
        locked_out=bool(getattr(request, "axes_locked_out", False)),
        **_client(request),
    )
