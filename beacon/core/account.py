"""A user's own account (MLPS level 3): changing the password, which an expired password
makes the only thing to do, and the previous login shown at every login.

Both are decided once, when the user logs in, and kept in the session, so pages ask the
database nothing more.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import LoginFailure, LoginKind, LoginRecord
from .passwords import password_expired

# session keys
EXPIRED = "beacon_password_expired"
LAST_LOGIN = "beacon_last_login"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every logged-in user's own password: the old one, then the new one twice, checked by
    the password rules (Django's form runs ``AUTH_PASSWORD_VALIDATORS``)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "expired": self.request.session.get(EXPIRED)}

    def form_valid(self, form):
        response = super().form_valid(form)  # the session stays logged in
        self.request.session.pop(EXPIRED, None)
        messages.success(self.request, _("Your password has been changed."))
        return response


def on_login(sender, request, user, **kwargs):
    """At login: note an expired password, and tell the user about the login before."""
    if password_expired(user):
        request.session[EXPIRED] = True
    # the login log records this login at the time django-axes gave the attempt
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    last = previous_login(user.get_username(), now)
    request.session[LAST_LOGIN] = last
    messages.info(request, describe(last), fail_silently=True)


def previous_login(username: str, before) -> dict:
    """When and from where ``username`` last logged in before ``before``, and how many failed
    logins as them came after it (from the login log)."""
    previous = (
        LoginRecord.objects.filter(kind=LoginKind.LOGIN, username=username, time__lt=before)
        .order_by("-time")
        .first()
    )
    failures = LoginFailure.objects.filter(username=username, time__lt=before)
    if previous is not None:
        failures = failures.filter(time__gt=previous.time)
    return {
        "at": previous.time.isoformat() if previous else None,
        "address": previous.ip_address if previous else None,
        "failures": failures.count(),
    }


def describe(last: dict) -> str:
    if last["at"] is None:
        text = _("This is the first login to your account.")
    else:
        when = formats.date_format(
            timezone.localtime(parse_datetime(last["at"])), "DATETIME_FORMAT"
        )
        text = _("Your last login: %(when)s from %(address)s.") % {
            "when": when,
            "address": last["address"] or _("an unknown address"),
        }
    failures = _("Failed logins since: %(count)d.") % {"count": last["failures"]}
    return f"{text} {failures}"


def last_login(request) -> dict:
    """The user menu's account of the previous login (a context processor)."""
    last = getattr(request, "session", {}).get(LAST_LOGIN)
    if not last:
        return {}
    return {
        "last_login": {
            **last,
            "at": last["at"] and parse_datetime(last["at"]),
            "address": last["address"] or _("an unknown address"),
        }
    }
