"""Every error under /api/ is JSON: validation 400, unknown or out-of-scope 404, clashes and
stale writes (If-Match) 409."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .. import gate

UNIQUE_CODES = {"unique", "unique_together"}
API_PATH_PREFIX = "/api/"


def _is_unique_clash(detail) -> bool:
    codes = []

    def walk(d):
        if isinstance(d, dict):
            for v in d.values():
                walk(v)
        elif isinstance(d, list):
            for v in d:
                walk(v)
        else:
            codes.append(getattr(d, "code", None))

    walk(detail)
    return bool(codes) and all(c in UNIQUE_CODES for c in codes)


def etag(obj) -> str:
    """The API's name for ``obj``'s version (``gate.version``), quoted as HTTP has it."""
    return f'"{gate.version(obj)}"'


def exception_handler(exc, context):
    if isinstance(exc, gate.StaleEdit):
        return Response(
            {"detail": str(gate.STALE_MESSAGE), "version": gate.version(exc.current)},
            status=status.HTTP_409_CONFLICT,
            headers={"ETag": etag(exc.current)},
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(getattr(exc, "message_dict", None) or {"detail": exc.messages})
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("Other records refer to this object; it cannot be deleted.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("This clashes with an existing record.")}, status=status.HTTP_409_CONFLICT
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError) and _is_unique_clash(exc.detail):
        response.status_code = status.HTTP_409_CONFLICT
    return response


# Django's own error pages answer what never reaches a DRF view (a URL no route matches, a
# crash outside a view); under /api/ they must be JSON too.
def _api_or_page(status_code, message, page):
    def handler(request, exception=None):
        if request.path_info.startswith(API_PATH_PREFIX):
            return JsonResponse({"detail": str(message)}, status=status_code)
        return page(request, exception) if exception is not None else page(request)

    return handler


# DRF's own messages, so these read (and are translated) like every other API error.
bad_request = _api_or_page(400, exceptions.ParseError.default_detail, defaults.bad_request)
permission_denied = _api_or_page(
    403, exceptions.PermissionDenied.default_detail, defaults.permission_denied
)
page_not_found = _api_or_page(404, exceptions.NotFound.default_detail, defaults.page_not_found)
server_error = _api_or_page(500, exceptions.APIException.default_detail, defaults.server_error)
