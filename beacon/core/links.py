"""An object's page address, for the many links of a list or a board.

Django's ``reverse`` matches the view's pattern anew on every call (a list page of 50 rows
links each row and its park: 100 calls, a tenth of the page's time). An object's page
differs from another's of the same kind only by its key, so the address is worked out once
per view, prefix and URLconf, and the key put in its place.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# a key no zone reaches, so that it is found once in the reversed address
_PLACEHOLDER = 987_654_321_987_654_321
_shapes: dict[tuple, tuple[str, str]] = {}


def object_url(view_name: str, pk) -> str:
    """``reverse(view_name, args=[pk])`` for an integer ``pk``."""
    if type(pk) is not int:  # an unsaved object, or another kind of key: reverse says what
        return reverse(view_name, args=[pk])
    key = (view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    shape = _shapes.get(key)
    if shape is None:
        before, after = reverse(view_name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
        shape = _shapes[key] = (before, after)
    return f"{shape[0]}{pk}{shape[1]}"
