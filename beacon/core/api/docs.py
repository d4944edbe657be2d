"""The API's documentation pages, for its users only (a session or a token).

Not in ``schema.py``: DRF imports that module while drf-spectacular defines its views, so
it cannot import them.
"""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.views import APIView


class LoginFirst(APIView):
    """An API documentation page (HTML) sends a browser without a session to the login page,
    which brings it back; a bad token is still refused with 401."""

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class SwaggerView(LoginFirst, SpectacularSwaggerSplitView):
    pass


class RedocView(LoginFirst, SpectacularRedocView):
    pass
