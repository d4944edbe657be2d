"""The Django admin, kept inside the permission layer like every other view."""

from django.contrib import admin

from . import gate, permissions


class ScopedModelAdmin(admin.ModelAdmin):
    """Lists and edits only the rows the user's role and scope allow, and saves through the
    write gate: a row saved outside the scope is rolled back and answered 404."""

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

    def get_readonly_fields(self, request, obj=None):
        access = gate.field_access(request.user, self.model, "change" if obj else "add")
        fixed = [
            f.name for f in self.model._meta.fields if f.editable and not access.may_set(f.name)
        ]
        return (*super().get_readonly_fields(request, obj), *fixed)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        access = gate.field_access(request.user, self.model, "change" if obj else "add")
        # The admin builds its form class once per request; narrow that class's fields.
        for name, field in form.base_fields.items():
            if hasattr(field, "queryset"):
                field.queryset = access.choices(name, field.queryset)
        return form

    def save_model(self, request, obj, form, change):
        def save():
            super(ScopedModelAdmin, self).save_model(request, obj, form, change)
            return obj

        gate.write(request.user, "change" if change else "add", save)

    def delete_model(self, request, obj):
        gate.delete(request.user, obj)
