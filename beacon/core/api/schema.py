import inspect

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance

ERROR_SCHEMA = {
    "type": "object",
    "description": "Field names mapped to lists of messages, or 'detail' with one message.",
    "additionalProperties": True,
}
ERROR_CODES = {
    "GET": ("400", "401", "403", "404", "429"),
    "POST": ("400", "401", "403", "409", "415", "429"),
    "PUT": ("400", "401", "403", "404", "409", "415", "429"),
    "PATCH": ("400", "401", "403", "404", "409", "415", "429"),
    "DELETE": ("401", "403", "404", "409", "429"),
}
DESCRIPTIONS = {
    "400": "Invalid input or paging",
    "401": "Not authenticated",
    "403": "The role may not do this",
    "404": "Not found, or outside the user's scope",
    "409": (
        "Clashes with an existing record, is still referred to, or was changed since the "
        "version named in If-Match (the answer then holds the current 'version')"
    ),
    "415": "The request body is in a format the API does not read",
    "429": "Over the token's or the user's rate limit; Retry-After gives the seconds to wait",
}


def _model_doc(cls, model) -> str:
    """The model's docstring, for a viewset or serializer class that has none of its own.

    Otherwise every endpoint and component would show the text of the generic base class.
    """
    if cls.__doc__ or model is None or not model.__doc__:
        return ""
    return inspect.cleandoc(model.__doc__)


class BeaconAutoSchema(AutoSchema):
    """Documents the JSON error answers every operation can give."""

    def get_description(self):
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        return _model_doc(type(self.view), model) or super().get_description()

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        description = _model_doc(type(force_instance(serializer)), model)
        if description:
            schema["description"] = description
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ERROR_CODES.get(self.method, ())
        if "{id}" in self.path and "404" not in codes:
            codes = (*codes, "404")  # an action on one object (a lead's move) may not find it
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "beacon.core.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "beacon token create USERNAME"}
