"""The Django admin, kept inside the permission layer like every other view."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from . import permissions


class ScopedModelAdmin(admin.ModelAdmin):
    """Lists and edits only the rows the user's role and scope allow."""

    def get_queryset(self, request):
        return permissions.restrict(super().get_queryset(request), request.user, "view")

    def _allowed(self, request, action, obj=None) -> bool:
        if obj is None:
            return permissions.can(request.user, self.model, action)
        return permissions.restrict(
            self.model.objects.filter(pk=obj.pk), request.user, action
        ).exists()

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj)

    def has_add_permission(self, request):
        return self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    def has_module_permission(self, request):
        return any(permissions.can(request.user, self.model, a) for a in permissions.ACTIONS)

    def save_model(self, request, obj, form, change):
        # The saved row must stay inside the scope, as in every other edit path.
        if not permissions.instance_in_scope(request.user, obj, "change" if change else "add"):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
