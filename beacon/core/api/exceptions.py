"""Every error under /api/ is JSON: validation 400, unknown or out-of-scope 404, clashes 409."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

UNIQUE_CODES = {"unique", "unique_together"}


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


def exception_handler(exc, context):
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
