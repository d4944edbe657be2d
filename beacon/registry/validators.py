from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_geojson_outline(value) -> None:
    if value in (None, "", {}):
        return
    geometry = value.get("geometry", value) if isinstance(value, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("The outline must be a GeoJSON Polygon or MultiPolygon."), code="geojson_type"
        )
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        raise ValidationError(_("The outline has no coordinates."), code="geojson_coordinates")
