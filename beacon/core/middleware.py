import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .account import EXPIRED


class SessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_TIMEOUT after login however active it is, and keeps
    its idle expiry (the session's age, SESSION_IDLE_TIMEOUT) running from its last
    request: a session is saved, and its expiry and cookie renewed, when a request changes
    it or when SESSION_RENEWAL_SECONDS have passed since it was last renewed, so a request
    that changes nothing writes nothing."""

    key = "beacon_login_at"
    renewed_key = "beacon_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(self.key, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - session.get(self.renewed_key, 0) >= settings.SESSION_RENEWAL_SECONDS:
                session[self.renewed_key] = now  # a change: the session is saved
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """An expired password (noted at login) leaves its user only the change-password page and
    logging out; the API answers 403 to the session until the password is changed."""

    open_paths = ("/logout/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(EXPIRED)
            and not request.path_info.startswith(self.open_paths)
            and request.path_info != reverse("password-change")
        ):
            if request.path_info.startswith("/api/"):
                message = _("Your password has expired: change it in the web interface.")
                return JsonResponse({"detail": message}, status=403)
            return redirect("password-change")
        return self.get_response(request)
