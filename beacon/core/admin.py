"""The login logs in the Django admin: readable by those whose role may, changed by no one.

django-axes registers its logs (no longer written, kept as they were) with admins that let
anyone holding the model permission (a superuser, or a role a deployment widened) edit and
delete entries; they are replaced with read-only ones, as is Beacon's own login log's.
auditlog's own admin already refuses to add, change or delete change-log entries.
"""

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin

from .models import LoginFailure, LoginRecord


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


@admin.register(LoginRecord)
class LoginRecordAdmin(ReadOnlyLogAdmin, admin.ModelAdmin):
    list_display = ("time", "kind", "username", "ip_address", "user_agent")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyLogAdmin, admin.ModelAdmin):
    list_display = ("time", "username", "ip_address", "user_agent", "locked_out")
    list_filter = ("locked_out",)
    search_fields = ("username", "ip_address")
