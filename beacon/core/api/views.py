from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .. import gate, permissions
from .exceptions import etag
from .parsers import JSONParser
from .permissions import METHOD_ACTIONS
from .renderers import JSONRenderer

# The router's lookup pattern is ``\d+``, which drf-spectacular would document as a string.
_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "The ETag the object was read at. When it is no longer the object's version "
        "(someone saved it since), nothing is written and the answer is 409 with the "
        "current version."
    ),
)
_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The object's version, to send back as If-Match with a change.",
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[_ID, _ETAG]),
    update=extend_schema(parameters=[_ID, _IF_MATCH, _ETAG]),
    partial_update=extend_schema(parameters=[_ID, _IF_MATCH, _ETAG]),
    destroy=extend_schema(parameters=[_ID, _IF_MATCH]),
)
class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD for one model, through the permission layer.

    Reads see the rows in the user's scope for the request's action, so an object
    outside it answers 404. Writes are saved in a transaction and rolled back unless
    the saved row is still inside the scope.
    """

    lookup_value_regex = r"\d+"
    # The API speaks JSON both ways; form encodings would add a second, looser way to send
    # nulls and lists without serving any client.
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        return permissions.restrict(self.queryset.all(), self.request.user, action)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        # read back: a value as sent (1.5) is not yet the value as stored (1.50)
        response["ETag"] = etag(self.queryset.model._base_manager.get(pk=self.kwargs["pk"]))
        return response

    def _save_in_scope(self, serializer, action):
        def save():
            if serializer.instance is not None:
                hold_if_matched(self.request, serializer.instance)
            return serializer.save()

        try:
            gate.write(self.request.user, action, save)
        except gate.OutsideScope:
            message = gate.SCOPE_MESSAGE
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}) from None

    def perform_create(self, serializer):
        self._save_in_scope(serializer, "add")

    def perform_update(self, serializer):
        self._save_in_scope(serializer, "change")

    def perform_destroy(self, instance):
        gate.delete(self.request.user, instance, *(if_match(self.request) or ()))


def hold_if_matched(request, instance) -> None:
    """A write that names the versions it was read at (If-Match) is refused unless the
    object is still at one of them: ``StaleEdit``, which the API answers 409."""
    matched = if_match(request)
    if matched is not None:
        gate.hold_unchanged(instance, *matched)


def if_match(request) -> list[str] | None:
    """The versions an If-Match header names; None without one, or for ``*`` (any)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    # A weak tag (W/"…") names the same version here: every tag is a digest of the row.
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]


class ScopedReadOnlyViewSet(ScopedModelViewSet):
    """Reading only: what is made elsewhere (frozen runs, target lists, stage history) or
    edited in the UI (rule files)."""

    http_method_names = ["get", "head", "options"]
