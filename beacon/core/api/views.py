from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from .. import permissions
from ..changelog import acting_as
from .permissions import METHOD_ACTIONS


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD for one model, through the permission layer.

    Reads see the rows in the user's scope for the request's action, so an object
    outside it answers 404. Writes are saved in a transaction and rolled back unless
    the saved row is still inside the scope.
    """

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        return permissions.restrict(self.queryset.all(), self.request.user, action)

    def _save_in_scope(self, serializer, action):
        # Token-authenticated users are known only here, not to the change-log middleware.
        with (
            acting_as(self.request.user, self.request.META.get("REMOTE_ADDR")),
            transaction.atomic(),
        ):
            instance = serializer.save()
            model = type(instance)
            if not permissions.restrict(
                model.objects.filter(pk=instance.pk), self.request.user, action
            ).exists():
                transaction.set_rollback(True)
                raise ValidationError({"detail": [_("The object would be outside your scope.")]})

    def perform_create(self, serializer):
        self._save_in_scope(serializer, "add")

    def perform_update(self, serializer):
        self._save_in_scope(serializer, "change")

    def perform_destroy(self, instance):
        with (
            acting_as(self.request.user, self.request.META.get("REMOTE_ADDR")),
            transaction.atomic(),
        ):
            instance.delete()
