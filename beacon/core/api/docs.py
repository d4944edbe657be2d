"""The API's documentation pages, for its users only (a session or a token).

Not in ``schema.py``: DRF imports that module while drf-spectacular defines its views, so
it cannot import them.
"""

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

# The schema, once made, per language and API version. It is made from the code alone (the
# same for every user: drf-spectacular's public schema), so every process makes the same
# one; making it walks every endpoint's serializers, 1–3 s of a core a request.
_schemas: dict[tuple, dict] = {}


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


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI schema, made once per process for each language and version."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in _schemas:
            _schemas[key] = super()._get_schema_response(request).data
        filename = self._get_filename(request, version)
        return Response(
            data=_schemas[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
