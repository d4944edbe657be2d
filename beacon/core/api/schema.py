from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "description": "Field names (or 'detail') mapped to lists of messages.",
    "additionalProperties": True,
}
ERROR_CODES = {
    "GET": ("400", "401", "404"),
    "POST": ("400", "401", "403", "409"),
    "PUT": ("400", "401", "403", "404", "409"),
    "PATCH": ("400", "401", "403", "404", "409"),
    "DELETE": ("401", "403", "404", "409"),
}
DESCRIPTIONS = {
    "400": "Invalid input or paging",
    "401": "Not authenticated",
    "403": "The role may not do this",
    "404": "Not found, or outside the user's scope",
    "409": "Clashes with an existing record, or still referred to",
}


class BeaconAutoSchema(AutoSchema):
    """Documents the JSON error answers every operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in ERROR_CODES.get(self.method, ()):
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
