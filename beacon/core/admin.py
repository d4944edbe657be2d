"""Accounts and the login log in the Django admin.

Accounts are the security administrator's (``security_admin``): a user's names, role and
whether it may log in; the password is set through Django's password forms, which keep
the password rules. No form sets ``is_superuser``, and ``is_staff`` follows the role.

The login log is readable by those whose role may, changed by no one.

django-axes registers its logs with admins that let anyone holding the model permission
(a superuser, or a role a deployment widened) edit and delete entries; the login log is
append-only, so those admins are replaced with read-only ones. auditlog's own admin already
refuses to add, change or delete change-log entries.
"""

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scoped import ScopedModelAdmin
from .models import User


class ReadOnlyLogAdmin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model, vendor_admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(vendor_admin.__name__, (ReadOnlyLogAdmin, vendor_admin), {}))


@admin.register(User)
class AccountAdmin(ScopedModelAdmin, UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # an administrator's own role is another's to change, or the split of duties would
        # be one person's choice
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, "role", "is_active")
        return fields

    def save_model(self, request, obj, form, change):
        obj.is_staff = bool(obj.role and obj.role.staff)
        super().save_model(request, obj, form, change)
