from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from .. import gate, permissions
from .parsers import JSONParser
from .permissions import METHOD_ACTIONS
from .renderers import JSONRenderer

# The router's lookup pattern is ``\d+``, which drf-spectacular would document as a string.
_object_id = extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)]
)


@extend_schema_view(
    retrieve=_object_id, update=_object_id, partial_update=_object_id, destroy=_object_id
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

    def _save_in_scope(self, serializer, action):
        try:
            gate.write(self.request.user, action, serializer.save)
        except gate.OutsideScope:
            message = gate.SCOPE_MESSAGE
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}) from None

    def perform_create(self, serializer):
        self._save_in_scope(serializer, "add")

    def perform_update(self, serializer):
        self._save_in_scope(serializer, "change")

    def perform_destroy(self, instance):
        gate.delete(self.request.user, instance)


class ScopedReadOnlyViewSet(ScopedModelViewSet):
    """Reading only: what is made elsewhere (frozen runs, target lists, stage history) or
    edited in the UI (rule files)."""

    http_method_names = ["get", "head", "options"]
