import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .account import EXPIRED


class SessionTimeoutMiddleware:
    """Ends a session 12 h after login however active it is (idle expiry is the cookie age)."""

    key = "beacon_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(self.key, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect(settings.LOGIN_URL)
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
