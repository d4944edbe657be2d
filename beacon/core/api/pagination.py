from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from .. import counts

MAX_LIMIT = 1000


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``limit``/``offset`` paging that answers 400 to a bad value instead of ignoring it."""

    max_limit = MAX_LIMIT

    def _number(self, request, name, default, minimum):
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: [_("Must be a whole number.")]}) from None
        if value < minimum:
            raise ValidationError({name: [_("Must be at least %(min)s.") % {"min": minimum}]})
        if name == self.limit_query_param and value > self.max_limit:
            raise ValidationError({name: [_("Must be at most %(max)s.") % {"max": self.max_limit}]})
        return value

    def get_schema_operation_parameters(self, view):
        # The bounds are enforced, so they are part of the contract.
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
        return parameters

    def get_count(self, queryset):
        return counts.count(queryset)

    def get_limit(self, request):
        return self._number(request, self.limit_query_param, self.default_limit, 1)

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, 0, 0)
